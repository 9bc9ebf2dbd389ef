package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// ComparePreview names side A after the branch the fake works on.
func (b *branchingBackend) ComparePreview(ctx context.Context, req CompareRequest) (*PreviewComparison, error) {
	c, err := b.fakeBackend.ComparePreview(ctx, req)
	b.mu.Lock()
	defer b.mu.Unlock()
	if c != nil && b.current != "" {
		c.A.Name = b.current
	}
	return c, err
}

func newBranching(t *testing.T, size [2]int) (*branchingBackend, *Model) {
	t.Helper()
	b := &branchingBackend{fakeBackend: &fakeBackend{}, branches: []string{"by_page", "by_time"}}
	m := newTestModel(t, b, Options{})
	m.update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
	return b, m
}

// compareOn picks the node and compares it with branch name (B, then the
// name in the choice).
func compareOn(t *testing.T, m *Model, name string) {
	t.Helper()
	pickNode()(t, m)
	press(t, m, "B")
	if m.pal == nil {
		t.Fatalf("B opened no choice:\n%s", plain(m.Render()))
	}
	m.pal.query = name
	m.pal.filter()
	press(t, m, "enter")
}

// TestCompareOnTwoBranches (issue 16 item 3): B offers the workspace's
// other sides, runs the node with the same SQL and parameters on both and
// says whether the results are equal and what B reads against A; edits
// and parameters compare again; stop comparing goes back to one side.
func TestCompareOnTwoBranches(t *testing.T) {
	b, m := newBranching(t, [2]int{160, 48})
	press(t, m, "3", "B")
	if m.pal != nil || !strings.Contains(m.notice, "pick a node first") {
		t.Fatalf("B before a node: palette %v, notice %q", m.pal != nil, m.notice)
	}
	pickNode()(t, m)
	press(t, m, "B")
	var offered []string
	for _, e := range m.pal.entries {
		offered = append(offered, e.text)
	}
	if fmt.Sprint(offered) != "[by_page by_time]" || !strings.Contains(m.pal.title, "on main (A)") {
		t.Fatalf("offered %v (%s), want the branches but main, the target", offered, m.pal.title)
	}
	press(t, m, "enter")
	if len(b.compared) != 1 {
		t.Fatalf("%d comparisons", len(b.compared))
	}
	req, single := b.compared[0], b.previews[0]
	if req.Against != "by_page" || req.Pipe != single.Pipe || req.Node != single.Node || fmt.Sprint(req.Params) != fmt.Sprint(single.Params) || req.ProgressB == nil {
		t.Fatalf("compare request %+v, the preview's %+v", req, single)
	}
	out := flat(m.Render())
	for _, want := range []string{
		"run 2 on main (A) and by_page (B): results equal · B/A rows read 0.25×, bytes read 0.25×",
		"A · main", "B · by_page",
		"3 rows · read 1,000 rows, 48.0 KiB · 12ms", "3 rows · read 250 rows, 12.0 KiB · 6ms",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the comparison lacks %q:\n%s", want, plain(m.Render()))
		}
	}

	// a parameter typed compares again, with it on both sides
	press(t, m, "tab", "backspace", "backspace", "F", "R")
	drain(t, m, m.update(debounceMsg{tag: m.preview.tag}))
	last := b.compared[len(b.compared)-1]
	if last.Params["country"] != "FR" || last.Against != "by_page" {
		t.Fatalf("after typing a parameter: %+v", last)
	}
	press(t, m, "esc")

	// results that differ say how
	b.sideBDiffers = true
	press(t, m, "R")
	if out := flat(m.Render()); !strings.Contains(out, "results differ: 1 of 3 rows differ; first: hits 120 vs 121") {
		t.Errorf("differing results:\n%s", plain(m.Render()))
	}
	b.sideBDiffers = false

	// a side that fails says so in its pane
	b.sideBErr = errors.New("Table perch__br_by_page.events doesn't exist")
	press(t, m, "R")
	if out := flat(m.Render()); !strings.Contains(out, "not compared: by_page failed") || !strings.Contains(out, "✗ Table perch__br_by_page.events doesn't exist") {
		t.Errorf("a failed side:\n%s", plain(m.Render()))
	}
	b.sideBErr = nil

	// the two sides scroll together
	m.preview.focus = focusResults
	press(t, m, "down")
	if a, b := m.preview.rows.table.Position(), m.preview.cmp.tableB.Position(); a != 1 || b != 1 {
		t.Errorf("after down in the rows: A on row %d, B on row %d", a, b)
	}

	// stop comparing: the next run is on the target only
	press(t, m, "B")
	if e := m.pal.entries[len(m.pal.entries)-1]; e.text != "stop comparing" {
		t.Fatalf("last choice %q", e.text)
	}
	m.pal.sel = len(m.pal.shown) - 1
	press(t, m, "enter")
	n := len(b.compared)
	press(t, m, "R")
	if m.preview.comparing() || len(b.compared) != n || strings.Contains(plain(m.Render()), "B · by_page") {
		t.Fatalf("still comparing after stop:\n%s", plain(m.Render()))
	}
}

// TestCompareCancels: a comparison in flight shows both sides' progress
// and esc cancels it, like a preview.
func TestCompareCancels(t *testing.T) {
	b, m := newBranching(t, [2]int{160, 48})
	compareOn(t, m, "by_time")
	b.block = true
	b.progress = []PreviewProgress{{RowsRead: 1000000, BytesRead: 64 << 20}}
	batch := m.update(keyMsg("R"))().(tea.BatchMsg) // the run, A's progress, B's progress, the timer
	done := make(chan tea.Msg, 1)
	go func() { done <- batch[0]() }()
	m.update(batch[1]())
	m.update(batch[2]())
	later(m, 1200*time.Millisecond)
	out := flat(m.Render())
	if !strings.Contains(out, "running 1.2s on main and by_time · A 1,000,000 rows, 64.0 MiB read · B 250,000 rows, 16.0 MiB read · esc cancels") ||
		!strings.Contains(out, "stale: a new run is on its way") {
		t.Errorf("a comparison in flight:\n%s", plain(m.Render()))
	}
	press(t, m, "esc")
	select {
	case msg := <-done:
		m.update(msg)
	case <-time.After(10 * time.Second):
		t.Fatal("esc did not cancel the comparison")
	}
	if m.preview.running || !strings.Contains(plain(m.Render()), "cancelled") {
		t.Fatalf("after esc:\n%s", plain(m.Render()))
	}
}

// TestCompareWithoutBranches: a target with no other side says how to make
// one; the palette offers the comparison in the Preview.
func TestCompareWithoutBranches(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	pickNode("B")(t, m)
	if m.pal != nil || !strings.Contains(m.notice, "perch branch create NAME") {
		t.Fatalf("B without branches: palette %v, notice %q", m.pal != nil, m.notice)
	}
	press(t, m, ":")
	for _, r := range "compare on" {
		press(t, m, string(r))
	}
	if e := m.pal.entries[m.pal.shown[0]]; !strings.HasPrefix(e.text, "compare on two branches") || e.where != "Preview" || e.keys != "B" {
		t.Fatalf("palette: %+v", e)
	}
}

// TestCompareFollowsTheTarget: on a branch, side A is that branch and
// main is offered; switching onto side B stops comparing.
func TestCompareFollowsTheTarget(t *testing.T) {
	b, m := newBranching(t, [2]int{160, 48})
	press(t, m, "b") // on by_page
	compareOn(t, m, "main")
	if out := flat(m.Render()); !strings.Contains(out, "run 2 on by_page (A) and main (B): results equal") {
		t.Fatalf("by_page against main:\n%s", plain(m.Render()))
	}
	press(t, m, "b", "b") // by_time, then main: side B
	n := len(b.compared)
	press(t, m, "3", "R")
	if m.preview.comparing() || len(b.compared) != n {
		t.Fatalf("compared main with itself: %+v", b.compared[len(b.compared)-1])
	}
}

// TestGoldenCompare: the two sides side by side in a wide terminal,
// stacked in a narrow one.
func TestGoldenCompare(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		name := fmt.Sprintf("preview_compare_%dx%d.golden", size[0], size[1])
		t.Run(name, func(t *testing.T) {
			_, m := newBranching(t, size)
			compareOn(t, m, "by_page")
			out := plain(m.Render())
			lines := splitFrame(out)
			a, bl := -1, -1
			for i, l := range lines {
				if strings.Contains(l, "A · main") {
					a = i
				}
				if strings.Contains(l, "B · by_page") {
					bl = i
				}
			}
			if stacked := size[0] < 120; a < 0 || bl < 0 || stacked != (bl > a) || !stacked && bl != a {
				t.Fatalf("sides at lines %d and %d:\n%s", a, bl, out)
			}
			golden(t, name, out)
		})
	}
}
