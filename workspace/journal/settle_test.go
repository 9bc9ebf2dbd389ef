package journal

import (
	"context"
	"testing"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

// TestRecognizeAttach: with merges stopped on a SummingMergeTree table, an
// insert of as many rows as the stage's partition forms a new part too (of
// level 1 on 26.x, where merging engines optimize on insert); Recognize
// must not take it for the attach of the stage part (level AttachLevel),
// and must see the attach once it ran.
func TestRecognizeAttach(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
		ctx := context.Background()
		db.Exec(t,
			"CREATE TABLE totals (k UInt32, v UInt64) ENGINE = SummingMergeTree() ORDER BY k",
			"CREATE TABLE totals__stage AS totals",
			"INSERT INTO totals SELECT 1, 1",
			"INSERT INTO totals__stage SELECT number + 2, number + 2 FROM numbers(2)",
			"OPTIMIZE TABLE totals__stage FINAL",
			"OPTIMIZE TABLE totals__stage FINAL",
			"SYSTEM STOP MERGES totals",
		)
		if lvl := db.QueryString(t, "SELECT toString(min(level)) FROM system.parts WHERE database = currentDatabase() AND table = 'totals__stage' AND active"); lvl < "2" {
			t.Fatalf("stage part level %s after two OPTIMIZE FINAL", lvl)
		}
		before := []string{db.QueryString(t, "SELECT any(name) FROM system.parts WHERE database = currentDatabase() AND table = 'totals' AND active")}
		a := &Attach{Table: "totals", Stage: "totals__stage", Partition: "all", Before: before, Rows: 2, Level: AttachLevel}
		// an insert of two rows while the attach's outcome is unknown
		db.Exec(t, "INSERT INTO totals SELECT number + 4, number + 4 FROM numbers(2)")
		v, err := Recognize(ctx, c, a)
		if err != nil || v != VerdictAbsent {
			t.Fatalf("before the attach: %q, %v; want absent (parts: %s)", v, err,
				db.QueryString(t, "SELECT toString(groupArray((name, rows, level))) FROM system.parts WHERE database = currentDatabase() AND table = 'totals' AND active"))
		}
		db.Exec(t, "ALTER TABLE totals ATTACH PARTITION tuple() FROM totals__stage")
		if v, err := Recognize(ctx, c, a); err != nil || v != VerdictAttached {
			t.Fatalf("after the attach: %q, %v; want attached", v, err)
		}
	})
}
