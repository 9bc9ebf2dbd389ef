package branch

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

// TestListAndRemove: ls lists perch's branches with their size, never a
// database perch did not create; rm drops a branch, records it in the
// workspace log, and refuses what is not a perch branch of this workspace.
func TestListAndRemove(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		w := newWorkspace(t, db, 20000)
		ctx := context.Background()
		pct, _ := ParsePercent("50")
		w.create(t, "one", w.dir, CreateOptions{Sample: pct})
		w.create(t, "two", w.dir, CreateOptions{Sample: Sample{Kind: SampleAll}})
		foreign := w.db.Name + "__br_foreign"
		w.db.Exec(t, "CREATE DATABASE "+qi(foreign), "CREATE TABLE "+qi(foreign)+".t (a UInt8) ENGINE = Memory")

		list, err := List(ctx, w.c)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Name != "one" || list[1].Name != "two" {
			t.Fatalf("branches %+v, want one and two", list)
		}
		if list[1].Rows != 20050 || list[1].Sample != "all rows" || list[1].From != FromLocal || list[1].State != workspace.BranchReady {
			t.Errorf("two: %+v", list[1].BranchRecord)
		}
		if list[1].SizeRows < 20050 || list[1].SizeBytes == 0 || list[0].SizeRows >= list[1].SizeRows {
			t.Errorf("sizes: one %d rows %d bytes, two %d rows %d bytes", list[0].SizeRows, list[0].SizeBytes, list[1].SizeRows, list[1].SizeBytes)
		}

		for _, tc := range []struct{ name, err string }{
			{"foreign", "perch did not create it and will not drop it"},
			{"nothing", "has no branch nothing"},
			{"main", "names the workspace itself"},
			{"bad-name", "want 1-63 letters"},
		} {
			if _, err := Remove(ctx, w.app(), w.c, tc.name); err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("rm %s: %v, want %q", tc.name, err, tc.err)
			}
		}
		if n := w.count(t, "SELECT count() FROM system.databases WHERE name = '"+foreign+"'"); n != 1 {
			t.Fatal("the foreign database was dropped")
		}
		if _, err := Remove(ctx, w.app(), w.c, "one"); err != nil {
			t.Fatal(err)
		}
		if list, _ = List(ctx, w.c); len(list) != 1 || list[0].Name != "two" {
			t.Errorf("after rm: %+v", list)
		}
		hist, err := w.c.History(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if hist[0].Outcome != workspace.OutcomeBranchRemoved || !strings.Contains(hist[0].Message, "branch one removed") {
			t.Errorf("newest log entry %+v", hist[0])
		}
		// Reverting to a branch entry is refused: it recorded no files.
		if _, err := w.app().Revert(ctx, w.c, hist[0].ID); err == nil || !strings.Contains(err.Error(), "no datafiles") {
			t.Errorf("revert to a branch entry: %v", err)
		}
	})
}

// TestRefusals: what branch create refuses, before it touches anything.
func TestRefusals(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		w := newWorkspace(t, db, 1000)
		ctx := context.Background()
		pct, _ := ParsePercent("10")
		w.create(t, "taken", w.dir, CreateOptions{Sample: pct})
		foreign := w.db.Name + "__br_foreign"
		w.db.Exec(t, "CREATE DATABASE "+qi(foreign))
		refs := writeProject(t, sortA)
		if err := writeFile(refs, "endpoints/prod.pipe", "NODE e\nSQL >\n    SELECT count() FROM "+w.db.Name+".events\n\nTYPE endpoint\n"); err != nil {
			t.Fatal(err)
		}
		branchClient := w.open(t, "taken")
		bareDB := srv.NewDatabaseOn(t, db.Kind)
		bare, err := workspace.Open(ctx, workspace.Target{Name: "test", DSN: bareDB.DSN, Database: bareDB.Name, Source: "test"})
		if err != nil {
			t.Fatal(err)
		}
		defer bare.Close()

		for _, tc := range []struct {
			what string
			c    *workspace.Client
			opts CreateOptions
			err  string
		}{
			{"main", w.c, CreateOptions{Name: "main"}, "names the workspace itself"},
			{"a bad name", w.c, CreateOptions{Name: "x;drop"}, "want 1-63 letters"},
			{"a reserved name", w.c, CreateOptions{Name: "a__b"}, "'__' is reserved"},
			{"an existing branch", w.c, CreateOptions{Name: "taken"}, "branch taken exists"},
			{"a database perch did not make", w.c, CreateOptions{Name: "foreign"}, "perch did not create it"},
			{"a branch of a branch", branchClient, CreateOptions{Name: "nested"}, "already branch taken"},
			{"no deployment with files", bare, CreateOptions{Name: "dep", From: FromDeployed}, "no deployment with files"},
			{"a bad --from", w.c, CreateOptions{Name: "x", From: "yesterday"}, "want local or deployed"},
			{"a project naming the workspace", w.c, CreateOptions{Name: "refs", Project: loadProject(t, refs)}, "prod reads " + w.db.Name + ".events"},
		} {
			opts := tc.opts
			opts.Sample = pct
			if opts.Project == nil {
				opts.Project = loadProject(t, w.dir)
			}
			if _, err := Create(ctx, w.app(), tc.c, opts); err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: %v, want %q", tc.what, err, tc.err)
			}
		}
		// --branch of a branch that does not exist fails to connect, and
		// makes no database (the embedded engine creates a missing one
		// for a workspace, never for a branch).
		missing, err := w.c.Target().WithBranch("nothere")
		if err != nil {
			t.Fatal(err)
		}
		if c, err := workspace.Open(ctx, missing); err == nil {
			c.Close()
			t.Error("connected to a branch that does not exist")
		} else if !strings.Contains(err.Error(), "has no branch nothere") {
			t.Errorf("open a missing branch: %v", err)
		}
		dbs, err := w.c.BranchDatabases(ctx, w.db.Name)
		if err != nil || len(dbs) != 2 {
			t.Errorf("databases after refusals: %v %v", dbs, err)
		}
	})
}

// TestApplyChecksTheBranch: --branch can only lead apply to the branch
// perch made for that name; a plan saved for a branch never applies to the
// workspace.
func TestApplyChecksTheBranch(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		w := newWorkspace(t, db, 1000)
		ctx := context.Background()
		pct, _ := ParsePercent("10")
		w.create(t, "ok", w.dir, CreateOptions{Sample: pct})
		// A database named like a branch that perch did not make.
		w.db.Exec(t, "CREATE DATABASE "+qi(w.db.Name+"__br_fake"))
		changed := writeProject(t, sortB)
		a := &app.App{Dir: changed}

		fake := w.open(t, "fake")
		prep, err := a.Plan(ctx, fake, loadProject(t, changed))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Apply(ctx, fake, prep, app.ApplyOptions{}); !errors.Is(err, workspace.ErrNotBranch) {
			t.Errorf("apply to a database perch did not make: %v", err)
		}

		ok := w.open(t, "ok")
		prep, err = a.Plan(ctx, ok, loadProject(t, changed))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Apply(ctx, w.c, prep, app.ApplyOptions{Approval: app.Approval{All: true}}); err == nil || !strings.Contains(err.Error(), "--branch ok") {
			t.Errorf("a branch's plan applied to the workspace: %v", err)
		}
		if _, err := a.Apply(ctx, ok, prep, app.ApplyOptions{Approval: app.Approval{All: true}}); err != nil {
			t.Errorf("apply to the branch: %v", err)
		}
		if key := w.db.QueryString(t, "SELECT sorting_key FROM system.tables WHERE database = '"+w.db.Name+"__br_ok' AND name = 'events'"); key != sortB {
			t.Errorf("branch sorting key %q after apply, want %q", key, sortB)
		}
		if key := w.db.QueryString(t, "SELECT sorting_key FROM system.tables WHERE database = '"+w.db.Name+"' AND name = 'events'"); key != sortA {
			t.Errorf("workspace sorting key %q, want %q untouched", key, sortA)
		}
	})
}

// TestFromDeployed builds the branch from the files last deployed to the
// workspace, not the working tree.
func TestFromDeployed(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		w := newWorkspace(t, db, 1000)
		pct, _ := ParsePercent("100")
		res := w.create(t, "dep", writeProject(t, sortB), CreateOptions{Sample: pct, From: FromDeployed})
		if !strings.HasPrefix(res.Record.From, "deployed ") {
			t.Errorf("from %q", res.Record.From)
		}
		if key := w.db.QueryString(t, "SELECT sorting_key FROM system.tables WHERE database = '"+w.db.Name+"__br_dep' AND name = 'events'"); key != sortA {
			t.Errorf("sorting key %q, want the deployed %q", key, sortA)
		}
	})
}
