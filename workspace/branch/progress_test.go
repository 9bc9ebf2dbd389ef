package branch

import (
	"testing"
	"time"

	"github.com/perchdata/perch/workspace/progress"
)

// TestEventUpdates: a branch's copy events add up in a progress tracker
// as the apply's do: a task per table, rows read of the table's rows.
func TestEventUpdates(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	events := []Event{
		{Time: t0, Kind: EventApplied, Message: "3 changes"},
		{Time: t0, Kind: EventCopyStarted, Table: "events", Progress: Progress{Table: "events", TotalRows: 1000}},
		{Time: t0.Add(time.Second), Kind: EventCopyProgress, Table: "events", Progress: Progress{Table: "events", RowsRead: 400, TotalRows: 1000}},
		{Time: t0.Add(2 * time.Second), Kind: EventCopied, Table: "events", Copy: &TableCopy{Table: "events", Rows: 100, RowsRead: 1000}},
		{Time: t0.Add(2 * time.Second), Kind: EventSkipped, Table: "clicks"},
	}
	tr := progress.NewTracker()
	mid := progress.Snapshot{}
	for i, ev := range events {
		u, ok := ev.Update()
		if ok != (ev.Kind == EventCopyStarted || ev.Kind == EventCopyProgress || ev.Kind == EventCopied) {
			t.Fatalf("event %d (%v): ok %v", i, ev.Kind, ok)
		}
		if ok {
			tr.Observe(u)
		}
		if i == 2 {
			mid = tr.Snapshot(t0.Add(time.Second))
		}
	}
	if got := mid.Overall.Text(); got != "400 / 1,000 rows (40%) · 400 rows/s · elapsed 1s · ETA 2s" {
		t.Errorf("mid-copy: %q", got)
	}
	if o := tr.Snapshot(time.Time{}).Overall; !o.Finished || o.Done != 1000 || o.Elapsed != 2*time.Second {
		t.Errorf("after: %+v", o)
	}
}
