package template

import "errors"

// Placeholder renders that fail.
//
// Validation written in templates ({% if defined(x) and x not in ['a', 'b']
// %}{{ error(...) }}{% end %}) makes a plain placeholder render fail although
// the node is fine. When it does, the render is tried again with every
// parameter that the template compares with literals set to the first such
// literal (x = 'a' above), which satisfies the usual checks.

// chosenValues returns, for each parameter the template compares with a
// literal (x in [...], x not in (...), x == lit, lit != x, also through a
// typed call such as String(x) in [...]), the first literal, in source order.
func (t *Template) chosenValues() map[string]Value {
	t.chooseOnce.Do(func() {
		locals := t.locals()
		out := map[string]Value{}
		walkStmts(t.body, func(s stmt) {
			for _, e := range stmtExprs(s) {
				walkExpr(e, func(e expr) {
					c, ok := e.(*compareExpr)
					if !ok || len(c.ops) != 1 {
						return
					}
					left, right := c.first, c.operands[0]
					switch c.ops[0] {
					case "in", "not in":
						chooseFrom(out, locals, left, right, true)
					case "==", "!=":
						chooseFrom(out, locals, left, right, false)
						chooseFrom(out, locals, right, left, false)
					}
				})
			}
		})
		t.chosen = out
	})
	return t.chosen
}

// chooseFrom records the literal of operand lit (its first item when list is
// true) for the parameter named by operand name.
func chooseFrom(out map[string]Value, locals map[string]bool, name, lit expr, list bool) {
	param := comparedParam(name)
	if param == "" || locals[param] {
		return
	}
	if _, done := out[param]; done {
		return
	}
	v, ok := constEval(lit)
	if !ok {
		return
	}
	if list {
		its, ok := items(v)
		if _, isStr := v.(string); !ok || isStr || len(its) == 0 {
			return
		}
		v = its[0]
	}
	switch v.(type) {
	case string, int64, float64, bool:
		out[param] = v
	}
}

// comparedParam is the parameter an operand reads: x, or x of String(x, ...).
func comparedParam(e expr) string {
	switch e := e.(type) {
	case *nameExpr:
		if !IsFunction(e.name) {
			return e.name
		}
	case *callExpr:
		if fn, ok := e.fn.(*nameExpr); ok && IsParamType(fn.name) && len(e.args) > 0 {
			if n, ok := e.args[0].(*nameExpr); ok {
				return n.name
			}
		}
	}
	return ""
}

// locals are the names the template assigns ({% set %}, {% for %}).
func (t *Template) locals() map[string]bool {
	locals := map[string]bool{}
	walkStmts(t.body, func(s stmt) {
		switch s := s.(type) {
		case *setStmt:
			for _, n := range s.targets {
				locals[n] = true
			}
		case *forStmt:
			for _, n := range s.targets {
				locals[n] = true
			}
		}
	})
	return locals
}

// walkExpr calls f on e and every expression inside it.
func walkExpr(e expr, f func(expr)) {
	if e == nil {
		return
	}
	f(e)
	if c, ok := e.(*callExpr); ok {
		walkExpr(c.fn, f)
		for _, a := range c.args {
			walkExpr(a, f)
		}
		for _, kw := range c.kwargs {
			walkExpr(kw.value, f)
		}
		return
	}
	for _, sub := range subExprs(e) {
		walkExpr(sub, f)
	}
}

// retryable reports whether a failed placeholder render may succeed with
// chosen values: any error but the limits (output, iterations, allocations).
func retryable(err error) bool {
	var pe *posError
	return !(errors.As(err, &pe) && pe.fatal)
}
