package app

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

// srv is this package's private ClickHouse server.
var srv *clickhousetest.Server

func TestMain(m *testing.M) { os.Exit(clickhousetest.Run(m, &srv)) }

// openTest connects to a fresh database of the test server.
func openTest(t testing.TB) (*workspace.Client, *clickhousetest.DB) {
	t.Helper()
	db := srv.NewDatabase(t)
	c, err := workspace.Open(context.Background(), workspace.Target{Name: "test", DSN: db.DSN, Database: db.Name, Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, db
}

// writeFiles writes a project's files into a new folder and returns it.
func writeFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
