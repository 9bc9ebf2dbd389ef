package apply

import (
	"context"
	"os"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/clustertest"
	"github.com/perchdata/perch/workspace/plan"
)

var srv *clickhousetest.Server

// cluster is the ZooKeeper + three-server cluster of the *Cluster* tests,
// started by the first of them.
var cluster clustertest.Shared

func TestMain(m *testing.M) {
	code := clickhousetest.Run(m, &srv)
	if err := cluster.Close(); err != nil {
		code = 1
	}
	removePerchBinary()
	os.Exit(code)
}

// openOn is the one place the tests of this package get a perch client: on
// a database the harness gave (on either engine).
func openOn(t testing.TB, db *clickhousetest.DB) *workspace.Client {
	t.Helper()
	c, err := workspace.Open(context.Background(), workspace.Target{Name: "test", DSN: db.DSN, Database: db.Name, Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// openTest gives a fresh database on the ClickHouse server, with a client:
// for the tests that need a server process (a proxy between perch and the
// server, a perch process to SIGKILL; the embedded engine lives inside the
// test process).
func openTest(t testing.TB) (*workspace.Client, *clickhousetest.DB) {
	t.Helper()
	db := srv.NewDatabase(t)
	return openOn(t, db), db
}

// forEachEngine runs fn once per engine of the harness (the 18.16 server and
// the embedded 26.x engine), each with a fresh database and a client.
func forEachEngine(t *testing.T, fn func(t *testing.T, c *workspace.Client, db *clickhousetest.DB)) {
	t.Helper()
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) { fn(t, openOn(t, db), db) })
}

// planFor computes the plan taking the client's database to local, as
// perch plan does (plan.Against, Build, CheckViews).
func planFor(t testing.TB, c *workspace.Client, local *datafiles.Project) *plan.Plan {
	t.Helper()
	ctx := context.Background()
	remote, _, err := plan.Against(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Build(local, remote, plan.Options{Compile: plan.Compile})
	if err != nil {
		t.Fatal(err)
	}
	if err := plan.CheckViews(ctx, c, p); err != nil {
		t.Fatal(err)
	}
	return p
}
