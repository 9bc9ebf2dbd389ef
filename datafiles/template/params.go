package template

import (
	"sort"
)

// Param is a parameter a template reads, found by reading the template (not
// by rendering it): typed calls such as Int32(limit, 10, description="...")
// give its type and metadata; a bare name or defined(x) gives an untyped one.
type Param struct {
	Name string `json:"name"`
	// Type is the typed-parameter function (String, Int32, DateTime, ...),
	// Array(Type) for arrays, or "" when the template never types it.
	Type string `json:"type,omitempty"`
	// Default is the literal default (nil when none); DefaultSQL is how it
	// prints.
	Default     Value    `json:"default,omitempty"`
	DefaultSQL  string   `json:"default_sql,omitempty"`
	Required    bool     `json:"required,omitempty"`
	Description string   `json:"description,omitempty"`
	Enum        []string `json:"enum,omitempty"`
	Example     string   `json:"example,omitempty"`
	Format      string   `json:"format,omitempty"`
	// Line and Col are where the template first mentions the parameter.
	Line int `json:"line"`
	Col  int `json:"col"`
	off  int
}

// nameArgFuncs take a parameter name as their first argument(s).
var nameArgFuncs = map[string]int{
	"defined": 1, "column": 1, "columns": 1, "symbol": 1, "table": 1, "TABLE": 1,
	"split_to_array": 1, "sql_unescape": 1, "enumerate_with_last": 1,
	"day_diff": 2, "date_diff_in_seconds": 2, "date_diff_in_minutes": 2,
	"date_diff_in_hours": 2, "date_diff_in_days": 2,
}

// Params lists the parameters the template reads, in order of first mention.
func (t *Template) Params() []Param {
	t.paramsOnce.Do(func() { t.params = t.collectParams() })
	return append([]Param(nil), t.params...)
}

func (t *Template) collectParams() []Param {
	locals := t.locals()
	c := &paramCollector{locals: locals, byName: map[string]*Param{}}
	walkStmts(t.body, func(s stmt) {
		for _, e := range stmtExprs(s) {
			c.expr(e)
		}
	})
	out := make([]Param, 0, len(c.byName))
	for _, p := range c.byName {
		p.Line, p.Col = t.position(p.off)
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].off < out[j].off })
	return out
}

type paramCollector struct {
	locals map[string]bool
	byName map[string]*Param
}

func (c *paramCollector) get(name string, off int) *Param {
	p, ok := c.byName[name]
	if !ok {
		p = &Param{Name: name, off: off}
		c.byName[name] = p
	}
	if off < p.off {
		p.off = off
	}
	return p
}

func (c *paramCollector) expr(e expr) {
	switch e := e.(type) {
	case *nameExpr:
		if !c.locals[e.name] && !IsFunction(e.name) {
			c.get(e.name, e.off)
		}
	case *callExpr:
		fn, isName := e.fn.(*nameExpr)
		if !isName || c.locals[fn.name] {
			c.expr(e.fn)
		}
		if isName && !c.locals[fn.name] && len(e.args) > 0 {
			if arg0, ok := e.args[0].(*nameExpr); ok && !c.locals[arg0.name] {
				if IsParamType(fn.name) || fn.name == "Array" {
					c.typed(fn.name, arg0, e)
				}
			}
		}
		for _, a := range e.args {
			c.expr(a)
		}
		for _, kw := range e.kwargs {
			c.expr(kw.value)
		}
	default:
		for _, sub := range subExprs(e) {
			c.expr(sub)
		}
	}
}

func (c *paramCollector) typed(fn string, name *nameExpr, call *callExpr) {
	p := c.get(name.name, name.off)
	kw := func(k string) expr {
		for _, a := range call.kwargs {
			if a.name == k {
				return a.value
			}
		}
		return nil
	}
	pos := func(i int, k string) expr {
		if i < len(call.args) {
			return call.args[i]
		}
		return kw(k)
	}
	typ := fn
	defIdx := 1
	if fn == "Array" {
		itemType := "String"
		if v, ok := constEval(pos(1, "type")); ok {
			if s, ok := v.(string); ok && IsParamType(s) && s != "JSON" {
				itemType = s // an unknown item type means unvalidated strings
			}
		}
		typ = "Array(" + itemType + ")"
		defIdx = 2
	}
	if p.Type == "" {
		p.Type = typ
	}
	if p.Default == nil {
		if v, ok := constEval(pos(defIdx, "default")); ok && v != nil {
			p.Default = v
			if s, err := sqlText(v); err == nil {
				p.DefaultSQL = s
			}
		}
	}
	if v, ok := constEval(kw("required")); ok && truthy(v) {
		p.Required = true
	}
	setText := func(dst *string, k string) {
		if *dst != "" {
			return
		}
		if v, ok := constEval(kw(k)); ok && v != nil {
			*dst = str(v)
		}
	}
	setText(&p.Description, "description")
	setText(&p.Example, "example")
	setText(&p.Format, "format")
	if p.Enum == nil {
		if v, ok := constEval(kw("enum")); ok {
			if its, ok := items(v); ok {
				for _, it := range its {
					p.Enum = append(p.Enum, str(it))
				}
			}
		}
	}
}

// constEval evaluates a literal expression (numbers, strings, lists, -n).
func constEval(e expr) (Value, bool) {
	switch e := e.(type) {
	case *constExpr:
		return e.val, true
	case *listExpr:
		vs := make([]Value, len(e.items))
		for i, it := range e.items {
			v, ok := constEval(it)
			if !ok {
				return nil, false
			}
			vs[i] = v
		}
		if e.tuple {
			return Tuple(vs), true
		}
		return &List{Items: vs}, true
	case *unaryExpr:
		v, ok := constEval(e.x)
		if !ok || e.op == "not" {
			return nil, false
		}
		switch n := v.(type) {
		case int64:
			if e.op == "-" {
				return -n, true
			}
			return n, true
		case float64:
			if e.op == "-" {
				return -n, true
			}
			return n, true
		}
	}
	return nil, false
}

func walkStmts(body []stmt, f func(stmt)) {
	for _, s := range body {
		f(s)
		switch s := s.(type) {
		case *ifStmt:
			for _, b := range s.branches {
				walkStmts(b.body, f)
			}
		case *forStmt:
			walkStmts(s.body, f)
			walkStmts(s.orElse, f)
		case *whileStmt:
			walkStmts(s.body, f)
			walkStmts(s.orElse, f)
		case *tryStmt:
			walkStmts(s.body, f)
			walkStmts(s.except, f)
			walkStmts(s.orElse, f)
			walkStmts(s.finally, f)
		}
	}
}

func stmtExprs(s stmt) []expr {
	switch s := s.(type) {
	case *outputStmt:
		return []expr{s.expr}
	case *ifStmt:
		var out []expr
		for _, b := range s.branches {
			if b.cond != nil {
				out = append(out, b.cond)
			}
		}
		return out
	case *forStmt:
		return []expr{s.iter}
	case *whileStmt:
		return []expr{s.cond}
	case *setStmt:
		return []expr{s.value}
	}
	return nil
}

func subExprs(e expr) []expr {
	switch e := e.(type) {
	case *listExpr:
		return e.items
	case *dictExpr:
		return append(append([]expr{}, e.keys...), e.values...)
	case *attrExpr:
		return []expr{e.obj}
	case *indexExpr:
		return []expr{e.obj, e.index}
	case *sliceExpr:
		var out []expr
		for _, x := range []expr{e.obj, e.start, e.stop, e.step} {
			if x != nil {
				out = append(out, x)
			}
		}
		return out
	case *unaryExpr:
		return []expr{e.x}
	case *binaryExpr:
		return []expr{e.l, e.r}
	case *compareExpr:
		return append([]expr{e.first}, e.operands...)
	case *condExpr:
		return []expr{e.cond, e.yes, e.no}
	}
	return nil
}
