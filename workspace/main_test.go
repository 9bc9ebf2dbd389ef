package workspace

import (
	"context"
	"os"
	"testing"

	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/clustertest"
)

// srv is this package's private ClickHouse server (see clickhousetest).
var srv *clickhousetest.Server

// cluster is the ZooKeeper + three-server cluster of the *Cluster* tests,
// started by the first of them.
var cluster clustertest.Shared

func TestMain(m *testing.M) {
	code := clickhousetest.Run(m, &srv)
	if err := cluster.Close(); err != nil {
		code = 1
	}
	os.Exit(code)
}

// openTest creates a fresh database and opens a Client on it.
func openTest(t testing.TB) (*Client, *clickhousetest.DB) {
	t.Helper()
	db := srv.NewDatabase(t)
	return openOn(t, db), db
}

// OpenTestClient is openTest for the external test package (workspace_test),
// whose tests need packages that import workspace (workspace/ddl).
func OpenTestClient(t testing.TB) (*Client, *clickhousetest.DB) { return openTest(t) }

// forEachEngine runs fn on every engine (the 18.16 server, the embedded 26.x
// engine), each with a fresh database and a Client open on it.
func forEachEngine(t *testing.T, fn func(t *testing.T, c *Client, db *clickhousetest.DB)) {
	t.Helper()
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) { fn(t, openOn(t, db), db) })
}

// openOn opens a Client on a test database.
func openOn(t testing.TB, db *clickhousetest.DB) *Client {
	t.Helper()
	c, err := Open(context.Background(), Target{Name: "test", DSN: db.DSN, Database: db.Name, Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// ForEachTestClient is forEachEngine for the external test package.
func ForEachTestClient(t *testing.T, fn func(t *testing.T, c *Client, db *clickhousetest.DB)) {
	forEachEngine(t, fn)
}
