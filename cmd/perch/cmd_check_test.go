package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkCorpusDir is the folder of real projects beside the repository.
const checkCorpusDir = "../../../shared/corpus"

// checkTestEnv returns an env writing to buffers.
func checkTestEnv() (*env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &env{stdout: &out, stderr: &errb, stdin: strings.NewReader(""), getenv: func(string) string { return "" }}, &out, &errb
}

func writeCheckProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for rel, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestCheckJSONCorpus(t *testing.T) {
	want := map[string]checkReport{
		"flappy-tinybird":           {Files: 7, Resources: checkCounts{2, 5, 0}},
		"log-analytics-starter-kit": {Files: 18, Resources: checkCounts{5, 13, 0}},
		"web-analytics-starter-kit": {Files: 29, Resources: checkCounts{6, 23, 0}},
		"zero-dollars-stats":        {Files: 15, Resources: checkCounts{4, 11, 0}},
	}
	for name, w := range want {
		t.Run(name, func(t *testing.T) {
			e, out, errb := checkTestEnv()
			code := run(context.Background(), e, []string{"check", filepath.Join(checkCorpusDir, name), "--json"})
			if code != exitOK {
				t.Fatalf("exit %d, stderr %s, stdout %s", code, errb, out)
			}
			var got checkReport
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if got.Files != w.Files || got.Resources != w.Resources || len(got.Errors) != 0 {
				t.Errorf("report = %+v, want files %d resources %+v and no errors", got, w.Files, w.Resources)
			}
			if got.Errors == nil || got.Warnings == nil {
				t.Error("errors and warnings must be [] not null")
			}
		})
	}
}

func TestCheckReportsDiagnostics(t *testing.T) {
	dir := writeCheckProject(t, map[string]string{
		"pipes/m.pipe":       "NODE m\nSQL >\n    SELECT 1\nTYPE materialized\n",
		"ds/e.datasource":    "SCHEMA >\n    `a` String\nENGINE MergeTree\nENGINE_VER a\n",
		"ds/more.datasource": "SCHEMA >\n    `a` String\nSETTINGS x=1\n",
	})
	e, out, _ := checkTestEnv()
	if code := run(context.Background(), e, []string{"check", dir}); code != exitError {
		t.Errorf("exit %d, want %d", code, exitError)
	}
	text := out.String()
	for _, want := range []string{
		filepath.Join(dir, "pipes/m.pipe") + ":1:1: error: materialized node m has no DATASOURCE",
		filepath.Join(dir, "ds/more.datasource") + ":3:1: error: unknown directive SETTINGS",
		filepath.Join(dir, "ds/e.datasource") + ":3:1: warning: ENGINE_VER applies only to ReplacingMergeTree",
		"3 files: 2 data sources, 1 pipes, 0 connections; 2 errors, 1 warnings",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}

	e, out, _ = checkTestEnv()
	if code := run(context.Background(), e, []string{"check", "--json", dir}); code != exitError {
		t.Errorf("--json exit %d", code)
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	errs := got["errors"].([]any)
	first := errs[0].(map[string]any)
	if len(errs) != 2 || first["file"] != "ds/more.datasource" || first["line"] != 3.0 || first["col"] != 1.0 {
		t.Errorf("errors = %v", errs)
	}
	if len(got) != 4 {
		t.Errorf("keys = %v, want files, resources, errors, warnings", got)
	}
}

func TestCheckBadArgs(t *testing.T) {
	e, _, errb := checkTestEnv()
	if code := run(context.Background(), e, []string{"check", filepath.Join(t.TempDir(), "missing")}); code != exitError || !strings.Contains(errb.String(), "perch check:") {
		t.Errorf("missing dir: exit %d, stderr %q", code, errb)
	}
	e, _, _ = checkTestEnv()
	if code := run(context.Background(), e, []string{"check", "a", "b"}); code != exitError {
		t.Errorf("two dirs: exit %d", code)
	}
}

func TestFmt(t *testing.T) {
	messy := "node n\nsql >\n        SELECT 1\ntype endpoint\n"
	dir := writeCheckProject(t, map[string]string{
		"p.pipe":        messy,
		"ok.datasource": "SCHEMA >\n    `a` String\n\nENGINE \"MergeTree\"\n",
		"inc.pipe":      "INCLUDE \"x.incl\"\n",
		"x.incl":        "NODE n\nSQL >\n    SELECT 1\n",
		"broken/b.pipe": "NODE\n",
	})
	e, out, errb := checkTestEnv()
	if code := run(context.Background(), e, []string{"fmt", "--check", dir}); code != exitError {
		t.Errorf("--check exit %d, want 1", code)
	}
	if got := strings.TrimSpace(out.String()); got != filepath.Join(dir, "p.pipe") {
		t.Errorf("--check listed %q", got)
	}
	if !strings.Contains(errb.String(), "b.pipe") || !strings.Contains(errb.String(), "uses INCLUDE") {
		t.Errorf("stderr = %q", errb)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "p.pipe")); string(b) != messy {
		t.Error("--check wrote a file")
	}

	e, _, _ = checkTestEnv()
	run(context.Background(), e, []string{"fmt", dir})
	b, _ := os.ReadFile(filepath.Join(dir, "p.pipe"))
	if want := "NODE n\nSQL >\n    SELECT 1\n\nTYPE endpoint\n"; string(b) != want {
		t.Errorf("formatted =\n%s\nwant\n%s", b, want)
	}
	if err := os.Remove(filepath.Join(dir, "broken/b.pipe")); err != nil {
		t.Fatal(err)
	}
	e, out, _ = checkTestEnv()
	if code := run(context.Background(), e, []string{"fmt", "--check", dir}); code != exitOK || out.Len() != 0 {
		t.Errorf("after fmt: --check exit %d, listed %q", code, out)
	}
}

// TestCheckRealWorldProject checks a project written as public Tinybird
// projects are (issue 14): every class opens, and what remains an error or
// a warning is printed with its position.
func TestCheckRealWorldProject(t *testing.T) {
	dir := writeCheckProject(t, map[string]string{
		"datasources/events.datasource": "\ufeffSCHEMA >\n    `ts` DateTime,\n    `country` String\n\nENGINE_PARTITION_KEY toYYYYMM(__timestamp)\n" +
			"KAFKA_CONNECTION_NAME k\nKAFKA_TOPIC t\n",
		"datasources/old.datasource": "VERSION 2\nSCHEMA >\n    `ts` DateTime\n",
		"datasources/bad.datasource": "SCHEMA >\n    `ts` DateTime\n\nENGINE \"MergeTre\"\n",
		"pipes/e.pipe": `NODE filtered
SQL >
    %
    {% if defined(g) and g not in ['hour', 'day'] %}{{ error('bad g') }}{% end %}
    SELECT {{ column(metric) }} FROM events WHERE 1
    {% for f in JSON(filters, '[]') %} AND {{ column(f.get('col'), 'country') }} = {{ f.get('value', '') }}{% end %}
    {% if defined(ids) %} AND country IN {{ Array(ids, 'country_code') }}{% end %}
    {% if date_from == date_to %} UNION ALL SELECT ts FROM old__v2 {% end %}
    UNION ALL SELECT ts FROM events_quarantine
    UNION ALL SELECT ts FROM shared_ws.events
    UNION ALL SELECT ts FROM url({{ tb_secret('feed_url') }}, 'CSV', 'ts DateTime')

TYPE endpoint
`,
	})
	e, out, _ := checkTestEnv()
	if code := run(context.Background(), e, []string{"check", dir}); code != exitError {
		t.Errorf("exit %d, want %d (the engine is an error)", code, exitError)
	}
	got := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{
		filepath.Join(dir, "datasources/bad.datasource") + `:4:8: error: ENGINE "MergeTre" is not a ClickHouse table engine (did you mean MergeTree?); the format's engines are MergeTree, ReplacingMergeTree, SummingMergeTree, AggregatingMergeTree, CollapsingMergeTree, VersionedCollapsingMergeTree, Join, Null`,
		filepath.Join(dir, "pipes/e.pipe") + ":3:5: warning: node filtered reads secret feed_url, which is not set: checked with a placeholder; preview and apply need its value",
		"4 files: 3 data sources, 1 pipes, 0 connections; 1 errors, 1 warnings",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("output:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
