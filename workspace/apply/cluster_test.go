package apply

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clustertest"
)

// Cluster tests: a real ZooKeeper and three 18.16 servers (clustertest).
// Only the server runs clusters (the embedded engine is one process), so
// these tests do not use srv.ForEach.

const clusterEvents = `SCHEMA >
    timestamp DateTime,
    user_id String,
    value UInt64

ENGINE "MergeTree"
ENGINE_PARTITION_KEY "toYYYYMM(timestamp)"
ENGINE_SORTING_KEY "user_id, value"
`

const clusterTotals = `SCHEMA >
    user_id String,
    total UInt64

ENGINE "SummingMergeTree"
ENGINE_SORTING_KEY "user_id"
`

func clusterFiles() map[string]string {
	return map[string]string{
		"datasources/events.datasource": clusterEvents,
		"datasources/totals.datasource": clusterTotals,
	}
}

// openCluster is a perch client of db on node 0 with cluster name.
func openCluster(t testing.TB, db *clustertest.DB, name string) *workspace.Client {
	t.Helper()
	c, err := workspace.Open(context.Background(), workspace.Target{Name: "cluster", DSN: db.DSN(0), Database: db.Name, Cluster: name, Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// nodesOf are the node indexes of a test cluster.
func nodesOf(name string) []int {
	if name == clustertest.Sharded {
		return []int{0, 1, 2}
	}
	return []int{0, 1}
}

// A project deployed to a cluster target creates Replicated* tables on
// every host (ON CLUSTER, each table its own ZooKeeper path), replicates
// rows, and plans clean afterwards: the engines read back as their family.
func TestClusterDeployPlansClean(t *testing.T) {
	for _, name := range []string{clustertest.Replicated, clustertest.Sharded} {
		t.Run(name, func(t *testing.T) {
			cl := cluster.Get(t)
			db := cl.NewDatabase(t)
			c := openCluster(t, db, name)
			ctx := context.Background()
			local := writeProject(t, clusterFiles())
			p := planFor(t, c, local)
			if len(p.Errors) > 0 || p.Empty() {
				t.Fatalf("want creates, got:\n%s", render(p))
			}
			for _, s := range p.Change("events").Steps {
				if !strings.HasPrefix(s.Hosts, "ON CLUSTER "+name+": ") || strings.Count(s.Hosts, "127.0.0.1:") != len(nodesOf(name)) {
					t.Errorf("step %s says it runs on %q, want every host of %s", s.ID, s.Hosts, name)
				}
			}
			if _, err := Apply(ctx, c, p, Options{}); err != nil {
				t.Fatal(err)
			}
			for _, i := range nodesOf(name) {
				got := db.QueryString(t, i, "SELECT arrayStringConcat(groupArray(concat(name, ':', engine)), ' ') FROM (SELECT name, engine FROM system.tables WHERE database = currentDatabase() AND NOT startsWith(name, '_perch') ORDER BY name)")
				if got != "events:ReplicatedMergeTree totals:ReplicatedSummingMergeTree" {
					t.Errorf("n%d tables: %s", i, got)
				}
				path := db.QueryString(t, i, "SELECT zookeeper_path FROM system.replicas WHERE database = currentDatabase() AND table = 'events'")
				want := fmt.Sprintf("/clickhouse/tables/%s/%s/events", cl.Nodes[i].Macros["shard"], db.Name)
				if path != want {
					t.Errorf("n%d zookeeper path %s, want %s", i, path, want)
				}
			}
			again := planFor(t, c, local)
			if !again.Empty() || len(again.Errors) > 0 {
				t.Fatalf("an unchanged project must plan clean on a cluster:\n%s", render(again))
			}
			db.Exec(t, 0, "INSERT INTO events SELECT now(), 'u', number FROM numbers(100)")
			db.SyncReplica(t, 1, "events")
			if got := db.QueryString(t, 1, "SELECT toString(count()) FROM events"); got != "100" {
				t.Fatalf("replica n1 has %s rows, want 100", got)
			}
		})
	}
}
