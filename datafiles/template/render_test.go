package template

import (
	"strings"
	"testing"
)

type renderCase struct {
	name     string
	src      string
	params   map[string]string
	mode     Mode
	defaults bool // render in Defaults mode (the zero Mode means Given here)
	want     string
}

func runRenderCases(t *testing.T, cases []renderCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := Parse(tc.src)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			mode := tc.mode
			if mode == Defaults && !tc.defaults {
				mode = Given // cases say Defaults explicitly; the rest render as a request would
			}
			res, err := tpl.Render(RenderOptions{Mode: mode, Params: tc.params})
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			if got := strings.TrimSpace(res.SQL); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestRenderConstructs(t *testing.T) {
	runRenderCases(t, []renderCase{
		{name: "plain text", src: "SELECT 1", want: "SELECT 1"},
		{name: "template marker stripped", src: "%\nSELECT 1", want: "SELECT 1"},
		{name: "int expr", src: "SELECT {{ 1 + 2 * 3 }}", want: "SELECT 7"},
		{name: "string literal quoted", src: "SELECT {{ 'a' }}", want: "SELECT 'a'"},
		{name: "float", src: "{{ 7 / 2 }}", want: "3.5"},
		{name: "floor div and mod", src: "{{ -7 // 2 }} {{ -7 % 3 }}", want: "-4 2"},
		{name: "power", src: "{{ 2 ** 10 }} {{ -2 ** 2 }}", want: "1024 -4"},
		{name: "bool prints as 1/0", src: "{{ True }} {{ 1 > 2 }}", want: "1 0"},
		{name: "list prints as array", src: "{{ [1, 'a', [2]] }}", want: "[1,'a',[2]]"},
		{name: "tuple prints as tuple", src: "{{ (1, 'b') }}", want: "(1,'b')"},
		{name: "comment tag", src: "a{# nothing {{ here }} #}b", want: "ab"},
		{name: "comment statement", src: "a{% comment anything at all %}b", want: "ab"},
		{name: "escaped delimiters", src: "{{! x }} {%! y %}", want: "{{ x }} {% y %}"},
		{name: "if elif else", src: "{% if x == 1 %}one{% elif x == 2 %}two{% else %}other{% end %}",
			params: map[string]string{"x": "2"}, want: "other"},
		{name: "if elif int", src: "{% set x = 2 %}{% if x == 1 %}one{% elif x == 2 %}two{% else %}other{% end %}", want: "two"},
		{name: "nested if", src: "{% if True %}{% if False %}a{% else %}b{% end %}{% end %}", want: "b"},
		{name: "for", src: "{% for x in [1, 2, 3] %}{{ x }},{% end %}", want: "1,2,3,"},
		{name: "for unpack", src: "{% for k, v in [('a', 1), ('b', 2)] %}{{ k }}={{ v }} {% end %}", want: "'a'=1 'b'=2"},
		{name: "for else", src: "{% for x in [] %}x{% else %}empty{% end %}", want: "empty"},
		{name: "for break skips else", src: "{% for x in range(10) %}{% if x == 3 %}{% break %}{% end %}{{ x }}{% else %}E{% end %}", want: "012"},
		{name: "continue", src: "{% for x in range(5) %}{% if x % 2 %}{% continue %}{% end %}{{ x }}{% end %}", want: "024"},
		{name: "while with set", src: "{% set i = 0 %}{% while i < 3 %}{{ i }}{% set i = i + 1 %}{% end %}", want: "012"},
		{name: "set tuple", src: "{% set a, b = 1, 2 %}{{ a + b }}", want: "3"},
		{name: "try except", src: "{% try %}a{{ error('boom') }}{% except %}handled{% end %}", want: "handled"},
		{name: "try else finally", src: "{% try %}a{% except %}b{% else %}c{% finally %}d{% end %}", want: "acd"},
		{name: "try finally on error caught outside", src: "{% try %}{% try %}{{ 1 // 0 }}{% finally %}F{% end %}{% except %}E{% end %}", want: "E"},
		{name: "and or not", src: "{{ 1 and 0 }} {{ 0 or 'x' }} {{ not 0 }}", want: "0 'x' 1"},
		{name: "chained comparison", src: "{{ 1 < 2 < 3 }} {{ 1 < 3 < 2 }}", want: "1 0"},
		{name: "in and not in", src: "{{ 'a' in ['a', 'b'] }} {{ 'c' not in 'abc' }} {{ 2 in (1, 2) }}", want: "1 0 1"},
		{name: "is None", src: "{{ x is None }} {{ 1 is not None }}", want: "1 1"},
		{name: "conditional expr", src: "{{ 'y' if 1 > 0 else 'n' }}", want: "'y'"},
		{name: "indexing", src: "{{ [10, 20, 30][-1] }} {{ 'abc'[1] }} {{ {'k': 5}['k'] }}", want: "30 'b' 5"},
		{name: "slicing", src: "{{ [1, 2, 3, 4][1:3] }} {{ 'hello'[::-1] }} {{ [1, 2, 3][:-1] }}", want: "[2,3] 'olleh' [1,2]"},
		{name: "string methods", src: "{{ ' A,b '.strip().lower().split(',') }} {{ 'x'.upper() }} {{ 'a-b'.replace('-', '_') }}",
			want: "['a','b'] 'X' 'a_b'"},
		{name: "startswith endswith", src: "{{ 'abc'.startswith('a') }} {{ 'abc'.endswith(('x', 'c')) }}", want: "1 1"},
		{name: "join", src: "{{ ','.join(['a', 'b']) }}", want: "'a,b'"},
		{name: "list append", src: "{% set l = [] %}{% for i in range(3) %}{% set _ = l.append(i * 2) %}{% end %}{{ l }}", want: "[0,2,4]"},
		{name: "builtins", src: "{{ len('abc') }} {{ str(5) }} {{ int('7') + 1 }} {{ max(1, 5, 3) }} {{ min([4, 2]) }} {{ abs(-3) }} {{ round(2.5) }}",
			want: "3 '5' 8 5 2 3 2"},
		{name: "string concat and repeat", src: "{{ 'a' + 'b' * 2 }}", want: "'abb'"},
		{name: "multiline expression", src: "{{\n  Int32(\n    limit,\n    10,\n  )\n}}", want: "10"},
		{name: "typed arithmetic", src: "LIMIT {{ Int32(limit, 20) }} OFFSET {{ Int32(page, 0) * Int32(limit, 20) }}",
			params: map[string]string{"page": "3"}, want: "LIMIT 20 OFFSET 60"},
		{name: "String compared to text", src: "{% if String(op, 'IN') == 'NOT IN' %}not{% else %}yes{% end %}",
			params: map[string]string{"op": "NOT IN"}, want: "not"},
		{name: "dict get", src: "{{ {'a': 1}.get('b', 2) }}", want: "2"},
	})
}

func TestDefinedAcrossModes(t *testing.T) {
	src := "{% if defined(x) %}x={{ String(x) }}{% else %}none{% end %} {% if defined(d) %}d={{ Int32(d, 5) }}{% else %}nod{% end %}"
	runRenderCases(t, []renderCase{
		{name: "given none", src: src, mode: Given, want: "none nod"},
		{name: "given x", src: src, mode: Given, params: map[string]string{"x": "a"}, want: "x='a' nod"},
		{name: "defaults: only params with a default are defined", src: src, defaults: true, want: "none d=5"},
		{name: "placeholders: every param defined", src: src, mode: Placeholders, want: "x='placeholder' d=5"},
		{name: "placeholders keep given values", src: src, mode: Placeholders, params: map[string]string{"x": "v", "d": "9"}, want: "x='v' d=9"},
	})
}

func TestTypedPlaceholders(t *testing.T) {
	src := "{{ String(s) }} {{ Int32(i) }} {{ UInt64(u) }} {{ Float64(f) }} {{ Date(d) }} {{ DateTime(dt) }} {{ DateTime64(dt64) }} {{ Boolean(b) }} {{ Array(a, 'Int8') }} {{ Array(s2) }} {{ JSON(j) }}"
	want := "'placeholder' 0 0 0 '2019-01-01' '2019-01-01 00:00:00' '2019-01-01 00:00:00.000' 0 [0] ['placeholder'] '{}'"
	runRenderCases(t, []renderCase{
		{name: "placeholders", src: src, mode: Placeholders, want: want},
		{name: "defaults without defaults", src: src, defaults: true, want: want},
	})
}

func TestRecordedSettings(t *testing.T) {
	tpl, err := Parse("%\n{{ max_threads(4) }}{{ cache_ttl('1h') }}{{ backend_hint('h1') }}{{ activate('analyzer') }}SELECT 1")
	if err != nil {
		t.Fatal(err)
	}
	res, err := tpl.Render(RenderOptions{Mode: Given})
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(res.SQL) != "SELECT 1" {
		t.Errorf("settings printed something: %q", res.SQL)
	}
	if res.MaxThreads != 4 || res.CacheTTL != "1h" || res.BackendHint != "h1" || len(res.Activated) != 1 || res.Activated[0] != "analyzer" {
		t.Errorf("settings not recorded: %+v", res)
	}
}

func TestSourceOffset(t *testing.T) {
	src := "%\nSELECT {{ 1 }}\nFROM t"
	tpl, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tpl.Render(RenderOptions{Mode: Given})
	if err != nil {
		t.Fatal(err)
	}
	out := strings.Index(res.SQL, "FROM")
	if got := res.SourceOffset(out); src[got:got+4] != "FROM" {
		t.Errorf("SourceOffset(%d) = %d (%q)", out, got, src[got:])
	}
	if line, col := tpl.Position(res.SourceOffset(out)); line != 3 || col != 1 {
		t.Errorf("position of FROM = %d:%d, want 3:1", line, col)
	}
}

func TestIsTemplate(t *testing.T) {
	for src, want := range map[string]bool{
		"%\nSELECT 1":      true,
		"  \n  %\n SELECT": true,
		"SELECT 1 % 2":     false,
		"{% if x %}":       false,
		"":                 false,
	} {
		if got := IsTemplate(src); got != want {
			t.Errorf("IsTemplate(%q) = %v", src, got)
		}
	}
}
