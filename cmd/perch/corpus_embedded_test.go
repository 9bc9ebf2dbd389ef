package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace/engine"
)

// TestCorpusDeploysOnEmbeddedEngine deploys every project of the shared
// corpus whole on the embedded ClickHouse 26.x engine, checks that it plans
// clean afterwards and previews every pipe with its defaults. It runs on the
// embedded engine only: most of the corpus uses types 18.16 does not have
// (DateTime64, LowCardinality, SimpleAggregateFunction, TTL).
func TestCorpusDeploysOnEmbeddedEngine(t *testing.T) {
	projects, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "*", "tinybird"))
	if len(projects) == 0 {
		t.Fatal("no corpus projects under ../../../shared/corpus")
	}
	srv := demoServer(t)
	for _, src := range projects {
		name := filepath.Base(filepath.Dir(src))
		t.Run(name, func(t *testing.T) {
			db := srv.NewDatabaseOn(t, engine.KindEmbedded)
			dir := copyDir(t, src)
			ctx := context.Background()
			cli := func(args ...string) (int, string, string) {
				e, out, errb := testEnv()
				code := run(ctx, e, append(args, "--dsn", db.DSN))
				return code, out.String(), errb.String()
			}
			if code, out, errs := cli("apply", dir, "--auto-approve"); code != exitOK {
				t.Fatalf("apply = %d\n%s%s", code, out, errs)
			}
			if code, out, errs := cli("plan", dir, "--detailed-exitcode"); code != exitOK {
				t.Fatalf("plan after apply = %d (want no changes)\n%s%s", code, out, errs)
			}
			p, err := datafiles.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			ran := 0
			for _, pipe := range p.PipeNames() {
				code, _, errs := cli("preview", dir, pipe, "--limit", "5")
				switch {
				case code == exitOK:
					ran++
				case strings.HasPrefix(errs, filepath.Join(dir, "")):
					// A template that demands parameters (file:line:col: message):
					// nothing reached the engine.
					t.Logf("%s needs parameters: %s", pipe, firstLineOf(errs))
				default:
					t.Errorf("preview %s = %d: %s", pipe, code, errs)
				}
			}
			if ran == 0 {
				t.Fatalf("no pipe of %s previewed", name)
			}
			t.Logf("%s: deployed whole, plans clean, %d of %d pipes previewed with defaults", name, ran, len(p.PipeNames()))
		})
	}
}

func firstLineOf(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
