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
		if _, err := branch.Create(ctx, a, c, branch.CreateOptions{Name: "half", Project: p, Sample: mustPercent(t, "50")}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Exec(t, "DROP DATABASE IF EXISTS "+workspace.QuoteIdent(db.Name+"__br_half")) })

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

func mustPercent(t *testing.T, s string) branch.Sample {
	t.Helper()
	p, err := branch.ParsePercent(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
