package template

import (
	"strings"
	"testing"
)

func TestFunctions(t *testing.T) {
	runRenderCases(t, []renderCase{
		{name: "column given", src: "{{ column(c, 'ts') }}", params: map[string]string{"c": "country"}, want: "`country`"},
		{name: "column default", src: "{{ column(c, 'ts') }}", want: "`ts`"},
		{name: "column dotted", src: "{{ column('t.c') }}", want: "`t`.`c`"},
		{name: "column placeholder takes default", src: "{{ column(per_filter, 'osname') }}", mode: Placeholders, want: "`osname`"},
		{name: "columns", src: "{{ columns(cols, 'a,b') }}", want: "`a`,`b`"},
		{name: "columns given", src: "{{ columns(cols, 'a,b') }}", params: map[string]string{"cols": "x, y ,z"}, want: "`x`,`y`,`z`"},
		{name: "symbol", src: "{{ symbol('my col') }}", want: "`my col`"},
		{name: "table", src: "{{ table('db.events') }}", want: "`db`.`events`"},
		{name: "sql_and", src: "{{ sql_and(a=1, b__in=['x', 'y'], c__gt=3, d__lte=4.5, e__not_in=[1], f=None) }}",
			want: "a = 1 and b in ['x','y'] and c > 3 and d <= 4.5 and e not in [1]"},
		{name: "sql_and with params", src: "{{ sql_and(country=String(country), n__gte=Int32(n, defined=False), my__col__in=Array(v, defined=False)) }}",
			params: map[string]string{"country": "ES"}, want: "country = 'ES'"},
		{name: "sql_and nothing", src: "{{ sql_and(a=None) }}", want: "1"},
		{name: "sql_and in from text", src: "{{ sql_and(a__in=Array(v, 'Int32')) }}", params: map[string]string{"v": "1,2"}, want: "a in [1,2]"},
		{name: "split_to_array", src: "{{ split_to_array(x) }}", params: map[string]string{"x": "a, b,,c"}, want: "['a','b','','c']"},
		{name: "split_to_array default and separator", src: "{{ split_to_array(x, 'p|q', '|') }}", want: "['p','q']"},
		{name: "enumerate_with_last", src: "{% for last, v in enumerate_with_last(['a', 'b']) %}{{ v }}{% if not last %},{% end %}{% end %}", want: "'a','b'"},
		{name: "day_diff", src: "{{ day_diff('2024-01-01', '2024-01-31') }} {{ day_diff('2024-02-01', '2024-01-31') }}", want: "30 1"},
		{name: "day_diff missing", src: "{{ day_diff(a, b) }}", want: "0"},
		{name: "date_diff units", src: "{{ date_diff_in_seconds('2024-01-01 00:00:00', '2024-01-01 01:00:00') }} {{ date_diff_in_minutes('2024-01-01 00:00:00', '2024-01-01 01:00:00') }} {{ date_diff_in_hours('2024-01-01', '2024-01-02') }} {{ date_diff_in_days('2024-01-01', '2024-01-08') }}",
			want: "3600 60 24 7"},
		{name: "sql_unescape keeps LIKE wildcards", src: "{{ sql_unescape(String(f), '%') }}", params: map[string]string{"f": "%utm_'x%"}, want: `'%utm_\'x%'`},
		{name: "String escapes percent", src: "{{ String(f) }}", params: map[string]string{"f": "50%"}, want: `'50\%'`},
		{name: "Array of strings", src: "{{ Array(v, 'String', default='a,b') }}", want: "['a','b']"},
		{name: "Array given", src: "{{ Array(v, 'Int32') }}", params: map[string]string{"v": "1, 2,3"}, want: "[1,2,3]"},
		{name: "Array default list", src: "{{ Array(v, 'Float64', default=[1.5, 2]) }}", want: "[1.5,2]"},
		{name: "Boolean", src: "{{ Boolean(b) }} {{ bool(c, True) }}", params: map[string]string{"b": "true"}, want: "1 1"},
		{name: "DateTime", src: "{{ DateTime(t) }}", params: map[string]string{"t": "2024-01-02T03:04:05"}, want: "'2024-01-02 03:04:05'"},
		{name: "DateTime64", src: "{{ DateTime64(t) }}", params: map[string]string{"t": "2024-01-02 03:04:05.123"}, want: "'2024-01-02 03:04:05.123'"},
		{name: "big unsigned", src: "{{ UInt64(u) }} {{ Int128(i) }}", params: map[string]string{"u": "18446744073709551615", "i": "-170141183460469231731687303715884105728"},
			want: "18446744073709551615 -170141183460469231731687303715884105728"},
		{name: "enum ok", src: "{{ String(o, 'asc', enum=['asc', 'desc']) }}", params: map[string]string{"o": "desc"}, want: "'desc'"},
		{name: "empty typed value means not given", src: "{{ Int32(limit, 10) }}", params: map[string]string{"limit": ""}, want: "10"},
		{name: "empty String is a value", src: "{{ String(s, 'd') }}", params: map[string]string{"s": ""}, want: "''"},
		{name: "placeholder takes a valid example", src: "{{ Date(d, example='2024-05-01') }} {{ Int32(n, example='abc') }}", mode: Placeholders, want: "'2024-05-01' 0"},
		{name: "sql_and splits the operator at the last __", src: "{{ sql_and(my__col__in=[1]) }}", want: "my__col in [1]"},
		{name: "missing Boolean is off", src: "{{ Boolean(flag) }}", want: "0"},
		{name: "tb_var default", src: "{{ tb_var('ENV', 'dev') }}", want: "'dev'"},
	})
}

func TestSecretsAndVars(t *testing.T) {
	tpl, err := Parse("{{ tb_secret('KEY') }} {{ tb_var('V') }}")
	if err != nil {
		t.Fatal(err)
	}
	res, err := tpl.Render(RenderOptions{Mode: Given, Secrets: map[string]string{"KEY": "s'3"}, Getenv: func(k string) string {
		if k == "V" {
			return "from-env"
		}
		return ""
	}})
	if err != nil {
		t.Fatal(err)
	}
	if res.SQL != `'s\'3' 'from-env'` {
		t.Errorf("got %q", res.SQL)
	}
	_, err = tpl.Render(RenderOptions{Mode: Given})
	if err == nil || !strings.Contains(err.Error(), "secret KEY is not set") {
		t.Errorf("missing secret: got %v", err)
	}
	if res, err := tpl.Render(RenderOptions{Mode: Placeholders}); err != nil || res.SQL != "'placeholder' 'placeholder'" {
		t.Errorf("placeholder mode: %v %q", err, res.SQL)
	}
}

func TestTypeValidationErrors(t *testing.T) {
	cases := []struct {
		src, value, want string
	}{
		{"{{ Int32(x) }}", "abc", "parameter x: 'abc' is not a valid Int32"},
		{"{{ Int8(x) }}", "300", "is not a valid Int8"},
		{"{{ UInt8(x) }}", "-1", "is not a valid UInt8"},
		{"{{ Int64(x) }}", "9223372036854775808", "is not a valid Int64"},
		{"{{ Int32(x) }}", "1.5", "is not a valid Int32"},
		{"{{ Int32(x) }}", "1; DROP TABLE t", "is not a valid Int32"},
		{"{{ Float64(x) }}", "1.2.3", "is not a valid Float64"},
		{"{{ Date(x) }}", "2024-13-01", "is not a valid Date"},
		{"{{ Date(x) }}", "2024-01-01' OR '1", "is not a valid Date"},
		{"{{ DateTime(x) }}", "yesterday", "is not a valid DateTime"},
		{"{{ Boolean(x) }}", "maybe", "is not a valid Boolean"},
		{"{{ JSON(x) }}", "{nope", "parameter x: '{nope' is not valid JSON"},
		{"{{ Array(x, 'Int32') }}", "1,b", "item 'b' is not a valid Int32"},
		{"{{ String(x, enum=['a', 'b']) }}", "c", "'c' is not one of ['a', 'b']"},
	}
	for _, tc := range cases {
		t.Run(tc.src+"="+tc.value, func(t *testing.T) {
			tpl, err := Parse(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			res, err := tpl.Render(RenderOptions{Mode: Given, Params: map[string]string{"x": tc.value}})
			if err == nil {
				t.Fatalf("no error, rendered %q", res.SQL)
			}
			te, ok := AsError(err)
			if !ok || !strings.Contains(te.Msg, tc.want) || te.Line != 1 || te.Col != 4 {
				t.Errorf("got %v, want %q at 1:4", err, tc.want)
			}
		})
	}
}

func TestRequiredParameter(t *testing.T) {
	tpl, err := Parse("%\nSELECT {{ String(player, required=True) }}")
	if err != nil {
		t.Fatal(err)
	}
	_, err = tpl.Render(RenderOptions{Mode: Given})
	te, ok := AsError(err)
	if !ok || !strings.Contains(te.Msg, "required parameter player is not given and has no default") || te.Line != 2 {
		t.Fatalf("got %v", err)
	}
	if res, err := tpl.Render(RenderOptions{Mode: Placeholders}); err != nil || !strings.Contains(res.SQL, "'placeholder'") {
		t.Errorf("placeholder mode: %v", err)
	}
}
