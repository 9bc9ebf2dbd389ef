package template

import (
	"testing"
)

// FuzzTemplate parses and renders arbitrary templates in every mode: no input
// may panic or hang (loops and output are bounded).
func FuzzTemplate(f *testing.F) {
	seeds := []string{
		"%\nSELECT {{ Int32(limit, 10) }}",
		"{% if defined(x) and x == 'a' %}{{ String(x) }}{% elif y %}b{% else %}c{% end %}",
		"{% for a, b in enumerate_with_last(split_to_array(v, 'a,b')) %}{{ b }}{% if not a %},{% end %}{% end %}",
		"{% set i = 0 %}{% while i < 5 %}{% set i = i + 1 %}{% if i == 3 %}{% break %}{% end %}{% end %}{{ i }}",
		"{% try %}{{ error('x') }}{% except %}ok{% finally %}f{% end %}",
		"{{ sql_and(a=1, b__in=Array(b, 'Int32'), c__gt=Float64(c)) }} {{ columns(cols, 'a,b') }} {{ column(c, 'x') }}",
		"{{ day_diff(d0, d1) }} {{ date_diff_in_hours('2024-01-01', d) }} {{ sql_unescape(String(s), '%') }}",
		"{{ 'abc'[::-1] }} {{ [1,2,3][1:] }} {{ {'a': 1}.get('a') }} {{ 2 ** 64 }} {{ -1 // 0 }}",
		"{{ tb_secret('A', 'b') }} {{ max_threads(2) }} {# c #} {%! x %}",
		"{% comment x %}{{ x if y else z }} {{ not not a }} {{ 1 < 2 < 3 }} {{ 'a' in 'abc' }}",
		"{% for f in JSON(x, '[{\"a\": [1, 2.5, null]}]') %}{{ f.get('a') }}{{ f.items() }}{% end %}{{ Array(v, 'link_id') }}",
		"{% if defined(x) and x not in ['a', 'b'] %}{{ error('bad') }}{% end %}{{ column(c) }}{{ table(t) }}{{ tb_var('v') }}",
	}
	for _, s := range seeds {
		f.Add(s, "v")
	}
	f.Fuzz(func(t *testing.T, src, value string) {
		tpl, err := Parse(src)
		if err != nil {
			if _, ok := AsError(err); !ok {
				t.Fatalf("parse error is not an *Error: %T %v", err, err)
			}
			return
		}
		tpl.Params()
		params := map[string]string{"x": value, "v": value, "limit": value, "s": value, "d0": value}
		for _, m := range []Mode{Given, Defaults, Placeholders} {
			res, err := tpl.Render(RenderOptions{Mode: m, Params: params, MaxIterations: 2000, MaxOutput: 1 << 16})
			if err != nil {
				if _, ok := AsError(err); !ok {
					t.Fatalf("render error is not an *Error: %T %v", err, err)
				}
				continue
			}
			if len(res.SQL) > 1<<16+1<<20 {
				t.Fatalf("output not bounded: %d bytes", len(res.SQL))
			}
		}
		for _, res := range tpl.Cover(RenderOptions{Mode: Placeholders, Params: params, MaxIterations: 2000, MaxOutput: 1 << 16}, 8) {
			if len(res.SQL) > 1<<16+1<<20 {
				t.Fatalf("cover output not bounded: %d bytes", len(res.SQL))
			}
		}
	})
}
