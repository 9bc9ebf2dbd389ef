package main

import (
	"context"
	"strings"
	"testing"
)

const compileTestPipe = `NODE filtered
SQL >
    %
    SELECT * FROM events
    WHERE 1
    {% if defined(country) %} AND country = {{ String(country) }} {% end %}

NODE endpoint
SQL >
    %
    SELECT country, count() AS c FROM filtered GROUP BY country
    LIMIT {{ Int32(limit, 10) }}
TYPE endpoint
`

const compileTestDatasource = "SCHEMA >\n    `country` String\n"

const compileTestReader = "NODE r\nSQL >\n    SELECT * FROM top JOIN elsewhere USING country\n"

func TestRunCompile(t *testing.T) {
	dir := writeCheckProject(t, map[string]string{"events.datasource": compileTestDatasource, "top.pipe": compileTestPipe, "reader.pipe": compileTestReader})
	cases := []struct {
		name string
		args []string
		code int
		out  []string // substrings of stdout
		err  string   // substring of stderr
	}{
		{"output node with params", []string{dir, "top", "--param", "country=ES", "--param", "limit=5"}, exitOK,
			[]string{"FROM (\nSELECT * FROM events", "AND country = 'ES'", ") AS filtered GROUP BY country", "LIMIT 5"}, ""},
		{"named node, flags first", []string{"--param", "country=x' OR 1=1 --", dir, "top.filtered"}, exitOK,
			[]string{`country = 'x\' OR 1=1 --'`}, ""},
		{"placeholders", []string{dir, "top", "--placeholders"}, exitOK, []string{"country = 'placeholder'"}, ""},
		{"defaults", []string{dir, "top", "--defaults"}, exitOK, []string{"LIMIT 10"}, ""},
		{"bad value", []string{dir, "top", "--param", "limit=ten"}, exitError, nil, "top.pipe:12:14: Int32(): parameter limit: 'ten' is not a valid Int32"},
		{"unknown node", []string{dir, "top.nope"}, exitError, nil, `pipe top has no node "nope"`},
		{"unknown pipe", []string{dir, "nope"}, exitError, nil, `no pipe named "nope"`},
		{"bad param flag", []string{dir, "top", "--param", "novalue"}, exitError, nil, "want name=value"},
		{"no pipe", []string{}, exitError, nil, "usage: perch compile"},
		{"unknown table warns", []string{dir, "reader", "--defaults"}, exitOK, []string{") AS top JOIN elsewhere"}, "reader.pipe:3:28: warning: elsewhere is not a node, pipe or data source"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, out, errb := checkTestEnv()
			code := run(context.Background(), e, append([]string{"compile"}, tc.args...))
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.code, errb.String())
			}
			for _, want := range tc.out {
				if !strings.Contains(out.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, out.String())
				}
			}
			if tc.err != "" && !strings.Contains(errb.String(), tc.err) {
				t.Errorf("stderr %q lacks %q", errb.String(), tc.err)
			}
		})
	}
}

func TestCheckReportsTemplateErrors(t *testing.T) {
	dir := writeCheckProject(t, map[string]string{
		"events.datasource": compileTestDatasource,
		"bad.pipe":          "NODE t\nSQL >\n    %\n    SELECT 1 {% if x %}\n",
	})
	e, out, _ := checkTestEnv()
	if code := run(context.Background(), e, []string{"check", dir}); code != exitError {
		t.Fatalf("exit %d, want 1:\n%s", code, out.String())
	}
	if !strings.Contains(out.String(), "bad.pipe:4:17: error: {% if %} is never closed") {
		t.Errorf("template error not reported with its position:\n%s", out.String())
	}
}
