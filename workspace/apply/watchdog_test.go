package apply

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/journal"
)

// TestPartsWatchdogAborts reproduces issue 20 case 2's hazard: with merges
// stopped for a rebuild, every insert adds a part, and the server refuses
// inserts at parts_to_throw_insert. The table here allows 60 parts; while
// the copy is held at its start, inserts add parts one by one: perch must
// stop before 60 (journaling why), roll the change back and restart merges,
// so no insert is ever refused and merges run again.
func TestPartsWatchdogAborts(t *testing.T) {
	ctx := context.Background()
	c, db := openTest(t)
	files := streamFiles()
	files["datasources/events.datasource"] = streamEventsFile + "ENGINE_SETTINGS \"parts_to_throw_insert = 60\"\n"
	if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, files)), Options{}); err != nil {
		t.Fatal(err)
	}
	db.Exec(t, initialInsert)
	files["datasources/events.datasource"] = strings.Replace(files["datasources/events.datasource"], `"timestamp, session_id"`, `"session_id, timestamp"`, 1)
	p := planFor(t, c, writeProject(t, files))
	var inserted, refused int
	var hookErr error
	id := workspace.NewDeploymentID(time.Now())
	res, err := Apply(ctx, c, p, Options{DeploymentID: id, OnEvent: func(e Event) {
		if e.Kind != StepStarted || e.Step != "backfill" {
			return
		}
		// Merges are stopped: each insert is a part. Insert until perch
		// notes that it stops (its journal says so), within a deadline.
		for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
			q := fmt.Sprintf("INSERT INTO events (event_id, timestamp, session_id, event_type, pathname, duration_ms, revenue) SELECT %d, now(), 'w', 'pageview', '/', 1, 0.", 60001+inserted)
			if err := db.Conn.Exec(ctx, q); err != nil {
				refused++
				hookErr = err
				return
			}
			inserted++
			notes, err := journal.Notes(ctx, c, id)
			if err != nil {
				hookErr = err
				return
			}
			if len(notes) > 0 {
				return
			}
		}
		hookErr = errors.New("perch never stopped")
	}})
	if hookErr != nil {
		t.Fatalf("while adding parts: %v (%d inserted)", hookErr, inserted)
	}
	var pl *PartsLimitError
	if !errors.As(err, &pl) || pl.Table != "events" || pl.Throw != 60 || pl.Parts >= 60 {
		t.Fatalf("apply err = %v, want a PartsLimitError on events below 60", err)
	}
	if !res.Undone || refused > 0 {
		t.Errorf("undone %v, %d inserts refused", res.Undone, refused)
	}
	if mergesStopped(t, db, "events") {
		t.Error("merges on events are still stopped")
	}
	if n := db.QueryString(t, "SELECT toString(count()) FROM system.tables WHERE database = currentDatabase() AND name = 'events__new'"); n != "0" {
		t.Error("events__new left behind")
	}
	if got, want := db.QueryString(t, "SELECT toString(count()) FROM events"), fmt.Sprint(initialRows+inserted); got != want {
		t.Errorf("events has %s rows, want %s", got, want)
	}
	t.Logf("perch stopped at %d parts (limit %d) after %d inserts: %v", pl.Parts, pl.Throw, inserted, err)
}
