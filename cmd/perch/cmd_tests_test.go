package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/testrun"
)

var exampleDir = filepath.Join("..", "..", "examples", "analytics")

// perch runs the CLI and returns its exit code, stdout and stderr.
func perch(args ...string) (int, string, string) {
	e, out, errb := testEnv()
	code := run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

// TestPerchTestExample runs the example's tests on a throwaway embedded
// engine (the default) and on a scratch database of the 18.16 server: the
// example ships fixtures and tests that pass on both.
func TestPerchTestExample(t *testing.T) {
	dir := copyDir(t, exampleDir)
	code, out, errs := perch("test", dir)
	if code != exitOK || !strings.HasSuffix(out, "\n15 passed, 0 failed\n") || !strings.Contains(out, "on a throwaway embedded engine (embedded 26.") {
		t.Fatalf("perch test = %d\n%s%s", code, out, errs)
	}
	if n := strings.Count(out, "\nok   "); n != 14 { // the first line has no newline before it
		t.Errorf("%d ok lines:\n%s", n+1, out)
	}
	t.Log(lastLines(out, 2))

	srv := demoServer(t)
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		code, out, errs = perch("test", dir, "--dsn", db.DSN)
		if code != exitOK || !strings.HasSuffix(out, "\n15 passed, 0 failed\n") || !strings.Contains(out, "on scratch database perch_test_") {
			t.Fatalf("perch test --dsn = %d\n%s%s", code, out, errs)
		}
		var dbs uint64
		if err := db.Conn.QueryRow(context.Background(), "SELECT count() FROM system.databases WHERE name LIKE 'perch_test_%'").Scan(&dbs); err != nil || dbs != 0 {
			t.Errorf("scratch databases left: %d, %v", dbs, err)
		}
	})
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// timesRE matches the times perch test prints.
var timesRE = regexp.MustCompile(`\d+(\.\d+)?(ms|s)\b`)

// TestPerchTestFailuresGolden prints failing tests (a wrong expectation, a
// status, a budget, a data check) as the CLI does, times masked.
func TestPerchTestFailuresGolden(t *testing.T) {
	dir := copyDir(t, exampleDir)
	write := func(rel, text string) {
		if err := os.WriteFile(filepath.Join(dir, rel), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("tests/revenue_by_country.yaml", `- name: three_days
  parameters: date_from=2024-05-01&date_to=2024-05-03
  expected_result: |
    {"country":"DE","total_orders":3,"total_revenue":160.75,"avg_order_value":53.58}
    {"country":"US","total_orders":"4","total_revenue":99.5,"avg_order_value":33.17}
    {"country":"ES","total_orders":3,"total_revenue":40.24,"avg_order_value":13.41}
- name: limit_is_a_number
  parameters: limit=lots
- name: reads_nothing
  parameters: date_from=2024-05-01&date_to=2024-05-03
  max_rows_read: 1
`)
	write("tests/events.yaml", `- name: no_signups
  sql: SELECT event_id, event_type FROM events WHERE event_type = 'signup'
`)
	code, out, errs := perch("test", dir, "revenue_by_country", "events")
	if code != exitError {
		t.Fatalf("perch test = %d, want 1\n%s%s", code, out, errs)
	}
	got := strings.ReplaceAll(out, dir, "DIR")
	got = regexp.MustCompile(`perch_test_\S+|embedded 26\.[0-9.]+`).ReplaceAllString(got, "X")
	workspaceGolden(t, "test_failures.golden", []byte(timesRE.ReplaceAllString(got, "T")))
}

// TestPerchTestUpdateAndJSON rewrites a stale expectation with --update
// and reads the --json report.
func TestPerchTestUpdateAndJSON(t *testing.T) {
	dir := copyDir(t, exampleDir)
	path := filepath.Join(dir, "tests", "trend.yaml")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	stale := strings.Replace(string(src), `"pageviews":`, `"pageviews":1000`, 1)
	if err := os.WriteFile(path, []byte(stale), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := perch("test", dir, "trend"); code != exitError || !strings.Contains(out, "FAIL trend.first_day") {
		t.Fatalf("stale expectation: %d\n%s", code, out)
	}
	code, out, errs := perch("test", dir, "trend", "--update")
	if code != exitOK || !strings.Contains(out, "updated trend.first_day\n") {
		t.Fatalf("--update = %d\n%s%s", code, out, errs)
	}
	if now, _ := os.ReadFile(path); string(now) != string(src) {
		t.Errorf("--update did not restore the file:\n%s", now)
	}
	code, out, errs = perch("test", dir, "--json", "trend.one_page")
	var rep testrun.Report
	if code != exitOK || json.Unmarshal([]byte(out), &rep) != nil {
		t.Fatalf("--json = %d\n%s%s", code, out, errs)
	}
	if len(rep.Tests) != 1 || rep.Tests[0].Name != "trend.one_page" || !rep.Tests[0].Passed || rep.Passed != 1 || len(rep.Stages) != 5 {
		t.Errorf("report = %+v", rep)
	}
	if code, _, errs := perch("test", dir, "nope"); code != exitError || !strings.Contains(errs, "no test named nope") {
		t.Errorf("unknown test name: %d %s", code, errs)
	}
}

// TestPerchBuild reports a node that fails with its datafile position.
func TestPerchBuild(t *testing.T) {
	dir := copyDir(t, exampleDir)
	if code, out, errs := perch("build", dir); code != exitOK || !strings.Contains(out, "build: deployed 11 changes, loaded 1 fixtures (69 rows), ran 5 nodes on a throwaway") {
		t.Fatalf("perch build = %d\n%s%s", code, out, errs)
	}
	pipe := filepath.Join(dir, "endpoints", "trend.pipe")
	src, _ := os.ReadFile(pipe)
	broken := strings.Replace(string(src), "countMerge(pageviews) AS pageviews", "countMerge(page_views) AS pageviews", 1)
	if err := os.WriteFile(pipe, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := perch("build", dir)
	// The failure points into the endpoint node's SQL (where the engine's
	// error points when it gives a position, else the SQL's first line).
	first, last := 0, 0
	for i, l := range strings.Split(broken, "\n") {
		switch {
		case strings.HasPrefix(l, "SQL >"):
			first = i + 2
		case strings.HasPrefix(l, "TYPE endpoint"):
			last = i
		}
	}
	at := regexp.MustCompile(regexp.QuoteMeta(pipe) + `:(\d+):\d+: .*page_views`).FindStringSubmatch(out)
	if code != exitError || !strings.Contains(out, "FAIL build trend.endpoint") || at == nil {
		t.Fatalf("perch build = %d, want 1 with a position in %s\n%s%s", code, pipe, out, errs)
	}
	if n, _ := strconv.Atoi(at[1]); n < first || n > last {
		t.Errorf("failure at line %d, want one in the node's SQL (lines %d-%d)", n, first, last)
	}
}

// TestPerchTestRegression compares the example deployed on a server with
// a local edit that changes an endpoint's order, read-only.
func TestPerchTestRegression(t *testing.T) {
	srv := demoServer(t)
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		dir := copyDir(t, exampleDir)
		if code, out, errs := perch("apply", dir, "--auto-approve", "--dsn", db.DSN); code != exitOK {
			t.Fatalf("apply = %d\n%s%s", code, out, errs)
		}
		if code, out, errs := perch("append", dir, "events", filepath.Join(dir, "fixtures", "events.ndjson"), "--dsn", db.DSN); code != exitOK {
			t.Fatalf("append = %d\n%s%s", code, out, errs)
		}
		code, out, errs := perch("test", dir, "--regression", "--dsn", db.DSN)
		if code != exitOK || !strings.Contains(out, "0 of 4 endpoints answer differently") {
			t.Fatalf("regression with no change = %d\n%s%s", code, out, errs)
		}
		pipe := filepath.Join(dir, "endpoints", "top_pages.pipe")
		src, _ := os.ReadFile(pipe)
		if err := os.WriteFile(pipe, []byte(strings.Replace(string(src), "ORDER BY visitors DESC, pathname", "ORDER BY pathname", 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		code, out, errs = perch("test", dir, "--regression", "--dsn", db.DSN)
		if code != exitError || !strings.Contains(out, "CHANGED  top_pages") || !strings.Contains(out, "same     trend") || !strings.Contains(errs, "--allow-changes") {
			t.Fatalf("regression with a change = %d\n%s%s", code, out, errs)
		}
		t.Logf("regression in %s:\n%s", time.Since(start).Round(time.Millisecond), out)
		if code, out, errs = perch("test", dir, "--regression", "--allow-changes", "--dsn", db.DSN); code != exitOK {
			t.Fatalf("--allow-changes = %d\n%s%s", code, out, errs)
		}
		// Read-only: the workspace still holds only what was deployed and appended.
		var n uint64
		if err := db.Conn.QueryRow(context.Background(), "SELECT count() FROM events").Scan(&n); err != nil || n != 69 {
			t.Errorf("events = %d, %v", n, err)
		}
	})
}

// BenchmarkPerchTestExample is `perch test` on the example, end to end:
// start a throwaway engine, deploy, load the fixtures, build, run the 15
// tests, remove the engine. It reports the time of each stage.
func BenchmarkPerchTestExample(b *testing.B) {
	dir := copyDir(b, exampleDir)
	stages := map[string]float64{}
	for b.Loop() {
		code, out, errs := perch("test", dir, "--json")
		var rep testrun.Report
		if code != exitOK || json.Unmarshal([]byte(out), &rep) != nil {
			b.Fatalf("perch test = %d\n%s%s", code, out, errs)
		}
		for _, s := range rep.Stages {
			stages[s.Name] += s.ElapsedMS
		}
		stages["per-test"] += rep.Stages[len(rep.Stages)-1].ElapsedMS / float64(len(rep.Tests))
	}
	for name, ms := range stages {
		b.ReportMetric(ms/float64(b.N), name+"-ms")
	}
}
