package apply

import (
	"context"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/ddl"
)

// TestDrainWaitsForRunningInserts: drain returns only after an INSERT that
// was running when it started has committed. On 18.16 the listing's regex
// used inline flags, which match() does not support there, so drain found no
// insert and returned at once: rows of an insert in flight at a swap then
// reached the old table after the tail copy (seen as 50 streamed events
// missing from the guided scenario).
func TestDrainWaitsForRunningInserts(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		ctx := context.Background()
		c, err := workspace.Open(ctx, workspace.Target{Name: "test", DSN: db.DSN, Database: db.Name, Source: "test"})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		db.Exec(t, "CREATE TABLE slow (a UInt64) ENGINE = MergeTree ORDER BY a")
		x := &executor{c: c, opts: Options{DrainTimeout: time.Minute}, g: ddl.Generator{Database: c.Database(), Caps: c.Capabilities()}}

		// A second connection runs a slow insert (20 rows, 0.1 s each),
		// prefixed with a comment as perch tags its own statements.
		w, err := workspace.Open(ctx, workspace.Target{Name: "writer", DSN: db.DSN, Database: db.Name, Source: "test"})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		done := make(chan error, 1)
		go func() {
			done <- w.Exec(ctx, "/* perch-query:x */ INSERT INTO slow SELECT number FROM numbers(20) WHERE sleepEachRow(0.1) = 0")
		}()
		deadline := time.Now().Add(30 * time.Second)
		for {
			ids, err := x.strings(ctx, runningInsertsQuery)
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) > 0 {
				break
			}
			select {
			case err := <-done:
				t.Fatalf("the insert finished (err %v) before the listing ever saw it: the listing misses running inserts", err)
			default:
			}
			if time.Now().After(deadline) {
				t.Fatal("the slow insert never showed in the listing")
			}
			time.Sleep(20 * time.Millisecond)
		}
		if err := x.drain(ctx); err != nil {
			t.Fatal(err)
		}
		var n uint64
		if err := c.Conn().QueryRow(ctx, "SELECT count() FROM slow").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 20 {
			t.Fatalf("drain returned with %d of the insert's 20 rows committed", n)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}
