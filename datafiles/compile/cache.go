package compile

import (
	"sync"

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
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{templates: map[string]*template.Template{}, refs: map[string][]sqlRef{}}
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
