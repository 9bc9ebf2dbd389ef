package workspace_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/ddl"
	"github.com/perchdata/perch/workspace/engine"
)

// TestCorpusDatasourcesRoundTrip creates every data source of the shared
// corpus from its datafile (DDL from workspace/ddl), reads it back with a
// snapshot and checks that nothing differs. Definitions the server here
// cannot create (types newer than 18.16) are reported and skipped.
func TestCorpusDatasourcesRoundTrip(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "*", "tinybird", "datasources", "*.datasource"))
	if len(files) == 0 {
		t.Fatal("no corpus datasources found under ../../shared/corpus")
	}
	workspace.ForEachTestClient(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
		g := ddl.Generator{Database: db.Name, Caps: c.Capabilities()}
		ctx := context.Background()
		local := map[string]*datafiles.Datasource{}
		created := 0
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			ds, diags := datafiles.ParseDatasource(f, src)
			if hasErrors(diags) {
				t.Logf("skip %s: does not parse", f)
				continue
			}
			name := strings.ReplaceAll(strings.TrimPrefix(filepath.Base(filepath.Dir(filepath.Dir(filepath.Dir(f)))), "."), "-", "_") + "__" + ds.Name
			q, err := g.CreateTable(name, ds)
			if err != nil {
				t.Logf("skip %s: %v", f, err)
				continue
			}
			qctx := ctx
			if !c.Capabilities().LowCardinality {
				qctx = engine.WithSettings(ctx, engine.Settings{"allow_experimental_low_cardinality_type": 1})
			}
			if err := c.Conn().Exec(qctx, q); err != nil {
				t.Logf("skip %s: this server refuses it: %v", f, firstLine(err.Error()))
				continue
			}
			local[name] = ds
			created++
		}
		// 18.16 lacks DateTime64, SimpleAggregateFunction, TTL and (without a
		// flag) LowCardinality, which most of the corpus uses; 26.x creates all.
		if created < 5 || db.Kind == engine.KindEmbedded && created < len(files) {
			t.Fatalf("only %d of %d corpus data sources could be created", created, len(files))
		}
		s, err := c.Snapshot(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		for name, ds := range local {
			if d := workspace.DiffDatasource(ds, s.Datasources[name], db.Name); len(d) > 0 {
				t.Errorf("%s: read back differs: %v", name, d)
			}
		}
		t.Logf("%d of %d corpus data sources created and read back unchanged", created, len(files))
	})
}

func hasErrors(ds []datafiles.Diagnostic) bool {
	for _, d := range ds {
		if d.Severity == datafiles.Error {
			return true
		}
	}
	return false
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
