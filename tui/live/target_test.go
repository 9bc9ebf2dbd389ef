package live

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

// TestSwitchTarget: the backend lists perch.toml's targets and the local
// server, and once switched works on the chosen target (its database) until
// switched again; a target that does not resolve is refused and changes
// nothing.
func TestSwitchTarget(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		ctx := context.Background()
		two := db.Name + "_two"
		db.Exec(t, "CREATE DATABASE "+workspace.QuoteIdent(two))
		t.Cleanup(func() { db.Exec(t, "DROP DATABASE IF EXISTS "+workspace.QuoteIdent(two)) })
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "datasources", "events.datasource"), strings.Replace(eventsDS, "%s", "timestamp", 1))
		writeFile(t, filepath.Join(dir, workspace.ConfigFile), fmt.Sprintf("[targets.one]\ndsn = %q\ndatabase = %q\n\n[targets.two]\ndsn = %q\ndatabase = %q\n\n[targets.secret]\ndsn = %q\npassword_env = \"PERCH_TEST_UNSET\"\n",
			db.DSN, db.Name, db.DSN, two, db.DSN))
		b := New(dir, workspace.Selection{DSN: db.DSN}, func(string) string { return "" })
		defer b.Close()
		local, err := b.Local(ctx)
		if err != nil {
			t.Fatal(err)
		}
		names, err := b.Targets(ctx)
		if err != nil || fmt.Sprint(names) != "[one secret two local]" {
			t.Fatalf("targets %v %v", names, err)
		}
		for _, step := range []struct{ name, db string }{{"two", two}, {"one", db.Name}} {
			if err := b.SwitchTarget(ctx, step.name); err != nil {
				t.Fatal(err)
			}
			r, err := b.Remote(ctx, local)
			if err != nil {
				t.Fatal(err)
			}
			if r.Target != step.name || r.Database != step.db || r.Branch != "" {
				t.Errorf("after switching to %s: target %s, database %s, branch %q", step.name, r.Target, r.Database, r.Branch)
			}
		}
		for _, bad := range []string{"nope", "secret"} {
			if err := b.SwitchTarget(ctx, bad); err == nil {
				t.Errorf("switched to %s", bad)
			}
		}
		if r, err := b.Remote(ctx, local); err != nil || r.Target != "one" {
			t.Errorf("after refused switches: %+v %v", r, err)
		}
	})
}
