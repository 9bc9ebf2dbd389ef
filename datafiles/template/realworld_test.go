package template

import (
	"reflect"
	"strings"
	"testing"
)

// Tests for the template classes of issue 14: what real Tinybird templates
// write and perch must render as Tinybird does.

// renderIn renders src in a mode with params, failing the test on error.
func renderIn(t *testing.T, src string, mode Mode, params map[string]string) *Result {
	t.Helper()
	tpl, err := Parse(src)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	res, err := tpl.Render(RenderOptions{Mode: mode, Params: params})
	if err != nil {
		t.Fatalf("render %s: %v", mode, err)
	}
	return res
}

type modeCase struct {
	name   string
	src    string
	mode   Mode
	params map[string]string
	want   string
}

func runModeCases(t *testing.T, cases []modeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := renderIn(t, tc.src, tc.mode, tc.params)
			if got := strings.TrimSpace(res.SQL); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// errorCase is a render that must fail with a message at a position.
type errorCase struct {
	name      string
	src       string
	mode      Mode
	params    map[string]string
	want      string
	line, col int
}

func runErrorCases(t *testing.T, cases []errorCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := Parse(tc.src)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			res, err := tpl.Render(RenderOptions{Mode: tc.mode, Params: tc.params})
			if err == nil {
				t.Fatalf("no error, rendered %q", res.SQL)
			}
			te, ok := AsError(err)
			if !ok || !strings.Contains(te.Msg, tc.want) || te.Line != tc.line || te.Col != tc.col {
				t.Errorf("got %v, want %q at %d:%d", err, tc.want, tc.line, tc.col)
			}
		})
	}
}

// Class 1: JSON(name, 'default') is the parsed JSON value.
func TestJSONParameterIsParsed(t *testing.T) {
	filters := `%
SELECT * FROM t WHERE 1
{% for item in JSON(filters, '[]') %}{% if item.get('op', 'eq') == 'eq' %} AND {{ column(item.get('col'), 'x') }} = {{ item.get('value', '') }}{% end %}{% end %}`
	runModeCases(t, []modeCase{
		{name: "given list of dicts", src: filters, mode: Given,
			params: map[string]string{"filters": `[{"col": "country", "value": "ES"}, {"op": "ne", "col": "x"}]`},
			want:   "SELECT * FROM t WHERE 1\n AND `country` = 'ES'"},
		{name: "placeholders take the parsed default", src: filters, mode: Placeholders, want: "SELECT * FROM t WHERE 1"},
		{name: "defaults take the parsed default", src: filters, mode: Defaults, want: "SELECT * FROM t WHERE 1"},
		{name: "given without value takes the default", src: filters, mode: Given, want: "SELECT * FROM t WHERE 1"},
		{name: "dict methods", mode: Given,
			src:  `{% set f = JSON(opts, '{"a": 1, "b": [2, 3]}') %}{{ f.get('a') }} {{ f['b'] }} {{ len(f) }} {{ 'a' in f }} {{ 'z' in f }} {{ f.keys() }} {{ f.values()[0] }} {{ f.get('z', 'none') }}`,
			want: `1 [2,3] 2 1 0 ['a','b'] 1 'none'`},
		{name: "items keep document order", mode: Given,
			src:  `{% for k, v in JSON(m, '{"y": 1, "x": 2.5, "n": null, "t": true}').items() %}{{ k }}={{ v if v is not None else 'null' }} {% end %}`,
			want: `'y'=1 'x'=2.5 'n'='null' 't'=1`},
		{name: "list append", mode: Placeholders,
			src: `{% set l = JSON(xs, '[]') %}{% set _ = l.append('a') %}{{ l }} {{ len(l) }}`, want: `['a'] 1`},
		{name: "a dict prints as JSON text", mode: Given, params: map[string]string{"j": `{"a": [1, "b"]}`},
			src: `{{ JSON(j) }}`, want: `'{"a":[1,"b"]}'`},
		{name: "no default is an empty dict", mode: Given, src: `{{ JSON(j) }} {{ len(JSON(j)) }}`, want: `'{}' 0`},
	})
	runErrorCases(t, []errorCase{
		{name: "invalid JSON given", src: "%\nSELECT {{ JSON(j, '[]') }}", mode: Given,
			params: map[string]string{"j": `[{"a": }]`}, want: "parameter j: '[{\"a\": }]' is not valid JSON", line: 2, col: 11},
		{name: "invalid JSON default", src: "%\nSELECT 1\n{% for x in JSON(j, '[oops') %}{% end %}", mode: Placeholders,
			want: "parameter j: '[oops' is not valid JSON", line: 3, col: 13},
	})
}

// Class 2: Array(name, X) with an X perch does not know is never an error.
func TestArrayWithUnknownItemType(t *testing.T) {
	runModeCases(t, []modeCase{
		{name: "string type name given", src: `{{ Array(ids, 'link_id') }}`, mode: Given,
			params: map[string]string{"ids": "a, b"}, want: `['a','b']`},
		{name: "string type name placeholder", src: `{{ Array(ids, 'link_id') }}`, mode: Placeholders, want: `['placeholder']`},
		{name: "string type name defaults", src: `{{ Array(colors, 'black') }}`, mode: Defaults, want: `['placeholder']`},
		{name: "bare name String", src: `{{ Array(excluded, String) }}`, mode: Given,
			params: map[string]string{"excluded": "x"}, want: `['x']`},
		{name: "bare name String placeholder", src: `{{ Array(excluded, String) }}`, mode: Placeholders, want: `['placeholder']`},
		{name: "bare name Int32 is not validated", src: `{{ Array(ids, Int32) }}`, mode: Given,
			params: map[string]string{"ids": "1,x"}, want: `['1','x']`},
		{name: "unknown type with default", src: `{{ Array(ids, 'id', default='a,b') }}`, mode: Defaults, want: `['a','b']`},
		{name: "known type still converts", src: `{{ Array(ids, 'Int32', default='1,2') }}`, mode: Placeholders, want: `[1,2]`},
	})
	runErrorCases(t, []errorCase{
		{name: "known type still validates", src: "{{ Array(ids, 'Int32') }}", mode: Given,
			params: map[string]string{"ids": "1,x"}, want: "item 'x' is not a valid Int32", line: 1, col: 4},
		{name: "a request without value or default", src: "%\nSELECT {{ Array(ids, 'link_id') }}", mode: Given,
			want: "required parameter ids is not given", line: 2, col: 11},
	})
	tpl, err := Parse(`{{ Array(ids, 'link_id') }} {{ Array(xs, String) }} {{ Array(ns, 'UInt8') }}`)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, p := range tpl.Params() {
		types = append(types, p.Name+":"+p.Type)
	}
	if want := []string{"ids:Array(String)", "xs:Array(String)", "ns:Array(UInt8)"}; !reflect.DeepEqual(types, want) {
		t.Errorf("param types %v, want %v", types, want)
	}
}

// Class 3: placeholder renders choose values that satisfy template checks.
func TestPlaceholderRendersSatisfyChecks(t *testing.T) {
	runModeCases(t, []modeCase{
		{name: "not in a list literal", mode: Placeholders,
			src:  "%\n{% if defined(kind) and kind not in ['daily', 'hourly'] %}{{ error('kind must be daily or hourly') }}{% end %}SELECT {{ String(kind) }}",
			want: "SELECT 'daily'"},
		{name: "typed call not in a tuple", mode: Placeholders,
			src:  "%\n{% if String(g) not in ('hour', 'day') %}{{ custom_error({'error': 'bad'}, 400) }}{% end %}SELECT {{ String(g) }}",
			want: "SELECT 'hour'"},
		{name: "compared with a literal", mode: Placeholders,
			src:  "%\n{% if metric != 'visits' %}{{ error('only visits') }}{% end %}SELECT {{ column(metric) }}",
			want: "SELECT `visits`"},
		{name: "enum first value", mode: Placeholders,
			src: "%\nSELECT {{ String(g, enum=['hour', 'day']) }}", want: "SELECT 'hour'"},
		{name: "required check passes in placeholders", mode: Placeholders,
			src: "%\n{% if not defined(x) %}{{ error('x is required') }}{% end %}SELECT {{ Int32(x) }}", want: "SELECT 0"},
		{name: "a render that passes keeps placeholders", mode: Placeholders,
			src: "%\n{% if kind == 'a' %}SELECT 1{% else %}SELECT {{ String(kind) }}{% end %}", want: "SELECT 'placeholder'"},
	})
	runErrorCases(t, []errorCase{
		{name: "no value satisfies", src: "%\nSELECT 1\n{% if kind == 'x' or True %}{{ error('never') }}{% end %}",
			mode: Placeholders, want: "never", line: 3, col: 32},
		{name: "a request does not choose", src: "%\n{% if kind not in ['a'] %}{{ error('bad kind') }}{% end %}",
			mode: Given, want: "bad kind", line: 2, col: 30},
	})
}

// Class 4: column() and columns() with no default in placeholder mode.
func TestColumnPlaceholders(t *testing.T) {
	runModeCases(t, []modeCase{
		{name: "column", src: "SELECT {{ column(c) }} FROM t", mode: Placeholders, want: "SELECT `__placeholder__` FROM t"},
		{name: "columns", src: "SELECT {{ columns(cs) }} FROM t", mode: Placeholders, want: "SELECT `__placeholder__` FROM t"},
		{name: "symbol", src: "SELECT {{ symbol(s) }} FROM t", mode: Placeholders, want: "SELECT `__placeholder__` FROM t"},
		{name: "table", src: "SELECT 1 FROM {{ table(t) }}", mode: Placeholders, want: "SELECT 1 FROM __placeholder__"},
		{name: "column default wins", src: "SELECT {{ column(c, 'ts') }}", mode: Placeholders, want: "SELECT `ts`"},
	})
	runErrorCases(t, []errorCase{
		{name: "column in a request", src: "%\nSELECT {{ column(c) }}", mode: Given,
			want: "parameter c is not given and there is no default column", line: 2, col: 11},
		{name: "columns in defaults", src: "SELECT {{ columns(cs) }}", mode: Defaults,
			want: "parameter cs is not given and there is no default", line: 1, col: 11},
	})
}

// Class 5: Cover renders every branch of every if and every loop body.
func TestCoverRendersEveryBranch(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want []string // each must appear in some render
		not  []string // none may appear
	}{
		{name: "if else on a comparison",
			src:  "%\nSELECT * FROM {% if date_from == date_to %}hourly{% else %}daily{% end %}",
			want: []string{"FROM hourly", "FROM daily"}},
		{name: "elif chain",
			src:  "%\nSELECT * FROM {% if g == 'm' %}by_minute{% elif g == 'h' %}by_hour{% elif g == 'd' %}by_day{% end %}",
			want: []string{"by_minute", "by_hour", "by_day"}},
		{name: "nested branches",
			src:  "%\nSELECT 1 {% if defined(a) %}{% if b > 1 %}FROM x{% else %}FROM y{% end %}{% else %}FROM z{% end %}",
			want: []string{"FROM x", "FROM y", "FROM z"}},
		{name: "loop over nothing",
			src:  "%\nSELECT * FROM t {% for f in JSON(filters, '[]') %} JOIN dims ON dims.k = {{ column(f.get('col'), 'k') }}{% end %}",
			want: []string{"JOIN dims"}},
		{name: "error branch skipped",
			src:  "%\n{% if not defined(x) %}{{ error('x is required') }}{% else %}SELECT * FROM t{% end %}",
			want: []string{"SELECT * FROM t"}},
		{name: "branch inside a loop body",
			src:  "%\nSELECT 1 {% for x in split_to_array(xs, '') %}{% if x == 'a' %} UNION ALL SELECT 1 FROM ta{% end %}{% end %}",
			want: []string{"FROM ta"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := Parse(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			results := tpl.Cover(RenderOptions{Mode: Placeholders}, 0)
			var all []string
			for _, r := range results {
				all = append(all, r.SQL)
			}
			joined := strings.Join(all, "\n---\n")
			for _, w := range tc.want {
				if !strings.Contains(joined, w) {
					t.Errorf("no render contains %q:\n%s", w, joined)
				}
			}
			if len(results) > 0 && strings.Contains(results[0].SQL, "error") {
				t.Errorf("first render is not the ordinary one: %q", results[0].SQL)
			}
		})
	}
	tpl, err := Parse("%\n{% if a %}x{% elif b %}y{% else %}z{% end %}{% if c %}w{% end %}")
	if err != nil {
		t.Fatal(err)
	}
	if got := len(tpl.Cover(RenderOptions{Mode: Placeholders}, 2)); got > 2 {
		t.Errorf("Cover with max 2 returned %d renders", got)
	}
}

// Class 9: tb_secret() and tb_var() without a value outside a request.
func TestMissingSecretsArePlaceholders(t *testing.T) {
	src := "%\nSELECT * FROM url({{ tb_secret('api_url') }}, 'JSONEachRow') WHERE env = {{ tb_var('env') }} AND x = {{ tb_secret('set_one') }}"
	for _, mode := range []Mode{Placeholders, Defaults} {
		t.Run(mode.String(), func(t *testing.T) {
			tpl, err := Parse(src)
			if err != nil {
				t.Fatal(err)
			}
			res, err := tpl.Render(RenderOptions{Mode: mode, Secrets: map[string]string{"set_one": "v"}})
			if err != nil {
				t.Fatal(err)
			}
			if want := "SELECT * FROM url('placeholder', 'JSONEachRow') WHERE env = 'placeholder' AND x = 'v'"; strings.TrimSpace(res.SQL) != want {
				t.Errorf("got %q", res.SQL)
			}
			if !reflect.DeepEqual(res.MissingSecrets, []string{"api_url"}) || !reflect.DeepEqual(res.MissingVars, []string{"env"}) {
				t.Errorf("missing secrets %v vars %v", res.MissingSecrets, res.MissingVars)
			}
		})
	}
	runErrorCases(t, []errorCase{
		{name: "a request needs the secret", src: "%\nSELECT {{ tb_secret('api_url') }}", mode: Given,
			want: "secret api_url is not set", line: 2, col: 11},
	})
}
