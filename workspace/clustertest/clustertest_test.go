package clustertest

import (
	"context"
	"os"
	"testing"
)

var shared Shared

func TestMain(m *testing.M) {
	code := m.Run()
	if err := shared.Close(); err != nil {
		code = 1
	}
	os.Exit(code)
}

// The harness is a real cluster: a table created ON CLUSTER exists on every
// node, a row inserted on one replica reaches the other through ZooKeeper
// and the interserver port, and a Distributed table reads both shards.
func TestClusterReplicatesAndShards(t *testing.T) {
	c := shared.Get(t)
	db := c.NewDatabase(t)
	db.Exec(t, 0,
		"CREATE TABLE "+db.Name+".t ON CLUSTER "+Sharded+" (a UInt32) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/"+db.Name+"/t', '{replica}') ORDER BY a",
		"CREATE TABLE "+db.Name+".d ON CLUSTER "+Sharded+" AS "+db.Name+".t ENGINE = Distributed("+Sharded+", "+db.Name+", t, a)",
		"INSERT INTO "+db.Name+".t SELECT number FROM system.numbers LIMIT 10",
	)
	db.SyncReplica(t, 1, "t")
	if got := db.QueryString(t, 1, "SELECT toString(count()) FROM t"); got != "10" {
		t.Fatalf("replica n1 has %s rows, want the 10 inserted on n0", got)
	}
	if got := db.QueryString(t, 2, "SELECT toString(count()) FROM t"); got != "0" {
		t.Fatalf("shard 02 (n2) has %s rows, want 0", got)
	}
	db.Exec(t, 2, "INSERT INTO t SELECT arrayJoin([100, 101])")
	for i := range c.Nodes {
		if got := db.QueryString(t, i, "SELECT toString(count()) FROM d"); got != "12" {
			t.Fatalf("Distributed d on n%d reads %s rows, want 12 (10 on shard 01, 2 on shard 02)", i, got)
		}
	}
	// A replica that was down catches up when it comes back.
	if err := c.Nodes[1].Stop(); err != nil {
		t.Fatal(err)
	}
	db.Exec(t, 0, "INSERT INTO t SELECT 200")
	if err := c.Nodes[1].Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	conn, err := c.Nodes[1].Connect(db.Name)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	db.Conns[1] = conn
	db.SyncReplica(t, 1, "t")
	if got := db.QueryString(t, 1, "SELECT toString(count()) FROM t"); got != "11" {
		t.Fatalf("restarted replica n1 has %s rows, want 11", got)
	}
}
