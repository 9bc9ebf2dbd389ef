package template

import (
	"strings"
	"testing"
	"time"
)

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, src string
		line, col int
		want      string
	}{
		{"unclosed expression", "SELECT\n  {{ x", 2, 3, "{{ is never closed"},
		{"unclosed statement", "{% if x", 1, 1, "{% is never closed"},
		{"unclosed comment", "a {# b", 1, 3, "{# is never closed"},
		{"if without end", "%\n{% if x %}\nSELECT", 2, 4, "{% if %} is never closed"},
		{"for without end", "{% for x in y %}", 1, 4, "{% for %} is never closed"},
		{"stray end", "SELECT {% end %}", 1, 11, "{% end %} has no matching block"},
		{"else outside if", "{% else %}", 1, 4, "{% else %} has no matching block"},
		{"elif after else", "{% if a %}{% else %}{% elif b %}{% end %}", 1, 24, "elif"},
		{"break outside loop", "{% if x %}{% break %}{% end %}", 1, 14, "outside a loop"},
		{"unknown tag", "{% whatever %}", 1, 4, "unknown template tag"},
		{"empty tag", "{%  %}", 1, 1, "empty"},
		{"empty expression", "{{ }}", 1, 3, "empty expression"},
		{"bad expression", "{{ 1 + }}", 1, 8, "expected a value"},
		{"bad call", "{{\n  f(a,\n}}", 3, 1, "expected a value"},
		{"unclosed string", "{{ 'abc }}", 1, 4, "never closed"},
		{"set without value", "{% set x %}", 1, 9, "expected ="},
		{"for without in", "{% for x y %}", 1, 10, "expected in"},
		{"try without except", "{% try %}a{% end %}", 1, 4, "needs an {% except %}"},
		{"lambda", "{{ lambda: 1 }}", 1, 4, "lambda"},
		{"deep blocks", strings.Repeat("{% if 1 %}", 300), 1, 0, "nested more than 200 deep"},
		{"deep nesting", "{{ " + strings.Repeat("(", 500) + "1" + strings.Repeat(")", 500) + " }}", 1, 0, "nested too deeply"},
	}
	for _, tag := range []string{"extends", "include", "import", "from", "autoescape", "raw", "module", "apply", "block"} {
		cases = append(cases, struct {
			name, src string
			line, col int
			want      string
		}{"forbidden " + tag, "SELECT\n {% " + tag + " x %}", 2, 5, "is not allowed"})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.src)
			te, ok := AsError(err)
			if !ok {
				t.Fatalf("got %v, want a template error", err)
			}
			if !strings.Contains(te.Msg, tc.want) {
				t.Errorf("message %q does not contain %q", te.Msg, tc.want)
			}
			if te.Line != tc.line || tc.col != 0 && te.Col != tc.col {
				t.Errorf("at %d:%d, want %d:%d (%s)", te.Line, te.Col, tc.line, tc.col, te.Msg)
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	cases := []struct {
		name, src string
		line, col int
		want      string
		user      bool
	}{
		{"error()", "%\nSELECT\n{% if not defined(a) %}{{ error('Must supply a') }}{% end %}", 3, 27, "Must supply a", true},
		{"custom_error()", "{{ custom_error({'error': 'bad', 'code': 418}) }}", 1, 4, `"error":"bad"`, true},
		{"unknown function", "{{ nope(1) }}", 1, 4, "nope is not defined", false},
		{"division by zero", "{{ 1 // 0 }}", 1, 6, "division by zero", false},
		{"type error", "{{ 'a' - 1 }}", 1, 8, "unsupported operand", false},
		{"index out of range", "{{ [1][5] }}", 1, 7, "out of range", false},
		{"print None", "SELECT {{ x }}", 1, 11, "parameter x is not given and has no default", false},
		{"missing typed parameter", "SELECT {{ Int32(n) }}", 1, 11, "required parameter n is not given and has no default", false},
		{"missing typed parameter declared optional", "SELECT {{ Int32(n, defined=False) }}", 1, 11, "parameter n is not given and has no default", false},
		{"bad cache_ttl", "{{ cache_ttl('2h') }}", 1, 4, "invalid TTL '2h'", false},
		{"bad activate", "{{ activate('turbo') }}", 1, 4, "'turbo' cannot be activated", false},
		{"print None expression", "SELECT {{ None }}", 1, 11, "cannot print None", false},
		{"while True", "{% while True %}x{% end %}", 1, 4, "more than", false},
		{"nested infinite loops in try", "{% while True %}{% try %}{% while True %}{% end %}{% except %}{% end %}{% end %}", 1, 0, "more than", false},
		{"huge output", "{% for i in range(100000) %}{{ 'x' * 1000 }}{% end %}", 1, 0, "larger than", false},
		{"huge repeat", "{{ 'x' * 100000000 }}", 1, 8, "too long", false},
		{"huge range", "{{ range(1000000000) }}", 1, 4, "more than", false},
		{"missing column default", "{{ column(c) }}", 1, 4, "no default column", false},
		{"int overflow", "{{ 9223372036854775807 + 1 }}", 1, 24, "overflow", false},
		{"bad method", "{{ 'a'.nope() }}", 1, 7, "no attribute", false},
		{"call on non-function", "{{ 'a'() }}", 1, 4, "not callable", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := Parse(tc.src)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			_, err = tpl.Render(RenderOptions{Mode: Given})
			te, ok := AsError(err)
			if !ok {
				t.Fatalf("got %v, want a template error", err)
			}
			if !strings.Contains(te.Msg, tc.want) || te.User != tc.user {
				t.Errorf("got %q (user %v), want %q (user %v)", te.Msg, te.User, tc.want, tc.user)
			}
			if te.Line != tc.line || tc.col != 0 && te.Col != tc.col {
				t.Errorf("at %d:%d, want %d:%d", te.Line, te.Col, tc.line, tc.col)
			}
		})
	}
}

func TestCustomErrorCode(t *testing.T) {
	tpl, _ := Parse("{{ error('nope', 403) }}")
	_, err := tpl.Render(RenderOptions{Mode: Given})
	te, ok := AsError(err)
	if !ok || te.Code != 403 || te.Msg != "nope" || !te.User {
		t.Fatalf("got %#v", err)
	}
	if te.Error() != "1:4: nope" {
		t.Errorf("Error() = %q", te.Error())
	}
}

func TestSelfContainingList(t *testing.T) {
	for _, src := range []string{
		"{% set l = [] %}{% set _ = l.append(l) %}{{ l }}",
		"{% set l = [] %}{% set _ = l.append(l) %}{{ str(l) }}",
		"{% set l = [] %}{% set _ = l.append(l) %}{{ l == l }}",
		"{% set l = [] %}{% set _ = l.append(l) %}{{ l < l }}",
		"{% set l = [1] %}{% for i in range(30) %}{% set l = [l, l] %}{% end %}{{ l }}",
		"{% set l = [1] %}{% for i in range(30) %}{% set l = [l, l] %}{% end %}{{ str(l) }} {{ l == [l] }}",
		"{% set t = (1,) %}{% for i in range(30) %}{% set t = (t, t) %}{% end %}{{ t }}",
		"{% set l = [1] %}{% for i in range(30) %}{% set _ = l.extend(l) %}{% end %}{{ l }}",
		"{% set l = [1] %}{% for i in range(30) %}{% set l = l + l %}{% end %}{{ l }}",
		"{% set s = 'x' * 1000000 %}{% set l = [s] * 200000 %}{{ str(l) }}",
		"{% set s = 'x' * 1000000 %}{% set l = [s] * 200000 %}{{ l }}",
		"{% for i in range(10000) %}{% set x = range(100000) %}{% end %}",
		"{% for i in range(10000) %}{% set x = 'y' * 1000000 %}{% end %}",
	} {
		tpl, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = tpl.Render(RenderOptions{Mode: Given})
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s took %v", src, d)
		}
		t.Logf("%s: %v", src, err) // a result or an error; never a crash or a hang
	}
}
