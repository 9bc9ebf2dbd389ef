package plan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
)

// TestCorpusPlansIntoEmptyDatabase plans every corpus project into an empty
// database. On a modern server every data source and materialization must be
// created, tables before the views that write to them, with no plan error.
// On 18.16 what the server cannot hold must be a plan error, never a plan
// that would fail at apply time.
func TestCorpusPlansIntoEmptyDatabase(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Skipf("no corpus beside the repository: %v", err)
	}
	modern := workspace.CapabilitiesFor(workspace.Version{Major: 25, Minor: 8})
	old := workspace.CapabilitiesFor(workspace.Version{Major: 18, Minor: 16, Patch: 1})
	projects := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		projects++
		dir := filepath.Join(root, e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			local, err := datafiles.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Build(local, NewRemote("analytics", modern), Options{Compile: Compile})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Errors) > 0 {
				t.Fatalf("modern server: plan errors:\n%s", strings.Join(p.Errors, "\n"))
			}
			created := map[string]int{}
			for i, ch := range p.Changes {
				if ch.Action != Create {
					t.Errorf("%s: action %s into an empty database, want create", ch.Resource, ch.Action)
				}
				created[ch.Resource] = i
			}
			for _, name := range local.DatasourceNames() {
				if _, ok := created[name]; !ok {
					t.Errorf("data source %s is not created", name)
				}
			}
			for _, name := range local.PipeNames() {
				for _, n := range local.Pipes[name].Nodes {
					if n.Type != datafiles.NodeMaterialized {
						continue
					}
					view, ok := created[name]
					target, tok := created[n.Datasource]
					if !ok || !tok {
						t.Errorf("materialization %s (into %s) is not created", name, n.Datasource)
					} else if target > view {
						t.Errorf("materialization %s is created before its target %s", name, n.Datasource)
					}
				}
			}

			p16, err := Build(local, NewRemote("analytics", old), Options{Compile: Compile})
			if err != nil {
				t.Fatal(err)
			}
			// Everything 18.16 cannot create must be a plan error naming it.
			errs := strings.Join(p16.Errors, "\n")
			for _, name := range local.DatasourceNames() {
				ds := local.Datasources[name]
				if ds.Engine.TTL != "" && !strings.Contains(errs, name+": server 18.16.1 has no table TTL") {
					t.Errorf("18.16: no plan error for the TTL of %s", name)
				}
				for _, c := range ds.Columns {
					for _, typ := range []string{"DateTime64", "SimpleAggregateFunction"} {
						if strings.Contains(c.Type, typ) && !strings.Contains(errs, name+"."+c.Name+": server 18.16.1 has no type "+typ) {
							t.Errorf("18.16: no plan error for %s.%s %s", name, c.Name, c.Type)
						}
					}
				}
			}
			t.Logf("18.16: %d changes, %d plan errors:\n%s", len(p16.Changes), len(p16.Errors), strings.Join(p16.Errors, "\n"))
		})
	}
	if projects == 0 {
		t.Skip("the corpus holds no project")
	}
}
