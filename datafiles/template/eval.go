package template

import (
	"fmt"
	"math"
	"strings"
)

// maxSeq bounds strings and lists built by * and range().
const maxSeq = 1 << 20

// callInfo is a call being evaluated: values plus the argument expressions
// (some functions need the parameter name, not only its value).
type callInfo struct {
	off      int
	name     string
	args     []Value
	argExprs []expr
	kwargs   []kwValue
	// inline storage for the usual few arguments
	argBuf [4]Value
	kwBuf  [4]kwValue
}

type kwValue struct {
	name  string
	value Value
}

func (c *callInfo) kw(name string) (Value, bool) {
	for _, k := range c.kwargs {
		if k.name == name {
			return k.value, true
		}
	}
	return nil, false
}

// arg returns positional argument i, else keyword name, else nil.
func (c *callInfo) arg(i int, name string) Value {
	if i >= 0 && i < len(c.args) {
		return c.args[i]
	}
	v, _ := c.kw(name)
	return v
}

// paramName is the parameter name of argument 0 when it is a bare name.
func (c *callInfo) paramName() string {
	if len(c.argExprs) > 0 {
		if n, ok := c.argExprs[0].(*nameExpr); ok {
			return n.name
		}
	}
	return ""
}

func (c *callInfo) errorf(format string, args ...any) error {
	return errAt(c.off, "%s(): %s", c.name, fmt.Sprintf(format, args...))
}

func at(e expr, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(*posError); ok {
		return err
	}
	return errAt(e.exprPos(), "%s", err.Error())
}

func (r *renderer) lookup(name string) Value {
	if v, ok := r.vars[name]; ok {
		return v
	}
	if v, ok := r.params[name]; ok {
		return v
	}
	if f, ok := functions[name]; ok {
		return f
	}
	if r.opts.Mode == Placeholders {
		if v, ok := r.placeholders[name]; ok {
			return v
		}
		var v Value = placeholder{name: name}
		if r.placeholders == nil {
			r.placeholders = map[string]Value{}
		}
		r.placeholders[name] = v
		return v
	}
	return nil
}

func (r *renderer) eval(e expr) (Value, error) {
	switch e := e.(type) {
	case *constExpr:
		return e.val, nil
	case *nameExpr:
		return r.lookup(e.name), nil
	case *listExpr:
		vs := make([]Value, len(e.items))
		for i, it := range e.items {
			v, err := r.eval(it)
			if err != nil {
				return nil, err
			}
			vs[i] = v
		}
		if e.tuple {
			return Tuple(vs), nil
		}
		return &List{Items: vs}, nil
	case *dictExpr:
		d := newDict()
		for i := range e.keys {
			k, err := r.eval(e.keys[i])
			if err != nil {
				return nil, err
			}
			ks, ok := textOf(k)
			if !ok {
				return nil, errAt(e.keys[i].exprPos(), "dict keys must be strings, not %s", typeName(k))
			}
			v, err := r.eval(e.values[i])
			if err != nil {
				return nil, err
			}
			d.set(ks, v)
		}
		return d, nil
	case *callExpr:
		return r.evalCall(e)
	case *attrExpr:
		obj, err := r.eval(e.obj)
		if err != nil {
			return nil, err
		}
		if d, ok := obj.(*Dict); ok {
			if v, ok := d.M[e.name]; ok {
				return v, nil
			}
		}
		if !hasMethod(obj, e.name) {
			return nil, errAt(e.off, "a %s has no attribute %s", typeName(obj), e.name)
		}
		return &method{recv: obj, name: e.name}, nil
	case *indexExpr:
		obj, err := r.eval(e.obj)
		if err != nil {
			return nil, err
		}
		idx, err := r.eval(e.index)
		if err != nil {
			return nil, err
		}
		v, err := index(obj, idx)
		return v, at(e, err)
	case *sliceExpr:
		return r.evalSlice(e)
	case *unaryExpr:
		x, err := r.eval(e.x)
		if err != nil {
			return nil, err
		}
		switch e.op {
		case "not":
			return !truthy(x), nil
		case "-":
			switch v := x.(type) {
			case int64:
				if v == math.MinInt64 {
					return nil, errAt(e.off, "integer overflow")
				}
				return -v, nil
			case bool:
				i, _ := asInt(v)
				return -i, nil
			case float64:
				return -v, nil
			case placeholder:
				return int64(0), nil
			}
		case "+":
			switch v := x.(type) {
			case int64, float64:
				return v, nil
			case bool:
				i, _ := asInt(v)
				return i, nil
			case placeholder:
				return int64(0), nil
			}
		}
		return nil, errAt(e.off, "bad operand type for unary %s: %s", e.op, typeName(x))
	case *binaryExpr:
		l, err := r.eval(e.l)
		if err != nil {
			return nil, err
		}
		switch e.op {
		case "and":
			if !truthy(l) {
				return l, nil
			}
			return r.eval(e.r)
		case "or":
			if truthy(l) {
				return l, nil
			}
			return r.eval(e.r)
		}
		rv, err := r.eval(e.r)
		if err != nil {
			return nil, err
		}
		v, err := arith(e.op, l, rv)
		return v, at(e, err)
	case *compareExpr:
		left, err := r.eval(e.first)
		if err != nil {
			return nil, err
		}
		for i, op := range e.ops {
			right, err := r.eval(e.operands[i])
			if err != nil {
				return nil, err
			}
			ok, err := compare(op, left, right)
			if err != nil {
				return nil, at(e, err)
			}
			if !ok {
				return false, nil
			}
			left = right
		}
		return true, nil
	case *condExpr:
		c, err := r.eval(e.cond)
		if err != nil {
			return nil, err
		}
		if truthy(c) {
			return r.eval(e.yes)
		}
		return r.eval(e.no)
	}
	return nil, errAt(e.exprPos(), "unsupported expression")
}

func (r *renderer) evalCall(e *callExpr) (Value, error) {
	var fn Value
	name := ""
	if n, ok := e.fn.(*nameExpr); ok {
		name = n.name
		if _, local := r.vars[name]; !local {
			if f, ok := functions[name]; ok {
				fn = f
			}
		}
	}
	if fn == nil {
		var err error
		if fn, err = r.eval(e.fn); err != nil {
			return nil, err
		}
	}
	c := &callInfo{off: e.off, name: name, argExprs: e.args}
	// defined() looks at names, not values.
	if f, ok := fn.(*function); ok && f.name == "defined" {
		c.name = "defined"
		return r.defined(c)
	}
	if len(e.args) <= len(c.argBuf) {
		c.args = c.argBuf[:len(e.args)]
	} else {
		c.args = make([]Value, len(e.args))
	}
	c.kwargs = c.kwBuf[:0]
	for i, a := range e.args {
		v, err := r.eval(a)
		if err != nil {
			return nil, err
		}
		c.args[i] = v
	}
	for _, kw := range e.kwargs {
		v, err := r.eval(kw.value)
		if err != nil {
			return nil, err
		}
		c.kwargs = append(c.kwargs, kwValue{name: kw.name, value: v})
	}
	switch f := fn.(type) {
	case *function:
		c.name = f.name
		v, err := f.call(r, c)
		return v, at(e, err)
	case *method:
		c.name = f.name
		v, err := callMethod(f.recv, c)
		return v, at(e, err)
	case placeholder, nil:
		return nil, errAt(e.off, "%s is not defined", exprName(e.fn))
	}
	return nil, errAt(e.off, "a %s is not callable", typeName(fn))
}

func exprName(e expr) string {
	if n, ok := e.(*nameExpr); ok {
		return n.name
	}
	return "value"
}

// defined(x): whether the parameter (or variable) x has a value.
func (r *renderer) defined(c *callInfo) (Value, error) {
	if len(c.argExprs) == 0 {
		return nil, c.errorf("needs a parameter name")
	}
	if n, ok := c.argExprs[0].(*nameExpr); ok {
		if v, ok := r.vars[n.name]; ok {
			return v != nil, nil
		}
		if v, ok := r.params[n.name]; ok {
			return v != nil, nil
		}
		return r.opts.Mode == Placeholders, nil
	}
	v, err := r.eval(c.argExprs[0])
	if err != nil {
		return nil, err
	}
	if s, ok := v.(string); ok {
		// defined('name') names the parameter.
		_, given := r.params[s]
		return given || r.opts.Mode == Placeholders, nil
	}
	return v != nil, nil
}

func (r *renderer) evalSlice(e *sliceExpr) (Value, error) {
	obj, err := r.eval(e.obj)
	if err != nil {
		return nil, err
	}
	var bounds [3]*int64
	for i, x := range []expr{e.start, e.stop, e.step} {
		if x == nil {
			continue
		}
		v, err := r.eval(x)
		if err != nil {
			return nil, err
		}
		if v == nil {
			continue
		}
		n, ok := asInt(v)
		if !ok {
			return nil, errAt(x.exprPos(), "slice indices must be integers, not %s", typeName(v))
		}
		bounds[i] = &n
	}
	v, err := slice(obj, bounds[0], bounds[1], bounds[2])
	return v, at(e, err)
}

func normIndex(i int64, n int) (int, bool) {
	if i < 0 {
		i += int64(n)
	}
	if i < 0 || i >= int64(n) {
		return 0, false
	}
	return int(i), true
}

func index(obj, idx Value) (Value, error) {
	switch o := obj.(type) {
	case *Dict:
		k, ok := textOf(idx)
		if !ok {
			return nil, fmt.Errorf("dict keys must be strings")
		}
		v, ok := o.M[k]
		if !ok {
			return nil, fmt.Errorf("key %s not found", repr(k))
		}
		return v, nil
	case placeholder:
		return placeholder{name: o.name}, nil
	}
	i, ok := asInt(idx)
	if !ok {
		return nil, fmt.Errorf("indices must be integers, not %s", typeName(idx))
	}
	if s, ok := textOf(obj); ok {
		rs := []rune(s)
		j, ok := normIndex(i, len(rs))
		if !ok {
			return nil, fmt.Errorf("string index out of range")
		}
		return string(rs[j]), nil
	}
	its, ok := items(obj)
	if !ok {
		return nil, fmt.Errorf("a %s cannot be indexed", typeName(obj))
	}
	j, ok := normIndex(i, len(its))
	if !ok {
		return nil, fmt.Errorf("index %d out of range", i)
	}
	return its[j], nil
}

func slice(obj Value, start, stop, step *int64) (Value, error) {
	var n int
	var rs []rune
	s, isStr := textOf(obj)
	var its []Value
	switch {
	case isStr:
		rs = []rune(s)
		n = len(rs)
	default:
		var ok bool
		if its, ok = items(obj); !ok {
			return nil, fmt.Errorf("a %s cannot be sliced", typeName(obj))
		}
		if _, isDict := obj.(*Dict); isDict {
			return nil, fmt.Errorf("a dict cannot be sliced")
		}
		n = len(its)
	}
	st := int64(1)
	if step != nil {
		st = *step
	}
	if st == 0 {
		return nil, fmt.Errorf("slice step cannot be zero")
	}
	clamp := func(p *int64, def int64) int64 {
		if p == nil {
			return def
		}
		v := *p
		if v < 0 {
			v += int64(n)
			if v < 0 {
				if st < 0 {
					return -1
				}
				return 0
			}
		}
		if v >= int64(n) {
			if st < 0 {
				return int64(n) - 1
			}
			return int64(n)
		}
		return v
	}
	var idx []int
	if st > 0 {
		for i := clamp(start, 0); i < clamp(stop, int64(n)); i += st {
			idx = append(idx, int(i))
		}
	} else {
		for i := clamp(start, int64(n)-1); i > clamp(stop, -1); i += st {
			idx = append(idx, int(i))
		}
	}
	if isStr {
		var b strings.Builder
		for _, i := range idx {
			b.WriteRune(rs[i])
		}
		return b.String(), nil
	}
	out := make([]Value, len(idx))
	for k, i := range idx {
		out[k] = its[i]
	}
	if _, ok := obj.(Tuple); ok {
		return Tuple(out), nil
	}
	return &List{Items: out}, nil
}

func compare(op string, l, r Value) (bool, error) {
	switch op {
	case "==":
		return equal(l, r), nil
	case "!=":
		return !equal(l, r), nil
	case "is":
		return l == nil && r == nil || equal(l, r) && (l == nil) == (r == nil), nil
	case "is not":
		return !(l == nil && r == nil || equal(l, r) && (l == nil) == (r == nil)), nil
	case "in":
		return contains(r, l)
	case "not in":
		ok, err := contains(r, l)
		return !ok, err
	}
	_, lp := l.(placeholder)
	_, rp := r.(placeholder)
	if lp || rp {
		return false, nil
	}
	lt, ok := less(l, r)
	if !ok {
		return false, fmt.Errorf("cannot compare %s %s %s", typeName(l), op, typeName(r))
	}
	switch op {
	case "<":
		return lt, nil
	case ">=":
		return !lt, nil
	}
	gt, _ := less(r, l)
	if op == ">" {
		return gt, nil
	}
	return !gt, nil // <=
}

func arith(op string, l, r Value) (Value, error) {
	if _, ok := l.(placeholder); ok {
		l = int64(0)
		if _, ok := textOf(r); ok {
			l = ""
		}
	}
	if _, ok := r.(placeholder); ok {
		r = int64(0)
		if _, ok := textOf(l); ok {
			r = ""
		}
	}
	if ls, ok := textOf(l); ok {
		switch op {
		case "+":
			if rs, ok := textOf(r); ok {
				if len(ls)+len(rs) > maxSeq {
					return nil, fmt.Errorf("string too long")
				}
				return ls + rs, nil
			}
		case "*":
			if n, ok := asInt(r); ok {
				return repeatString(ls, n)
			}
		case "%":
			return nil, fmt.Errorf("%%-formatting of strings is not supported")
		}
		return nil, fmt.Errorf("unsupported operand types for %s: %s and %s", op, typeName(l), typeName(r))
	}
	if rs, ok := textOf(r); ok && op == "*" {
		if n, ok := asInt(l); ok {
			return repeatString(rs, n)
		}
	}
	if ll, ok := l.(*List); ok {
		if rl, ok := r.(*List); ok && op == "+" {
			if len(ll.Items)+len(rl.Items) > maxSeq {
				return nil, fmt.Errorf("list too long")
			}
			return &List{Items: append(append([]Value{}, ll.Items...), rl.Items...)}, nil
		}
		if n, ok := asInt(r); ok && op == "*" {
			if n < 0 {
				n = 0
			}
			if int64(len(ll.Items))*n > maxSeq {
				return nil, fmt.Errorf("list too long")
			}
			var out []Value
			for i := int64(0); i < n; i++ {
				out = append(out, ll.Items...)
			}
			return &List{Items: out}, nil
		}
	}
	if lt, ok := l.(Tuple); ok {
		if rt, ok := r.(Tuple); ok && op == "+" {
			if len(lt)+len(rt) > maxSeq {
				return nil, fmt.Errorf("tuple too long")
			}
			return append(append(Tuple{}, lt...), rt...), nil
		}
	}
	li, lInt := asInt(l)
	ri, rInt := asInt(r)
	if lInt && rInt {
		return intArith(op, li, ri)
	}
	lf, lok := number(l)
	rf, rok := number(r)
	if !lok || !rok {
		return nil, fmt.Errorf("unsupported operand types for %s: %s and %s", op, typeName(l), typeName(r))
	}
	switch op {
	case "+":
		return lf + rf, nil
	case "-":
		return lf - rf, nil
	case "*":
		return lf * rf, nil
	case "/":
		if rf == 0 {
			return nil, fmt.Errorf("division by zero")
		}
		return lf / rf, nil
	case "//":
		if rf == 0 {
			return nil, fmt.Errorf("division by zero")
		}
		return math.Floor(lf / rf), nil
	case "%":
		if rf == 0 {
			return nil, fmt.Errorf("modulo by zero")
		}
		m := math.Mod(lf, rf)
		if m != 0 && (m < 0) != (rf < 0) {
			m += rf
		}
		return m, nil
	case "**":
		return math.Pow(lf, rf), nil
	}
	return nil, fmt.Errorf("unsupported operator %s", op)
}

func repeatString(s string, n int64) (Value, error) {
	if n <= 0 {
		return "", nil
	}
	if int64(len(s))*n > maxSeq || n > maxSeq {
		return nil, fmt.Errorf("string too long")
	}
	return strings.Repeat(s, int(n)), nil
}

func intArith(op string, a, b int64) (Value, error) {
	overflow := fmt.Errorf("integer overflow")
	switch op {
	case "+":
		c := a + b
		if (c > a) != (b > 0) {
			return nil, overflow
		}
		return c, nil
	case "-":
		c := a - b
		if (c < a) != (b > 0) {
			return nil, overflow
		}
		return c, nil
	case "*":
		if a == 0 || b == 0 {
			return int64(0), nil
		}
		c := a * b
		if c/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
			return nil, overflow
		}
		return c, nil
	case "/":
		if b == 0 {
			return nil, fmt.Errorf("division by zero")
		}
		return float64(a) / float64(b), nil
	case "//", "%":
		if b == 0 {
			return nil, fmt.Errorf("division by zero")
		}
		if a == math.MinInt64 && b == -1 {
			return nil, overflow
		}
		q, m := a/b, a%b
		if m != 0 && (m < 0) != (b < 0) {
			q--
			m += b
		}
		if op == "//" {
			return q, nil
		}
		return m, nil
	case "**":
		if b < 0 {
			return math.Pow(float64(a), float64(b)), nil
		}
		result := int64(1)
		for i := int64(0); i < b; i++ {
			next := result * a
			if a != 0 && next/a != result {
				return nil, overflow
			}
			result = next
			if result == 0 || result == 1 && a == 1 {
				break
			}
			if i > 64 && (a == -1) {
				if b%2 == 0 {
					return int64(1), nil
				}
				return int64(-1), nil
			}
		}
		return result, nil
	}
	return nil, fmt.Errorf("unsupported operator %s", op)
}
