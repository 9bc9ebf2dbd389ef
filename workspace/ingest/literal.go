package ingest

import (
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/perchdata/perch/workspace"
)

// unwrap strips Nullable(...) and LowCardinality(...) from a type and says
// whether it was nullable.
func unwrap(typ string) (base string, nullable bool) {
	base = strings.TrimSpace(typ)
	for {
		switch {
		case hasWrapper(base, "Nullable"):
			base, nullable = inner(base, "Nullable"), true
		case hasWrapper(base, "LowCardinality"):
			base = inner(base, "LowCardinality")
		default:
			return base, nullable
		}
	}
}

func hasWrapper(t, name string) bool {
	return strings.HasPrefix(t, name+"(") && strings.HasSuffix(t, ")")
}

func inner(t, name string) string { return strings.TrimSpace(t[len(name)+1 : len(t)-1]) }

// intRange is the range of an integer type, nil for other types.
func intRange(base string) (lo, hi *big.Int) {
	bits := map[string]uint{"8": 8, "16": 16, "32": 32, "64": 64, "128": 128, "256": 256}
	switch {
	case strings.HasPrefix(base, "UInt"):
		n, ok := bits[base[4:]]
		if !ok {
			return nil, nil
		}
		return big.NewInt(0), new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), n), big.NewInt(1))
	case strings.HasPrefix(base, "Int"):
		n, ok := bits[base[3:]]
		if !ok {
			return nil, nil
		}
		lim := new(big.Int).Lsh(big.NewInt(1), n-1)
		return new(big.Int).Neg(lim), new(big.Int).Sub(lim, big.NewInt(1))
	case base == "Bool":
		return big.NewInt(0), big.NewInt(1)
	}
	return nil, nil
}

// unsupported says why append cannot fill a column of this type, or "".
func unsupported(typ string) string {
	base, _ := unwrap(typ)
	for _, p := range []string{"AggregateFunction(", "SimpleAggregateFunction(", "Nested(", "Object(", "JSON", "Dynamic", "Variant("} {
		if strings.HasPrefix(base, p) {
			return "append cannot fill a column of type " + typ
		}
	}
	if hasWrapper(base, "Array") {
		return unsupported(inner(base, "Array"))
	}
	return ""
}

// jsonExpr renders a JSON value (decoded with UseNumber) as a SQL
// expression of type typ. missing reports a value that takes the column's
// DEFAULT: a null in a column that is not Nullable.
func jsonExpr(v any, typ string) (expr string, missing bool, err error) {
	if v == nil {
		if _, nullable := unwrap(typ); nullable {
			return "CAST(NULL AS " + typ + ")", false, nil
		}
		return "", true, nil
	}
	lit, err := jsonLiteral(v, typ)
	if err != nil {
		return "", false, err
	}
	return "CAST(" + lit + " AS " + typ + ")", false, nil
}

// jsonLiteral renders v as a literal the server casts to typ.
func jsonLiteral(v any, typ string) (string, error) {
	base, nullable := unwrap(typ)
	switch x := v.(type) {
	case nil:
		if !nullable {
			return "", fmt.Errorf("null in a %s", typ)
		}
		return "NULL", nil
	case []any:
		if !hasWrapper(base, "Array") {
			if isStringType(base) {
				return jsonText(x)
			}
			return "", fmt.Errorf("an array in a %s column", typ)
		}
		el := inner(base, "Array")
		parts := make([]string, len(x))
		for i, e := range x {
			p, err := jsonLiteral(e, el)
			if err != nil {
				return "", fmt.Errorf("element %d: %w", i, err)
			}
			parts[i] = p
		}
		return "[" + strings.Join(parts, ", ") + "]", nil
	case map[string]any:
		if isStringType(base) {
			return jsonText(x)
		}
		if hasWrapper(base, "Map") {
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			args := make([]string, 0, 2*len(keys))
			for _, k := range keys {
				vt := mapValueType(base)
				val, err := jsonLiteral(x[k], vt)
				if err != nil {
					return "", fmt.Errorf("key %s: %w", k, err)
				}
				args = append(args, workspace.QuoteString(k), val)
			}
			return "map(" + strings.Join(args, ", ") + ")", nil
		}
		return "", fmt.Errorf("an object in a %s column", typ)
	case json.Number:
		if hasWrapper(base, "Array") {
			return "", fmt.Errorf("a number in a %s column", typ)
		}
		if lo, hi := intRange(base); lo != nil {
			n, ok := new(big.Int).SetString(string(x), 10)
			if !ok {
				return "", fmt.Errorf("%s is not an integer (%s)", x, typ)
			}
			if n.Cmp(lo) < 0 || n.Cmp(hi) > 0 {
				return "", fmt.Errorf("%s is out of range for %s", x, typ)
			}
			return n.String(), nil
		}
		if isStringType(base) {
			return workspace.QuoteString(string(x)), nil
		}
		return string(x), nil
	case bool:
		if isStringType(base) {
			return workspace.QuoteString(fmt.Sprint(x)), nil
		}
		if x {
			return "1", nil
		}
		return "0", nil
	case string:
		if hasWrapper(base, "Array") {
			return "", fmt.Errorf("a string in a %s column", typ)
		}
		return workspace.QuoteString(x), nil
	}
	return "", fmt.Errorf("unexpected JSON value %v", v)
}

// mapValueType is V of Map(K, V).
func mapValueType(base string) string {
	args := inner(base, "Map")
	depth := 0
	for i, c := range args {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				return strings.TrimSpace(args[i+1:])
			}
		}
	}
	return "String"
}

func isStringType(base string) bool {
	return base == "String" || strings.HasPrefix(base, "FixedString(")
}

// jsonText is a JSON value's compact text as a string literal (a String
// column given an object or array keeps it as JSON).
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return workspace.QuoteString(string(b)), nil
}

// csvExpr renders a CSV field as a SQL expression of type typ. An empty
// field takes the column's DEFAULT unless the column is a String; \N is NULL.
func csvExpr(field, typ string) (expr string, missing bool, err error) {
	base, nullable := unwrap(typ)
	switch {
	case field == `\N` && nullable:
		return "CAST(NULL AS " + typ + ")", false, nil
	case field == "" && !isStringType(base):
		return "", true, nil
	}
	if base == "Bool" {
		switch strings.ToLower(strings.TrimSpace(field)) {
		case "true", "1":
			return "CAST(1 AS " + typ + ")", false, nil
		case "false", "0":
			return "CAST(0 AS " + typ + ")", false, nil
		}
		return "", false, fmt.Errorf("%q is not a Bool", field)
	}
	if lo, hi := intRange(base); lo != nil {
		n, ok := new(big.Int).SetString(strings.TrimSpace(field), 10)
		if !ok {
			return "", false, fmt.Errorf("%q is not an integer (%s)", field, typ)
		}
		if n.Cmp(lo) < 0 || n.Cmp(hi) > 0 {
			return "", false, fmt.Errorf("%s is out of range for %s", field, typ)
		}
		return "CAST(" + n.String() + " AS " + typ + ")", false, nil
	}
	return "CAST(" + workspace.QuoteString(field) + " AS " + typ + ")", false, nil
}
