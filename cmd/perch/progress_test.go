package main

import (
	"strings"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace/apply"
)

// copyEvents are the row events of a copy of two partitions, one second
// apart on the work's clock, with a progress report every second.
func copyEvents() []apply.Event {
	t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	ev := func(s int, kind apply.EventKind, part string, rows, total uint64) apply.Event {
		e := apply.Event{Time: at(s), Kind: kind, Change: "events", Step: "copy", Partition: part, Rows: rows, Total: total}
		if kind == apply.RowsCopied {
			e.Message = "partition " + part
		}
		return e
	}
	return []apply.Event{
		ev(0, apply.RowsPlanned, "202601", 0, 1000),
		ev(0, apply.RowsPlanned, "202602", 0, 1000),
		ev(0, apply.RowsProgress, "202601", 0, 1000),
		ev(2, apply.RowsProgress, "202601", 400, 1000),
		ev(4, apply.RowsProgress, "202601", 800, 1000),
		ev(5, apply.RowsCopied, "202601", 1000, 1000),
		ev(5, apply.RowsProgress, "202602", 0, 1000),
		ev(7, apply.RowsProgress, "202602", 600, 1000),
		ev(10, apply.RowsProgress, "202602", 900, 1000),
		ev(11, apply.RowsCopied, "202602", 1000, 1000),
		{Time: at(11), Kind: apply.StepFinished, Change: "events", Step: "copy"},
	}
}

func TestProgressPrinter(t *testing.T) {
	tests := []struct {
		name string
		tty  bool
		want []string // in order
		not  []string
	}{
		{"terminal: one line in place", true, []string{
			"\r\033[K      [####................] 400 / 2,000 rows (20%) · 200 rows/s · elapsed 2s · ETA 8s · now events/copy partition 202601 40%",
			"\r\033[K      1,000 rows (partition 202601)\n",
			"\r\033[K      [##########..........] 1,000 / 2,000 rows (50%) · 200 rows/s · elapsed 5s · ETA 5s",
			"\r\033[KRows: 2,000 rows read in 2 partitions of 1 step · elapsed 11s · 182 rows/s.\n",
		}, []string{"progress:"}},
		{"log: a line every 5s of the work", false, []string{
			"      progress: [####................] 400 / 2,000 rows (20%)",
			"      1,000 rows (partition 202601)\n",
			"      progress: [################....] 1,600 / 2,000 rows (80%) · 229 rows/s · elapsed 7s · ETA 2s · now events/copy partition 202602 60%\n",
			"Rows: 2,000 rows read in 2 partitions of 1 step · elapsed 11s · 182 rows/s.\n",
		}, []string{"\r", "800 / 2,000", "1,900 / 2,000", "] 0 / 2,000"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			p := newProgressPrinter(&b, tc.tty)
			for _, ev := range copyEvents() {
				if handled := p.event(ev); handled != (ev.Kind != apply.StepFinished) {
					t.Fatalf("%s handled %v", ev.Kind, handled)
				}
			}
			p.summary(&b, "step")
			out := b.String()
			rest := out
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("missing (in order) %q in:\n%q", w, out)
				}
				rest = rest[i+len(w):]
			}
			for _, n := range tc.not {
				if strings.Contains(out, n) {
					t.Errorf("has %q:\n%q", n, out)
				}
			}
			if !tc.tty && strings.Count(out, "progress:") != 2 {
				t.Errorf("want 2 log lines in 11s, got:\n%s", out)
			}
		})
	}
}
