package apply

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/journal"
)

// TestPartsWatchdogAborts reproduces issue 20 case 2's hazard: with merges
// stopped for a rebuild, every insert adds a part, and the server refuses
// inserts at parts_to_throw_insert. The table here allows 60 parts; while
// the copy is held at its start, inserts add parts one by one up to the
// 50 perch stops at: perch must stop (journaling why), roll the change back
// and restart merges, so no insert is ever refused and merges run again.
func TestPartsWatchdogAborts(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) { partsWatchdogAborts(t, c, db) })
}

func partsWatchdogAborts(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
	ctx := context.Background()
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
		// Merges are stopped: each insert is a part. Insert until the
		// partition holds the 50 parts perch stops at (60 less its headroom
		// of 10), then wait for perch to note that it stops.
		for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
			parts, err := strconv.Atoi(db.QueryString(t, "SELECT toString(max(c)) FROM (SELECT count() AS c FROM system.parts WHERE database = currentDatabase() AND table = 'events' AND active GROUP BY partition_id)"))
			if err != nil {
				hookErr = err
				return
			}
			if parts < 50 {
				q := fmt.Sprintf("INSERT INTO events (event_id, timestamp, session_id, event_type, pathname, duration_ms, revenue) SELECT %d, now(), 'w', 'pageview', '/', 1, 0.", 60001+inserted)
				if err := db.Conn.Exec(ctx, q); err != nil {
					refused++
					hookErr = err
					return
				}
				inserted++
				continue
			}
			notes, err := journal.Notes(ctx, c, id)
			if err != nil {
				hookErr = err
				return
			}
			if len(notes) > 0 {
				return
			}
			time.Sleep(20 * time.Millisecond)
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
