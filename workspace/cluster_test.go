package workspace

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace/clustertest"
)

// Cluster tests run on the server only: the embedded engine is one process.

func openClusterClient(t testing.TB, db *clustertest.DB) *Client {
	t.Helper()
	c, err := Open(context.Background(), Target{Name: "cluster", DSN: db.DSN(0), Database: db.Name, Cluster: clustertest.Replicated, Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// The snapshot of a cluster target reads every replica and says where they
// disagree: a host down, a table missing on a host, a table defined
// differently, a replica behind.
func TestClusterSnapshotReportsDisagreement(t *testing.T) {
	cl := cluster.Get(t)
	tests := []struct {
		name  string
		setup func(t *testing.T, db *clustertest.DB)
		issue string // a substring of one issue; "" for none
		lag   string // a substring of one lag line
	}{
		{"healthy", func(t *testing.T, db *clustertest.DB) {}, "", ""},
		{"missing on a host", func(t *testing.T, db *clustertest.DB) {
			db.Exec(t, 0, "CREATE TABLE only0 (a UInt8) ENGINE = MergeTree ORDER BY a")
		}, ".only0 is missing on 127.0.0.1:" + strings.TrimPrefix(cl.Nodes[1].Addr(), "127.0.0.1:") + " (shard 1, replica 2)", ""},
		{"different definitions", func(t *testing.T, db *clustertest.DB) {
			db.Exec(t, 0, "CREATE TABLE d (a UInt8) ENGINE = MergeTree ORDER BY a")
			db.Exec(t, 1, "CREATE TABLE d (a UInt16) ENGINE = MergeTree ORDER BY a")
		}, ".d has different definitions on the hosts", ""},
		{"replica behind", func(t *testing.T, db *clustertest.DB) {
			db.Exec(t, 0, "SYSTEM STOP FETCHES")
			db.Exec(t, 1, "SYSTEM STOP FETCHES")
			t.Cleanup(func() {
				db.Exec(t, 0, "SYSTEM START FETCHES")
				db.Exec(t, 1, "SYSTEM START FETCHES")
			})
			db.Exec(t, 0, "INSERT INTO r SELECT number FROM numbers(10)")
			time.Sleep(time.Second)
		}, "", "replica of "},
		{"host down", func(t *testing.T, db *clustertest.DB) {
			if err := cl.Nodes[1].Stop(); err != nil {
				t.Fatal(err)
			}
		}, "host 127.0.0.1:" + strings.TrimPrefix(cl.Nodes[1].Addr(), "127.0.0.1:") + " (shard 1, replica 2) is down", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := cl.NewDatabase(t)
			db.Exec(t, 0, "CREATE TABLE "+db.Name+".r ON CLUSTER "+clustertest.Replicated+" (a UInt32) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/"+db.Name+"/r', '{replica}') ORDER BY a")
			c := openClusterClient(t, db)
			tt.setup(t, db)
			s, err := c.Snapshot(context.Background(), "")
			if err != nil {
				t.Fatal(err)
			}
			st := s.Cluster
			if st == nil || len(st.Hosts) != 2 {
				t.Fatalf("cluster state %+v, want the two hosts of %s", st, clustertest.Replicated)
			}
			issues := strings.Join(st.Issues, "\n")
			if tt.issue == "" && issues != "" {
				t.Fatalf("want no issue, got:\n%s", issues)
			}
			if tt.issue != "" && !strings.Contains(issues, tt.issue) {
				t.Fatalf("issues lack %q:\n%s", tt.issue, issues)
			}
			if lag := strings.Join(st.Lag, "\n"); (tt.lag == "") != (lag == "") || !strings.Contains(lag, tt.lag) {
				t.Fatalf("lag %q, want %q", lag, tt.lag)
			}
		})
	}
}

// An ON CLUSTER statement waits for every host; a host that fails it or
// does not answer in time is named in the error.
func TestClusterExecNamesHosts(t *testing.T) {
	cl := cluster.Get(t)
	n0 := cl.Nodes[0].Addr()
	n1 := cl.Nodes[1].Addr()
	t.Run("all hosts", func(t *testing.T) {
		db := cl.NewDatabase(t)
		c := openClusterClient(t, db)
		res, err := c.ExecOnCluster(context.Background(), "CREATE TABLE "+db.Name+".a ON CLUSTER "+clustertest.Replicated+" (x UInt8) ENGINE = MergeTree ORDER BY x", 10*time.Second)
		if err != nil || len(res) != 2 {
			t.Fatalf("res %+v err %v, want both hosts", res, err)
		}
		if got := db.QueryString(t, 1, "SELECT toString(count()) FROM system.tables WHERE database = currentDatabase() AND name = 'a'"); got != "1" {
			t.Fatal("table not on n1")
		}
	})
	t.Run("one host fails", func(t *testing.T) {
		db := cl.NewDatabase(t)
		c := openClusterClient(t, db)
		db.Exec(t, 1, "CREATE TABLE a (x UInt8) ENGINE = MergeTree ORDER BY x")
		_, err := c.ExecOnCluster(context.Background(), "CREATE TABLE "+db.Name+".a ON CLUSTER "+clustertest.Replicated+" (x UInt8) ENGINE = MergeTree ORDER BY x", 10*time.Second)
		var ce *ClusterDDLError
		if !errors.As(err, &ce) || len(ce.Failed) != 1 || ce.Failed[0].Host != n1 || !strings.Contains(ce.Failed[0].Error, "already exists") {
			t.Fatalf("err %v (%+v), want n1 (%s) named as failed", err, ce, n1)
		}
		if len(ce.Done) != 1 || ce.Done[0] != n0 {
			t.Fatalf("done %v, want n0 %s", ce.Done, n0)
		}
	})
	t.Run("one host down", func(t *testing.T) {
		db := cl.NewDatabase(t)
		c := openClusterClient(t, db)
		if err := cl.Nodes[1].Stop(); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err := c.ExecOnCluster(context.Background(), "CREATE TABLE "+db.Name+".a ON CLUSTER "+clustertest.Replicated+" (x UInt8) ENGINE = MergeTree ORDER BY x", 3*time.Second)
		var ce *ClusterDDLError
		if !errors.As(err, &ce) || len(ce.TimedOut) != 1 || ce.TimedOut[0] != n1 {
			t.Fatalf("err %v (%+v), want n1 (%s) timed out", err, ce, n1)
		}
		if !strings.Contains(err.Error(), "no answer in time from "+n1) {
			t.Errorf("message does not name the host: %v", err)
		}
		if d := time.Since(start); d > 30*time.Second {
			t.Errorf("waited %s for a 3s timeout", d)
		}
	})
}
