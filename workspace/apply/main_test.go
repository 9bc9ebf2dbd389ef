package apply

import (
	"context"
	"os"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/plan"
)

var srv *clickhousetest.Server

func TestMain(m *testing.M) {
	code := clickhousetest.Run(m, &srv)
	removePerchBinary()
	os.Exit(code)
}

// openTest is the one place the tests of this package get a database: a
// fresh one on the test server, with a perch client on it.
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
