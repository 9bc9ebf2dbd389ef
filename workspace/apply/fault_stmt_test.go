package apply

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/engine"
)

// TestStatementFaults fails one statement of a rebuild and swap, on both
// engines, while a producer streams rows: before the engine gets it (lost)
// or after the engine ran it (its answer lost), as a broken connection does
// (TestFaults cuts a real TCP connection on the server; the embedded engine
// has none, so this is how faults reach it). No acknowledged row may be lost
// or doubled, no table half-swapped, the failure must be in the log,
// applying again must succeed, and on the embedded engine no statement of
// the recovery renames two tables at once.
func TestStatementFaults(t *testing.T) {
	tests := []struct {
		name, match string
		run         bool
	}{
		{"no fault", "", false},
		{"backfill INSERT lost", "*/ INSERT INTO `{db}`.`events__new`", false},
		{"backfill INSERT ran", "*/ INSERT INTO `{db}`.`events__new`", true},
		{"stop merges lost", "*/ SYSTEM STOP MERGES `{db}`.`events`", false},
		{"swap lost", "*/ {swap}", false},
		{"swap ran", "*/ {swap}", true},
		{"backup rename ran", "*/ RENAME TABLE `{db}`.`events__new` TO", true},
		{"tail INSERT ran", "*/ INSERT INTO `{db}`.`events__stage`", true},
		{"tail attach lost", "*/ ALTER TABLE `{db}`.`events` ATTACH PARTITION", false},
		{"tail attach ran", "*/ ALTER TABLE `{db}`.`events` ATTACH PARTITION", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) { statementFault(t, db, tt.match, tt.run) })
		})
	}
}

func statementFault(t *testing.T, db *clickhousetest.DB, match string, run bool) {
	ctx := context.Background()
	if strings.Contains(match, "`{db}`.`events__new` TO") && db.Kind == engine.KindNative {
		t.Skip("18.16 swaps with one two-pair RENAME: there is no separate rename to the backup")
	}
	c, rc := deployedStream(t, db)
	swap := "RENAME TABLE `{db}`.`events` TO"
	if c.Capabilities().ExchangeTables {
		swap = "EXCHANGE TABLES `{db}`.`events` AND"
	}
	match = strings.ReplaceAll(strings.ReplaceAll(match, "{swap}", swap), "{db}", db.Name)
	prod := startProducer(t, db)
	// A batch inserted just before the swap reaches the old table after
	// the last copy: there is always a tail to copy (and to cut).
	var extra uint64
	rc.before = func(q string) {
		if extra == 0 && strings.Contains(q, "*/ "+strings.ReplaceAll(swap, "{db}", db.Name)) {
			extra = 100
			db.Exec(t, "INSERT INTO events (event_id, timestamp, session_id, user_id, event_type, pathname, referrer, country, device, browser, duration_ms, revenue) "+
				"SELECT 50001 + number, now(), 'tail', 'tail', 'purchase', '/', '', 'US', 'mobile', 'Chrome', 1, 1. FROM numbers(100)")
		}
	}
	if match != "" {
		rc.Arm(match, run)
	}
	dir := writeDir(t, rebuiltFiles())
	res, err := Apply(ctx, c, planFor(t, c, loadDir(t, dir)), Options{RetryWait: 100 * time.Millisecond})
	if match != "" && rc.Cuts() != 1 {
		prod.stop()
		t.Fatalf("no statement matched %q: the fault never hit (err %v)", match, err)
	}
	t.Logf("first apply: err=%v failed=%s undone=%v", err, res.Failed, res.Undone)
	names := db.QueryString(t, "SELECT arrayStringConcat(groupArray(name), ',') FROM (SELECT name FROM system.tables WHERE database = currentDatabase() AND startsWith(name, 'events') ORDER BY name)")
	if names != "events" && names != "events,events__old" {
		t.Errorf("tables after the fault: %s", names)
	}
	d, lerr := c.Get(ctx, res.DeploymentID)
	if lerr != nil || d == nil {
		t.Fatalf("deployment %s is not in the log: %v", res.DeploymentID, lerr)
	}
	if err != nil && d.Outcome != workspace.OutcomeFailed {
		t.Errorf("failed apply logged as %s", d.Outcome)
	}
	if _, err := Apply(ctx, c, planFor(t, c, loadDir(t, dir)), Options{}); err != nil {
		t.Fatalf("second apply: %v", err)
	}
	prod.stop()
	if db.Kind == engine.KindEmbedded {
		// Recovery paths included: never a multi-RENAME on an Atomic database.
		for _, q := range rc.Statements() {
			if multiRename.MatchString(q) {
				t.Errorf("a multi-RENAME ran on an Atomic database: %.300s", q)
			}
		}
	}
	checkRows(t, db, prod.tally, extra)
	checkViewAfterSwap(t, db)
	if got := db.QueryString(t, "SELECT sorting_key FROM system.tables WHERE database = currentDatabase() AND name = 'events'"); got != "session_id, timestamp" {
		t.Errorf("sorting key = %q", got)
	}
	assertNoChanges(t, c, dir)
}
