package testrun

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"net"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/workspace"
)

// Rows turns a query result into JSON rows, one Object per row with the
// columns in order, as an endpoint's JSON output shows them: integers,
// floats and decimals as numbers (64-bit integers unquoted), strings,
// dates and times as text, NULL as null, arrays as lists, maps and named
// tuples as objects, unnamed tuples as lists.
func Rows(res *workspace.PreviewResult) []any {
	out := make([]any, len(res.Values))
	for i, vals := range res.Values {
		row := make(Object, len(res.Columns))
		for j, col := range res.Columns {
			var v any
			if j < len(vals) {
				v = vals[j]
			}
			row[j] = Field{Key: col.Name, Value: JSONValue(v, col.Type)}
		}
		out[i] = row
	}
	return out
}

// JSONValue is one value of a column of ClickHouse type typ as JSON.
func JSONValue(v any, typ string) any {
	rv := reflect.ValueOf(v)
	for rv.IsValid() && rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		if _, ok := rv.Interface().(*big.Int); ok {
			break
		}
		rv = rv.Elem()
	}
	if !rv.IsValid() {
		return nil
	}
	v = rv.Interface()
	base := workspace.UnwrapType(typ)
	if strings.HasPrefix(base, "Array(") && rv.Kind() == reflect.Slice {
		return listValue(rv, base) // before []byte: an Array(UInt8) is a list
	}
	switch x := v.(type) {
	case net.IP:
		return x.String()
	case bool:
		return x
	case float32:
		return floatNumber(float64(x), 32)
	case float64:
		return floatNumber(x, 64)
	case *big.Int:
		return json.Number(x.String())
	case big.Int:
		return json.Number(x.String())
	case string, []byte:
		return workspace.FormatValue(x, base)
	}
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return json.Number(strconv.FormatInt(rv.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return json.Number(strconv.FormatUint(rv.Uint(), 10))
	case reflect.Map:
		return mapValue(rv, base)
	case reflect.Slice:
		return listValue(rv, base)
	}
	if strings.HasPrefix(base, "Decimal") {
		return json.Number(fmt.Sprint(v)) // decimal.Decimal prints exactly
	}
	if rv.Kind() == reflect.Array && !isStringer(v) {
		return listValue(rv, base)
	}
	return workspace.FormatValue(v, base) // dates, times, UUID, IP, enums
}

func isStringer(v any) bool {
	_, ok := v.(fmt.Stringer)
	return ok
}

// floatNumber is a float in its shortest form for its size; NaN and the
// infinities are null, as ClickHouse's JSON output writes them.
func floatNumber(f float64, bits int) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, bits))
}

// listValue is an Array's or an unnamed Tuple's items.
func listValue(rv reflect.Value, typ string) any {
	types := elementTypes(typ, rv.Len())
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = JSONValue(rv.Index(i).Interface(), types[i])
	}
	return out
}

// mapValue is a Map (keys sorted) or a named Tuple (fields in the type's
// order) as an object.
func mapValue(rv reflect.Value, typ string) any {
	kt, vt := workspace.MapTypes(typ)
	fields := tupleFields(typ)
	var keys []string
	vals := map[string]any{}
	iter := rv.MapRange()
	for iter.Next() {
		k := fmt.Sprint(JSONValue(iter.Key().Interface(), kt))
		et := vt
		if t, ok := fields[k]; ok {
			et = t.typ
		}
		keys = append(keys, k)
		vals[k] = JSONValue(iter.Value().Interface(), et)
	}
	sort.Slice(keys, func(i, j int) bool {
		fi, iok := fields[keys[i]]
		fj, jok := fields[keys[j]]
		if iok && jok {
			return fi.index < fj.index
		}
		return keys[i] < keys[j]
	})
	out := make(Object, len(keys))
	for i, k := range keys {
		out[i] = Field{Key: k, Value: vals[k]}
	}
	return out
}

// elementTypes are the types of n items of an Array (its element type)
// or a Tuple (each item's own).
func elementTypes(typ string, n int) []string {
	out := make([]string, n)
	if et := workspace.ElementType(typ); et != "" {
		for i := range out {
			out[i] = et
		}
		return out
	}
	if strings.HasPrefix(typ, "Tuple(") && strings.HasSuffix(typ, ")") {
		for i, part := range sqltext.SplitTopLevel(typ[len("Tuple(") : len(typ)-1]) {
			if i < n {
				_, out[i] = splitField(part)
			}
		}
	}
	return out
}

type tupleField struct {
	index int
	typ   string
}

// tupleFields are the named fields of a Tuple type, by name.
func tupleFields(typ string) map[string]tupleField {
	if !strings.HasPrefix(typ, "Tuple(") || !strings.HasSuffix(typ, ")") {
		return nil
	}
	out := map[string]tupleField{}
	for i, part := range sqltext.SplitTopLevel(typ[len("Tuple(") : len(typ)-1]) {
		if name, t := splitField(part); name != "" {
			out[name] = tupleField{index: i, typ: t}
		}
	}
	return out
}

// splitField splits a named tuple field "name Type" into its name and
// type; an unnamed field is just its type.
func splitField(part string) (name, typ string) {
	part = strings.TrimSpace(part)
	i := strings.IndexAny(part, " \t")
	if i <= 0 || strings.ContainsAny(part[:i], "(),") {
		return "", part
	}
	return sqltext.Unquote(part[:i]), strings.TrimSpace(part[i:])
}
