package testrun

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/name, rewriting it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update to accept):\n%s", name, got)
	}
}

func rows(t *testing.T, ndjson string) []any {
	t.Helper()
	r, err := ParseNDJSON(ndjson)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestDiffRowsGolden(t *testing.T) {
	var b strings.Builder
	for _, tc := range []struct{ name, expected, actual string }{
		{"a changed value", `{"p":"/","v":3}
{"p":"/a","v":2}
{"p":"/b","v":1}`, `{"p":"/","v":3}
{"p":"/a","v":1}
{"p":"/b","v":1}`},
		{"a row missing and a row extra", `{"p":"/","v":3}
{"p":"/gone","v":2}`, `{"p":"/","v":3}
{"p":"/new","v":"2"}
{"p":"/more","v":1}`},
		{"rows reordered", `{"p":"/a","v":2}
{"p":"/b","v":1}
{"p":"/c","v":0}`, `{"p":"/b","v":1}
{"p":"/a","v":2}
{"p":"/c","v":0}`},
		{"long runs of equal rows are cut", strings.Repeat(`{"same":1}`+"\n", 10) + `{"x":1}` + "\n" + strings.Repeat(`{"same":2}`+"\n", 10),
			strings.Repeat(`{"same":1}`+"\n", 10) + `{"x":2}` + "\n" + strings.Repeat(`{"same":2}`+"\n", 10)},
		{"nothing expected", ``, `{"a":[1,{"b":null}]}`},
	} {
		b.WriteString("== " + tc.name + "\n")
		for _, l := range DiffRows(rows(t, tc.expected), rows(t, tc.actual)) {
			b.WriteString(l + "\n")
		}
	}
	golden(t, "diff.golden", b.String())
}

func TestDiffRowsCut(t *testing.T) {
	var e, a strings.Builder
	for i := 0; i < 100; i++ {
		e.WriteString(`{"i":1}` + "\n")
		a.WriteString(`{"i":2}` + "\n")
	}
	lines := DiffRows(rows(t, e.String()), rows(t, a.String()))
	if len(lines) != maxDiffLines+1 || !strings.HasPrefix(lines[maxDiffLines], "... (") {
		t.Errorf("%d lines, last %q", len(lines), lines[len(lines)-1])
	}
}

func TestResultLinesGolden(t *testing.T) {
	results := []*Result{
		{Name: "top_pages.ok", Kind: KindRequest, Passed: true, Elapsed: 12 * time.Millisecond},
		{Name: "top_pages.differs", Kind: KindRequest, File: "tests/top_pages.yaml", Line: 4, Col: 3, Elapsed: 3400 * time.Microsecond,
			Parameters: "country=ES", Failures: []string{"the result differs: expected 1 row, got 1", "read 2,000 rows, over max_rows_read 1,000"},
			Diff: DiffRows(rows(t, `{"a":1}`), rows(t, `{"a":2}`)),
			SQL:  "SELECT a\nFROM t\nWHERE x\nAND y\nAND z\nGROUP BY a\nORDER BY a\nLIMIT 10"},
		{Name: "top_pages.status", Kind: KindRequest, File: "tests/top_pages.yaml", Line: 9, Col: 3, Elapsed: 1500 * time.Millisecond,
			Failures: []string{"status 400, expected 200: endpoints/top_pages.pipe:12:5: Int32(): parameter limit: 'x' is not a valid Int32"}},
		{Name: "events.no_negative", Kind: KindCheck, File: "tests/events.yaml", Line: 1, Col: 3, Elapsed: time.Millisecond,
			Failures: []string{"sql returned rows; a data check passes when it returns none"}, Diff: []string{`  {"event_id":7}`}},
		{Name: "trend.endpoint", Kind: KindBuild, File: "endpoints/trend.pipe", Line: 7, Col: 9, Elapsed: time.Millisecond,
			Failures: []string{"preview: code: 47, message: Unknown identifier 'contry'\nmore"}, SQL: "SELECT contry FROM events"},
	}
	var b strings.Builder
	for _, r := range results {
		for _, l := range ResultLines(r, "proj") {
			b.WriteString(l + "\n")
		}
	}
	rep := &Report{Passed: 3, Failed: 2, Deployed: 11, Where: "a throwaway embedded engine", Engine: "embedded 26.7.2.1",
		Fixtures: []Fixture{{Datasource: "events", File: "fixtures/events.ndjson", Rows: 69}}, Build: results[4:], Elapsed: 850 * time.Millisecond}
	rep.AddStage("start", 200*time.Millisecond)
	rep.AddStage("deploy", 400*time.Millisecond)
	b.WriteString(BuildLine(rep) + "\n" + StagesLine(rep) + "\n" + Summary(rep) + "\n")
	golden(t, "results.golden", b.String())
}
