package template

import (
	"fmt"
	"math"
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
		if r.ctl != nil {
			if v, ok := r.ctl.choose[name]; ok {
				return v
			}
		}
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
		var out Value = &List{Items: vs}
		if e.tuple {
			out = Tuple(vs)
		}
		return out, at(e, checkWeight(out))
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
		return d, at(e, checkWeight(d))
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
		if err == nil {
			err = r.charge(e.off, v)
		}
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
		if err == nil {
			err = r.charge(e.off, v)
		}
		return v, at(e, err)
	case *method:
		c.name = f.name
		v, err := callMethod(f.recv, c)
		if err == nil {
			err = r.charge(e.off, v)
		}
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
