package template

import (
	"reflect"
	"testing"
)

func TestParams(t *testing.T) {
	src := `%
SELECT * FROM t
WHERE {% if defined(country) %} country = {{ String(country, 'ES', description="Country code", enum=['ES', 'FR'], example="FR") }} {% end %}
{% if defined(kind) and kind == 'x' %} AND 1 {% end %}
LIMIT {{ Int32(limit, 50, required=True) }} OFFSET {{ Int32(page, 0) * Int32(limit, 20) }}
{% set local = 1 %}{% for v in Array(vals, 'Int16', default='1,2') %}{{ v + local }}{% end %}
ORDER BY {{ column(order_by, 'ts') }}
{{ DateTime(since, format='%Y') }}`
	tpl, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	got := tpl.Params()
	want := []Param{
		{Name: "country", Type: "String", Default: "ES", DefaultSQL: "'ES'", Description: "Country code", Enum: []string{"ES", "FR"}, Example: "FR", Line: 3, Col: 21},
		{Name: "kind", Line: 4, Col: 15},
		{Name: "limit", Type: "Int32", Default: int64(50), DefaultSQL: "50", Required: true, Line: 5, Col: 16},
		{Name: "page", Type: "Int32", Default: int64(0), DefaultSQL: "0", Line: 5, Col: 61},
		{Name: "vals", Type: "Array(Int16)", Default: "1,2", DefaultSQL: "'1,2'", Line: 6, Col: 38},
		{Name: "order_by", Line: 7, Col: 20},
		{Name: "since", Type: "DateTime", Format: "%Y", Line: 8, Col: 13},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d params: %+v", len(got), got)
	}
	for i := range want {
		got[i].off = 0
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("param %d:\n got  %+v\n want %+v", i, got[i], want[i])
		}
	}
}
