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

// forEachEngine runs fn once per engine of the harness (the 18.16 server and
// the embedded 26.x engine), each with a fresh database and a client.
func forEachEngine(t *testing.T, fn func(t *testing.T, c *workspace.Client, db *clickhousetest.DB)) {
	t.Helper()
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) { fn(t, openOn(t, db), db) })
}

// openOn connects to a database the harness gave (on either engine).
func openOn(t testing.TB, db *clickhousetest.DB) *workspace.Client {
	t.Helper()
	c, err := workspace.Open(context.Background(), workspace.Target{Name: "test", DSN: db.DSN, Database: db.Name, Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
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
