package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/plan"
)

var updateWorkspaceGolden = flag.Bool("update-workspace", false, "rewrite the golden files of status and history")

func workspaceGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateWorkspaceGolden {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update-workspace)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n%s\nwant:\n%s", name, got, want)
	}
}

func TestPrintStatusGolden(t *testing.T) {
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	st := statusJSON{
		Target: "production", DSN: "clickhouse://deploy:***@ch.example.com:9440", Database: "analytics", Source: "--target production",
		Server: "24.8.4.13", Capabilities: []string{"EXCHANGE TABLES", "MODIFY QUERY"},
		Counts: map[string]int{"table": 4, "materialized_view": 2}, Rows: 1234567, Bytes: 3 << 30,
		Latest: &workspace.Deployment{ID: "20261125T100000Z-abcdef", Time: at, Author: "ana"},
		Drift: &workspace.DriftReport{Items: []workspace.DriftItem{
			{Name: "events", Kind: "datasource", Status: workspace.Drifted, Changes: []workspace.FieldChange{{Field: "column.dropped", Column: "hand_made", Remote: "UInt8"}}},
			{Name: "daily", Kind: "datasource", Status: workspace.InSync},
			{Name: "scratch", Kind: "datasource", Status: workspace.Unmanaged},
			{Name: "daily_mv", Kind: "pipe", Status: workspace.Missing},
			{Name: "sales_daily", Kind: "pipe", Status: workspace.Drifted, Changes: []workspace.FieldChange{{Field: "query",
				Local:  "SELECT toDate(timestamp) AS day,\n    sum(revenue) AS revenue\nFROM events\nGROUP BY day",
				Remote: "SELECT toDate(timestamp) AS day, sum(revenue) AS revenue FROM events WHERE timestamp >= toDateTime(1796164392) GROUP BY day"}}},
		}},
		DriftSummary: "1 in sync, 2 drifted, 1 missing, 1 unmanaged",
		Branches: []branchJSON{
			{Name: "by_country", Database: "analytics__br_by_country", Created: at, From: "local", Sample: "10%", State: "ready", Rows: 123456, Bytes: 5 << 20},
			{Name: "last", Database: "analytics__br_last", Created: at, From: "deployed 20261125T100000Z-abcdef", Sample: "last partition", State: "creating", Rows: 0, Bytes: 1 << 10},
		},
	}
	var b bytes.Buffer
	printStatus(&b, st)
	workspaceGolden(t, "status.golden", b.Bytes())
}

func TestPrintHistoryGolden(t *testing.T) {
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	ds := []*workspace.Deployment{
		{ID: "20261125T110000Z-123456", Time: at.Add(time.Hour), Author: "bo", Outcome: workspace.OutcomeFailed, Message: "widen key", Error: "exec ALTER: boom", FileCount: 3},
		{ID: "20261125T100000Z-abcdef", Time: at, Author: "Ana <ana@example.com>", GitCommit: "0123456789abcdef", GitBranch: "main", Outcome: workspace.OutcomeSuccess,
			Message: "first deploy of the analytics pipeline, with every data source and materialization\nsecond line", FileCount: 12},
	}
	var b bytes.Buffer
	if err := printHistory(&b, ds); err != nil {
		t.Fatal(err)
	}
	workspaceGolden(t, "history.golden", b.Bytes())
}

func TestPrintDeploymentGolden(t *testing.T) {
	p := &plan.Plan{FormatVersion: plan.FormatVersion, Database: "analytics"}
	planJSON, err := p.MarshalStable()
	if err != nil {
		t.Fatal(err)
	}
	d := &workspace.Deployment{
		ID: "20261125T100000Z-abcdef", Time: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC),
		Author: "Ana <ana@example.com>", GitCommit: "0123456789abcdef-dirty", GitBranch: "main",
		Message: "sort events by page", Outcome: workspace.OutcomeSuccess, PerchVersion: "v0.1.0",
		Plan: string(planJSON),
		Files: []workspace.DeployedFile{
			{Path: "datasources/events.datasource", Text: "SCHEMA >\n    `a` UInt8\n"},
			{Path: "pipes/top.pipe", Text: "NODE n\nSQL >\n    SELECT 1"},
		},
	}
	for _, files := range []bool{false, true} {
		var b bytes.Buffer
		if err := printDeployment(&b, &app.Entry{Deployment: d, Plan: p}, files); err != nil {
			t.Fatal(err)
		}
		workspaceGolden(t, fmt.Sprintf("deployment_files_%v.golden", files), b.Bytes())
	}
}
