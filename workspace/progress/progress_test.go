package progress

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func at(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }

// TestTracker drives a copy of two partitions (planned up front, then one
// after the other) and reads the bars at moments of it.
func TestTracker(t *testing.T) {
	updates := []Update{
		{Time: at(0), Task: "events/copy", Partition: "202601", Total: 1000, Planned: true},
		{Time: at(0), Task: "events/copy", Partition: "202602", Total: 3000, Planned: true},
		{Time: at(0), Task: "events/copy", Partition: "202601", Total: 1000},
		{Time: at(2), Task: "events/copy", Partition: "202601", Total: 1000, Done: 500},
		{Time: at(4), Task: "events/copy", Partition: "202601", Total: 1000, Done: 1000, Finished: true},
		{Time: at(4), Task: "events/copy", Partition: "202602", Total: 3000},
		{Time: at(6), Task: "events/copy", Partition: "202602", Total: 3000, Done: 1500},
		{Time: at(8), Task: "events/copy", Partition: "202602", Total: 3000, Done: 3000, Finished: true},
	}
	tests := []struct {
		name     string
		after    int // updates applied
		now      time.Time
		overall  string
		running  []string
		finished bool
	}{
		{"planned", 2, at(0), "0 / 4,000 rows (0%) · elapsed 0s · ETA ?", nil, false},
		{"first partition half way", 4, at(2), "500 / 4,000 rows (12%) · 250 rows/s · elapsed 2s · ETA 14s", []string{"events/copy partition 202601: 500 / 1,000 rows (50%) · 250 rows/s · elapsed 2s · ETA 2s"}, false},
		{"later, no news", 4, at(3), "500 / 4,000 rows (12%) · 167 rows/s · elapsed 3s · ETA 21s", []string{"events/copy partition 202601: 500 / 1,000 rows (50%) · 167 rows/s · elapsed 3s · ETA 3s"}, false},
		{"second started", 6, at(4), "1,000 / 4,000 rows (25%) · 250 rows/s · elapsed 4s · ETA 12s", []string{"events/copy partition 202602: 0 / 3,000 rows (0%) · elapsed 0s · ETA ?"}, false},
		{"second half way", 7, at(6), "2,500 / 4,000 rows (62%) · 417 rows/s · elapsed 6s · ETA 4s", []string{"events/copy partition 202602: 1,500 / 3,000 rows (50%) · 750 rows/s · elapsed 2s · ETA 2s"}, false},
		{"finished, read later", 8, at(60), "4,000 / 4,000 rows (100%) · 500 rows/s · elapsed 8s", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := NewTracker()
			for _, u := range updates[:tc.after] {
				tr.Observe(u)
			}
			s := tr.Snapshot(tc.now)
			if got := s.Overall.Text(); got != tc.overall {
				t.Errorf("overall %q, want %q", got, tc.overall)
			}
			var running []string
			for _, b := range s.Running {
				running = append(running, b.Name()+": "+b.Text())
			}
			if len(running) != len(tc.running) || (len(running) > 0 && running[0] != tc.running[0]) {
				t.Errorf("running %q, want %q", running, tc.running)
			}
			if s.Overall.Finished != tc.finished {
				t.Errorf("finished %v", s.Overall.Finished)
			}
			if len(s.Tasks) != 1 || s.Tasks[0].Partitions != 2 {
				t.Errorf("tasks %+v", s.Tasks)
			}
		})
	}
}

// TestEstimateCorrected: a backfill's total is an estimate (source rows);
// a partition that finishes below or above it counts what it did.
func TestEstimateCorrected(t *testing.T) {
	tr := NewTracker()
	tr.Observe(Update{Time: at(0), Task: "mv/backfill", Partition: "a", Total: 100, Planned: true})
	tr.Observe(Update{Time: at(0), Task: "mv/backfill", Partition: "b", Total: 0, Planned: true})
	tr.Observe(Update{Time: at(1), Task: "mv/backfill", Partition: "a", Done: 100, Total: 100, Finished: true})
	tr.Observe(Update{Time: at(2), Task: "mv/backfill", Partition: "b", Done: 40, Finished: true})
	o := tr.Snapshot(time.Time{}).Overall
	if o.Done != 140 || o.Total != 140 || !o.Finished || o.Elapsed != 2*time.Second {
		t.Fatalf("overall %+v", o)
	}
	if got := tr.Snapshot(time.Time{}).Summary("step"); got != "140 rows read in 2 partitions of 1 step · elapsed 2s · 70 rows/s" {
		t.Errorf("summary %q", got)
	}
}

// TestUnknownTotal: without totals the bar shows counts and speed, no ETA.
func TestUnknownTotal(t *testing.T) {
	tr := NewTracker()
	tr.Observe(Update{Time: at(0), Task: "branch/copy"})
	tr.Observe(Update{Time: at(10), Task: "branch/copy", Done: 1200})
	if got := tr.Snapshot(at(10)).Overall.Text(); got != "1,200 rows · 120 rows/s · elapsed 10s · ETA ?" {
		t.Errorf("%q", got)
	}
	if !(Snapshot{}).Empty() || tr.Snapshot(at(10)).Empty() {
		t.Error("Empty")
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		850 * time.Millisecond: "850ms", 12 * time.Second: "12s", 185 * time.Second: "3m05s", 62 * time.Minute: "1h02m",
	} {
		if got := Duration(d); got != want {
			t.Errorf("%s: %q, want %q", d, got, want)
		}
	}
}

// TestRoundsAddUp: a partition moved again (the rows that arrived since
// its copy) adds its rows to what the first round did.
func TestRoundsAddUp(t *testing.T) {
	tr := NewTracker()
	for _, u := range []Update{
		{Time: at(0), Task: "events/copy", Partition: "1", Total: 100, Planned: true},
		{Time: at(0), Task: "events/copy", Partition: "1", Total: 100},
		{Time: at(1), Task: "events/copy", Partition: "1", Total: 100, Done: 100, Finished: true},
		{Time: at(1), Task: "events/copy", Partition: "1", Total: 20, Planned: true},
		{Time: at(1), Task: "events/copy", Partition: "1", Total: 20},
		{Time: at(2), Task: "events/copy", Partition: "1", Total: 20, Done: 5},
	} {
		tr.Observe(u)
	}
	if o := tr.Snapshot(at(2)).Overall; o.Done != 105 || o.Total != 120 || o.Finished {
		t.Fatalf("second round under way: %+v", o)
	}
	tr.Observe(Update{Time: at(3), Task: "events/copy", Partition: "1", Total: 20, Done: 20, Finished: true})
	if o := tr.Snapshot(time.Time{}).Overall; o.Done != 120 || o.Total != 120 || !o.Finished || o.Partitions != 1 {
		t.Fatalf("after two rounds: %+v", o)
	}
}
