package apply

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/engine"
	"github.com/perchdata/perch/workspace/plan"
)

// corpusDir is ../shared/corpus beside the repository.
func corpusDir(t *testing.T) string { return corpusDirTB(t) }

// corpusDirTB is corpusDir for tests and benchmarks.
func corpusDirTB(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no corpus at %s", dir)
	}
	return dir
}

// unsupported lists what the 18.16 server here cannot create.
var unsupported = []string{"DateTime64", "Map(", "JSON", "SimpleAggregateFunction", "Bool", "UUID"}

// supportedSubset removes the data sources with types the server cannot
// create and the pipes that read or write them; it returns what it removed.
func supportedSubset(p *datafiles.Project) []string {
	var removed []string
	gone := map[string]bool{}
	for _, name := range p.DatasourceNames() {
		if ds := p.Datasources[name]; ds.Engine.TTL != "" {
			removed = append(removed, name+" TTL")
			ds.Engine.TTL = ""
		}
	}
	for _, name := range p.DatasourceNames() {
		for _, c := range p.Datasources[name].Columns {
			bad := false
			for _, u := range unsupported {
				if strings.Contains(c.Type, u) {
					bad = true
				}
			}
			if bad {
				removed = append(removed, name+" ("+c.Type+")")
				gone[name] = true
				delete(p.Datasources, name)
				break
			}
		}
	}
	return append(removed, dropReaders(p, gone)...)
}

// dropReaders removes the pipes named in gone and, in turn, the pipes that
// read or write what is gone; it returns the pipes it removed.
func dropReaders(p *datafiles.Project, gone map[string]bool) []string {
	var removed []string
	for changed := true; changed; {
		changed = false
		for _, name := range p.PipeNames() {
			pipe := p.Pipes[name]
			drop := gone[name]
			for _, n := range pipe.Nodes {
				if gone[n.Datasource] || gone[n.TargetDatasource] {
					drop = true
				}
				for g := range gone {
					if wordIn(n.SQL, g) {
						drop = true
					}
				}
			}
			if drop {
				removed = append(removed, name)
				gone[name] = true
				delete(p.Pipes, name)
				changed = true
			}
		}
	}
	return removed
}

func wordIn(sql, word string) bool {
	for _, f := range strings.FieldsFunc(sql, func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) {
		if f == word {
			return true
		}
	}
	return false
}

// TestCorpusApplyThenNoChanges deploys every corpus project into an empty
// database (on 18.16 the part whose types it supports, on the embedded 26.x
// engine the whole project) and checks that planning again finds nothing
// to do.
func TestCorpusApplyThenNoChanges(t *testing.T) {
	root := corpusDir(t)
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(root, e.Name())
		t.Run(e.Name(), func(t *testing.T) { deployTwice(t, dir) })
	}
	t.Run("examples/analytics", func(t *testing.T) { deployTwice(t, filepath.Join("..", "..", "examples", "analytics")) })
}

// deployTwice applies a project to an empty database and plans again, on
// each engine: the 18.16 server gets the subset it supports, the embedded
// 26.x engine the whole project.
func deployTwice(t *testing.T, dir string) {
	forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
		local, err := datafiles.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if db.Kind == engine.KindNative {
			if removed := supportedSubset(local); len(removed) > 0 {
				t.Logf("deploying the subset this server supports; left out: %s", strings.Join(removed, ", "))
			}
		}
		if len(local.Datasources) == 0 {
			t.Skip("nothing this server supports")
		}
		ctx := context.Background()
		p := planFor(t, c, local)
		// Functions the server lacks are plan errors: leave those pipes out too
		// (18.16 only: the embedded engine must deploy the project whole).
		if missing := pipesMissingFunctions(p.Errors); len(missing) > 0 && db.Kind == engine.KindNative {
			t.Logf("left out for functions the server lacks: %s", strings.Join(dropReaders(local, missing), ", "))
			p = planFor(t, c, local)
		}
		if len(p.Errors) > 0 {
			t.Fatalf("plan errors:\n%s", strings.Join(p.Errors, "\n"))
		}
		if _, err := Apply(ctx, c, p, Options{Files: keptFiles(local)}); err != nil {
			t.Fatal(err)
		}
		if again := planFor(t, c, local); !again.Empty() {
			t.Errorf("changes after apply:\n%s", render(again))
		}
	})
}

// pipesMissingFunctions returns the pipes of the plan errors
// "pos: pipe.node: server V has no function F".
func pipesMissingFunctions(errs []string) map[string]bool {
	out := map[string]bool{}
	for _, e := range errs {
		i := strings.Index(e, ": server ")
		if i < 0 || !strings.Contains(e[i:], " has no function ") {
			continue
		}
		head := e[:i]
		node := head[strings.LastIndex(head, ": ")+2:]
		if pipe, _, ok := strings.Cut(node, "."); ok {
			out[pipe] = true
		}
	}
	return out
}

// keptFiles lists the datafiles of the resources left in a project.
func keptFiles(p *datafiles.Project) []workspace.DeployedFile {
	var out []workspace.DeployedFile
	for _, f := range plan.ProjectFiles(p) {
		base := strings.TrimSuffix(filepath.Base(f.Path), filepath.Ext(f.Path))
		if p.Datasources[base] != nil || p.Pipes[base] != nil || p.Connections[base] != nil {
			out = append(out, f)
		}
	}
	return out
}
