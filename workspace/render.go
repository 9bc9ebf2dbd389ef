package workspace

import (
	"encoding/hex"
	"fmt"
	"math/big"
	"net"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/perchdata/perch/datafiles/sqltext"
)

// deref follows pointers (Nullable columns scan into pointers); a nil
// pointer becomes nil.
func deref(v any) any {
	rv := reflect.ValueOf(v)
	for rv.IsValid() && rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	if !rv.IsValid() {
		return nil
	}
	return rv.Interface()
}

// FormatValue renders one value of a column of ClickHouse type typ for
// people: NULL for a missing Nullable, dates as 2006-01-02, DateTime as
// 2006-01-02 15:04:05, arrays as [1, 2], strings inside containers quoted,
// aggregate states as <AggregateFunction(...)>.
func FormatValue(v any, typ string) string {
	return formatValue(deref(v), typ, false)
}

func formatValue(v any, typ string, nested bool) string {
	typ = UnwrapType(typ)
	if v == nil {
		return "NULL"
	}
	if strings.HasPrefix(typ, "Array(") {
		return formatList(reflect.ValueOf(v), typ, "[", "]")
	}
	switch x := v.(type) {
	case string:
		if strings.HasPrefix(typ, "AggregateFunction(") {
			return "<" + typ + ">"
		}
		if strings.HasPrefix(typ, "FixedString(") {
			x = strings.TrimRight(x, "\x00")
		}
		if !utf8.ValidString(x) {
			x = "0x" + hex.EncodeToString([]byte(x))
		}
		if nested {
			return QuoteString(x)
		}
		return x
	case []byte:
		return formatValue(string(x), typ, nested)
	case time.Time:
		return formatTime(x, typ)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case net.IP:
		return x.String()
	case big.Int:
		return x.String()
	case fmt.Stringer:
		return x.String()
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		if strings.HasPrefix(typ, "Tuple(") {
			return formatList(rv, typ, "(", ")")
		}
		return formatList(rv, typ, "[", "]")
	case reflect.Map:
		kt, vt := MapTypes(typ)
		parts := make([]string, 0, rv.Len())
		iter := rv.MapRange()
		for iter.Next() {
			parts = append(parts, formatValue(deref(iter.Key().Interface()), kt, true)+": "+formatValue(deref(iter.Value().Interface()), vt, true))
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// formatList renders a slice as open + items + close; items of an Array
// take its element type, items of a Tuple their own.
func formatList(rv reflect.Value, typ, open, close string) string {
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return fmt.Sprint(rv.Interface())
	}
	elems := make([]string, rv.Len())
	if strings.HasPrefix(typ, "Tuple(") && strings.HasSuffix(typ, ")") {
		elems = sqltext.SplitTopLevel(typ[len("Tuple(") : len(typ)-1])
	} else {
		for i := range elems {
			elems[i] = ElementType(typ)
		}
	}
	parts := make([]string, rv.Len())
	for i := range parts {
		et := ""
		if i < len(elems) {
			et = elems[i]
		}
		parts[i] = formatValue(deref(rv.Index(i).Interface()), et, true)
	}
	return open + strings.Join(parts, ", ") + close
}

// UnwrapType removes Nullable(...) and LowCardinality(...) around a type.
func UnwrapType(t string) string {
	for {
		switch {
		case strings.HasPrefix(t, "Nullable(") && strings.HasSuffix(t, ")"):
			t = t[len("Nullable(") : len(t)-1]
		case strings.HasPrefix(t, "LowCardinality(") && strings.HasSuffix(t, ")"):
			t = t[len("LowCardinality(") : len(t)-1]
		default:
			return t
		}
	}
}

// ElementType is the element type of Array(T), or "" for others.
func ElementType(t string) string {
	if strings.HasPrefix(t, "Array(") && strings.HasSuffix(t, ")") {
		return t[len("Array(") : len(t)-1]
	}
	return ""
}

// MapTypes are the key and value types of Map(K, V), or "", "" for others.
func MapTypes(t string) (string, string) {
	if strings.HasPrefix(t, "Map(") && strings.HasSuffix(t, ")") {
		parts := sqltext.SplitTopLevel(t[len("Map(") : len(t)-1])
		if len(parts) == 2 {
			return parts[0], parts[1]
		}
	}
	return "", ""
}

func formatTime(t time.Time, typ string) string {
	switch {
	case strings.HasPrefix(typ, "DateTime64("):
		prec := 3
		if args := sqltext.SplitTopLevel(typ[len("DateTime64(") : len(typ)-1]); len(args) > 0 {
			if p, err := strconv.Atoi(args[0]); err == nil {
				prec = p
			}
		}
		layout := "2006-01-02 15:04:05"
		if prec > 0 {
			layout += "." + strings.Repeat("0", min(prec, 9))
		}
		return t.Format(layout)
	case strings.HasPrefix(typ, "DateTime"):
		return t.Format("2006-01-02 15:04:05")
	case strings.HasPrefix(typ, "Date"):
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02 15:04:05")
}
