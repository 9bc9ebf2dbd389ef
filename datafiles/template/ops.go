package template

import (
	"fmt"
	"math"
	"strings"
)

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
			out := &List{Items: append(append([]Value{}, ll.Items...), rl.Items...)}
			return out, checkWeight(out)
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
			l := &List{Items: out}
			return l, checkWeight(l)
		}
	}
	if lt, ok := l.(Tuple); ok {
		if rt, ok := r.(Tuple); ok && op == "+" {
			if len(lt)+len(rt) > maxSeq {
				return nil, fmt.Errorf("tuple too long")
			}
			out := append(append(Tuple{}, lt...), rt...)
			return out, checkWeight(out)
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
