package testrun

import (
	"encoding/json"
	"math"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

func mustJSON(t *testing.T, s string) any {
	t.Helper()
	v, err := ParseJSON(s)
	if err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return v
}

func TestEqual(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{`2`, `2`, true},
		{`2`, `"2"`, false}, // an integer column is 2, not "2"
		{`2`, `2.0`, true},
		{`2`, `3`, false},
		{`18446744073709551615`, `18446744073709551615`, true},
		{`18446744073709551615`, `18446744073709551614`, false}, // integers compare exactly
		{`0.1`, `0.10000000000000001`, true},
		{`0.1`, `0.1000001`, false},
		{`1e3`, `1000`, true},
		{`0`, `-0.0`, true},
		{`"a"`, `"a"`, true},
		{`"a"`, `"A"`, false},
		{`"2024-05-01"`, `"2024-05-01 00:00:00"`, false},
		{`null`, `null`, true},
		{`null`, `0`, false},
		{`null`, `""`, false},
		{`true`, `true`, true},
		{`true`, `1`, false},
		{`[1,[2,"x"]]`, `[1,[2.0,"x"]]`, true},
		{`[1,2]`, `[2,1]`, false},
		{`[1]`, `[1,1]`, false},
		{`{"a":1,"b":[1]}`, `{"b":[1],"a":1}`, true}, // keys in any order
		{`{"a":1}`, `{"a":1,"b":2}`, false},
		{`{"a":{"x":null}}`, `{"a":{"x":null}}`, true},
		{`{"a":{"x":null}}`, `{"a":{"y":null}}`, false},
	} {
		a, b := mustJSON(t, tc.a), mustJSON(t, tc.b)
		if got := Equal(a, b); got != tc.want {
			t.Errorf("Equal(%s, %s) = %v", tc.a, tc.b, got)
		}
		if got := Equal(b, a); got != tc.want {
			t.Errorf("Equal(%s, %s) = %v (swapped)", tc.b, tc.a, got)
		}
	}
}

func TestDifferences(t *testing.T) {
	e := mustJSON(t, `{"a":1,"b":[1,2],"c":{"d":"x"},"gone":true}`)
	a := mustJSON(t, `{"a":2,"b":[1,3],"c":{"d":"y"},"new":null}`)
	var got []string
	for _, d := range Differences(e, a, 10) {
		got = append(got, d.String())
	}
	want := []string{`a: expected 1, got 2`, `b[1]: expected 2, got 3`, `c.d: expected "x", got "y"`, `gone: expected true, missing`, `new: expected none, got null`}
	if len(got) != len(want) {
		t.Fatalf("differences %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("difference %d = %q, want %q", i, got[i], want[i])
		}
	}
	if n := len(Differences(e, a, 2)); n != 2 {
		t.Errorf("limit 2 gave %d differences", n)
	}
}

func TestJSONRoundTripKeepsOrder(t *testing.T) {
	in := `{"z":1,"a":"<b>&","m":[true,null,1.5e3],"o":{"y":2,"x":1}}`
	if got := EncodeJSON(mustJSON(t, in)); got != in {
		t.Errorf("EncodeJSON(ParseJSON(%s)) = %s", in, got)
	}
	rows, err := ParseNDJSON("\n{\"a\":1}\n\n  {\"a\":2}  \n")
	if err != nil || len(rows) != 2 {
		t.Fatalf("ParseNDJSON: %v, %v", rows, err)
	}
	if _, err := ParseNDJSON("{\"a\":1}\n{\"a\":\n"); err == nil || err.Error()[:6] != "line 2" {
		t.Errorf("a bad line is named: %v", err)
	}
	if _, err := ParseNDJSON(`{"a":1} {"b":2}`); err == nil {
		t.Error("two values on a line are an error")
	}
}

func TestJSONValue(t *testing.T) {
	i64, s := int64(-5), "x"
	var nilStr *string
	tm := time.Date(2024, 5, 1, 10, 30, 0, 123000000, time.UTC)
	for _, tc := range []struct {
		name string
		v    any
		typ  string
		want string
	}{
		{"uint64 unquoted", uint64(18446744073709551615), "UInt64", `18446744073709551615`},
		{"int8", int8(-3), "Int8", `-3`},
		{"pointer", &i64, "Nullable(Int64)", `-5`},
		{"null", nilStr, "Nullable(String)", `null`},
		{"nil", nil, "Nullable(UInt8)", `null`},
		{"string", &s, "LowCardinality(String)", `"x"`},
		{"fixed string trimmed", "ab\x00\x00", "FixedString(4)", `"ab"`},
		{"float32 shortest", float32(0.1), "Float32", `0.1`},
		{"float64", 2.5, "Float64", `2.5`},
		{"nan is null", math.NaN(), "Float64", `null`},
		{"big int", big.NewInt(42), "Int128", `42`},
		{"decimal", decimal.RequireFromString("12.340"), "Decimal(10, 3)", `12.34`},
		{"bool", true, "Bool", `true`},
		{"date", tm, "Date", `"2024-05-01"`},
		{"datetime", tm, "DateTime", `"2024-05-01 10:30:00"`},
		{"datetime64", tm, "DateTime64(3)", `"2024-05-01 10:30:00.123"`},
		{"uuid", uuid.MustParse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "UUID", `"6ba7b810-9dad-11d1-80b4-00c04fd430c8"`},
		{"ip", net.ParseIP("10.0.0.1").To4(), "IPv4", `"10.0.0.1"`},
		{"array", []uint8{1, 2}, "Array(UInt8)", `[1,2]`},
		{"nested array", [][]string{{"a"}, {}}, "Array(Array(String))", `[["a"],[]]`},
		{"tuple", []any{uint8(1), "a"}, "Tuple(UInt8, String)", `[1,"a"]`},
		{"named tuple", map[string]any{"b": "x", "a": uint8(1)}, "Tuple(b String, a UInt8)", `{"b":"x","a":1}`},
		{"map", map[string]uint64{"y": 2, "x": 1}, "Map(String, UInt64)", `{"x":1,"y":2}`},
		{"aggregate state", "", "AggregateFunction(uniq, String)", `"<AggregateFunction(uniq, String)>"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := JSONValue(tc.v, tc.typ)
			if enc := EncodeJSON(got); enc != tc.want {
				t.Errorf("JSONValue(%v, %s) = %s, want %s", tc.v, tc.typ, enc, tc.want)
			}
			if _, isNum := got.(json.Number); isNum && !Equal(got, mustJSON(t, tc.want)) {
				t.Errorf("%s does not equal its own JSON", tc.want)
			}
		})
	}
}
