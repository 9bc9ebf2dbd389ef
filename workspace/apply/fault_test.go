package apply

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/plan"
)

// TestFaults cuts the connection between perch and the server in the middle
// of a backfill and at the swap, with rows streaming in: no row may be lost,
// no table half-swapped, the failure must be in the log, and applying again
// must succeed. It runs on the ClickHouse server only: it cuts a real TCP
// connection, which the embedded engine does not have (TestStatementFaults
// injects the same faults on both engines).
func TestFaults(t *testing.T) {
	tests := []struct {
		name string
		// cut reports whether to arm the cut at this event; forward lets the
		// server run the statement the cut hits.
		cut     func(e Event) bool
		forward bool
		match   string
	}{
		{"backfill INSERT lost", func(e Event) bool { return e.Kind == StepStarted && e.Step == "backfill" }, false, "INSERT INTO"},
		{"backfill INSERT ran", func(e Event) bool { return e.Kind == StepStarted && e.Step == "backfill" }, true, "INSERT INTO"},
		{"mid-backfill, statement lost", func(e Event) bool { return e.Kind == RowsCopied && e.Step == "backfill" }, false, ""},
		{"mid-backfill, statement ran", func(e Event) bool { return e.Kind == RowsCopied && e.Step == "backfill" }, true, ""},
		{"swap, statement lost", func(e Event) bool { return e.Kind == StepStarted && e.Step == "swap" }, false, ""},
		{"swap, statement ran", func(e Event) bool { return e.Kind == StepStarted && e.Step == "swap" }, true, ""},
		{"tail after the swap", func(e Event) bool { return e.Kind == StepStarted && e.Step == "tail" }, true, ""},
		{"tail INSERT ran", func(e Event) bool { return e.Kind == StepStarted && e.Step == "tail" }, true, "INSERT INTO"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			direct, db := openTest(t)
			if _, err := Apply(ctx, direct, planFor(t, direct, writeProject(t, baseFiles())), Options{}); err != nil {
				t.Fatal(err)
			}
			// Several partitions, so the backfill takes several chunks.
			db.Exec(t, "INSERT INTO events SELECT toDateTime('2024-01-01 00:00:00') + number * 86400 * 7, toString(number % 13), 1 FROM numbers(20)")
			px := startProxy(t, srv.Addr())
			viaProxy, err := workspace.Open(ctx, workspace.Target{Name: "proxy", DSN: strings.Replace(db.DSN, srv.Addr(), px.Addr(), 1), Database: db.Name, Source: "test"})
			if err != nil {
				t.Fatal(err)
			}
			defer viaProxy.Close()

			w := startWriter(t, db.Name)
			time.Sleep(200 * time.Millisecond)
			files := baseFiles()
			files["datasources/events.datasource"] = strings.Replace(eventsFile, `ENGINE_SORTING_KEY "timestamp"`, `ENGINE_SORTING_KEY "user_id, timestamp"`, 1)
			local := writeProject(t, files)
			p := planFor(t, viaProxy, local)
			cut := false
			late := 0 // rows inserted just before the swap
			res, err := Apply(ctx, viaProxy, p, Options{RetryWait: 200 * time.Millisecond, OnEvent: func(e Event) {
				if testing.Verbose() && e.Kind != StepFinished {
					t.Logf("event %s %s %d %s", e.Kind, e.Step, e.Rows, e.Message)
				}
				if e.Kind == StepStarted && e.Step == "swap" && late == 0 {
					// A row that reaches the old table after the last copy, so
					// the tail always has rows to move (the cut at the tail then
					// always hits), whatever the writer managed meanwhile.
					db.Exec(t, "INSERT INTO events SELECT now(), 'late', 1")
					late = 1
				}
				if !cut && tt.cut(e) {
					cut = true
					px.ArmOn(tt.match, tt.forward)
				}
			}})
			if !cut || px.cuts.Load() == 0 {
				w.halt()
				t.Fatalf("the connection was never cut (armed %v, cuts %d): err=%v", cut, px.cuts.Load(), err)
			}
			t.Logf("first apply: err=%v applied=%v failed=%s undone=%v", err, res.Applied, res.Failed, res.Undone)

			// No half swap: events exists, and events__new does not while events__old does.
			names := db.QueryString(t, "SELECT arrayStringConcat(groupArray(name), ',') FROM (SELECT name FROM system.tables WHERE database = currentDatabase() AND startsWith(name, 'events') ORDER BY name)")
			if names != "events" && names != "events,events__old" {
				t.Errorf("tables after the cut: %s", names)
			}
			d, lerr := direct.Get(ctx, res.DeploymentID)
			if lerr != nil || d == nil {
				t.Fatalf("deployment %s is not in the log: %v", res.DeploymentID, lerr)
			}
			if err != nil && d.Outcome != workspace.OutcomeFailed {
				t.Errorf("failed apply logged as %s", d.Outcome)
			}

			// Apply again (a fresh plan) succeeds.
			again := planFor(t, direct, local)
			if ch := again.Change("events"); err != nil && ch == nil {
				t.Fatalf("after a failed rebuild the plan must rebuild again:\n%s", render(again))
			}
			if _, err := Apply(ctx, direct, again, Options{}); err != nil {
				t.Fatalf("second apply: %v", err)
			}
			w.halt()
			if got, want := db.QueryString(t, "SELECT toString(count()) FROM events"), fmt.Sprint(w.rows.Load()+20+uint64(late)); got != want {
				t.Errorf("events has %s rows, %s were inserted", got, want)
			}
			if got := db.QueryString(t, "SELECT sorting_key FROM system.tables WHERE database = currentDatabase() AND name = 'events'"); got != "user_id, timestamp" {
				t.Errorf("sorting key = %q", got)
			}
			for _, ch := range planFor(t, direct, local).Changes {
				if ch.Method != plan.MethodCleanup {
					t.Errorf("changes remain: %s", ch.ID)
				}
			}
		})
	}
}
