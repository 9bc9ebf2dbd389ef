package live

import (
	"testing"
	"time"

	"github.com/perchdata/perch/workspace/apply"
)

// TestConvertEventCarriesRows: the row events of an apply reach the UI as
// progress; those that only report it are no line of the log.
func TestConvertEventCarriesRows(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		ev                apply.Event
		logLine, progress bool
		done, total       uint64
	}{
		{apply.Event{Time: now, Kind: apply.RowsPlanned, Change: "events", Step: "copy", Partition: "1", Total: 10}, false, true, 0, 10},
		{apply.Event{Time: now, Kind: apply.RowsProgress, Change: "events", Step: "copy", Partition: "1", Rows: 4, Total: 10}, false, true, 4, 10},
		{apply.Event{Time: now, Kind: apply.RowsCopied, Change: "events", Step: "copy", Partition: "1", Rows: 10, Total: 10, Message: "partition 1"}, true, true, 10, 10},
		{apply.Event{Time: now, Kind: apply.StepStarted, Change: "events", Step: "copy"}, true, false, 0, 0},
	}
	for _, tc := range tests {
		out := convertEvent(tc.ev)
		if (out.Change != "") != tc.logLine || (out.Progress != nil) != tc.progress {
			t.Errorf("%s: %+v", tc.ev.Kind, out)
			continue
		}
		if p := out.Progress; p != nil && (p.Done != tc.done || p.Total != tc.total || p.Task != "events/copy" || p.Partition != "1") {
			t.Errorf("%s: progress %+v", tc.ev.Kind, *p)
		}
	}
}
