package apply

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/plan"
)

// TestBackupDroppedOnlyWithProof reproduces issue 20 case 3's second half:
// a backup holding rows that are not in the live table must never be
// dropped by a later deploy without --allow-destructive, and the plan must
// say so. A backup whose copy the journal proved is dropped freely; one
// that was changed since is not; one with no journal record is compared row
// by row.
func TestBackupDroppedOnlyWithProof(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) { backupDroppedOnlyWithProof(t, c, db) })
}

func backupDroppedOnlyWithProof(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
	ctx := context.Background()
	if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, streamFiles())), Options{}); err != nil {
		t.Fatal(err)
	}
	db.Exec(t, initialInsert)
	if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, rebuiltFiles())), Options{}); err != nil {
		t.Fatal(err)
	}
	// A later change (a new column) with the proven backup: no --allow-destructive needed.
	next := rebuiltFiles()
	next["datasources/events.datasource"] = strings.Replace(next["datasources/events.datasource"], "revenue Float64", "revenue Float64,\n    note String DEFAULT ''", 1)
	p := planFor(t, c, writeProject(t, next))
	cl := p.Change("cleanup:events__old")
	if cl == nil || cl.Destructive || !strings.Contains(strings.Join(cl.Reasons, " "), "copied into events by deployment") {
		t.Fatalf("a backup proven by the journal is not a safe cleanup:\n%s", render(p))
	}

	// Rows that reach the backup after its proof make it unproven.
	db.Exec(t, "INSERT INTO events__old (event_id, timestamp, session_id, event_type, pathname, duration_ms, revenue) SELECT 70001 + number, now(), 'lost', 'pageview', '/', 1, 0. FROM numbers(1293)")
	p = planFor(t, c, writeProject(t, next))
	cl = p.Change("cleanup:events__old")
	if cl == nil || !cl.Destructive || !strings.Contains(render(p), "need --allow-destructive): events__old") {
		t.Fatalf("an unproven backup is not a destructive change named in the plan:\n%s", render(p))
	}
	if _, err := Apply(ctx, c, p, Options{}); !errors.Is(err, ErrDestructive) || !strings.Contains(err.Error(), "events__old") {
		t.Fatalf("apply without --allow-destructive: err = %v", err)
	}
	if n := db.QueryString(t, "SELECT toString(count()) FROM events__old WHERE session_id = 'lost'"); n != "1293" {
		t.Fatalf("the unproven backup lost rows: %s", n)
	}
	if _, err := Apply(ctx, c, p, Options{AllowDestructive: true}); err != nil {
		t.Fatal(err)
	}
	if n := db.QueryString(t, "SELECT toString(count()) FROM system.tables WHERE database = currentDatabase() AND name = 'events__old'"); n != "0" {
		t.Error("the allowed cleanup did not drop events__old")
	}
}

// TestBackupProofWithoutJournal compares a backup no journal knows (left by
// an older perch, or by hand) with its live table row by row.
func TestBackupProofWithoutJournal(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) { backupProofWithoutJournal(t, c, db) })
}

func backupProofWithoutJournal(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
	ctx := context.Background()
	db.Exec(t,
		"CREATE TABLE t (a UInt32, b String) ENGINE = MergeTree ORDER BY a",
		"INSERT INTO t SELECT number, toString(number % 7) FROM numbers(1000)",
		"INSERT INTO t SELECT number, toString(number % 7) FROM numbers(10)", // duplicates count
		"CREATE TABLE t__old (a UInt16, b String) ENGINE = MergeTree ORDER BY b",
		"INSERT INTO t__old SELECT number, toString(number % 7) FROM numbers(1000)",
		"INSERT INTO t__old SELECT number, toString(number % 7) FROM numbers(10)",
	)
	pr, err := plan.ProveBackup(ctx, c, "t__old", "t")
	if err != nil || !pr.Proven {
		t.Fatalf("a backup whose rows are all in t (types converted, duplicates counted): %+v %v", pr, err)
	}
	db.Exec(t, "INSERT INTO t__old SELECT number, toString(number % 7) FROM numbers(3)") // a third copy of three rows
	pr, err = plan.ProveBackup(ctx, c, "t__old", "t")
	if err != nil || pr.Proven || pr.Missing != 3 {
		t.Fatalf("rows once more in the backup than in t: %+v %v", pr, err)
	}
	db.Exec(t, "CREATE TABLE u (a UInt32) ENGINE = MergeTree ORDER BY a", "CREATE TABLE u__old (a UInt32, gone String) ENGINE = MergeTree ORDER BY a", "INSERT INTO u__old SELECT 1, 'x'")
	pr, err = plan.ProveBackup(ctx, c, "u__old", "u")
	if err != nil || pr.Proven || !strings.Contains(pr.How, "column gone exists only in the backup") {
		t.Fatalf("a backup with a column the live table lacks: %+v %v", pr, err)
	}
}
