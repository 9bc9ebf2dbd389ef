package template

import (
	"math"
	"strconv"
	"strings"
)

func fnLen(r *renderer, c *callInfo) (Value, error) {
	x := c.arg(0, "x")
	if s, ok := textOf(x); ok {
		return int64(len([]rune(s))), nil
	}
	its, ok := items(x)
	if !ok {
		return nil, c.errorf("a %s has no length", typeName(x))
	}
	return int64(len(its)), nil
}

func fnStr(r *renderer, c *callInfo) (Value, error) {
	if len(c.args) == 0 {
		return "", nil
	}
	return str(c.args[0]), nil
}

func fnInt(r *renderer, c *callInfo) (Value, error) {
	x := c.arg(0, "x")
	switch v := x.(type) {
	case nil:
		return int64(0), nil
	case int64:
		return v, nil
	case bool:
		n, _ := asInt(v)
		return n, nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) >= 9.2e18 {
			return nil, c.errorf("cannot convert %s to int", formatFloat(v))
		}
		return int64(v), nil
	case placeholder:
		return int64(0), nil
	}
	s, ok := textOf(x)
	if !ok {
		return nil, c.errorf("cannot convert a %s to int", typeName(x))
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return nil, c.errorf("invalid literal for int(): %s", repr(s))
	}
	return n, nil
}

func fnFloat(r *renderer, c *callInfo) (Value, error) {
	x := c.arg(0, "x")
	if x == nil {
		return 0.0, nil
	}
	if _, ok := x.(placeholder); ok {
		return 0.0, nil
	}
	v, ok := convertFloat(x)
	if !ok {
		if b, isBool := x.(bool); isBool {
			n, _ := asInt(b)
			return float64(n), nil
		}
		return nil, c.errorf("cannot convert %s to float", repr(x))
	}
	return v, nil
}

// maxRange bounds range() so a template cannot allocate without limit.

func fnRange(r *renderer, c *callInfo) (Value, error) {
	var bounds []int64
	for _, a := range c.args {
		n, ok := asInt(a)
		if !ok {
			return nil, c.errorf("arguments must be integers")
		}
		bounds = append(bounds, n)
	}
	start, stop, step := int64(0), int64(0), int64(1)
	switch len(bounds) {
	case 1:
		stop = bounds[0]
	case 2:
		start, stop = bounds[0], bounds[1]
	case 3:
		start, stop, step = bounds[0], bounds[1], bounds[2]
	default:
		return nil, c.errorf("takes 1 to 3 arguments")
	}
	if step == 0 {
		return nil, c.errorf("step cannot be zero")
	}
	size := int64(0)
	if step > 0 && stop > start {
		size = (stop - start + step - 1) / step
	} else if step < 0 && start > stop {
		size = (start - stop - step - 1) / -step
	}
	if size > maxRange || size < 0 {
		return nil, c.errorf("more than %d items", maxRange)
	}
	out := &List{Items: make([]Value, 0, size)}
	for i := start; step > 0 && i < stop || step < 0 && i > stop; i += step {
		if len(out.Items) >= maxRange {
			return nil, c.errorf("more than %d items", maxRange)
		}
		out.Items = append(out.Items, i)
		if step > 0 && i > math.MaxInt64-step || step < 0 && i < math.MinInt64-step {
			break
		}
	}
	return out, nil
}

func fnEnumerate(r *renderer, c *callInfo) (Value, error) {
	its, ok := items(c.arg(0, "x"))
	if !ok {
		return nil, c.errorf("needs an iterable")
	}
	start, _ := asInt(c.arg(1, "start"))
	out := make([]Value, len(its))
	for i, it := range its {
		out[i] = Tuple{start + int64(i), it}
	}
	return &List{Items: out}, nil
}

func fnMinMax(r *renderer, c *callInfo) (Value, error) {
	vals := c.args
	if len(vals) == 1 {
		its, ok := items(vals[0])
		if !ok {
			return nil, c.errorf("needs an iterable or several values")
		}
		vals = its
	}
	if len(vals) == 0 {
		return nil, c.errorf("empty sequence")
	}
	best := vals[0]
	for _, v := range vals[1:] {
		lt, ok := less(v, best)
		if !ok {
			return nil, c.errorf("cannot compare %s and %s", typeName(v), typeName(best))
		}
		if c.name == "min" && lt {
			best = v
		}
		if gt, _ := less(best, v); c.name == "max" && gt {
			best = v
		}
	}
	return best, nil
}

func fnAbs(r *renderer, c *callInfo) (Value, error) {
	switch v := c.arg(0, "x").(type) {
	case int64:
		if v == math.MinInt64 {
			return nil, c.errorf("integer overflow")
		}
		if v < 0 {
			return -v, nil
		}
		return v, nil
	case float64:
		return math.Abs(v), nil
	}
	return nil, c.errorf("needs a number")
}

func fnRound(r *renderer, c *callInfo) (Value, error) {
	f, ok := number(c.arg(0, "number"))
	if !ok {
		return nil, c.errorf("needs a number")
	}
	nd := c.arg(1, "ndigits")
	if nd == nil {
		rounded := math.RoundToEven(f)
		if math.Abs(rounded) >= 9.2e18 || math.IsNaN(rounded) {
			return nil, c.errorf("cannot round %s to an int", formatFloat(f))
		}
		return int64(rounded), nil
	}
	n, ok := asInt(nd)
	if !ok || n > 15 || n < -15 {
		return nil, c.errorf("ndigits must be a small integer")
	}
	p := math.Pow(10, float64(n))
	return math.RoundToEven(f*p) / p, nil
}

func fnList(r *renderer, c *callInfo) (Value, error) {
	if len(c.args) == 0 {
		return &List{}, nil
	}
	its, ok := items(c.args[0])
	if !ok {
		return nil, c.errorf("needs an iterable")
	}
	return &List{Items: append([]Value{}, its...)}, nil
}

func fnSorted(r *renderer, c *callInfo) (Value, error) {
	its, ok := items(c.arg(0, "x"))
	if !ok {
		return nil, c.errorf("needs an iterable")
	}
	out := append([]Value{}, its...)
	if err := sortValues(out); err != nil {
		return nil, c.errorf("%v", err)
	}
	if truthy(c.arg(-1, "reverse")) {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return &List{Items: out}, nil
}

func fnSum(r *renderer, c *callInfo) (Value, error) {
	its, ok := items(c.arg(0, "x"))
	if !ok {
		return nil, c.errorf("needs an iterable")
	}
	var total Value = int64(0)
	for _, it := range its {
		v, err := arith("+", total, it)
		if err != nil {
			return nil, c.errorf("%v", err)
		}
		total = v
	}
	return total, nil
}
