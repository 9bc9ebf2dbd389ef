package workspace

import (
	"context"
	"os"
	"testing"

	"github.com/perchdata/perch/workspace/clickhousetest"
)

// srv is this package's private ClickHouse server (see clickhousetest).
var srv *clickhousetest.Server

func TestMain(m *testing.M) { os.Exit(clickhousetest.Run(m, &srv)) }

// openTest creates a fresh database and opens a Client on it.
func openTest(t testing.TB) (*Client, *clickhousetest.DB) {
	t.Helper()
	db := srv.NewDatabase(t)
	c, err := Open(context.Background(), Target{Name: "test", DSN: db.DSN, Database: db.Name, Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, db
}

// OpenTestClient is openTest for the external test package (workspace_test),
// whose tests need packages that import workspace (workspace/ddl).
func OpenTestClient(t testing.TB) (*Client, *clickhousetest.DB) { return openTest(t) }
