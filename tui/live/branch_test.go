package live

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/branch"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

// TestSwitchBranch: the backend lists the workspace's branches and, once
// switched, works on the branch (its database, its data) until switched back.
func TestSwitchBranch(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		ctx := context.Background()
		dir := branchedProject(t, db, "half")
		b := New(dir, workspace.Selection{DSN: db.DSN}, nil)
		defer b.Close()
		local, err := b.Local(ctx)
		if err != nil {
			t.Fatal(err)
		}
		names, err := b.Branches(ctx)
		if err != nil || len(names) != 1 || names[0] != "half" {
			t.Fatalf("branches %v %v", names, err)
		}
		hits := func() string {
			r, err := b.Preview(ctx, tui.PreviewRequest{Pipe: "top", Node: "top", Params: map[string]string{"country": "FR"}})
			if err != nil {
				t.Fatal(err)
			}
			var total []string
			for _, row := range r.Rows {
				total = append(total, strings.Join(row, "="))
			}
			return strings.Join(total, " ")
		}
		all := hits()
		for _, step := range []struct {
			name, db, branch string
		}{{"half", db.Name + "__br_half", "half"}, {workspace.MainBranch, db.Name, ""}} {
			if err := b.SwitchBranch(ctx, step.name); err != nil {
				t.Fatal(err)
			}
			r, err := b.Remote(ctx, local)
			if err != nil {
				t.Fatal(err)
			}
			if r.Database != step.db || r.Branch != step.branch {
				t.Errorf("after switching to %s: database %s, branch %q", step.name, r.Database, r.Branch)
			}
			if got := hits(); (step.branch == "") != (got == all) {
				t.Errorf("on %s the endpoint returns %s (the workspace: %s)", step.name, got, all)
			}
		}
		if err := b.SwitchBranch(ctx, "no such"); err == nil {
			t.Error("switched to an invalid branch name")
		}
	})
}

// branchedProject deploys the test project to db with 1,000 events and
// makes the branches named: half of the rows, or all of them for "full".
func branchedProject(t *testing.T, db *clickhousetest.DB, branches ...string) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "datasources", "events.datasource"), strings.Replace(eventsDS, "%s", "timestamp", 1))
	writeFile(t, filepath.Join(dir, "endpoints", "top.pipe"), topPipe)
	c, err := workspace.Open(ctx, workspace.Target{Name: "test", DSN: db.DSN, Database: db.Name, Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	p, err := datafiles.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := &app.App{Dir: dir}
	prep, err := a.Plan(ctx, c, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Apply(ctx, c, prep, app.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	db.Exec(t, "INSERT INTO events SELECT toDateTime('2026-01-01 00:00:00') + number, if(number % 2 = 0, '/a', '/b'), 'FR' FROM system.numbers LIMIT 1000")
	for _, name := range branches {
		pct := "50"
		if name == "full" {
			pct = "100"
		}
		if _, err := branch.Create(ctx, a, c, branch.CreateOptions{Name: name, Project: p, Sample: mustPercent(t, pct)}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Exec(t, "DROP DATABASE IF EXISTS "+workspace.QuoteIdent(db.Name+"__br_"+name)) })
	}
	return dir

}

// TestComparePreview: the node runs on the target and on another branch
// with the same SQL and parameters; equal results say so, a branch with
// half the rows reads less and differs, a side that cannot run fails
// alone, side A follows the branch switched to.
func TestComparePreview(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		ctx := context.Background()
		dir := branchedProject(t, db, "half", "full")
		b := New(dir, workspace.Selection{DSN: db.DSN}, nil)
		defer b.Close()
		if _, err := b.Local(ctx); err != nil {
			t.Fatal(err)
		}
		compare := func(against string) *tui.PreviewComparison {
			t.Helper()
			progress, progressB := make(chan tui.PreviewProgress, 64), make(chan tui.PreviewProgress, 64)
			c, err := b.ComparePreview(ctx, tui.CompareRequest{
				PreviewRequest: tui.PreviewRequest{Pipe: "top", Node: "top", Params: map[string]string{"country": "FR"}, Progress: progress},
				Against:        against, ProgressB: progressB})
			if err != nil {
				t.Fatalf("compare with %s: %v", against, err)
			}
			return c
		}
		full := compare("full")
		if full.A.Name != workspace.MainBranch || full.B.Name != "full" || full.A.Err != nil || full.B.Err != nil || !full.Equal || full.Difference != "" {
			t.Fatalf("main and full: %+v", full)
		}
		if full.A.Result.RowsRead != 1000 || full.B.Result.RowsRead != 1000 || len(full.A.Result.Rows) != 2 {
			t.Errorf("rows read: %d and %d, %d rows", full.A.Result.RowsRead, full.B.Result.RowsRead, len(full.A.Result.Rows))
		}
		half := compare("half")
		if half.A.Err != nil || half.B.Err != nil || half.Equal || !strings.Contains(half.Difference, "rows differ") {
			t.Fatalf("main and half: %+v", half)
		}
		if r := half.B.Result.RowsRead; r == 0 || r >= half.A.Result.RowsRead {
			t.Errorf("half read %d rows, main %d", r, half.A.Result.RowsRead)
		}
		gone := compare("gone")
		if gone.A.Err != nil || gone.B.Err == nil || gone.B.Result != nil || gone.Equal {
			t.Errorf("against a branch that does not exist: %+v", gone)
		}
		if err := b.SwitchBranch(ctx, "half"); err != nil {
			t.Fatal(err)
		}
		back := compare(workspace.MainBranch)
		if back.A.Name != "half" || back.Equal || back.A.Result.RowsRead != half.B.Result.RowsRead || back.B.Result.RowsRead != half.A.Result.RowsRead {
			t.Errorf("half against main: %+v", back)
		}
		if _, err := b.ComparePreview(ctx, tui.CompareRequest{PreviewRequest: tui.PreviewRequest{Pipe: "top", Node: "top"}, Against: "half"}); err == nil {
			t.Error("compared half with itself")
		}
	})
}

func mustPercent(t *testing.T, s string) branch.Sample {
	t.Helper()
	p, err := branch.ParsePercent(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
