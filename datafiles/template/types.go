package template

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// converter validates a parameter value against a type and returns it in the
// form it prints and computes with.
type converter func(v Value) (Value, bool)

// typeInfo describes one typed-parameter function.
type typeInfo struct {
	convert     converter
	placeholder Value
}

// paramTypes are the typed-parameter functions by name.
var paramTypes = map[string]typeInfo{}

func initParamTypes() {
	str := typeInfo{convertString, "placeholder"}
	paramTypes["String"] = str
	boolean := typeInfo{convertBool, false}
	paramTypes["Boolean"] = boolean
	paramTypes["bool"] = boolean
	paramTypes["Date"] = typeInfo{timeConverter([]string{"2006-01-02"}, "2006-01-02"), "2019-01-01"}
	paramTypes["DateTime"] = typeInfo{timeConverter([]string{"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"}, "2006-01-02 15:04:05"), "2019-01-01 00:00:00"}
	paramTypes["DateTime64"] = typeInfo{timeConverter([]string{"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02"}, "2006-01-02 15:04:05.000"), "2019-01-01 00:00:00.000"}
	paramTypes["Float32"] = typeInfo{convertFloat, 0.0}
	paramTypes["Float64"] = typeInfo{convertFloat, 0.0}
	paramTypes["JSON"] = typeInfo{convertJSON, "{}"}
	anyInt := typeInfo{intConverter(big.NewInt(math.MinInt64), big.NewInt(math.MaxInt64)), int64(0)}
	paramTypes["Int"] = anyInt
	paramTypes["Integer"] = anyInt
	for _, bits := range []uint{8, 16, 32, 64, 128, 256} {
		one := big.NewInt(1)
		lo := new(big.Int).Neg(new(big.Int).Lsh(one, bits-1))
		hi := new(big.Int).Sub(new(big.Int).Lsh(one, bits-1), one)
		paramTypes[fmt.Sprintf("Int%d", bits)] = typeInfo{intConverter(lo, hi), int64(0)}
		uhi := new(big.Int).Sub(new(big.Int).Lsh(one, bits), one)
		paramTypes[fmt.Sprintf("UInt%d", bits)] = typeInfo{intConverter(big.NewInt(0), uhi), int64(0)}
	}
}

// IsParamType reports whether name is a typed-parameter function (String,
// Int32, DateTime, ..., not Array).
func IsParamType(name string) bool {
	_, ok := paramTypes[name]
	return ok
}

func convertString(v Value) (Value, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case SQL:
		return string(x), true
	case int64, float64, bool:
		return str(x), true
	}
	return nil, false
}

func convertBool(v Value) (Value, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case int64:
		return x != 0, x == 0 || x == 1
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "1":
			return true, true
		case "false", "0":
			return false, true
		}
	}
	return nil, false
}

func convertFloat(v Value) (Value, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return nil, false
		}
		return f, true
	}
	return nil, false
}

func convertJSON(v Value) (Value, bool) {
	s, ok := textOf(v)
	if !ok || !json.Valid([]byte(s)) {
		return nil, false
	}
	return s, true
}

func intConverter(lo, hi *big.Int) converter {
	small := lo.IsInt64() && hi.IsInt64()
	lo64, hi64 := lo.Int64(), hi.Int64()
	return func(v Value) (Value, bool) {
		var n *big.Int
		switch x := v.(type) {
		case int64:
			if small {
				return x, x >= lo64 && x <= hi64
			}
			n = big.NewInt(x)
		case bool:
			return nil, false
		case float64:
			if x != math.Trunc(x) || math.IsInf(x, 0) || math.IsNaN(x) {
				return nil, false
			}
			n, _ = big.NewFloat(x).Int(nil)
		case string:
			s := strings.TrimSpace(x)
			if s == "" || len(s) > 80 {
				return nil, false
			}
			if small {
				i, err := strconv.ParseInt(s, 10, 64)
				if err != nil || i < lo64 || i > hi64 {
					return nil, false
				}
				return i, true
			}
			var ok bool
			if n, ok = new(big.Int).SetString(s, 10); !ok {
				return nil, false
			}
		default:
			return nil, false
		}
		if n.Cmp(lo) < 0 || n.Cmp(hi) > 0 {
			return nil, false
		}
		if n.IsInt64() {
			return n.Int64(), true
		}
		return SQL(n.String()), true
	}
}

func timeConverter(layouts []string, out string) converter {
	return func(v Value) (Value, bool) {
		s, ok := textOf(v)
		if !ok {
			return nil, false
		}
		s = strings.TrimSpace(s)
		for _, l := range layouts {
			if t, err := time.Parse(l, s); err == nil {
				if out == "2006-01-02" || out == "2006-01-02 15:04:05" {
					return t.Format(out), true
				}
				return strings.Replace(s, "T", " ", 1), true
			}
		}
		return nil, false
	}
}

// typedParam implements String(x, default, ...), Int32(x, ...) and the rest.
func (r *renderer) typedParam(typ string, c *callInfo) (Value, error) {
	if typ == "JSON" {
		return r.jsonParam(c)
	}
	info := paramTypes[typ]
	if len(c.args) == 0 {
		if _, ok := c.kw("name"); !ok {
			return nil, c.errorf("needs a parameter")
		}
	}
	x := c.arg(0, "name")
	def := c.arg(1, "default")
	name := c.paramName()
	if name == "" {
		name = typ + " value"
	}
	if _, ok := x.(placeholder); ok {
		if def == nil {
			return exampleOr(info, c), nil
		}
		x = def
	}
	if s, ok := x.(string); ok && s == "" && typ != "String" {
		x = nil // ?limit= means "not given" for a typed parameter
	}
	if x == nil {
		x = def
		if x == nil {
			switch {
			case typ == "Boolean" || typ == "bool":
				return false, nil // a missing flag is off
			case r.opts.Mode != Given:
				return exampleOr(info, c), nil
			}
			// Like Tinybird: a typed parameter with neither value nor default
			// is an error where it is used, unless declared defined=False.
			if d, ok := c.kw("defined"); ok && !truthy(d) {
				return nil, nil
			}
			return nil, c.errorf("required parameter %s is not given and has no default", name)
		}
	}
	v, ok := info.convert(x)
	if !ok {
		return nil, c.errorf("parameter %s: %s is not a valid %s", name, repr(x), typ)
	}
	if err := checkEnum(c, name, v); err != nil {
		return nil, err
	}
	return v, nil
}

func checkEnum(c *callInfo, name string, v Value) error {
	enum, ok := c.kw("enum")
	if !ok || enum == nil {
		return nil
	}
	its, ok := items(enum)
	if !ok {
		return c.errorf("enum must be a list")
	}
	for _, it := range its {
		if equal(it, v) || str(it) == str(v) {
			return nil
		}
	}
	return c.errorf("parameter %s: %s is not one of %s", name, repr(v), str(&List{Items: its}))
}

// arrayParam implements Array(x, 'Type', default=..., ...): the value is a
// comma-separated string (or a list) whose items are validated against Type.
// As in Tinybird, an item type perch does not know (Array(ids, 'link_id'),
// Array(xs, String) with a bare name) is never an error: its items are kept
// as strings, unvalidated.
func (r *renderer) arrayParam(c *callInfo) (Value, error) {
	info, typ, known := arrayItemType(c.arg(1, "type"))
	x := c.arg(0, "name")
	def := c.arg(2, "default")
	name := c.paramName()
	if name == "" {
		name = "Array value"
	}
	if _, ok := x.(placeholder); ok {
		if def == nil {
			return &List{Items: []Value{r.arrayPlaceholder(info, c)}}, nil
		}
		x = def
	}
	if x == nil {
		x = def
		if x == nil {
			if r.opts.Mode != Given {
				return &List{Items: []Value{r.arrayPlaceholder(info, c)}}, nil
			}
			if d, ok := c.kw("defined"); ok && !truthy(d) {
				return nil, nil
			}
			return nil, c.errorf("required parameter %s is not given and has no default", name)
		}
	}
	var raw []Value
	if s, ok := textOf(x); ok {
		if strings.TrimSpace(s) != "" {
			for _, p := range strings.Split(s, ",") {
				raw = append(raw, strings.TrimSpace(p))
			}
		}
	} else if its, ok := items(x); ok {
		raw = its
	} else {
		raw = []Value{x}
	}
	out := make([]Value, len(raw))
	for i, it := range raw {
		v, ok := info.convert(it)
		if !ok {
			return nil, c.errorf("parameter %s: item %s is not a valid %s", name, repr(it), typ)
		}
		if known {
			if err := checkEnum(c, name, v); err != nil {
				return nil, err
			}
		}
		out[i] = v
	}
	return &List{Items: out}, nil
}

// arrayItemType resolves the item type argument of Array(): a type name
// perch knows, or (known false) the unvalidated string type for anything else.
func arrayItemType(t Value) (typeInfo, string, bool) {
	if t == nil {
		return paramTypes["String"], "String", true
	}
	if s, ok := textOf(t); ok {
		if info, ok := paramTypes[s]; ok && s != "JSON" {
			return info, s, true
		}
	}
	return typeInfo{convert: convertString, placeholder: "placeholder"}, "String", false
}

// arrayPlaceholder is the item of a placeholder array: the first enum value
// when one is declared, else the type's placeholder.
func (r *renderer) arrayPlaceholder(info typeInfo, c *callInfo) Value {
	if v, ok := firstEnum(info, c); ok {
		return v
	}
	return info.placeholder
}

// exampleOr is the value a missing parameter takes in placeholder mode: its
// example= when that is a valid value of the type, else the first value of its
// enum=, else the type's placeholder.
func exampleOr(info typeInfo, c *callInfo) Value {
	if ex, ok := c.kw("example"); ok && ex != nil {
		if v, ok := info.convert(ex); ok {
			return v
		}
	}
	if v, ok := firstEnum(info, c); ok {
		return v
	}
	return info.placeholder
}

// firstEnum is the first value of an enum= list that is valid for the type,
// so that a placeholder satisfies the enum (and template checks against it).
func firstEnum(info typeInfo, c *callInfo) (Value, bool) {
	enum, ok := c.kw("enum")
	if !ok {
		return nil, false
	}
	its, _ := items(enum)
	for _, it := range its {
		if v, ok := info.convert(it); ok {
			return v, true
		}
	}
	return nil, false
}
