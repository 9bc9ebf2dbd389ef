package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/perchdata/perch/workspace/progress"
)

// rowEvent is a progress-only apply event of the copy of events, s
// seconds after fixedNow.
func rowEvent(s int, part string, done, total uint64, planned, finished bool) ApplyEvent {
	return ApplyEvent{Progress: &progress.Update{Time: fixedNow.Add(time.Duration(s) * time.Second), Task: "events/copy", Partition: part,
		Done: done, Total: total, Planned: planned, Finished: finished}}
}

// startedApply is a model whose apply of the plan started (not drained:
// the test delivers its events itself), with the copy of events under way.
func startedApply(t *testing.T, size [2]int) *Model {
	t.Helper()
	m := newTestModel(t, &fakeBackend{}, Options{})
	m.update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
	press(t, m, "4")
	m.plan.startApply([]string{"old_stats"})
	id := m.pending[paneApply]
	for _, ev := range []ApplyEvent{
		{Change: "events", Title: "started", State: "running"},
		{Change: "events", Title: "copy", State: "running"},
		rowEvent(0, "202601", 0, 400000, true, false),
		rowEvent(0, "202602", 0, 600000, true, false),
		rowEvent(0, "202603", 0, 200000, true, false),
		rowEvent(0, "202601", 0, 400000, false, false),
		rowEvent(4, "202601", 400000, 400000, false, true),
		{Change: "events", Title: "copy", State: "running", Rows: 400000, Message: "partition 202601"},
		rowEvent(4, "202602", 0, 600000, false, false),
		rowEvent(6, "202602", 150000, 600000, false, false),
	} {
		m.update(reply{pane: paneApply, req: id, msg: applyEventMsg{ev, true}})
	}
	later(m, 6*time.Second)
	m.touch()
	return m
}

// TestApplyShowsRowProgress: while a copy runs the Plan view shows rows
// moved of the total, the rate, elapsed time and ETA, overall and for the
// partition in flight; the clock ticks while the apply runs; after it the
// totals.
func TestApplyShowsRowProgress(t *testing.T) {
	m := startedApply(t, [2]int{80, 24})
	out := flat(m.Render())
	for _, want := range []string{
		"moving rows · 1 of 3 partitions done",
		"550,000 / 1,200,000 rows (45%) · 91,667 rows/s · elapsed 6s · ETA 7s",
		"events/copy partition 202602 25%",
		"150,000 / 600,000 rows · 75,000 rows/s · ETA 6s",
		"… events: copy (400,000 rows) · partition 202601",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, plain(m.Render()))
		}
	}
	// the tick re-arms while the apply runs, and stops after
	if cmd := m.update(reply{pane: paneApply, req: m.pending[paneApply], msg: applyTickMsg{}}); cmd == nil {
		t.Error("the apply's clock does not tick")
	}
	m.update(reply{pane: paneApply, req: m.pending[paneApply], msg: applyEventMsg{rowEvent(9, "202602", 600000, 600000, false, true), true}})
	m.update(reply{pane: paneApply, req: m.pending[paneApply], msg: applyEventMsg{rowEvent(9, "202603", 200000, 200000, false, true), true}})
	m.update(reply{pane: paneApply, req: m.pending[paneApply], msg: applyDoneMsg{res: &ApplyResult{DeploymentID: "d3"}}})
	if cmd := m.update(reply{pane: paneApply, req: m.pending[paneApply], msg: applyTickMsg{}}); cmd != nil {
		t.Error("the clock ticks after the apply ended")
	}
	if out := flat(m.Render()); !strings.Contains(out, "rows: 1,200,000 rows read in 3 partitions of 1 step · elapsed 9s") {
		t.Errorf("no totals after the apply:\n%s", plain(m.Render()))
	}
}

// TestGoldenApplyProgress: the progress bars mid-copy and the totals after.
func TestGoldenApplyProgress(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			m := startedApply(t, size)
			golden(t, fmt.Sprintf("plan_progress_%dx%d.golden", size[0], size[1]), plain(m.Render()))
			m.update(reply{pane: paneApply, req: m.pending[paneApply], msg: applyEventMsg{rowEvent(9, "202602", 600000, 600000, false, true), true}})
			m.update(reply{pane: paneApply, req: m.pending[paneApply], msg: applyEventMsg{rowEvent(10, "202603", 200000, 200000, false, true), true}})
			m.update(reply{pane: paneApply, req: m.pending[paneApply], msg: applyDoneMsg{res: &ApplyResult{DeploymentID: "d3"}}})
			golden(t, fmt.Sprintf("plan_progress_done_%dx%d.golden", size[0], size[1]), plain(m.Render()))
		})
	}
}

// TestChangeLineEnds: a change's "started" line becomes its done line when
// it finishes, instead of staying "…" above a separate "finished".
func TestChangeLineEnds(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	for _, ev := range []ApplyEvent{
		{Change: "events", Title: "started", State: "running", Message: "rebuild and swap"},
		{Change: "events", Title: "copy", State: "done"},
		{Change: "events", Title: "finished", State: "done"},
	} {
		m.plan.record(ev)
	}
	if len(m.plan.log) != 2 || m.plan.log[0].State != "done" || m.plan.log[0].Title != "" {
		t.Fatalf("log: %+v", m.plan.log)
	}
	if lines := m.plan.applyLines(); !strings.Contains(plain(lines[0]), "✓ events · rebuild and swap") {
		t.Errorf("first line %q", plain(lines[0]))
	}
}
