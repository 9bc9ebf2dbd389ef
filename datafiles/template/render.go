package template

import (
	"errors"
	"sort"
	"strings"
)

// Mode says how parameters that were not given are rendered. The zero value
// is Defaults, what deploying, drift and lineage want; a request-time render
// (preview, perch compile --param) asks for Given.
type Mode int

const (
	// Defaults renders as if every parameter with a default had been given
	// it; a parameter with neither value nor default prints a typed placeholder.
	Defaults Mode = iota
	// Given renders with the given parameters only, as an API request would:
	// a missing parameter takes its default, defined() is false for it, and
	// one with no default is an error where it is used.
	Given
	// Placeholders renders every branch that tests a parameter as if it were
	// given (defined() is true): missing parameters take their default, else
	// a typed placeholder, so that any node renders to parseable SQL.
	Placeholders
)

// String returns given, defaults or placeholders.
func (m Mode) String() string {
	switch m {
	case Given:
		return "given"
	case Placeholders:
		return "placeholders"
	}
	return "defaults"
}

// Default limits of a render.
const (
	DefaultMaxIterations = 10000
	DefaultMaxOutput     = 4 << 20
)

// RenderOptions are the inputs of a render.
type RenderOptions struct {
	Mode Mode
	// Params are the request parameters, as text (a URL query would give).
	Params map[string]string
	// Secrets answer tb_secret(name); Vars answer tb_var(name). Getenv, when
	// set, is asked for names missing from those maps.
	Secrets map[string]string
	Vars    map[string]string
	Getenv  func(string) string
	// MaxIterations bounds the loop iterations of one render (0: default).
	MaxIterations int
	// MaxOutput bounds the size of the rendered SQL in bytes (0: default).
	MaxOutput int
}

// Span maps Len bytes of rendered SQL at Out to the template source at Src.
type Span struct {
	Out, Src, Len int
}

// Result is a rendered template.
type Result struct {
	SQL string
	// Spans map the literal text of the output back to the source.
	Spans []Span
	// Settings recorded by max_threads(), cache_ttl(), backend_hint() and
	// activate(); they print nothing.
	MaxThreads  int
	CacheTTL    string
	BackendHint string
	Activated   []string
	// MissingSecrets and MissingVars name the tb_secret() and tb_var()
	// values that were not set and had no default: outside Given mode they
	// print the placeholder 'placeholder' (Given mode, a real request,
	// fails instead).
	MissingSecrets []string
	MissingVars    []string
}

// SourceOffset maps an offset of the rendered SQL to an offset of the template
// source: exact inside literal text, else the start of the nearest text before.
func (r *Result) SourceOffset(out int) int {
	i := sort.Search(len(r.Spans), func(i int) bool { return r.Spans[i].Out > out }) - 1
	if i < 0 {
		return 0
	}
	s := r.Spans[i]
	d := out - s.Out
	if d > s.Len {
		d = s.Len
	}
	return s.Src + d
}

// renderer holds the state of one render.
type renderer struct {
	t          *Template
	opts       RenderOptions
	params     map[string]Value
	vars       map[string]Value
	buf        strings.Builder
	res        *Result
	iterations int
	allocated  int64 // bytes of strings and lists built, bounded by maxAlloc
	// placeholders holds the boxed placeholder of each name, made once.
	placeholders map[string]Value
	ctl          *control // nil for an ordinary render
}

type ctrl int

const (
	ctrlNone ctrl = iota
	ctrlBreak
	ctrlContinue
)

// Render renders the template. Errors are *Error values with the line and
// column in the template source; error()/custom_error() calls give an *Error
// with User set. In Placeholders mode a render that fails is tried once more
// with the parameters the template compares with literals set to the first
// such literal (see chosenValues), so that validation written in the template
// does not fail a node that is fine.
func (t *Template) Render(opts RenderOptions) (*Result, error) {
	res, err := t.render(opts, nil)
	if err != nil && opts.Mode == Placeholders && retryable(err) {
		if chosen := t.chosenValues(); len(chosen) > 0 {
			if again, err2 := t.render(opts, &control{choose: chosen}); err2 == nil {
				return again, nil
			}
		}
	}
	if err != nil {
		return nil, t.wrap(err)
	}
	return res, nil
}

// control steers a render beyond its options: values chosen for parameters
// (placeholder retries) and the branches forced by coverage renders.
type control struct {
	choose map[string]Value
	// force maps the offset of an {% if %} to the branch to take.
	force map[int]int
	// loops runs the body of a loop over nothing once, with placeholders.
	loops bool
	// visited records the branches and loop bodies that ran.
	visited map[branch]bool
}

// render runs one render; errors are left as *posError.
func (t *Template) render(opts RenderOptions, ctl *control) (*Result, error) {
	if opts.MaxIterations <= 0 {
		opts.MaxIterations = DefaultMaxIterations
	}
	if opts.MaxOutput <= 0 {
		opts.MaxOutput = DefaultMaxOutput
	}
	r := &renderer{t: t, opts: opts, params: make(map[string]Value, len(opts.Params)), vars: map[string]Value{},
		res: &Result{Spans: make([]Span, 0, t.texts)}, ctl: ctl}
	r.buf.Grow(len(t.src))
	if opts.Mode == Defaults {
		for _, p := range t.Params() {
			if p.Default != nil {
				r.params[p.Name] = p.Default
			}
		}
	}
	for k, v := range opts.Params {
		r.params[k] = v
	}
	if _, err := r.exec(t.body); err != nil {
		return nil, err
	}
	r.res.SQL = r.buf.String()
	return r.res, nil
}

func (r *renderer) write(src int, s string) error {
	if src >= 0 {
		r.res.Spans = append(r.res.Spans, Span{Out: r.buf.Len(), Src: src, Len: len(s)})
	}
	r.buf.WriteString(s)
	if r.buf.Len() > r.opts.MaxOutput {
		e := errAt(src, "rendered SQL is larger than %d bytes", r.opts.MaxOutput)
		e.fatal = true
		return e
	}
	return nil
}

func (r *renderer) tick(off int) error {
	r.iterations++
	if r.iterations > r.opts.MaxIterations {
		e := errAt(off, "loop ran more than %d iterations", r.opts.MaxIterations)
		e.fatal = true
		return e
	}
	return nil
}

func (r *renderer) exec(body []stmt) (ctrl, error) {
	for _, s := range body {
		c, err := r.execOne(s)
		if err != nil || c != ctrlNone {
			return c, err
		}
	}
	return ctrlNone, nil
}

func (r *renderer) execOne(s stmt) (ctrl, error) {
	switch s := s.(type) {
	case *textStmt:
		return ctrlNone, r.write(s.off, s.text)
	case *outputStmt:
		v, err := r.eval(s.expr)
		if err != nil {
			return ctrlNone, err
		}
		if v == nil {
			if name := paramOf(s.expr); name != "" {
				return ctrlNone, errAt(s.expr.exprPos(), "parameter %s is not given and has no default", name)
			}
		}
		text, err := sqlText(v)
		if err != nil {
			return ctrlNone, errAt(s.expr.exprPos(), "%s", err.Error())
		}
		return ctrlNone, r.write(-1, text)
	case *ifStmt:
		if i, ok := r.forced(s); ok {
			r.visit(s.off, i)
			return r.exec(s.branches[i].body)
		}
		for i, b := range s.branches {
			if b.cond != nil {
				v, err := r.eval(b.cond)
				if err != nil {
					return ctrlNone, err
				}
				if !truthy(v) {
					continue
				}
			}
			r.visit(s.off, i)
			return r.exec(b.body)
		}
		return ctrlNone, nil
	case *forStmt:
		return r.execFor(s)
	case *whileStmt:
		return r.execWhile(s)
	case *setStmt:
		v, err := r.eval(s.value)
		if err != nil {
			return ctrlNone, err
		}
		return ctrlNone, r.assign(s.off, s.targets, v)
	case *tryStmt:
		return r.execTry(s)
	case *breakStmt:
		return ctrlBreak, nil
	case *continueStmt:
		return ctrlContinue, nil
	}
	return ctrlNone, nil
}

func (r *renderer) assign(off int, targets []string, v Value) error {
	if len(targets) == 1 {
		r.vars[targets[0]] = v
		return nil
	}
	its, ok := items(v)
	if !ok {
		return errAt(off, "cannot unpack a %s into %d names", typeName(v), len(targets))
	}
	if len(its) != len(targets) {
		return errAt(off, "cannot unpack %d values into %d names", len(its), len(targets))
	}
	for i, name := range targets {
		r.vars[name] = its[i]
	}
	return nil
}

func (r *renderer) execFor(s *forStmt) (ctrl, error) {
	v, err := r.eval(s.iter)
	if err != nil {
		return ctrlNone, err
	}
	its, ok := items(v)
	if !ok {
		return ctrlNone, errAt(s.iter.exprPos(), "cannot loop over a %s", typeName(v))
	}
	its = append([]Value(nil), its...)
	if len(its) == 0 && r.forceLoops() {
		its = []Value{r.loopPlaceholder(s.targets)}
	}
	for _, it := range its {
		r.visit(s.off, 0)
		if err := r.tick(s.off); err != nil {
			return ctrlNone, err
		}
		if err := r.assign(s.off, s.targets, it); err != nil {
			return ctrlNone, err
		}
		c, err := r.exec(s.body)
		if err != nil {
			return ctrlNone, err
		}
		if c == ctrlBreak {
			return ctrlNone, nil
		}
	}
	_, err = r.exec(s.orElse)
	return ctrlNone, err
}

func (r *renderer) execWhile(s *whileStmt) (ctrl, error) {
	first := true
	for {
		if err := r.tick(s.off); err != nil {
			return ctrlNone, err
		}
		v, err := r.eval(s.cond)
		if err != nil {
			return ctrlNone, err
		}
		if !truthy(v) && !(first && r.forceLoops()) {
			break
		}
		first = false
		r.visit(s.off, 0)
		c, err := r.exec(s.body)
		if !truthy(v) {
			if err != nil {
				return ctrlNone, err
			}
			break // a forced single run
		}
		if err != nil {
			return ctrlNone, err
		}
		if c == ctrlBreak {
			return ctrlNone, nil
		}
	}
	_, err := r.exec(s.orElse)
	return ctrlNone, err
}

// loopPlaceholder is the item of a forced loop run: a placeholder per target.
func (r *renderer) loopPlaceholder(targets []string) Value {
	if len(targets) == 1 {
		return placeholder{name: targets[0]}
	}
	t := make(Tuple, len(targets))
	for i, n := range targets {
		t[i] = placeholder{name: n}
	}
	return t
}

func (r *renderer) execTry(s *tryStmt) (ctrl, error) {
	mark, spans := r.buf.Len(), len(r.res.Spans)
	c, err := r.exec(s.body)
	var pe *posError
	if err != nil && s.hasExcept && !(errors.As(err, &pe) && pe.fatal) {
		// Drop the failed body's output, then run the handler.
		out := r.buf.String()[:mark]
		r.buf.Reset()
		r.buf.WriteString(out)
		r.res.Spans = r.res.Spans[:spans]
		c, err = r.exec(s.except)
	} else if err == nil && c == ctrlNone {
		c, err = r.exec(s.orElse)
	}
	if len(s.finally) > 0 {
		fc, ferr := r.exec(s.finally)
		if ferr != nil {
			return ctrlNone, ferr
		}
		if fc != ctrlNone {
			c = fc
		}
	}
	return c, err
}

// paramOf returns the parameter an expression prints: x for `x` or `Int32(x)`.
func paramOf(e expr) string {
	switch e := e.(type) {
	case *nameExpr:
		return e.name
	case *callExpr:
		if len(e.args) > 0 {
			if n, ok := e.args[0].(*nameExpr); ok {
				return n.name
			}
		}
	}
	return ""
}

// maxAlloc bounds the bytes of strings and lists one render may build, so
// that a loop building large values cannot run for long.
const maxAlloc = 1 << 26

// charge counts a value built by an operation against maxAlloc.
func (r *renderer) charge(off int, v Value) error {
	switch x := v.(type) {
	case string:
		r.allocated += int64(len(x))
	case *List:
		r.allocated += int64(len(x.Items)) * 16
	case Tuple:
		r.allocated += int64(len(x)) * 16
	default:
		return nil
	}
	if r.allocated > maxAlloc {
		e := errAt(off, "template built more than %d MiB of values", maxAlloc>>20)
		e.fatal = true
		return e
	}
	return nil
}
