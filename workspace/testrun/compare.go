package testrun

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strings"
)

// FloatTolerance is the relative difference under which two numbers that
// are not both integers are equal.
const FloatTolerance = 1e-9

// Equal reports whether two JSON values are the same: numbers numerically
// (integers exactly, others within FloatTolerance), strings exactly,
// booleans and null as themselves, lists item by item, objects key by key
// (in any order). A number never equals a string: 2 is not "2".
func Equal(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case json.Number:
		y, ok := b.(json.Number)
		return ok && numbersEqual(x, y)
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case Object:
		y, ok := b.(Object)
		if !ok || len(x) != len(y) {
			return false
		}
		for _, f := range x {
			v, ok := y.Get(f.Key)
			if !ok || !Equal(f.Value, v) {
				return false
			}
		}
		return true
	}
	return false
}

// numbersEqual compares integers exactly (any size) and other numbers
// within FloatTolerance.
func numbersEqual(a, b json.Number) bool {
	if isInteger(a) && isInteger(b) {
		x, okx := new(big.Int).SetString(string(a), 10)
		y, oky := new(big.Int).SetString(string(b), 10)
		if okx && oky {
			return x.Cmp(y) == 0
		}
	}
	x, errx := a.Float64()
	y, erry := b.Float64()
	if errx != nil || erry != nil {
		return a == b
	}
	if x == y {
		return true
	}
	diff := math.Abs(x - y)
	scale := math.Max(math.Abs(x), math.Abs(y))
	return diff <= FloatTolerance*scale || diff < 1e-300
}

func isInteger(n json.Number) bool {
	return !strings.ContainsAny(string(n), ".eE")
}

// Difference is how one actual value differs from the expected one, by
// path: "visitors", "tags[2]", "geo.country".
type Difference struct {
	Path     string
	Expected any
	Actual   any
	// Missing: the expected key is not in the actual value; Extra: the
	// actual key is not in the expected one.
	Missing, Extra bool
}

// String says what differs: "visitors: expected 2, got 1".
func (d Difference) String() string { return d.Describe("expected", "got") }

// Describe says what differs with the two sides named: with "deployed"
// and "local", "visitors: deployed 2, local 1".
func (d Difference) Describe(expected, actual string) string {
	switch {
	case d.Missing:
		return fmt.Sprintf("%s: %s %s, missing", d.Path, expected, EncodeJSON(d.Expected))
	case d.Extra:
		return fmt.Sprintf("%s: %s none, %s %s", d.Path, expected, actual, EncodeJSON(d.Actual))
	}
	return fmt.Sprintf("%s: %s %s, %s %s", d.Path, expected, EncodeJSON(d.Expected), actual, EncodeJSON(d.Actual))
}

// Differences lists where actual differs from expected, down to the
// innermost values that differ (at most limit of them).
func Differences(expected, actual any, limit int) []Difference {
	var out []Difference
	differences(&out, "", expected, actual, limit)
	return out
}

func differences(out *[]Difference, path string, e, a any, limit int) {
	if len(*out) >= limit || Equal(e, a) {
		return
	}
	eo, eok := e.(Object)
	ao, aok := a.(Object)
	if eok && aok {
		for _, f := range eo {
			v, ok := ao.Get(f.Key)
			if !ok {
				add(out, Difference{Path: join(path, f.Key), Expected: f.Value, Missing: true}, limit)
				continue
			}
			differences(out, join(path, f.Key), f.Value, v, limit)
		}
		for _, f := range ao {
			if _, ok := eo.Get(f.Key); !ok {
				add(out, Difference{Path: join(path, f.Key), Actual: f.Value, Extra: true}, limit)
			}
		}
		return
	}
	el, elok := e.([]any)
	al, alok := a.([]any)
	if elok && alok && len(el) == len(al) {
		for i := range el {
			differences(out, fmt.Sprintf("%s[%d]", path, i), el[i], al[i], limit)
		}
		return
	}
	if path == "" {
		path = "value"
	}
	add(out, Difference{Path: path, Expected: e, Actual: a}, limit)
}

func add(out *[]Difference, d Difference, limit int) {
	if len(*out) < limit {
		*out = append(*out, d)
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
