package workspace

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace/clustertest"
)

// BenchmarkClusterSnapshot is a snapshot of a cluster target with ten
// replicated tables: the connected host's three queries plus every host's
// tables and system.replicas, read concurrently.
func BenchmarkClusterSnapshot(b *testing.B) {
	cl := cluster.Get(b)
	db := cl.NewDatabase(b)
	for i := 0; i < 10; i++ {
		db.Exec(b, 0, fmt.Sprintf("CREATE TABLE %s.t%d ON CLUSTER %s (a UInt32, s String) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/%s/t%d', '{replica}') ORDER BY a",
			db.Name, i, clustertest.Replicated, db.Name, i))
	}
	c := openClusterClient(b, db)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := c.Snapshot(ctx, "")
		if err != nil || s.Cluster == nil || !s.Cluster.Healthy() {
			b.Fatalf("snapshot: %v %+v", err, s.Cluster)
		}
	}
}

// BenchmarkClusterAlter is one ON CLUSTER ADD COLUMN (then DROP COLUMN) on
// a replicated table of two replicas, waited for on every host.
func BenchmarkClusterAlter(b *testing.B) {
	cl := cluster.Get(b)
	db := cl.NewDatabase(b)
	db.Exec(b, 0, "CREATE TABLE "+db.Name+".r ON CLUSTER "+clustertest.Replicated+" (a UInt32) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/"+db.Name+"/r', '{replica}') ORDER BY a",
		"INSERT INTO "+db.Name+".r SELECT number FROM numbers(100000)")
	c := openClusterClient(b, db)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		op := "ADD COLUMN n UInt8 DEFAULT 1"
		if i%2 == 1 {
			op = "DROP COLUMN n"
		}
		if _, err := c.ExecOnCluster(ctx, "ALTER TABLE "+db.Name+".r ON CLUSTER "+clustertest.Replicated+" "+op, 30*time.Second); err != nil {
			b.Fatal(err)
		}
	}
}
