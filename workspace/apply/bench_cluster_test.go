package apply

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clustertest"
	"github.com/perchdata/perch/workspace/engine"
)

// BenchmarkRebuildReplicated is a rebuild and swap (a new sorting key) of a
// table of PERCH_BENCH_REBUILD_ROWS rows (5M by default) on one 18.16
// server, and of the same replicated table on a one-shard cluster of two
// 18.16 replicas (copy on the connected host, replication to the other,
// swap ON CLUSTER), and on two shards (half the rows each, copied shard by
// shard on one replica of each). Each iteration flips the sorting key; planning and
// loading the rows are not timed.
func BenchmarkRebuildReplicated(b *testing.B) {
	rows := 5_000_000
	if v, err := strconv.Atoi(os.Getenv("PERCH_BENCH_REBUILD_ROWS")); err == nil && v > 0 {
		rows = v
	}
	fill := fmt.Sprintf("INSERT INTO events (timestamp, user_id, value) SELECT toDateTime(1700000000 + number %% 5000000), concat('u', toString(number %% 1000)), number FROM numbers(%d)", rows)
	b.Run("single-server", func(b *testing.B) {
		db := srv.NewDatabaseOn(b, engine.KindNative)
		benchRebuild(b, openOn(b, db), rows, func() { db.Exec(b, fill) })
	})
	b.Run("cluster-1-shard-2-replicas", func(b *testing.B) {
		db := cluster.Get(b).NewDatabase(b)
		c := openCluster(b, db, clustertest.Replicated)
		benchRebuild(b, c, rows, func() {
			db.Exec(b, 0, fill)
			db.SyncReplica(b, 1, "events")
		})
	})
	b.Run("cluster-2-shards", func(b *testing.B) {
		db := cluster.Get(b).NewDatabase(b)
		c := openCluster(b, db, clustertest.Sharded)
		benchRebuild(b, c, rows, func() {
			// Half the rows on each shard (shard 1 replicated to n1).
			db.Exec(b, 0, fill+" WHERE number % 2 = 0")
			db.Exec(b, 2, fill+" WHERE number % 2 = 1")
			db.SyncReplica(b, 1, "events")
		})
	})
}

// benchRebuild deploys the events table, fills it with load, and times the
// apply of a sorting-key change per iteration.
func benchRebuild(b *testing.B, c *workspace.Client, rows int, load func()) {
	ctx := context.Background()
	files := clusterFiles()
	if _, err := Apply(ctx, c, planFor(b, c, writeProject(b, files)), Options{}); err != nil {
		b.Fatal(err)
	}
	load()
	keys := []string{"value, user_id", "user_id, value"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		files["datasources/events.datasource"] = strings.Replace(clusterEvents, `ENGINE_SORTING_KEY "user_id, value"`, `ENGINE_SORTING_KEY "`+keys[i%2]+`"`, 1)
		p := planFor(b, c, writeProject(b, files))
		if len(p.Errors) > 0 {
			b.Fatal(p.Errors)
		}
		b.StartTimer()
		if _, err := Apply(ctx, c, p, Options{AllowDestructive: true}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
