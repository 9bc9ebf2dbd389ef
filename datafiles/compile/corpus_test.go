package compile

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/datafiles/template"
)

// corpusDir is <repo>/../shared/corpus: CI clones the repo next to shared/.
func corpusDir(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
	c := filepath.Join(dir, "..", "shared", "corpus")
	if _, err := os.Stat(c); err != nil {
		t.Fatalf("corpus not found at %s: %v", c, err)
	}
	return c
}

// corpusProjects loads every project of the corpus, by folder name.
func corpusProjects(t testing.TB) map[string]*datafiles.Project {
	t.Helper()
	root := corpusDir(t)
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*datafiles.Project{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		p, err := datafiles.Load(filepath.Join(root, e.Name()))
		if err != nil {
			t.Fatalf("load %s: %v", e.Name(), err)
		}
		if len(p.Pipes) == 0 {
			t.Fatalf("%s: no pipes loaded", e.Name())
		}
		out[e.Name()] = p
	}
	if len(out) < 4 {
		t.Fatalf("expected 4 corpus projects, found %d", len(out))
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestCorpusCompiles renders every node of every corpus project in
// placeholder mode and with defaults, compiles it, and parses the result.
func TestCorpusCompiles(t *testing.T) {
	nodes, templated := 0, 0
	projects := corpusProjects(t)
	for _, name := range sortedKeys(projects) {
		p := projects[name]
		for _, pipeName := range p.PipeNames() {
			pipe := p.Pipes[pipeName]
			for _, n := range pipe.Nodes {
				nodes++
				if template.IsTemplate(n.SQL) {
					templated++
				}
				for _, mode := range []template.Mode{template.Placeholders, template.Defaults} {
					id := name + "/" + pipeName + "." + n.Name + " (" + mode.String() + ")"
					res, err := Compile(p, pipeName, n.Name, Options{Mode: mode})
					if err != nil {
						t.Errorf("%s: compile: %v", id, err)
						continue
					}
					if len(res.Fallbacks) > 0 || len(res.Unresolved) > 0 {
						t.Errorf("%s: fallbacks %+v, unresolved %+v", id, res.Fallbacks, res.Unresolved)
					}
					if strings.Contains(res.SQL, "{{") || strings.Contains(res.SQL, "{%") {
						t.Errorf("%s: template syntax left in compiled SQL", id)
					}
					if _, err := sqltext.Parse(res.SQL); err != nil {
						t.Errorf("%s: compiled SQL does not parse: %v\n%s", id, err, res.SQL)
					}
					refs, err := TableRefs(res.SQL)
					if err != nil || refs.Fallback {
						t.Errorf("%s: table refs: %v %s", id, err, refs.ParseError)
					}
					for _, r := range refs.Names() {
						if _, ok := p.Datasources[r]; !ok && !strings.Contains(r, ".") {
							t.Logf("%s: reads %s (not a data source)", id, r)
						}
					}
				}
			}
		}
	}
	for _, name := range sortedKeys(projects) {
		p := projects[name]
		for _, pipeName := range p.PipeNames() {
			for _, n := range p.Pipes[pipeName].Nodes {
				refs, info, err := NodeRefsInfo(n, nil)
				if err != nil || refs.Fallback || info.Fallback != nil {
					t.Errorf("%s/%s.%s: node refs need a fallback: %v %s %+v", name, pipeName, n.Name, err, refs.ParseError, info.Fallback)
				}
			}
		}
	}
	if nodes < 50 || templated < 20 {
		t.Fatalf("corpus looks incomplete: %d nodes, %d templated", nodes, templated)
	}
	t.Logf("%d nodes (%d templated) compiled in two modes", nodes, templated)
}
