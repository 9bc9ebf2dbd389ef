package plan

import (
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
)

func TestWhereRuns(t *testing.T) {
	const all, connected, each, perShard = "all", "connected", "each", "per shard"
	cases := []struct {
		name string
		step Step
		want string
	}{
		{"ON CLUSTER DDL", Step{Kind: StepSQL, SQL: []string{"DROP TABLE IF EXISTS db.t__new ON CLUSTER c", "CREATE TABLE db.t__new ON CLUSTER c (a UInt8)"}}, all},
		{"merges stop per host", Step{Kind: StepSQL, SQL: []string{"SYSTEM STOP MERGES db.t"}}, each},
		{"drain", Step{Kind: StepDrain}, each},
		{"copy", Step{Kind: StepCopyParts, SQL: []string{"INSERT INTO db.t__new SELECT * FROM db.t WHERE _part IN ('x')"}}, perShard},
		{"tail", Step{Kind: StepCopyTail}, perShard},
		{"check", Step{Kind: StepCheckRows, SQL: []string{"SELECT count() FROM db.t__old"}}, perShard},
		{"flow check", Step{Kind: StepCheckFlow}, connected},
	}
	for _, c := range cases {
		if got := whereRuns(&c.step, all, connected, each, perShard); got != c.want {
			t.Errorf("%s: runs on %q, want %q", c.name, got, c.want)
		}
	}
}

// On a cluster of servers that swap with EXCHANGE TABLES (26.x), a rebuild
// of a table views read needs the swap tracker, and a view change with
// history the tracked backfill: both rest on one server's inserts, so both
// are plan errors there, and the same changes plan on a single server.
func TestClusterRefusesOneServerMethodsOn26(t *testing.T) {
	rekeyed := project(func(p *datafiles.Project) { p.Datasources["events"].Engine.SortingKey = "user_id, timestamp" })
	withHistory := project(func(p *datafiles.Project) {
		p.Pipes["mat_per_user"].Nodes[0].SQL = "SELECT user_id, sum(value) * 2 AS total FROM events GROUP BY user_id"
	})
	cases := []struct {
		name  string
		local *datafiles.Project
		want  string
	}{
		{"rebuild read by a view", rekeyed, "swap tracker"},
		{"view query changed with history", withHistory, "is not exact on cluster c"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			single, err := Build(c.local, liveState(t, "26.7.1", 1000), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(single.Errors) > 0 {
				t.Fatalf("on a single 26.7 server the change must plan: %v", single.Errors)
			}
			remote := liveState(t, "26.7.1", 1000)
			remote.Cluster = "c"
			p, err := Build(c.local, remote, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if errs := strings.Join(p.Errors, "\n"); !strings.Contains(errs, c.want) {
				t.Fatalf("want a plan error with %q on cluster c, got:\n%s", c.want, errs)
			}
		})
	}
}
