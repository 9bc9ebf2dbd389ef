package compile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/perchdata/perch/datafiles"
)

// loadFiles writes datafiles to a temp dir and loads them as a project.
func loadFiles(t *testing.T, files map[string]string) *datafiles.Project {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := datafiles.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range p.Errors() {
		t.Fatalf("fixture does not load: %s", d)
	}
	return p
}

const eventsDatasource = `SCHEMA >
    ` + "`ts`" + ` DateTime,
    ` + "`country`" + ` String,
    ` + "`n`" + ` Int32
`
