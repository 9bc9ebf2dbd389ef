package apply

import (
	"context"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace/engine"
)

func TestZZProbe(t *testing.T) {
	db := srv.NewDatabaseOn(t, engine.KindEmbedded)
	db.Exec(t, "CREATE TABLE s (x UInt64) ENGINE = MergeTree ORDER BY x",
		"CREATE TABLE t (n UInt64) ENGINE = SummingMergeTree ORDER BY tuple()",
		"CREATE TABLE kb (n UInt64) ENGINE = MergeTree ORDER BY tuple()",
		"CREATE MATERIALIZED VIEW k TO kb AS SELECT count() AS n FROM s")
	conn, err := srv.ConnectOn(context.Background(), db.Kind, db.Name)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() {
		done <- conn.Exec(context.Background(), "INSERT INTO s SELECT number FROM numbers(6000) WHERE sleepEachRow(0.0003) = 0 SETTINGS max_block_size = 400, min_insert_block_size_rows = 400, min_insert_block_size_bytes = 0")
	}()
	time.Sleep(700 * time.Millisecond)
	db.Exec(t, "CREATE MATERIALIZED VIEW v TO t AS SELECT count() AS n FROM s")
	t.Logf("insert: %v", <-done)
	t.Logf("blocks=%s parts=%s", db.QueryString(t, "SELECT toString(groupArray(n)) FROM kb"), db.QueryString(t, "SELECT toString(groupArray(rows)) FROM system.parts WHERE database=currentDatabase() AND table='s' AND active"))
	t.Logf("s=%s t=%s parts=%s", db.QueryString(t, "SELECT toString(count()) FROM s"), db.QueryString(t, "SELECT toString(sum(n)) FROM t"), db.QueryString(t, "SELECT toString(count()) FROM system.parts WHERE database=currentDatabase() AND table='s' AND active"))
}
