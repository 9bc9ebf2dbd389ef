package template

import "testing"

func TestExpressions(t *testing.T) {
	runRenderCases(t, []renderCase{
		{name: "string escapes", src: `{{ str(len('a\nb\x41\u00e9')) }} {{ 'A\x41' }}`, want: "'5' 'AA'"},
		{name: "raw and triple quoted strings", src: `{{ r'a\n' }} {{ '''it's''' }} {{ "dq" 'x' }}`, want: `'a\\n' 'it\'s' 'dqx'`},
		{name: "numbers", src: "{{ 0x1F }} {{ 1_000 }} {{ 1e3 }} {{ .5 }} {{ 7.0 / 2 }}", want: "31 1000 1000 0.5 3.5"},
		{name: "str of values", src: "{{ str([1, 'a', (2,), {'k': None}]) }} {{ str(1.0) }} {{ str(True) }}",
			want: `'[1, \'a\', (2,), {\'k\': None}]' '1.0' 'True'`},
		{name: "numeric equality across types", src: "{{ 1 == 1.0 }} {{ True == 1 }} {{ '1' == 1 }} {{ None == None }}", want: "1 1 0 1"},
		{name: "sequence equality", src: "{{ [1, [2]] == [1, [2]] }} {{ (1,) == [1] }} {{ {'a': 1} == {'a': 1} }} {{ [1] != [2] }}", want: "1 0 1 1"},
		{name: "ordering", src: "{{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 2 >= 2.0 }} {{ 3 <= 2 }} {{ 1 > 0.5 }}", want: "1 1 1 0 1"},
		{name: "is", src: "{{ None is None }} {{ 1 is None }} {{ x is not None }}", want: "1 0 0"},
		{name: "truthiness", src: "{{ not [] }} {{ not {} }} {{ not '' }} {{ not 0.0 }} {{ not (0,) }}", want: "1 1 1 1 0"},
		{name: "builtins on sequences", src: "{{ list('ab') }} {{ sorted([3, 1, 2]) }} {{ sorted(['b', 'a'], reverse=True) }} {{ sum([1, 2, 3.5]) }}",
			want: "['a','b'] [1,2,3] ['b','a'] 6.5"},
		{name: "enumerate", src: "{% for i, v in enumerate(['a', 'b'], 1) %}{{ i }}{{ v }}{% end %}", want: "1'a'2'b'"},
		{name: "float and int conversions", src: "{{ float('1.5') }} {{ float(2) }} {{ int(2.9) }} {{ int(True) }} {{ round(2.567, 2) }}", want: "1.5 2 2 1 2.57"},
		{name: "seq methods", src: "{{ [1, 2, 2].count(2) }} {{ (5, 6).index(6) }} {{ 'a,b,c'.rsplit(',', 1) }} {{ 'a b  c'.split() }}",
			want: "2 1 ['a,b','c'] ['a','b','c']"},
		{name: "more string methods", src: "{{ 'ab'.find('b') }} {{ 'aXa'.count('a') }} {{ '12'.isdigit() }} {{ 'ab1'.isalnum() }} {{ '7'.zfill(3) }} {{ 'hello world'.title() }} {{ 'hELLO'.capitalize() }}",
			want: "1 2 1 1 '007' 'Hello World' 'Hello'"},
		{name: "dict methods", src: "{% set d = {'a': 1, 'b': 2} %}{{ d.keys() }} {{ d.values() }} {% for k, v in d.items() %}{{ k }}{{ v }}{% end %} {{ d.a }}",
			want: "['a','b'] [1,2] 'a'1'b'2 1"},
		{name: "in dict and list", src: "{{ 'a' in {'a': 1} }} {{ [1] in [[1], [2]] }}", want: "1 1"},
		{name: "unary", src: "{{ -(-3) }} {{ +2 }} {{ -True }} {{ not not 'x' }}", want: "3 2 -1 1"},
		{name: "mixed arithmetic", src: "{{ 1 + 2.5 }} {{ 7 % -3 }} {{ 7.5 // 2 }} {{ 2 ** -1 }} {{ (1, 2) + (3,) }} {{ [0] * 3 }}", want: "3.5 -2 3 0.5 (1,2,3) [0,0,0]"},
		{name: "placeholder arithmetic", src: "{{ Int32(n) + 1 }} {{ p + 1 }} {{ 'a' + p }}", mode: Placeholders, want: "1 1 'a'"},
		{name: "placeholder methods and indexing", src: "{{ p.split(',') }} {{ p[0] }} {{ p in 'abc' }}", mode: Placeholders, want: "[''] 'placeholder' 0"},
	})
}
