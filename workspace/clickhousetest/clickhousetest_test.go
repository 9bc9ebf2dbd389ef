package clickhousetest

import (
	"os"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace/engine"
	"github.com/perchdata/perch/workspace/localserver"
)

var srv *Server

func TestMain(m *testing.M) { os.Exit(Run(m, &srv)) }

func TestFreshDatabasePerTest(t *testing.T) {
	a := srv.NewDatabase(t)
	b := srv.NewDatabase(t)
	if a.Name == b.Name {
		t.Fatalf("two tests got the same database %q", a.Name)
	}
	a.Exec(t, "CREATE TABLE x (n UInt64) ENGINE = MergeTree() ORDER BY n",
		"INSERT INTO x SELECT number FROM numbers(10)")
	if got := a.QueryString(t, "SELECT toString(count()) FROM x"); got != "10" {
		t.Fatalf("count = %s, want 10", got)
	}
	if got := b.QueryString(t, "SELECT toString(count()) FROM system.tables WHERE database = currentDatabase()"); got != "0" {
		t.Fatalf("fresh database has %s tables, want 0", got)
	}
	if !strings.HasPrefix(a.DSN, "clickhouse://default@127.0.0.1:") || !strings.HasSuffix(a.DSN, "/"+a.Name) {
		t.Fatalf("DSN = %q", a.DSN)
	}
}

func TestDatabaseDroppedAfterTest(t *testing.T) {
	var name string
	t.Run("inner", func(t *testing.T) { name = srv.NewDatabase(t).Name })
	check := srv.NewDatabase(t)
	got := check.QueryString(t, "SELECT toString(count()) FROM system.databases WHERE name = '"+name+"'")
	if got != "0" {
		t.Fatalf("database %s still exists after its test", name)
	}
}

func TestServerAnswersHTTP(t *testing.T) {
	srv.Require(t)
	v, err := localserver.Query(t.Context(), srv.HTTPPort(), "SELECT 1")
	if err != nil || strings.TrimSpace(v) != "1" {
		t.Fatalf("HTTP query = %q, %v", v, err)
	}
}

func TestForEachRunsEveryEngine(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *DB) {
		db.Exec(t, "CREATE TABLE x (n UInt64) ENGINE = MergeTree() ORDER BY n",
			"INSERT INTO x SELECT number FROM numbers(7)")
		if got := db.QueryString(t, "SELECT toString(count()) FROM x"); got != "7" {
			t.Fatalf("count = %s, want 7", got)
		}
		if got := db.QueryString(t, "SELECT currentDatabase()"); got != db.Name {
			t.Fatalf("current database %s, want %s", got, db.Name)
		}
		v := db.QueryString(t, "SELECT version()")
		if (db.Kind == engine.KindEmbedded) != !strings.HasPrefix(v, "18.") {
			t.Fatalf("%s engine runs version %s", db.Kind, v)
		}
	})
}
