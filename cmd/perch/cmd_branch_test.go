package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/branch"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

// goldenComparison is a comparison with every kind of line: equal, a
// difference, a cut result, a compile error and a failed side.
func goldenComparison() *branch.Comparison {
	side := func(rows, bytes uint64, ms float64, n int) branch.SideResult {
		return branch.SideResult{RowsRead: rows, BytesRead: bytes, Elapsed: time.Duration(ms * float64(time.Millisecond)), Rows: n}
	}
	cut := side(20000, 1<<20, 30, 1000)
	cut.Truncated = true
	failed := side(0, 0, 0, 0)
	failed.Error = "shop__br_by_page: preview: code: 47, message: Missing columns: 'pathnme'"
	return &branch.Comparison{A: "by_time", B: "by_page", Cases: []branch.Case{
		{Endpoint: "live_activity", Equal: true, A: side(120000, 9<<20, 12.5, 4), B: side(120000, 9<<20, 11.25, 4)},
		{Endpoint: "live_activity", Test: "pricing", Params: "pathname=/pricing&minutes=10", Equal: true, A: side(120000, 9<<20, 12, 4), B: side(8192, 640<<10, 2, 4)},
		{Endpoint: "top_pages", Equal: false, Difference: "1 of 10 rows differ; first: median_time_on_page_ms 21286 vs 21322 (0.17%)", A: side(4000, 200<<10, 3, 10), B: side(4000, 200<<10, 3, 9)},
		{Endpoint: "trend", A: cut, B: cut},
		{Endpoint: "broken", Error: "endpoints/broken.pipe:3:5: unknown table evnts"},
		{Endpoint: "renamed", A: side(10, 100, 1, 1), B: failed},
	}}
}

func TestPrintComparisonGolden(t *testing.T) {
	var b bytes.Buffer
	if err := printComparison(&b, goldenComparison()); err != nil {
		t.Fatal(err)
	}
	workspaceGolden(t, "branch_compare.golden", b.Bytes())
	js, err := comparisonJSON(goldenComparison())
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Endpoints []map[string]json.RawMessage `json:"endpoints"`
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
	if len(doc.Endpoints) != 6 || doc.Endpoints[0]["by_time"] == nil || doc.Endpoints[0]["by_page"] == nil || string(doc.Endpoints[0]["results_equal"]) != "true" {
		t.Errorf("document %s", js)
	}
	workspaceGolden(t, "branch_compare_json.golden", js)
	empty, err := comparisonJSON(&branch.Comparison{A: "main", B: "x"})
	if err != nil || string(empty) != "{\n  \"endpoints\": []\n}\n" {
		t.Errorf("empty comparison: %q %v", empty, err)
	}
}

func TestPrintBranchesGolden(t *testing.T) {
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	list := []branch.Info{
		{BranchRecord: workspace.BranchRecord{Name: "by_page", Database: "shop__br_by_page", Created: at, From: "local", Sample: "10%",
			Masks: []string{"user_id=hash", "events.referrer=redact"}, State: workspace.BranchReady, Rows: 61234}, SizeRows: 70000, SizeBytes: 3 << 20},
		{BranchRecord: workspace.BranchRecord{Name: "old", Database: "shop__br_old", Created: at.Add(-48 * time.Hour), From: "deployed 20261120T090000Z-0a1b2c",
			Sample: "last partition", State: workspace.BranchCreating}, SizeBytes: 512},
	}
	var b bytes.Buffer
	if err := printBranches(&b, list); err != nil {
		t.Fatal(err)
	}
	workspaceGolden(t, "branch_ls.golden", b.Bytes())
}

func TestChooseSample(t *testing.T) {
	for _, tc := range []struct {
		pct  string
		rows uint64
		last bool
		want string
		err  string
	}{
		{want: "10%"},
		{pct: "2.5", want: "2.5%"},
		{rows: 1000, want: "1000 rows"},
		{last: true, want: "last partition"},
		{pct: "10", last: true, err: "choose one"},
		{pct: "0", err: "more than 0"},
	} {
		s, err := chooseSample(tc.pct, tc.rows, tc.last)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%+v: %v", tc, err)
			}
			continue
		}
		if err != nil || s.String() != tc.want {
			t.Errorf("%+v: %v %v", tc, s, err)
		}
	}
}

// TestBranchCommands drives the branch commands through the CLI on the
// example project, on both engines: two branches of different sorting keys, listed, used
// with --branch, compared (equal results), shown by status, removed.
func TestBranchCommands(t *testing.T) {
	demoServer(t).ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		t.Cleanup(func() {
			for _, b := range []string{"by_time", "by_page"} {
				db.Exec(t, "DROP DATABASE IF EXISTS "+workspace.QuoteIdent(db.Name+"__br_"+b))
			}
		})
		ctx := context.Background()
		cli := func(args ...string) (int, string, string) {
			e, out, errb := testEnv()
			code := run(ctx, e, append(args, "--dsn", db.DSN))
			return code, out.String(), errb.String()
		}
		dirA := copyExample(t)
		// One test of the project's own instead of the example's.
		tests := "- name: pricing\n  parameters: pathname=/pricing&minutes=10\n"
		if err := os.RemoveAll(filepath.Join(dirA, "tests")); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dirA, "tests"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dirA, "tests", "live_activity.yaml"), []byte(tests), 0o644); err != nil {
			t.Fatal(err)
		}
		dirB := copyExample(t)
		events := filepath.Join(dirB, "datasources", "events.datasource")
		text, err := os.ReadFile(events)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(events, bytes.Replace(text, []byte(`ENGINE_SORTING_KEY "timestamp, session_id"`), []byte(`ENGINE_SORTING_KEY "pathname, timestamp"`), 1), 0o644); err != nil {
			t.Fatal(err)
		}

		if code, out, errs := cli("apply", dirA, "--auto-approve"); code != exitOK {
			t.Fatalf("apply = %d\n%s%s", code, out, errs)
		}
		// Events of the last minute and of two to three days ago: none near the
		// five-minute window of live_activity, so both sides see the same rows.
		db.Exec(t, "INSERT INTO events SELECT number, now() - if(number % 2 = 0, number % 60, 172800 + number % 86400), toString(number % 997), toString(number % 101), "+
			"['pageview', 'click', 'purchase'][number % 3 + 1], ['/', '/pricing', '/docs', '/blog'][number % 4 + 1], '', ['FR', 'DE', 'US'][number % 3 + 1], 'desktop', 'firefox', "+
			"number % 5000, if(number % 3 = 2, (number % 100) / 4, 0) FROM numbers(40000)")

		code, out, errs := cli("branch", "create", "by_time", dirA, "--sample", "20")
		if code != exitOK || !strings.Contains(out, "events: ") || !strings.Contains(out, "Branch by_time ready") {
			t.Fatalf("create by_time = %d\n%s%s", code, out, errs)
		}
		if code, out, errs = cli("branch", "create", "by_page", dirB, "--sample", "20", "--mask", "user_id=hash"); code != exitOK || !strings.Contains(out, "masked user_id=hash") {
			t.Fatalf("create by_page = %d\n%s%s", code, out, errs)
		}

		code, out, errs = cli("branch", "ls", dirA, "--json")
		var list []branchJSON
		if err := json.Unmarshal([]byte(out), &list); code != exitOK || err != nil {
			t.Fatalf("ls = %d %v\n%s%s", code, err, out, errs)
		}
		if len(list) != 2 || list[0].Name != "by_page" || list[1].Name != "by_time" || list[0].Rows != list[1].Rows || list[0].Rows < 6000 || list[0].Bytes == 0 {
			t.Errorf("ls: %+v", list)
		}

		// With --branch, plan, preview and status run on the branch.
		if code, out, errs = cli("plan", dirA, "--branch", "by_time", "--detailed-exitcode"); code != exitOK {
			t.Errorf("plan --branch by_time = %d\n%s%s", code, out, errs)
		}
		if code, out, errs = cli("plan", dirB, "--branch", "by_time", "--detailed-exitcode"); code != exitChanges || !strings.Contains(out, "events") {
			t.Errorf("plan of the other design on by_time = %d\n%s%s", code, out, errs)
		}
		if code, out, errs = cli("preview", dirA, "top_pages", "--branch", "by_time", "--format", "csv"); code != exitOK || !strings.Contains(out, "/pricing") {
			t.Errorf("preview --branch = %d\n%s%s", code, out, errs)
		}
		code, out, errs = cli("status", dirA, "--branch", "by_time")
		if code != exitOK || !strings.Contains(out, "database   "+db.Name+"__br_by_time") || !strings.Contains(out, "branch     by_time of workspace "+db.Name) || !strings.Contains(out, "branches   2") {
			t.Errorf("status --branch = %d\n%s%s", code, out, errs)
		}
		code, out, _ = cli("status", dirA, "--json")
		var st statusJSON
		if err := json.Unmarshal([]byte(out), &st); code != exitOK || err != nil || len(st.Branches) != 2 || st.Branch != "" {
			t.Errorf("status --json = %d %v: %+v", code, err, st.Branches)
		}

		// Compare: the same sample gives the same results; masked user ids
		// change no result of the example (uniq counts stay the same).
		code, out, errs = cli("branch", "compare", "by_time", "by_page", dirA, "--json")
		var doc struct {
			Endpoints []map[string]json.RawMessage `json:"endpoints"`
		}
		if err := json.Unmarshal([]byte(out), &doc); code != exitOK || err != nil {
			t.Fatalf("compare = %d %v\n%s%s", code, err, out, errs)
		}
		if len(doc.Endpoints) != 5 {
			t.Errorf("%d cases, want the 4 endpoints and 1 test:\n%s", len(doc.Endpoints), out)
		}
		for _, ep := range doc.Endpoints {
			if string(ep["results_equal"]) != "true" || ep["by_time"] == nil || ep["by_page"] == nil {
				t.Errorf("case %s %s: %s", ep["endpoint"], ep["params"], out)
			}
		}
		if code, out, _ = cli("branch", "compare", "main", "by_time", dirA); code != exitOK || !strings.Contains(out, "results differ") {
			t.Errorf("compare main by_time = %d\n%s", code, out)
		}

		// Refusals.
		for _, tc := range []struct {
			args []string
			msg  string
		}{
			{[]string{"apply", dirA, "--branch", "nothere", "--auto-approve"}, "has no branch nothere"},
			{[]string{"branch", "create", "main", dirA}, "names the workspace itself"},
			{[]string{"branch", "create", "x", dirA, "--rows", "5", "--last-partition"}, "choose one of"},
			{[]string{"branch", "create", "x", dirA, "--mask", "user_id=scramble"}, "unknown mask"},
			{[]string{"branch", "compare", "by_time", "by_time", dirA}, "with itself"},
			{[]string{"branch", "rm", "nothere", dirA}, "has no branch nothere"},
			{[]string{"branch", "frobnicate"}, "unknown action"},
		} {
			if code, out, errs := cli(tc.args...); code != exitError || !strings.Contains(errs, tc.msg) {
				t.Errorf("%v = %d, want %q\n%s%s", tc.args, code, tc.msg, out, errs)
			}
		}

		if code, out, errs = cli("branch", "rm", "by_time", dirA); code != exitOK || !strings.Contains(out, "Removed branch by_time") {
			t.Errorf("rm = %d\n%s%s", code, out, errs)
		}
		code, out, _ = cli("history", dirA)
		if code != exitOK || !strings.Contains(out, "branch removed") || strings.Count(out, "branch created") != 2 {
			t.Errorf("history:\n%s", out)
		}
		if code, out, _ = cli("branch", "ls", dirA); code != exitOK || strings.Contains(out, "by_time") || !strings.Contains(out, "by_page") {
			t.Errorf("ls after rm:\n%s", out)
		}
	})
}
