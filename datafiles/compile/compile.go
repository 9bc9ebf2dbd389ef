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
	// template.Mode); the zero value renders with defaults. A node whose
	// template fails in Defaults or Placeholders mode (an error() call, a
	// parameter a check requires) is rendered in the other modes, so that
	// checking, lineage and deploying see its SQL; Result.Fallbacks lists
	// those nodes. Given mode, a request, never falls back.
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
	// Fallbacks lists the nodes whose template failed in the mode asked
	// and rendered in another one (see Options.Mode).
	Fallbacks []Fallback `json:"fallbacks,omitempty"`
	// MissingSecrets and MissingVars name the tb_secret() and tb_var()
	// values the nodes read that were not set: they printed a placeholder
	// (only a Given render, a real request, fails on them).
	MissingSecrets []string `json:"missing_secrets,omitempty"`
	MissingVars    []string `json:"missing_vars,omitempty"`

	rendered map[NodeRef]*rendered
	project  *datafiles.Project
}

// Fallback says that a node's template failed in the mode asked (Err) and
// rendered in Mode instead.
type Fallback struct {
	Node NodeRef       `json:"node"`
	Mode template.Mode `json:"mode"`
	Err  string        `json:"error"`
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
	// fallback is set when the template rendered in another mode than asked.
	fallback *Fallback
}

type resolvedRef struct {
	sqlRef
	target NodeRef // zero: a data source or unresolved name
	inline bool    // target is set
	// rename is the table name to write instead of the one written: the
	// deployed name of a Classic VERSION n data source (name__vN).
	rename string
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
	c.out.Grow(outputSize(p, start))
	if err := c.emit(start); err != nil {
		return nil, err
	}
	c.res.SQL = c.out.String()
	c.res.rendered = c.memo
	if r := c.memo[start]; r != nil && r.res != nil {
		c.res.MaxThreads, c.res.CacheTTL = r.res.MaxThreads, r.res.CacheTTL
		c.res.BackendHint, c.res.Activated = r.res.BackendHint, r.res.Activated
	}
	for _, k := range c.res.Nodes {
		r := c.memo[k]
		if r.fallback != nil {
			c.res.Fallbacks = append(c.res.Fallbacks, *r.fallback)
		}
		if r.res != nil {
			c.res.MissingSecrets = appendNew(c.res.MissingSecrets, r.res.MissingSecrets...)
			c.res.MissingVars = appendNew(c.res.MissingVars, r.res.MissingVars...)
		}
	}
	for ds := range c.dss {
		c.res.Datasources = append(c.res.Datasources, ds)
	}
	sort.Strings(c.res.Datasources)
	return c.res, nil
}

// outputSize guesses the size of a compiled node: its pipe's SQL, which it
// inlines at most once per node, plus room for the subquery wrappers.
func outputSize(p *datafiles.Project, k NodeRef) int {
	n := 64
	for _, node := range p.Pipes[k.Pipe].Nodes {
		n += len(node.SQL) + 16
		if node.Name == k.Node {
			break
		}
	}
	return n
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
		if ref.rename != "" {
			c.piece(r, last, ref.Start)
			c.out.WriteString(sqltext.Ident(ref.rename))
			last = ref.End
			continue
		}
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
		res, fb, err := c.opts.Cache.render(node.SQL, c.opts)
		if err != nil {
			return nil, templateError(node, k, err)
		}
		if fb != nil {
			fb.Node = k
			r.fallback = fb
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
			target, ok, err := c.resolve(r, &rr)
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

// fallbackModes are the render modes tried, in order, for a compile in a
// mode: a request (Given) renders as asked or fails; checking, lineage and
// deploying see the SQL of any render that works.
func fallbackModes(m template.Mode) []template.Mode {
	switch m {
	case template.Placeholders:
		return []template.Mode{template.Placeholders, template.Defaults, template.Given}
	case template.Defaults:
		return []template.Mode{template.Defaults, template.Placeholders, template.Given}
	}
	return []template.Mode{m}
}

// renderTemplate renders tpl in the options' mode, falling back to the
// other modes (fallbackModes) when it fails; the error is that of the mode
// asked, when no mode renders.
func renderTemplate(tpl *template.Template, opts Options) (*template.Result, *Fallback, error) {
	var first error
	for i, mode := range fallbackModes(opts.Mode) {
		res, err := tpl.Render(template.RenderOptions{
			Mode: mode, Params: opts.Params, Secrets: opts.Secrets,
			Vars: opts.Vars, Getenv: opts.Getenv,
		})
		if err == nil {
			if i == 0 {
				return res, nil, nil
			}
			return res, &Fallback{Mode: mode, Err: first.Error()}, nil
		}
		if first == nil {
			first = err
		}
	}
	return nil, nil, first
}

// resolve says what a table name in node r stands for: another node of the
// pipe, the output node of another pipe, a data source (by its name, its
// Classic name__vN or its quarantine table NAME_quarantine) or nothing (an
// unknown table, which is recorded). A data source read by another name
// than the deployed one gets ref.rename.
func (c *compiler) resolve(r *rendered, ref *resolvedRef) (NodeRef, bool, error) {
	name := ref.Name
	if name == template.PlaceholderIdent {
		return NodeRef{}, false, nil // table(x) with no value in placeholder mode
	}
	if name != r.node.Name && r.pipe.Node(name) != nil {
		return NodeRef{r.ref.Pipe, name}, true, nil
	}
	if ds := c.p.LookupDatasource(name); ds != nil {
		c.dss[ds.Name] = true
		if dn := ds.DeployedName(); dn != name {
			ref.rename = dn
		}
		return NodeRef{}, false, nil
	}
	if other := c.p.LookupPipe(name); other != nil {
		if other.Name == r.ref.Pipe {
			return NodeRef{}, false, &Error{Pos: r.pos(ref.Start), Node: r.ref, Msg: fmt.Sprintf("node %s reads its own pipe %s", r.ref.Node, name)}
		}
		out := other.Output()
		if out == nil {
			return NodeRef{}, false, &Error{Pos: r.pos(ref.Start), Node: r.ref, Msg: fmt.Sprintf("pipe %s has no nodes to read from", name)}
		}
		return NodeRef{other.Name, out.Name}, true, nil
	}
	if ds := c.p.QuarantineOf(name); ds != nil {
		if dn := ds.DeployedName() + datafiles.QuarantineSuffix; dn != name {
			ref.rename = dn
		}
		return NodeRef{}, false, nil
	}
	if !ref.In {
		c.res.Unresolved = append(c.res.Unresolved, Unresolved{Name: name, Node: r.ref, Pos: r.pos(ref.Start)})
	}
	return NodeRef{}, false, nil
}

// appendNew appends the strings of add not in list yet.
func appendNew(list []string, add ...string) []string {
	for _, s := range add {
		found := false
		for _, x := range list {
			if x == s {
				found = true
				break
			}
		}
		if !found {
			list = append(list, s)
		}
	}
	return list
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
