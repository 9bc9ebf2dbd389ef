package plan

import "testing"

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
