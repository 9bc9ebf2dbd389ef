package apply

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace/clustertest"
	"github.com/perchdata/perch/workspace/plan"
)

// clusterBatches is a view's target keyed by the writer's batch (value
// div 100): how many of a batch's rows the old query counted and how many
// the new one did.
const clusterBatches = `SCHEMA >
    batch UInt64,
    n_old UInt64,
    n_new UInt64

ENGINE "SummingMergeTree"
ENGINE_SORTING_KEY "batch"
BACKFILL skip
`

// clusterBatchesPipe counts each batch's rows as the old query (n_old) or
// as the new one (n_new).
func clusterBatchesPipe(column string) string {
	other := map[string]string{"n_old": "n_new", "n_new": "n_old"}[column]
	return "NODE m\nSQL >\n    SELECT intDiv(value, 100) AS batch, toUInt64(count()) AS " + column + ", toUInt64(0) AS " + other +
		" FROM events GROUP BY batch\nTYPE materialized\nDATASOURCE batches\n"
}

// A view's query changed with BACKFILL skip on its target, on a cluster of
// replicas and on one of two shards, while the writer streams into both
// replicas and through a Distributed table: the view is dropped and created
// ON CLUSTER (each host's inserts fire that host's view), so every batch is
// counted by at most one query, every batch acknowledged before the apply
// by the old one, every batch started after it by the new one, and every
// replica of a shard holds the same counts.
func TestClusterViewChangeWithoutHistoryUnderStreaming(t *testing.T) {
	for _, name := range []string{clustertest.Replicated, clustertest.Sharded} {
		t.Run(name, func(t *testing.T) {
			cl := cluster.Get(t)
			db := cl.NewDatabase(t)
			c := openCluster(t, db, name)
			ctx := context.Background()
			files := map[string]string{
				"datasources/events.datasource":  clusterEvents,
				"datasources/batches.datasource": clusterBatches,
				"pipes/mat_batches.pipe":         clusterBatchesPipe("n_old"),
			}
			if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, files)), Options{}); err != nil {
				t.Fatal(err)
			}
			w := startClusterWriter(t, db, name)
			for w.acked.Load() < 20 {
				time.Sleep(20 * time.Millisecond)
			}
			files["pipes/mat_batches.pipe"] = clusterBatchesPipe("n_new")
			p := planFor(t, c, writeProject(t, files))
			ch := p.Change("mat_batches")
			if len(p.Errors) > 0 || ch == nil || ch.Method != plan.MethodRecreateNoHistory {
				w.finish(0)
				t.Fatalf("want %s of mat_batches:\n%s\n%v", plan.MethodRecreateNoHistory, render(p), p.Errors)
			}
			for _, s := range ch.Steps {
				if !strings.HasPrefix(s.Hosts, "ON CLUSTER "+name+": ") {
					t.Errorf("step %s says it runs on %q, want every host of %s", s.ID, s.Hosts, name)
				}
			}
			before := w.acked.Load()
			if _, err := Apply(ctx, c, p, Options{}); err != nil {
				w.finish(0)
				t.Fatal(err)
			}
			// The batch in flight when the apply returned may have started
			// before; every later one started after.
			after := w.acked.Load() + 1
			batches := w.finish(20)
			t.Logf("%d batches; %d acknowledged before the apply, from batch %d on started after it", batches, before, after)
			checkExactOn(t, db, name, batches)

			// Per shard (a batch through the Distributed table is split
			// between the shards: one insert into each), per batch, the
			// rows it put there are counted by one query or by none.
			shards := [][]int{{0, 1}}
			if name == clustertest.Sharded {
				shards = [][]int{{0, 1}, {2}}
			}
			bad := 0
			for _, nodes := range shards {
				lead := nodes[0]
				db.SyncReplica(t, lead, "batches")
				counts := batchCounts(t, db, lead, "SELECT toInt64(batch), toInt64(sum(n_old)), toInt64(sum(n_new)) FROM batches GROUP BY batch")
				rows := batchCounts(t, db, lead, "SELECT toInt64(intDiv(value, 100)) AS k, toInt64(count()), toInt64(0) FROM events WHERE value < "+dupBase+" GROUP BY k")
				for _, i := range nodes[1:] {
					db.SyncReplica(t, i, "batches")
					if other := batchCounts(t, db, i, "SELECT toInt64(batch), toInt64(sum(n_old)), toInt64(sum(n_new)) FROM batches GROUP BY batch"); fmt.Sprint(other) != fmt.Sprint(counts) {
						t.Errorf("replicas n%d and n%d hold different counts in batches", lead, i)
					}
				}
				for k := int64(0); k < batches; k++ {
					v, r := counts[k], rows[k][0]
					var why string
					switch {
					case v[0] != 0 && v[1] != 0 || v[0]+v[1] != 0 && v[0]+v[1] != r:
						why = "counted twice or in part"
					case k < before && v[0] != r:
						why = "acknowledged before the apply, not counted by the old query"
					case k >= after && v[1] != r:
						why = "started after the apply, not counted by the new query"
					}
					if why != "" {
						if bad++; bad <= 10 {
							t.Errorf("shard of n%d, batch %d: %d rows there, old counted %d, new %d: %s", lead, k, r, v[0], v[1], why)
						}
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d batch parts wrong", bad)
			}
		})
	}
}

// batchCounts runs q on node i, which returns a batch and two counts per
// row.
func batchCounts(t testing.TB, db *clustertest.DB, i int, q string) map[int64][2]int64 {
	t.Helper()
	rows, err := db.Conns[i].Query(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64][2]int64{}
	for rows.Next() {
		var k, o, n int64
		if err := rows.Scan(&k, &o, &n); err != nil {
			t.Fatal(err)
		}
		out[k] = [2]int64{o, n}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkExactSharded is checkExact on the two-shard cluster: through the
// writer's Distributed table every batch's rows are there exactly once,
// and the two replicas of shard 1 hold the same rows.
func checkExactSharded(t testing.TB, db *clustertest.DB, batches int64) {
	t.Helper()
	want := fmt.Sprintf("%d %d %d", batches*100, batches*100, batches*100-1)
	shard1 := "SELECT concat(toString(count()), ' ', toString(sum(value))) FROM events WHERE value < " + dupBase
	var got, n0, n1 string
	for deadline := time.Now().Add(60 * time.Second); ; {
		db.SyncReplica(t, 1, "events")
		got = db.QueryString(t, 0, "SELECT concat(toString(count()), ' ', toString(uniqExact(value)), ' ', toString(max(value))) FROM "+db.Name+"_w.events_all WHERE value < "+dupBase)
		n0, n1 = db.QueryString(t, 0, shard1), db.QueryString(t, 1, shard1)
		if got == want && n0 == n1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if got != want {
		t.Errorf("through the Distributed table: rows, distinct values, max = %s, want %s (every acknowledged row exactly once)", got, want)
	}
	if n0 != n1 {
		t.Errorf("the replicas of shard 1 differ: n0 rows, sum = %s, n1 = %s", n0, n1)
	}
}
