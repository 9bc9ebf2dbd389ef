package compile

import (
	"bufio"
	"strings"
	"sync"

	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/datafiles/template"
)

// maxCacheEntries bounds each map of a Cache; a full map is cleared.
const maxCacheEntries = 4096

// Cache keeps parsed templates and scanned table references between
// compiles, keyed by SQL text, so that a caller compiling again and again
// (live preview, lineage, check) does not re-parse unchanged nodes. It is safe
// for concurrent use. A nil *Cache caches nothing.
type Cache struct {
	mu        sync.Mutex
	templates map[string]*template.Template
	refs      map[string][]sqlRef
	// renders holds the renders of templates that depend on nothing but
	// the mode (no parameters, secrets, variables or environment given).
	renders map[renderKey]cachedRender
	// parsed holds whether SQL parses (nil) or the parser's error.
	parsed map[string]error
	// readers are the parser's read buffers, reused (*bufio.Reader).
	readers sync.Pool
}

type renderKey struct {
	sql  string
	mode template.Mode
}

type cachedRender struct {
	res *template.Result
	fb  *Fallback
	err error
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{templates: map[string]*template.Template{}, refs: map[string][]sqlRef{},
		renders: map[renderKey]cachedRender{}, parsed: map[string]error{}}
}

// template parses sql, or returns the template parsed before.
func (c *Cache) template(sql string) (*template.Template, error) {
	if c == nil {
		return template.Parse(sql)
	}
	c.mu.Lock()
	t, ok := c.templates[sql]
	c.mu.Unlock()
	if ok {
		return t, nil
	}
	t, err := template.Parse(sql)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.templates) >= maxCacheEntries {
		clear(c.templates)
	}
	c.templates[sql] = t
	c.mu.Unlock()
	return t, nil
}

// scan returns the table references of rendered SQL (shared, read-only).
func (c *Cache) scan(sql string) []sqlRef {
	if c == nil {
		return scanRefs(sql)
	}
	c.mu.Lock()
	refs, ok := c.refs[sql]
	c.mu.Unlock()
	if ok {
		return refs
	}
	refs = scanRefs(sql)
	c.mu.Lock()
	if len(c.refs) >= maxCacheEntries {
		clear(c.refs)
	}
	c.refs[sql] = refs
	c.mu.Unlock()
	return refs
}

// render parses and renders a node's template (renderTemplate), reusing a
// render of the same text and mode when nothing else could change it (no
// parameter, secret or variable given, and Getenv unset or never asked: the
// text calls neither tb_secret nor tb_var). The result is shared: callers
// must not modify it.
func (c *Cache) render(sql string, opts Options) (*template.Result, *Fallback, error) {
	tpl, err := c.template(sql)
	if err != nil {
		return nil, nil, err
	}
	pure := len(opts.Params) == 0 && len(opts.Secrets) == 0 && len(opts.Vars) == 0 &&
		(opts.Getenv == nil || !strings.Contains(sql, "tb_secret") && !strings.Contains(sql, "tb_var"))
	if c == nil || !pure {
		return renderTemplate(tpl, opts)
	}
	key := renderKey{sql, opts.Mode}
	c.mu.Lock()
	cr, ok := c.renders[key]
	c.mu.Unlock()
	if !ok {
		cr.res, cr.fb, cr.err = renderTemplate(tpl, opts)
		c.mu.Lock()
		if len(c.renders) >= maxCacheEntries {
			clear(c.renders)
		}
		c.renders[key] = cr
		c.mu.Unlock()
	}
	var fb *Fallback
	if cr.fb != nil {
		copied := *cr.fb
		fb = &copied
	}
	return cr.res, fb, cr.err
}

// parses returns nil when SQL parses, else the parser's error, remembering
// the answer.
func (c *Cache) parses(sql string) error {
	if c == nil {
		_, err := sqltext.Parse(sql)
		return err
	}
	c.mu.Lock()
	err, ok := c.parsed[sql]
	c.mu.Unlock()
	if ok {
		return err
	}
	br, _ := c.readers.Get().(*bufio.Reader)
	if br == nil {
		br = bufio.NewReaderSize(nil, 4096)
	}
	_, err = sqltext.ParseBuffered(sql, br)
	br.Reset(nil)
	c.readers.Put(br)
	c.mu.Lock()
	if len(c.parsed) >= maxCacheEntries {
		clear(c.parsed)
	}
	c.parsed[sql] = err
	c.mu.Unlock()
	return err
}
