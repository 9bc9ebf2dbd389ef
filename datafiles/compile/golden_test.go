package compile

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles/template"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGoldenCorpus compiles every node of every corpus project in placeholder
// mode and compares with testdata/golden/<project>.sql (go test -update
// rewrites them).
func TestGoldenCorpus(t *testing.T) {
	projects := corpusProjects(t)
	for _, name := range sortedKeys(projects) {
		p := projects[name]
		var b strings.Builder
		for _, pipeName := range p.PipeNames() {
			for _, n := range p.Pipes[pipeName].Nodes {
				res, err := Compile(p, pipeName, n.Name, Options{Mode: template.Placeholders})
				if err != nil {
					t.Fatalf("%s %s.%s: %v", name, pipeName, n.Name, err)
				}
				b.WriteString("-- ==== " + pipeName + "." + n.Name + " ====\n")
				b.WriteString(res.SQL)
				b.WriteString("\n\n")
			}
		}
		path := filepath.Join("testdata", "golden", name+".sql")
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if b.String() != string(want) {
			t.Errorf("%s: compiled SQL differs from %s (run go test -update after checking the change)", name, path)
		}
	}
}
