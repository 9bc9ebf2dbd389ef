package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace/clustertest"
)

// perch status on a cluster target lists the cluster's hosts with their
// health; perch plan says on which hosts each step runs; with a replica
// down status says which and plan refuses. A real cluster (clustertest).
func TestClusterStatusAndPlan(t *testing.T) {
	cl := clustertest.StartCluster(t)
	db := cl.NewDatabase(t)
	dir := t.TempDir()
	files := map[string]string{
		"perch.toml":                    "default_target = \"c\"\n[targets.c]\ndsn = \"" + db.DSN(0) + "\"\ncluster = \"" + clustertest.Replicated + "\"\n",
		"datasources/events.datasource": "SCHEMA >\n    timestamp DateTime,\n    value UInt64\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"timestamp\"\n",
	}
	for name, text := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	n0, n1 := cl.Nodes[0].Addr(), cl.Nodes[1].Addr()
	code, out, errs := perch("status", dir)
	for _, want := range []string{
		"cluster    perch_repl: 2 of 2 hosts up, healthy\n",
		"  host     " + n0 + " (shard 1, replica 1) up\n",
		"  host     " + n1 + " (shard 1, replica 2) up\n",
	} {
		if code != exitOK || !strings.Contains(out, want) {
			t.Fatalf("status = %d lacks %q:\n%s%s", code, want, out, errs)
		}
	}
	code, out, errs = perch("plan", dir)
	if code != exitOK || !strings.Contains(out, "Cluster perch_repl: "+n0+", "+n1+"\n") || !strings.Contains(out, "       on: ON CLUSTER perch_repl: "+n0+", "+n1+"\n") {
		t.Fatalf("plan = %d does not say where steps run:\n%s%s", code, out, errs)
	}
	if err := cl.Nodes[1].Stop(); err != nil {
		t.Fatal(err)
	}
	code, out, errs = perch("status", dir)
	for _, want := range []string{"cluster    perch_repl: 1 of 2 hosts up, NOT HEALTHY", "  host     " + n1 + " (shard 1, replica 2) DOWN: ", "  issue    host " + n1 + " (shard 1, replica 2) is down"} {
		if code != exitOK || !strings.Contains(out, want) {
			t.Fatalf("status with n1 down = %d lacks %q:\n%s%s", code, want, out, errs)
		}
	}
	code, out, errs = perch("plan", dir)
	if code == exitOK || !strings.Contains(out+errs, "host "+n1+" (shard 1, replica 2) is down") {
		t.Fatalf("plan with n1 down = %d, want a refusal naming it:\n%s%s", code, out, errs)
	}
}
