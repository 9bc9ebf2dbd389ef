package template

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Value is a template value: nil (None), bool, int64, float64, string, SQL,
// *List, Tuple, *Dict, or an internal placeholder, function or method.
type Value = any

// SQL is a fragment printed as is ({{ column(x) }}, {{ columns(...) }}).
type SQL string

// List is a Python list (mutable, so shared by reference).
type List struct{ Items []Value }

// Tuple is a Python tuple.
type Tuple []Value

// Dict is a Python dict with string keys, in insertion order.
type Dict struct {
	Keys []string
	M    map[string]Value
}

// placeholder stands for a parameter not given, in placeholder mode.
type placeholder struct{ name string }

// function is a built-in function.
type function struct {
	name string
	call func(r *renderer, c *callInfo) (Value, error)
}

// method is a method bound to a receiver ("a,b".split).
type method struct {
	recv Value
	name string
}

func typeName(v Value) string {
	switch v.(type) {
	case nil:
		return "None"
	case bool:
		return "bool"
	case int64:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case SQL:
		return "SQL"
	case *List:
		return "list"
	case Tuple:
		return "tuple"
	case *Dict:
		return "dict"
	case placeholder:
		return "placeholder"
	case *function, *method:
		return "function"
	}
	return fmt.Sprintf("%T", v)
}

// truthy follows Python truthiness.
func truthy(v Value) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case int64:
		return x != 0
	case float64:
		return x != 0
	case string:
		return x != ""
	case SQL:
		return x != ""
	case *List:
		return len(x.Items) > 0
	case Tuple:
		return len(x) > 0
	case *Dict:
		return len(x.Keys) > 0
	}
	return true
}

// items returns the elements of an iterable.
func items(v Value) ([]Value, bool) {
	switch x := v.(type) {
	case *List:
		return x.Items, true
	case Tuple:
		return x, true
	case string:
		out := make([]Value, 0, len(x))
		for _, r := range x {
			out = append(out, string(r))
		}
		return out, true
	case *Dict:
		out := make([]Value, len(x.Keys))
		for i, k := range x.Keys {
			out[i] = k
		}
		return out, true
	case placeholder:
		return nil, true
	}
	return nil, false
}

// number returns v as a float and whether v is numeric (bool counts, as in Python).
func number(v Value) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func asInt(v Value) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func textOf(v Value) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case SQL:
		return string(x), true
	}
	return "", false
}

// maxValueDepth bounds recursion into nested (or self-containing) lists.
const maxValueDepth = 64

// equal is Python ==.
func equal(a, b Value) bool { return equalAt(a, b, 0) }

func equalAt(a, b Value, depth int) bool {
	if depth > maxValueDepth {
		return false
	}
	if fa, ok := number(a); ok {
		if fb, ok := number(b); ok {
			ia, aInt := asInt(a)
			ib, bInt := asInt(b)
			if aInt && bInt {
				return ia == ib
			}
			return fa == fb
		}
		return false
	}
	if sa, ok := textOf(a); ok {
		sb, ok := textOf(b)
		return ok && sa == sb
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case placeholder:
		y, ok := b.(placeholder)
		return ok && x.name == y.name
	case *List, Tuple:
		ia, _ := items(a)
		var ib []Value
		switch b.(type) {
		case *List:
			if _, ok := a.(*List); !ok {
				return false
			}
			ib, _ = items(b)
		case Tuple:
			if _, ok := a.(Tuple); !ok {
				return false
			}
			ib, _ = items(b)
		default:
			return false
		}
		if len(ia) != len(ib) {
			return false
		}
		for i := range ia {
			if !equalAt(ia[i], ib[i], depth+1) {
				return false
			}
		}
		return true
	case *Dict:
		y, ok := b.(*Dict)
		if !ok || len(x.Keys) != len(y.Keys) {
			return false
		}
		for k, v := range x.M {
			w, ok := y.M[k]
			if !ok || !equalAt(v, w, depth+1) {
				return false
			}
		}
		return true
	}
	return a == b
}

// less compares two orderable values; ok is false when they do not compare.
func less(a, b Value) (bool, bool) { return lessAt(a, b, 0) }

func lessAt(a, b Value, depth int) (bool, bool) {
	if depth > maxValueDepth {
		return false, false
	}
	if fa, ok := number(a); ok {
		if fb, ok := number(b); ok {
			return fa < fb, true
		}
		return false, false
	}
	if sa, ok := textOf(a); ok {
		if sb, ok := textOf(b); ok {
			return sa < sb, true
		}
	}
	ia, okA := a.(*List)
	ib, okB := b.(*List)
	if okA && okB {
		for i := 0; i < len(ia.Items) && i < len(ib.Items); i++ {
			if !equalAt(ia.Items[i], ib.Items[i], depth+1) {
				return lessAt(ia.Items[i], ib.Items[i], depth+1)
			}
		}
		return len(ia.Items) < len(ib.Items), true
	}
	return false, false
}

// contains is Python `x in c`.
func contains(c, x Value) (bool, error) {
	switch y := c.(type) {
	case string, SQL:
		s, _ := textOf(y)
		sub, ok := textOf(x)
		if !ok {
			if _, isPh := x.(placeholder); isPh {
				return false, nil
			}
			return false, fmt.Errorf("'in <string>' needs a string on the left, not %s", typeName(x))
		}
		return strings.Contains(s, sub), nil
	case *Dict:
		k, ok := textOf(x)
		if !ok {
			return false, nil
		}
		_, found := y.M[k]
		return found, nil
	case placeholder, nil:
		return false, nil
	}
	its, ok := items(c)
	if !ok {
		return false, fmt.Errorf("argument of type %s is not iterable", typeName(c))
	}
	for _, it := range its {
		if equal(it, x) {
			return true, nil
		}
	}
	return false, nil
}

// str is Python str(): how a value reads as text (not as SQL).
func str(v Value) string { return strAt(v, 0) }

func strAt(v Value, depth int) string {
	if depth > maxValueDepth {
		return "[...]"
	}
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return formatFloat(x)
	case string:
		return x
	case SQL:
		return string(x)
	case placeholder:
		return ""
	case *List:
		return "[" + joinRepr(x.Items, depth+1) + "]"
	case Tuple:
		if len(x) == 1 {
			return "(" + reprAt(x[0], depth+1) + ",)"
		}
		return "(" + joinRepr(x, depth+1) + ")"
	case *Dict:
		parts := make([]string, len(x.Keys))
		for i, k := range x.Keys {
			parts[i] = repr(k) + ": " + reprAt(x.M[k], depth+1)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case *function:
		return "<function " + x.name + ">"
	case *method:
		return "<method " + x.name + ">"
	}
	return fmt.Sprint(v)
}

func repr(v Value) string { return reprAt(v, 0) }

func reprAt(v Value, depth int) string {
	if s, ok := v.(string); ok {
		return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
	}
	return strAt(v, depth)
}

func joinRepr(vs []Value, depth int) string {
	parts := make([]string, 0, len(vs))
	total := 0
	for _, v := range vs {
		p := reprAt(v, depth)
		total += len(p) + 2
		if total > maxSeq {
			parts = append(parts, "...")
			break
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return s
}

// sqlText renders a value as SQL: strings as escaped literals, numbers bare,
// lists as arrays, SQL fragments as they are.
func sqlText(v Value) (string, error) { return sqlTextAt(v, 0) }

func sqlTextAt(v Value, depth int) (string, error) {
	if depth > maxValueDepth {
		return "", fmt.Errorf("value nested more than %d deep", maxValueDepth)
	}
	switch x := v.(type) {
	case nil:
		return "", fmt.Errorf("cannot print None: a parameter has no value and no default")
	case bool:
		if x {
			return "1", nil
		}
		return "0", nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return formatFloat(x), nil
		}
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case string:
		return QuoteString(x), nil
	case SQL:
		return string(x), nil
	case placeholder:
		return QuoteString("placeholder"), nil
	case *List:
		return sqlList("[", x.Items, "]", depth+1)
	case Tuple:
		return sqlList("(", x, ")", depth+1)
	case *Dict:
		// A parsed JSON(...) object prints as its JSON text, a string literal.
		text, err := jsonText(x, depth+1)
		if err != nil {
			return "", err
		}
		return QuoteString(text), nil
	}
	return "", fmt.Errorf("cannot print a %s as SQL", typeName(v))
}

func sqlList(open string, vs []Value, closing string, depth int) (string, error) {
	var b strings.Builder
	b.WriteString(open)
	for i, v := range vs {
		if i > 0 {
			b.WriteByte(',')
		}
		s, err := sqlTextAt(v, depth)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
		if b.Len() > maxSeq {
			return "", fmt.Errorf("value too large to print")
		}
	}
	b.WriteString(closing)
	return b.String(), nil
}

func newDict() *Dict { return &Dict{M: map[string]Value{}} }

func (d *Dict) set(k string, v Value) {
	if _, ok := d.M[k]; !ok {
		d.Keys = append(d.Keys, k)
	}
	d.M[k] = v
}

func (d *Dict) remove(k string) {
	delete(d.M, k)
	for i, x := range d.Keys {
		if x == k {
			d.Keys = append(d.Keys[:i:i], d.Keys[i+1:]...)
			break
		}
	}
}

func sortValues(vs []Value) error {
	var err error
	sort.SliceStable(vs, func(i, j int) bool {
		l, ok := less(vs[i], vs[j])
		if !ok && err == nil {
			err = fmt.Errorf("cannot order %s and %s", typeName(vs[i]), typeName(vs[j]))
		}
		return l
	})
	return err
}

// maxWeight bounds the number of values nested inside one list, tuple or
// dict (counting shared parts each time they appear), so printing or
// comparing a value built by doubling a list cannot run away.
const maxWeight = 1 << 18

// weight counts the values inside v, giving up (returning more than limit)
// as soon as the count passes limit; self-containing lists count as too heavy.
func weight(v Value, limit, depth int) int {
	if depth > maxValueDepth {
		return limit + 1
	}
	var its []Value
	switch x := v.(type) {
	case *List:
		its = x.Items
	case Tuple:
		its = x
	case *Dict:
		its = make([]Value, 0, len(x.Keys))
		for _, k := range x.Keys {
			its = append(its, x.M[k])
		}
	default:
		return 1
	}
	n := 1
	for _, it := range its {
		n += weight(it, limit-n, depth+1)
		if n > limit {
			return n
		}
	}
	return n
}

// checkWeight returns an error when v holds too many nested values.
func checkWeight(v Value) error {
	if weight(v, maxWeight, 0) > maxWeight {
		return fmt.Errorf("value too large: more than %d nested items", maxWeight)
	}
	return nil
}
