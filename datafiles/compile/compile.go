// Package compile turns a pipe node into one runnable ClickHouse SELECT: its
// template rendered, and its references to other nodes of the pipe and to
// other pipes replaced by parenthesised subqueries (no WITH-CTEs, which old
// servers lack). It also extracts table references from SQL and validates
// every node of a project.
package compile

import (
	"fmt"
	"sort"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/datafiles/template"
)

// Options are the inputs of a compile.
type Options struct {
	// Mode says how parameters that were not given render (see
	// template.Mode); the zero value renders with defaults.
	Mode template.Mode
	// Params are the request parameters, as text.
	Params map[string]string
	// Secrets and Vars answer tb_secret() and tb_var(); Getenv is asked for
	// names missing from them (nil: none).
	Secrets map[string]string
	Vars    map[string]string
	Getenv  func(string) string
	// Cache, when set, reuses parsed templates and scanned references
	// across compiles.
	Cache *Cache
}

// NodeRef names a node of a pipe.
type NodeRef struct {
	Pipe string `json:"pipe"`
	Node string `json:"node"`
}

// String formats the reference as pipe.node.
func (n NodeRef) String() string { return n.Pipe + "." + n.Node }

// Span says that bytes [Start, End) of the compiled SQL come from a node's
// rendered SQL starting at offset Rendered.
type Span struct {
	Start    int     `json:"start"`
	End      int     `json:"end"`
	Node     NodeRef `json:"node"`
	Rendered int     `json:"rendered"`
}

// Unresolved is a table name a node reads that is neither a node, a pipe nor
// a data source of the project (a system table, a table of another database,
// or a typo).
type Unresolved struct {
	Name string        `json:"name"`
	Node NodeRef       `json:"node"`
	Pos  datafiles.Pos `json:"pos"`
}

// Result is a compiled node.
type Result struct {
	// SQL is one SELECT statement.
	SQL  string  `json:"sql"`
	Node NodeRef `json:"node"`
	// Spans is the source map: every piece of SQL and the node it comes from.
	Spans []Span `json:"spans"`
	// Nodes lists the nodes inlined, the compiled node first.
	Nodes []NodeRef `json:"nodes"`
	// Datasources lists the data sources read, directly or through other nodes.
	Datasources []string     `json:"datasources"`
	Unresolved  []Unresolved `json:"unresolved,omitempty"`
	// Settings recorded by the compiled node's template (max_threads(), ...).
	MaxThreads  int      `json:"max_threads,omitempty"`
	CacheTTL    string   `json:"cache_ttl,omitempty"`
	BackendHint string   `json:"backend_hint,omitempty"`
	Activated   []string `json:"activated,omitempty"`

	rendered map[NodeRef]*rendered
	project  *datafiles.Project
}

// Error is a compile problem at a position of a datafile.
type Error struct {
	Pos  datafiles.Pos
	Node NodeRef
	Msg  string
	// Template is the template error behind this one, if any.
	Template *template.Error
}

// Error formats the error as file:line:col: message.
func (e *Error) Error() string {
	if e.Pos.File == "" {
		return e.Msg
	}
	return e.Pos.String() + ": " + e.Msg
}

// rendered is one node's SQL after its template ran, with its references.
type rendered struct {
	ref  NodeRef
	pipe *datafiles.Pipe
	node *datafiles.Node
	sql  string // trimmed rendered SQL
	base int    // offset of sql in the full rendered text
	res  *template.Result
	refs []resolvedRef
}

type resolvedRef struct {
	sqlRef
	target NodeRef // zero: a data source or unresolved name
	inline bool    // target is set
}

// compiler holds the state of one Compile call.
type compiler struct {
	p     *datafiles.Project
	opts  Options
	memo  map[NodeRef]*rendered
	stack []NodeRef
	out   strings.Builder
	res   *Result
	seen  map[NodeRef]bool
	dss   map[string]bool
}

// Compile compiles node of pipe (the pipe's Output node when node is empty)
// into one SELECT. Errors are *Error values with datafile positions.
func Compile(p *datafiles.Project, pipe, node string, opts Options) (*Result, error) {
	start, err := resolveNode(p, pipe, node)
	if err != nil {
		return nil, err
	}
	c := &compiler{
		p: p, opts: opts,
		memo: map[NodeRef]*rendered{},
		res:  &Result{Node: start, rendered: map[NodeRef]*rendered{}, project: p},
		seen: map[NodeRef]bool{},
		dss:  map[string]bool{},
	}
	c.out.Grow(4096)
	if err := c.emit(start); err != nil {
		return nil, err
	}
	c.res.SQL = c.out.String()
	c.res.rendered = c.memo
	if r := c.memo[start]; r != nil && r.res != nil {
		c.res.MaxThreads, c.res.CacheTTL = r.res.MaxThreads, r.res.CacheTTL
		c.res.BackendHint, c.res.Activated = r.res.BackendHint, r.res.Activated
	}
	for ds := range c.dss {
		c.res.Datasources = append(c.res.Datasources, ds)
	}
	sort.Strings(c.res.Datasources)
	return c.res, nil
}

// resolveNode finds pipe.node, defaulting to the pipe's output node.
func resolveNode(p *datafiles.Project, pipe, node string) (NodeRef, error) {
	pp, ok := p.Pipes[pipe]
	if !ok {
		return NodeRef{}, &Error{Msg: fmt.Sprintf("no pipe named %q", pipe)}
	}
	if node == "" {
		out := pp.Output()
		if out == nil {
			return NodeRef{}, &Error{Pos: pp.Pos, Msg: fmt.Sprintf("pipe %s has no nodes", pipe)}
		}
		return NodeRef{pipe, out.Name}, nil
	}
	if pp.Node(node) == nil {
		names := make([]string, len(pp.Nodes))
		for i, n := range pp.Nodes {
			names[i] = n.Name
		}
		return NodeRef{}, &Error{Pos: pp.Pos, Msg: fmt.Sprintf("pipe %s has no node %q (nodes: %s)", pipe, node, strings.Join(names, ", "))}
	}
	return NodeRef{pipe, node}, nil
}

func (c *compiler) emit(k NodeRef) error {
	r, err := c.render(k)
	if err != nil {
		return err
	}
	if !c.seen[k] {
		c.seen[k] = true
		c.res.Nodes = append(c.res.Nodes, k)
	}
	c.stack = append(c.stack, k)
	defer func() { c.stack = c.stack[:len(c.stack)-1] }()
	last := 0
	for _, ref := range r.refs {
		if !ref.inline {
			continue
		}
		if i := c.onStack(ref.target); i >= 0 {
			chain := make([]string, 0, len(c.stack)-i+1)
			for _, s := range c.stack[i:] {
				chain = append(chain, s.String())
			}
			chain = append(chain, ref.target.String())
			return &Error{Pos: r.pos(ref.Start), Node: k, Msg: "cycle: " + strings.Join(chain, " -> ")}
		}
		c.piece(r, last, ref.Start)
		c.out.WriteString("(\n")
		if err := c.emit(ref.target); err != nil {
			return err
		}
		c.out.WriteString("\n)")
		if !ref.HasAlias && !ref.In { // `x IN (SELECT ...)` takes no alias
			c.out.WriteString(" AS " + sqltext.Ident(ref.Name))
		}
		last = ref.End
	}
	c.piece(r, last, len(r.sql))
	return nil
}

func (c *compiler) onStack(k NodeRef) int {
	for i, s := range c.stack {
		if s == k {
			return i
		}
	}
	return -1
}

// piece copies r.sql[from:to] to the output and records its span.
func (c *compiler) piece(r *rendered, from, to int) {
	if from >= to {
		return
	}
	start := c.out.Len()
	c.out.WriteString(r.sql[from:to])
	c.res.Spans = append(c.res.Spans, Span{Start: start, End: c.out.Len(), Node: r.ref, Rendered: r.base + from})
}

// render renders a node's template (once per compile) and resolves its references.
func (c *compiler) render(k NodeRef) (*rendered, error) {
	if r, ok := c.memo[k]; ok {
		return r, nil
	}
	pipe := c.p.Pipes[k.Pipe]
	node := pipe.Node(k.Node)
	r := &rendered{ref: k, pipe: pipe, node: node}
	full := node.SQL
	if template.IsTemplate(node.SQL) {
		tpl, err := c.opts.Cache.template(node.SQL)
		if err != nil {
			return nil, templateError(node, k, err)
		}
		res, err := tpl.Render(template.RenderOptions{
			Mode: c.opts.Mode, Params: c.opts.Params, Secrets: c.opts.Secrets,
			Vars: c.opts.Vars, Getenv: c.opts.Getenv,
		})
		if err != nil {
			return nil, templateError(node, k, err)
		}
		r.res = res
		full = res.SQL
	}
	r.sql, r.base = trimSQL(full)
	scanned := c.opts.Cache.scan(r.sql)
	r.refs = make([]resolvedRef, 0, len(scanned))
	for _, ref := range scanned {
		rr := resolvedRef{sqlRef: ref}
		if ref.Database == "" && !ref.Func {
			target, ok, err := c.resolve(r, ref)
			if err != nil {
				return nil, err
			}
			rr.target, rr.inline = target, ok
		}
		r.refs = append(r.refs, rr)
	}
	c.memo[k] = r
	return r, nil
}

// resolve says what a table name in node r stands for: another node of the
// pipe, the output node of another pipe, or nothing (a data source or an
// unknown table, which is recorded).
func (c *compiler) resolve(r *rendered, ref sqlRef) (NodeRef, bool, error) {
	name := ref.Name
	if name != r.node.Name && r.pipe.Node(name) != nil {
		return NodeRef{r.ref.Pipe, name}, true, nil
	}
	if _, ok := c.p.Datasources[name]; ok {
		c.dss[name] = true
		return NodeRef{}, false, nil
	}
	if other, ok := c.p.Pipes[name]; ok {
		if name == r.ref.Pipe {
			return NodeRef{}, false, &Error{Pos: r.pos(ref.Start), Node: r.ref, Msg: fmt.Sprintf("node %s reads its own pipe %s", r.ref.Node, name)}
		}
		out := other.Output()
		if out == nil {
			return NodeRef{}, false, &Error{Pos: r.pos(ref.Start), Node: r.ref, Msg: fmt.Sprintf("pipe %s has no nodes to read from", name)}
		}
		return NodeRef{name, out.Name}, true, nil
	}
	if !ref.In {
		c.res.Unresolved = append(c.res.Unresolved, Unresolved{Name: name, Node: r.ref, Pos: r.pos(ref.Start)})
	}
	return NodeRef{}, false, nil
}

// pos maps an offset of the node's trimmed rendered SQL to a datafile position.
func (r *rendered) pos(off int) datafiles.Pos {
	srcOff := r.base + off
	src := r.node.SQL
	if r.res != nil {
		srcOff = r.res.SourceOffset(srcOff)
	}
	if srcOff > len(src) {
		srcOff = len(src)
	}
	line := 1 + strings.Count(src[:srcOff], "\n")
	col := srcOff - strings.LastIndex(src[:srcOff], "\n")
	return r.node.FilePos(line, col)
}

// Locate maps an offset of the compiled SQL to the node it comes from and the
// datafile position, when known.
func (r *Result) Locate(off int) (NodeRef, datafiles.Pos, bool) {
	for _, s := range r.Spans {
		if off >= s.Start && off < s.End || off == s.End && s.End == len(r.SQL) {
			rn := r.rendered[s.Node]
			if rn == nil {
				return s.Node, datafiles.Pos{}, true
			}
			return s.Node, rn.pos(s.Rendered - rn.base + off - s.Start), true
		}
	}
	return NodeRef{}, datafiles.Pos{}, false
}

func templateError(node *datafiles.Node, k NodeRef, err error) error {
	te, ok := template.AsError(err)
	if !ok {
		return &Error{Pos: node.SQLPos, Node: k, Msg: err.Error()}
	}
	return &Error{Pos: node.FilePos(te.Line, te.Col), Node: k, Msg: te.Msg, Template: te}
}

// trimSQL trims whitespace and trailing semicolons; it returns the trimmed
// text and its offset in s.
func trimSQL(s string) (string, int) {
	start := len(s) - len(strings.TrimLeft(s, " \t\r\n"))
	t := strings.TrimRight(s[start:], " \t\r\n;")
	for strings.HasSuffix(t, ";") {
		t = strings.TrimRight(t[:len(t)-1], " \t\r\n")
	}
	return t, start
}
