package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// edit types text into the editor (i), replacing the SQL.
func edit(t *testing.T, m *Model, sql string) {
	t.Helper()
	press(t, m, "i")
	m.preview.editor.SetValue("")
	m.preview.sql = ""
	m.update(tea.PasteMsg{Content: sql})
}

// later moves the clock past the dialogs' grace period.
func later(m *Model, d time.Duration) { m.opt.Now = func() time.Time { return fixedNow.Add(d) } }

// TestPickingAnotherNodeAsksBeforeDroppingEdits (issue 19 item 8).
func TestPickingAnotherNodeAsksBeforeDroppingEdits(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	pickNode()(t, m)
	edit(t, m, "SELECT 1 AS edited")
	press(t, m, "esc") // stop editing
	m.preview.picker.Select("daily.daily_node")
	press(t, m, "enter")
	if d := m.topDialog(); d == nil || !strings.Contains(strings.Join(d.c.Body, " "), "top_pages.top_pages_node was edited and not saved") {
		t.Fatalf("picking another node did not ask: %+v", d)
	}
	later(m, time.Second)
	press(t, m, "n")
	if m.preview.node != "top_pages_node" || m.preview.sql != "SELECT 1 AS edited" || m.preview.picker.SelectedID() != "top_pages.top_pages_node" {
		t.Fatalf("n lost the edits: node %s sql %q", m.preview.node, m.preview.sql)
	}
	m.preview.picker.Select("daily.daily_node")
	press(t, m, "enter")
	later(m, 2*time.Second)
	press(t, m, "y")
	if m.preview.node != "daily_node" || m.preview.edited {
		t.Fatalf("y did not open daily_node: %s edited %v", m.preview.node, m.preview.edited)
	}
}

// TestSaveWritesTheEditedSQL (item 8): ctrl+s saves the edit to the
// datafile and reloads the project; a failed save keeps the edit.
func TestSaveWritesTheEditedSQL(t *testing.T) {
	b := &fakeBackend{}
	m := newTestModel(t, b, Options{})
	pickNode()(t, m)
	edit(t, m, "SELECT 2")
	loads := b.loads
	press(t, m, "ctrl+s")
	if len(b.saved) != 1 || b.saved[0] != "top_pages.top_pages_node: SELECT 2" {
		t.Fatalf("saved %v", b.saved)
	}
	if m.preview.edited || b.loads != loads+1 || !strings.Contains(plain(m.Render()), "saved /proj/pipes/top_pages.pipe") {
		t.Fatalf("after saving: edited %v, %d reload(s)\n%s", m.preview.edited, b.loads-loads, plain(m.Render()))
	}
	edit(t, m, "SELECT unsavable")
	press(t, m, "ctrl+s")
	if !m.preview.edited || !strings.Contains(flat(m.Render()), "save: the node's SQL could not be placed") {
		t.Fatalf("a failed save:\n%s", plain(m.Render()))
	}
}

// TestQuitAsksWithUnsavedEdits (item 8): ctrl+c (or q) with unsaved edits
// asks; a second ctrl+c answers yes. Without edits it quits at once.
func TestQuitAsksWithUnsavedEdits(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	if cmd := m.update(keyMsg("ctrl+c")); cmd == nil || cmd() != tea.Quit() {
		t.Fatal("ctrl+c without edits does not quit")
	}
	pickNode()(t, m)
	edit(t, m, "SELECT 3")
	if cmd := m.update(keyMsg("ctrl+c")); m.topDialog() == nil || isQuit(cmd) {
		t.Fatal("ctrl+c with unsaved edits quit without asking")
	}
	if !strings.Contains(flat(m.Render()), "Quit and lose your edits?") {
		t.Fatalf("dialog:\n%s", plain(m.Render()))
	}
	if cmd := m.update(keyMsg("ctrl+c")); !isQuit(cmd) {
		t.Fatal("a second ctrl+c does not quit")
	}
}

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

// TestQuitDuringAnApplyCancelsItFirst (item 8): ctrl+c during an apply says
// what happens to it; yes cancels the apply and perch quits once it stopped.
func TestQuitDuringAnApplyCancelsItFirst(t *testing.T) {
	b := &fakeBackend{block: true}
	m := newTestModel(t, b, Options{})
	press(t, m, "4")
	m.plan.staged["old_stats"] = false
	batch := m.plan.startApply(nil)().(tea.BatchMsg)
	done := make(chan tea.Msg, 1)
	go func() { done <- batch[0]() }() // the apply, blocked until cancelled
	m.update(batch[1]())               // its first event (the listener it re-arms would wait for the next)
	m.update(keyMsg("ctrl+c"))
	out := flat(m.Render())
	if m.topDialog() == nil || !strings.Contains(out, "An apply is running. Quit?") || !strings.Contains(out, "recorded as failed") {
		t.Fatalf("ctrl+c during an apply:\n%s", plain(m.Render()))
	}
	later(m, time.Second)
	if cmd := m.update(keyMsg("y")); isQuit(cmd) {
		t.Fatal("quit before the apply stopped")
	}
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the apply was not cancelled")
	}
	cmd := m.update(msg) // the outcome: the plan view tells the root the apply ended
	if cmd == nil || !isQuit(m.update(cmd())) {
		t.Fatal("perch did not quit once the apply stopped")
	}
	if !strings.Contains(flat(m.Render()), "apply failed: context canceled") {
		t.Errorf("the cancelled apply's outcome is not shown:\n%s", plain(m.Render()))
	}
}

// TestSlowPreviewShowsProgressAndCancels (item 9): a running preview shows
// the time elapsed and what it read so far, the previous rows are marked
// stale, and esc cancels the query.
func TestSlowPreviewShowsProgressAndCancels(t *testing.T) {
	b := &fakeBackend{}
	m := newTestModel(t, b, Options{})
	pickNode()(t, m) // run 1 finishes
	b.block = true
	b.progress = []PreviewProgress{{RowsRead: 1500000, BytesRead: 96 << 20}}
	batch := m.update(keyMsg("R"))().(tea.BatchMsg) // run again: the query, its progress, its timer
	done := make(chan tea.Msg, 1)
	go func() { done <- batch[0]() }()
	m.update(batch[1]()) // the progress sent so far (not re-armed: it would wait for the end)
	later(m, 2300*time.Millisecond)
	drain(t, m, m.update(reply{pane: panePreview, req: m.pending[panePreview], msg: previewTickMsg{}}))
	out := plain(m.Render())
	for _, want := range []string{"running 2.3s · 1,500,000 rows, 96.0 MiB read · esc cancels", "before: run 1: 3 rows", "rows of run 1 · stale: a new run is on its way"} {
		if !strings.Contains(out, want) {
			t.Errorf("running preview lacks %q:\n%s", want, out)
		}
	}
	press(t, m, "esc")
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("esc did not cancel the query")
	}
	m.update(msg)
	out = plain(m.Render())
	if m.preview.running || !strings.Contains(out, "run 2: cancelled") {
		t.Fatalf("after esc:\n%s", out)
	}
}

// TestPreviewErrorMarksTheEditedLine (item 10): an error with a line in
// the edited SQL marks that line (in the SQL and in the editor) and shows
// the whole message.
func TestPreviewErrorMarksTheEditedLine(t *testing.T) {
	long := "Missing columns: 'contry' while processing query: 'SELECT page, count() AS hits FROM events WHERE contry = 'ES' GROUP BY page', required columns: 'page' 'contry', source columns: 'timestamp' 'page' 'country'"
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			b := &fakeBackend{previewErr: &PreviewError{Message: long, Line: 3, Col: 7}}
			m := newTestModel(t, b, Options{})
			m.update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			pickNode()(t, m)
			out := plain(m.Render())
			if !strings.Contains(out, "▶3 FROM events") {
				lines := strings.Split(out, "\n")
				t.Errorf("line 3 is not marked:\n%s", strings.Join(lines[:8], "\n"))
			}
			if !strings.Contains(flat(m.Render()), "line 3:7 (marked ▶): "+long) {
				t.Errorf("the message is not whole:\n%s", out)
			}
			press(t, m, "i")
			if !strings.Contains(plain(m.Render()), "▶") {
				t.Errorf("the editor does not mark the line:\n%s", plain(m.Render()))
			}
		})
	}
}

// TestParamsFollowTheEditedSQL (item 11): a parameter added in the edited
// SQL joins the form after the debounce.
func TestParamsFollowTheEditedSQL(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	pickNode()(t, m)
	m.preview.values["country"] = "FR"
	edit(t, m, "%\nSELECT page FROM events\nWHERE country = {{ String(country, 'ES') }}\nLIMIT {{ Int32(lim, 5) }}")
	drain(t, m, m.update(debounceMsg{tag: m.preview.tag}))
	if len(m.preview.params) != 2 || m.preview.params[1].Name != "lim" || m.preview.values["lim"] != "5" || m.preview.values["country"] != "FR" {
		t.Fatalf("params after the edit: %+v values %v", m.preview.params, m.preview.values)
	}
	if !strings.Contains(plain(m.Render()), "lim:Int32=5") {
		t.Fatalf("form:\n%s", plain(m.Render()))
	}
}

// TestRunsOfOneNodeOnly (item 12): the runs shown are the node's own, the
// newest first; `1 row` is singular; G goes to the last row.
func TestRunsOfOneNodeOnly(t *testing.T) {
	b := &fakeBackend{}
	m := newTestModel(t, b, Options{})
	pickNode("R")(t, m)
	out := plain(m.Render())
	if i, j := strings.Index(out, "run 2:"), strings.Index(out, "before: run 1:"); i < 0 || j < i {
		t.Fatalf("newest run first:\n%s", out)
	}
	m.preview.picker.Select("daily.daily_node")
	press(t, m, "enter")
	out = plain(m.Render())
	if strings.Contains(out, "run 2") || strings.Contains(out, "run 1") || !strings.Contains(out, "run 3:") || !strings.Contains(out, "rows of run 3") {
		t.Fatalf("runs of another node shown:\n%s", out)
	}
	b.rows = 1
	press(t, m, "R")
	if !strings.Contains(plain(m.Render()), "run 4: 1 row ·") {
		t.Fatalf("1 row:\n%s", plain(m.Render()))
	}
	b.rows = 150
	press(t, m, "R", "tab", "G") // the node has no parameters: tab goes to the rows
	if !strings.Contains(plain(m.Render()), "149 ") || strings.Contains(plain(m.Render()), "\n0 ") {
		t.Fatalf("G in the results does not show the last row:\n%s", plain(m.Render()))
	}
	press(t, m, "g")
	if r, _ := m.preview.table.Offset(); r != 0 {
		t.Fatalf("g: first row %d", r)
	}
}

// TestDataSourcePreview (item 15): p on a data source previews its rows.
func TestDataSourcePreview(t *testing.T) {
	b := &fakeBackend{}
	m := newTestModel(t, b, Options{})
	m.explorer.Open("events")
	press(t, m, "p")
	last := b.previews[len(b.previews)-1]
	if m.view != ViewPreview || last.Datasource != "events" || last.SQL != "SELECT *\nFROM events" {
		t.Fatalf("p on a data source: view %s request %+v", m.view, last)
	}
	out := plain(m.Render())
	if !strings.Contains(out, "Preview · data source events") || !strings.Contains(out, "2026-01-01 00:00:00") {
		t.Fatalf("data source preview:\n%s", out)
	}
}
