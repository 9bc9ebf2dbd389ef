package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

// TestPullStatusPreviewHistory adopts a database with `perch pull`, then
// checks status, preview of the pulled pipes and history through the CLI.
func TestPullStatusPreviewHistory(t *testing.T) {
	srv := demoServer(t)
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		db.Exec(t,
			"CREATE TABLE events (ts DateTime, user_id UInt64, name String) ENGINE = MergeTree() PARTITION BY toYYYYMM(ts) ORDER BY (user_id, ts)",
			"CREATE TABLE per_user (user_id UInt64, n UInt64) ENGINE = SummingMergeTree() ORDER BY user_id",
			"CREATE MATERIALIZED VIEW per_user_mv TO per_user AS SELECT user_id, count() AS n FROM events GROUP BY user_id",
			"INSERT INTO events SELECT toDateTime('2024-01-01 00:00:00') + number, number % 5, 'e' FROM numbers(50)",
		)
		dir := t.TempDir()
		ctx := context.Background()
		cli := func(args ...string) (int, string, string) {
			e, out, errb := testEnv()
			code := run(ctx, e, append(args, "--dsn", db.DSN))
			return code, out.String(), errb.String()
		}

		code, out, errs := cli("pull", dir)
		if code != exitOK || !strings.Contains(out, "created   datasources/events.datasource") || !strings.Contains(out, "materializations/per_user_mv.pipe") {
			t.Fatalf("pull = %d\n%s%s", code, out, errs)
		}
		if _, err := os.Stat(filepath.Join(dir, "datasources", "per_user.datasource")); err != nil {
			t.Fatal(err)
		}

		code, out, errs = cli("status", dir, "--json")
		if code != exitOK {
			t.Fatalf("status = %d %s", code, errs)
		}
		var st struct {
			Database     string         `json:"database"`
			Server       string         `json:"server_version"`
			Counts       map[string]int `json:"counts"`
			Rows         uint64         `json:"rows"`
			DriftSummary string         `json:"drift_summary"`
		}
		if err := json.Unmarshal([]byte(out), &st); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if st.Database != db.Name || st.Server == "" || st.Counts["table"] != 2 || st.Counts["materialized_view"] != 1 || st.Rows != 55 || st.DriftSummary != "3 unmanaged" {
			t.Errorf("status = %+v", st)
		}
		code, out, _ = cli("status", dir)
		if code != exitOK || !strings.Contains(out, "2 tables, 1 materialized views, 0 views") || !strings.Contains(out, "deployed   never") {
			t.Errorf("status text:\n%s", out)
		}

		code, out, errs = cli("preview", dir, "per_user_mv", "--format", "csv", "--limit", "3")
		if code != exitOK || !strings.HasPrefix(out, "user_id,n\n") || strings.Count(out, "\n") != 4 {
			t.Errorf("preview = %d\n%s%s", code, out, errs)
		}
		if !strings.Contains(errs, "truncated at 3") {
			t.Errorf("preview did not report truncation: %s", errs)
		}
		code, out, _ = cli("preview", dir, "per_user_mv", "--format", "json")
		var pj struct {
			Columns   []workspace.PreviewColumn `json:"columns"`
			Rows      [][]*string               `json:"rows"`
			Truncated bool                      `json:"truncated"`
		}
		if err := json.Unmarshal([]byte(out), &pj); err != nil || code != exitOK || len(pj.Rows) != 5 || pj.Truncated || pj.Columns[1].Type != "UInt64" {
			t.Errorf("preview json = %d %v\n%s", code, err, out)
		}

		code, out, _ = cli("history", dir)
		if code != exitOK || !strings.Contains(out, "no deployments recorded") {
			t.Errorf("history before deploy = %d %s", code, out)
		}
		c, err := workspace.Open(ctx, workspace.Target{Name: "t", DSN: db.DSN, Database: db.Name, Source: "test"})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		d := &workspace.Deployment{Author: "ana", Message: "first\nsecond line", GitCommit: "0123456789abcdef", GitBranch: "main", Outcome: workspace.OutcomeSuccess,
			Files: []workspace.DeployedFile{{Path: "datasources/events.datasource", Text: "x"}}}
		if err := c.Record(ctx, d); err != nil {
			t.Fatal(err)
		}
		code, out, _ = cli("history", dir)
		if code != exitOK || !strings.Contains(out, d.ID) || !strings.Contains(out, "0123456789 (main)") || strings.Contains(out, "second line") {
			t.Errorf("history = %d\n%s", code, out)
		}
		code, out, _ = cli("history", dir, "--json")
		var hist []workspace.Deployment
		if err := json.Unmarshal([]byte(out), &hist); err != nil || code != exitOK || len(hist) != 1 || hist[0].FileCount != 1 {
			t.Errorf("history json = %d %v %s", code, err, out)
		}
		code, out, _ = cli("history", dir, "--show", d.ID[:12], "--files")
		if code != exitOK || !strings.Contains(out, "deployment "+d.ID) || !strings.Contains(out, "commit     0123456789abcdef (main)") ||
			!strings.Contains(out, "--- datasources/events.datasource\nx\n") {
			t.Errorf("history --show = %d\n%s", code, out)
		}
		if code, out, _ = cli("history", dir, "--show", "19990101"); code != exitError {
			t.Errorf("history --show of an unknown id = %d, want 1\n%s", code, out)
		}
	})
}

// TestLocalStartStatusStop drives `perch local` on a temporary project.
func TestLocalStartStatusStop(t *testing.T) {
	demoServer(t) // skips without a binary
	dir := t.TempDir()
	ctx := context.Background()
	cli := func(args ...string) (int, string) {
		e, out, errb := testEnv()
		code := run(ctx, e, args)
		return code, out.String() + errb.String()
	}
	t.Cleanup(func() { cli("local", "stop", dir) })
	if code, out := cli("local", "status", dir); code != exitOK || !strings.Contains(out, "not running") {
		t.Fatalf("status before start = %d %s", code, out)
	}
	if code, out := cli("local", "start", dir); code != exitOK || !strings.Contains(out, "started") {
		t.Fatalf("start = %d %s", code, out)
	}
	if code, out := cli("local", "start", dir); code != exitOK || !strings.Contains(out, "already running") {
		t.Fatalf("second start = %d %s", code, out)
	}
	code, out := cli("local", "status", dir, "--json")
	var st struct {
		Running bool   `json:"running"`
		Version string `json:"version"`
		State   struct {
			PID   int `json:"pid"`
			Ports struct {
				TCP int `json:"tcp"`
			} `json:"ports"`
		} `json:"state"`
		DataBytes int64 `json:"data_bytes"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != exitOK || !st.Running || st.Version == "" || st.State.PID == 0 || st.State.Ports.TCP == 0 || st.DataBytes == 0 {
		t.Fatalf("status = %d %v %s", code, err, out)
	}
	// The local server is the default target: status works without flags.
	if code, out := cli("status", dir); code != exitOK || !strings.Contains(out, "target     local") {
		t.Errorf("status on the local server = %d %s", code, out)
	}
	if code, out := cli("local", "stop", dir); code != exitOK || !strings.Contains(out, "stopped") {
		t.Fatalf("stop = %d %s", code, out)
	}
	if code, out := cli("status", dir); code != exitError || !strings.Contains(out, "perch local start") {
		t.Errorf("status with the server stopped = %d %s", code, out)
	}
}
