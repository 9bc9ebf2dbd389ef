package tui

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

func TestGlobalKeys(t *testing.T) {
	tests := []struct {
		keys []string
		want View
	}{
		{[]string{"2"}, ViewLineage},
		{[]string{"3"}, ViewPreview},
		{[]string{"4"}, ViewPlan},
		{[]string{"5"}, ViewHistory},
		{[]string{"5", "1"}, ViewExplorer},
	}
	for _, tc := range tests {
		m := newTestModel(t, &fakeBackend{}, Options{})
		press(t, m, tc.keys...)
		if m.view != tc.want {
			t.Errorf("%v: view %s, want %s", tc.keys, m.view, tc.want)
		}
	}
	m := newTestModel(t, &fakeBackend{}, Options{})
	if cmd := m.update(keyMsg("q")); cmd == nil || cmd() != tea.Quit() {
		t.Error("q does not quit")
	}
	if cmd := m.update(keyMsg("ctrl+c")); cmd == nil || cmd() != tea.Quit() {
		t.Error("ctrl+c does not quit")
	}
	press(t, m, "?")
	if !m.showHelp || !strings.Contains(plain(m.Render()), "Keys — Explorer") {
		t.Error("? does not show help")
	}
	press(t, m, "esc")
	if m.showHelp {
		t.Error("esc does not close help")
	}
	m.update(tea.WindowSizeMsg{Width: 120, Height: 40})
	if lines := strings.Split(m.Render(), "\n"); len(lines) != 40 {
		t.Errorf("resize: %d lines, want 40", len(lines))
	}
}

func TestFirstFrameDoesNotWaitForRemote(t *testing.T) {
	m := New(t.Context(), &fakeBackend{}, Options{Now: func() time.Time { return fixedNow }})
	m.update(tea.WindowSizeMsg{Width: 80, Height: 24})
	out := plain(m.Render())
	if !strings.Contains(out, "connecting") {
		t.Fatalf("first frame should render before the remote is known:\n%s", out)
	}
}

func TestExplorerKeys(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	if got := m.explorer.items["events"].status; got != StatusChanged {
		t.Fatalf("events status %q", got)
	}
	if got := m.explorer.items["old_stats"].status; got != StatusUnmanaged {
		t.Fatalf("old_stats status %q", got)
	}
	m.explorer.list.Select("events")
	press(t, m, "down")
	if id := m.explorer.list.SelectedID(); id != "daily" {
		t.Errorf("down: selected %q", id)
	}
	m.update(tea.WindowSizeMsg{Width: 160, Height: 30})
	press(t, m, "/", "t", "o", "p", "enter")
	if id := m.explorer.list.SelectedID(); id != "top_pages" || m.explorer.list.Len() != 2 {
		t.Errorf("filter top: selected %q len %d", id, m.explorer.list.Len())
	}
	out := plain(m.Render())
	if !strings.Contains(out, "◀ 5:20 unknown column contry") {
		t.Errorf("diagnostic not shown in place:\n%s", out)
	}
	press(t, m, "esc")
	if m.explorer.list.Filter() != "" {
		t.Error("esc does not clear the filter")
	}
	press(t, m, "s")
	if m.explorer.group != groupKind || !strings.Contains(plain(m.Render()), "datasource (2)") {
		t.Errorf("s does not group by kind:\n%s", plain(m.Render()))
	}
	m.explorer.list.Select("events")
	m.touch()
	out = plain(m.Render())
	if !strings.Contains(out, `~ `) || !strings.Contains(out, `ENGINE_SORTING_KEY "page, timestamp"`) {
		t.Errorf("changed line not marked in side-by-side:\n%s", out)
	}
	press(t, m, "enter")
	if m.view != ViewLineage || m.lineage.selected != "events" {
		t.Errorf("enter: view %s selected %q", m.view, m.lineage.selected)
	}
	press(t, m, "1")
	m.explorer.list.Select("top_pages")
	press(t, m, "p")
	if m.view != ViewPreview || m.preview.node != "top_pages_node" {
		t.Errorf("p: view %s node %q", m.view, m.preview.node)
	}
}

func TestExplorerMouse(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	m.explorer.group = groupNone
	m.explorer.rebuild()
	m.touch()
	m.Render()
	// rows start under header, tabs and the list title
	m.update(tea.MouseClickMsg{X: 2, Y: 2 + 1 + 2, Button: tea.MouseLeft})
	if id := m.explorer.list.SelectedID(); id != "old_stats" {
		t.Errorf("click selected %q", id)
	}
	before := m.explorer.offset
	m.update(tea.MouseWheelMsg{X: 60, Y: 5, Button: tea.MouseWheelDown})
	if m.explorer.offset != before+3 {
		t.Errorf("wheel over detail: offset %d, want %d", m.explorer.offset, before+3)
	}
	m.update(tea.MouseClickMsg{X: 12, Y: 1, Button: tea.MouseLeft})
	if m.view != ViewLineage {
		t.Errorf("click on tab: view %s", m.view)
	}
}

func TestLineageKeys(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	press(t, m, "2")
	if m.lineage.selected != "events" {
		t.Fatalf("initial selection %q", m.lineage.selected)
	}
	press(t, m, "right")
	if m.lineage.selected != "daily" {
		t.Errorf("right: %q", m.lineage.selected)
	}
	press(t, m, "down")
	if m.lineage.selected != "top_pages" {
		t.Errorf("down: %q", m.lineage.selected)
	}
	press(t, m, "up", "l")
	if m.lineage.selected != "daily_mv" {
		t.Errorf("l: %q", m.lineage.selected)
	}
	press(t, m, "f")
	if !m.lineage.focus || len(m.lineage.drawing.Scene.Graph().Nodes) != 3 {
		t.Errorf("f: focus %v nodes %v", m.lineage.focus, m.lineage.names())
	}
	press(t, m, "esc")
	if m.lineage.focus {
		t.Error("esc leaves focus mode")
	}
	press(t, m, "r")
	if !m.lineage.remote || !strings.Contains(plain(m.Render()), "Lineage · remote") {
		t.Error("r toggles the remote graph")
	}
	press(t, m, "left", "enter")
	if m.view != ViewExplorer || m.explorer.list.SelectedID() != "daily" {
		t.Errorf("enter opens explorer: view %s sel %q", m.view, m.explorer.list.SelectedID())
	}
}

func TestPreviewKeysDebounceAndStale(t *testing.T) {
	b := &fakeBackend{}
	m := newTestModel(t, b, Options{})
	press(t, m, "3")
	m.preview.picker.Select("top_pages.top_pages_node")
	press(t, m, "enter")
	if len(b.previews) != 1 || len(b.previews[0].Params) != 0 || m.preview.values["country"] != "ES" {
		t.Fatalf("enter runs with defaults (shown, not sent): %+v", b.previews)
	}
	press(t, m, "tab")
	if m.preview.focus != focusParams {
		t.Fatalf("tab: focus %v", m.preview.focus)
	}
	// typing a parameter schedules (does not run) until the debounce fires
	cmd := m.update(keyMsg("backspace"))
	cmd2 := m.update(keyMsg("X"))
	if len(b.previews) != 1 {
		t.Fatal("typing ran a query before the debounce")
	}
	if m.preview.values["country"] != "EX" {
		t.Fatalf("param value %q", m.preview.values["country"])
	}
	_ = cmd
	// the first tick is stale: nothing runs
	if c := m.update(debounceMsg{tag: m.preview.tag - 1}); c != nil {
		t.Error("stale debounce tick ran a query")
	}
	drain(t, m, m.update(debounceMsg{tag: m.preview.tag}))
	_ = cmd2
	if len(b.previews) != 2 || b.previews[1].Params["country"] != "EX" {
		t.Fatalf("debounced run: %+v", b.previews)
	}
	// a reply for an older request id is dropped
	before := m.preview.runCount
	m.update(reply{pane: panePreview, req: m.pending[panePreview] - 1, msg: previewMsg{err: errors.New("old")}})
	if m.preview.runCount != before {
		t.Error("stale reply was applied")
	}
	if !strings.Contains(plain(m.Render()), "run 1:") || !strings.Contains(plain(m.Render()), "run 2:") {
		t.Errorf("last two runs not side by side:\n%s", plain(m.Render()))
	}
	// built-in editor: esc leaves, alt+left on empty text is swallowed
	press(t, m, "esc", "i")
	if !m.preview.editing {
		t.Fatal("i does not start editing")
	}
	m.preview.editor.SetValue("")
	m.preview.sql = ""
	if c := m.update(keyMsg("alt+left")); c != nil {
		t.Error("alt+left on empty editor reached the textarea")
	}
	m.update(keyMsg("alt+b"))
	for _, r := range "SELEC" {
		m.update(keyMsg(string(r)))
	}
	if !m.preview.edited || m.preview.sql != "SELEC" {
		t.Fatalf("typing in the editor: %q", m.preview.sql)
	}
	drain(t, m, m.update(debounceMsg{tag: m.preview.tag}))
	if !strings.Contains(plain(m.Render()), "Syntax error: failed at position 1") {
		t.Errorf("SQL error not shown:\n%s", plain(m.Render()))
	}
	press(t, m, "esc")
	if m.preview.editing {
		t.Error("esc does not stop editing")
	}
}

func TestPlanKeys(t *testing.T) {
	b := &fakeBackend{}
	m := newTestModel(t, b, Options{})
	press(t, m, "4")
	if len(m.plan.stagedIDs()) != 3 {
		t.Fatalf("all changes staged at first: %v", m.plan.stagedIDs())
	}
	// unstaging events unstages daily (depends on it)
	press(t, m, "space")
	if m.plan.staged["events"] || m.plan.staged["daily"] {
		t.Fatalf("unstage did not follow dependents: %v", m.plan.staged)
	}
	// staging daily stages events (its dependency)
	press(t, m, "down", "space")
	if !m.plan.staged["events"] || !m.plan.staged["daily"] {
		t.Fatalf("stage did not follow dependencies: %v", m.plan.staged)
	}
	press(t, m, "enter")
	if !m.plan.steps || !strings.Contains(plain(m.Render()), "DROP TABLE daily") {
		t.Errorf("enter shows steps:\n%s", plain(m.Render()))
	}
	press(t, m, "esc", "a")
	if d := m.topDialog(); d == nil || len(d.c.Require) != 1 || d.c.Require[0] != "old_stats" {
		t.Fatalf("a opens a dialog that needs the destroyed name: %+v", d)
	}
	// within the grace period enter does nothing
	press(t, m, "enter")
	if m.topDialog() == nil || len(b.applied) != 0 {
		t.Fatal("enter confirmed within the grace period")
	}
	m.opt.Now = func() time.Time { return fixedNow.Add(time.Second) }
	press(t, m, "enter")
	if m.topDialog() == nil {
		t.Fatal("confirmed without typing the name")
	}
	press(t, m, "o", "l", "d", "_", "s", "t", "a", "t", "s", "enter")
	if m.topDialog() != nil || len(b.applied) != 1 {
		t.Fatalf("apply not started: dialog %v applied %v", m.topDialog(), b.applied)
	}
	out := plain(m.Render())
	if !strings.Contains(out, "✓ applied · deployment d3") || !strings.Contains(out, "✓ events: step 1 (10 rows)") {
		t.Errorf("apply progress/result not shown:\n%s", out)
	}
}

func TestPlanApplyFailureShowsUndone(t *testing.T) {
	b := &fakeBackend{applyErr: errors.New("row count mismatch: 10 != 9")}
	m := newTestModel(t, b, Options{})
	press(t, m, "4", "space") // unstage events+daily, leaving the drop
	press(t, m, "space")      // stage them again
	m.plan.staged["old_stats"] = false
	m.plan.rebuild()
	press(t, m, "a")
	if d := m.topDialog(); d == nil || len(d.c.Require) != 0 {
		t.Fatalf("non-destructive dialog: %+v", d)
	}
	m.opt.Now = func() time.Time { return fixedNow.Add(time.Second) }
	press(t, m, "y")
	out := plain(m.Render())
	for _, want := range []string{"apply failed: row count mismatch", "undone: dropped events__new", "next: fix the error"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q:\n%s", want, out)
		}
	}
}

func TestReadOnlyRemovesApply(t *testing.T) {
	b := &fakeBackend{}
	m := newTestModel(t, b, Options{ReadOnly: true})
	press(t, m, "4", "a")
	if m.topDialog() != nil {
		t.Fatal("read-only opened the apply dialog")
	}
	if strings.Contains(plain(m.Render()), "apply staged") {
		t.Error("read-only footer still offers apply")
	}
	press(t, m, "?")
	if strings.Contains(plain(m.Render()), "apply staged") {
		t.Error("read-only help still lists apply")
	}
}

func TestHistoryKeys(t *testing.T) {
	b := &fakeBackend{}
	m := newTestModel(t, b, Options{})
	press(t, m, "5")
	if len(m.history.deps) != 2 {
		t.Fatalf("history: %+v", m.history.deps)
	}
	press(t, m, "enter")
	if !strings.Contains(plain(m.Render()), "~ events: rebuild and swap") {
		t.Errorf("enter shows changes:\n%s", plain(m.Render()))
	}
	press(t, m, "down", "r")
	if b.reverted != "d1" || m.view != ViewPlan || m.plan.plan == nil || m.plan.plan.Title != "revert to d1" {
		t.Fatalf("r: reverted %q view %s plan %+v", b.reverted, m.view, m.plan.plan)
	}
	if len(b.applied) != 0 {
		t.Fatal("revert applied silently")
	}
}

func TestOfflineBannerAndRetry(t *testing.T) {
	b := &fakeBackend{remoteErr: errors.New("connection refused")}
	m := newTestModel(t, b, Options{})
	out := flat(m.Render())
	if !strings.Contains(out, "remote unavailable: connection refused") || !strings.Contains(out, "perch local start") {
		t.Fatalf("no banner:\n%s", out)
	}
	if m.explorer.list.Len() == 0 {
		t.Fatal("local side does not work offline")
	}
	b.mu.Lock()
	b.remoteErr = nil
	b.mu.Unlock()
	drain(t, m, m.update(retryMsg{attempt: m.attempt}))
	if m.connState != "connected" || strings.Contains(plain(m.Render()), "remote unavailable") {
		t.Fatalf("retry did not reconnect: %s", m.connState)
	}
}

func TestIdleFrameIsCached(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	m.Render()
	n := m.RenderCount()
	m.update(retryMsg{attempt: 99}) // an unrelated timer: no state change
	m.Render()
	m.Render()
	if m.RenderCount() != n {
		t.Fatalf("idle frames rendered %d times", m.RenderCount()-n)
	}
	press(t, m, "down")
	m.Render()
	if m.RenderCount() != n+1 {
		t.Fatal("a key press did not re-render")
	}
}

func TestApplyLogReplacesStepLines(t *testing.T) {
	var p planView
	p.record(ApplyEvent{Change: "c1", State: "running"})
	p.record(ApplyEvent{Change: "c1", Title: "copy", State: "running", Message: "copy parts"})
	p.record(ApplyEvent{Change: "c1", Title: "copy", State: "running", Rows: 500})
	p.record(ApplyEvent{Change: "c1", Title: "copy", State: "done"})
	p.record(ApplyEvent{Change: "c1", State: "done"})
	if len(p.log) != 2 {
		t.Fatalf("log %+v", p.log)
	}
	if st := p.log[1]; st.State != "done" || st.Rows != 500 || st.Message != "copy parts" || p.log[0].State != "done" {
		t.Fatalf("step line lost what earlier events said: %+v", p.log)
	}
}

func TestPreviewReloadFollowsNewDefaults(t *testing.T) {
	b := &fakeBackend{}
	m := newTestModel(t, b, Options{})
	press(t, m, "3")
	m.preview.picker.Select("top_pages.top_pages_node")
	press(t, m, "enter")
	m.preview.values["country"] = "FR" // the user typed this one
	// the file was saved in $EDITOR with new defaults
	l, _ := b.Diagnose(t.Context())
	r := l.Resource("top_pages")
	r.NodeSQL["top_pages_node"] += "\nLIMIT {{ Int32(limit, 3) }}"
	r.Params["top_pages_node"] = []Param{{Name: "country", Type: "String", Default: "IT"}, {Name: "limit", Type: "Int32", Default: "3"}}
	req := m.ask(paneDiagnose)
	drain(t, m, m.update(reply{pane: paneDiagnose, req: req, msg: diagnoseMsg{local: l}}))
	if m.preview.values["limit"] != "3" || m.preview.values["country"] != "FR" {
		t.Fatalf("values after reload: %v", m.preview.values)
	}
	last := b.previews[len(b.previews)-1]
	if !strings.Contains(m.preview.sql, "LIMIT") || last.Params["country"] != "FR" || last.Params["limit"] != "" {
		t.Fatalf("reload did not re-run with the new SQL and defaults: %+v", last)
	}
}

func TestPlanMarksItselfStaleWhenTheProjectChanges(t *testing.T) {
	b := &fakeBackend{}
	m := newTestModel(t, b, Options{})
	press(t, m, "4")
	if strings.Contains(plain(m.Render()), "project changed") {
		t.Fatal("fresh plan marked stale")
	}
	drain(t, m, m.loadLocal()) // the file watcher reloaded the project
	if !strings.Contains(plain(m.Render()), "the project changed since (R recomputes)") {
		t.Fatalf("stale plan not marked:\n%s", plain(m.Render()))
	}
	press(t, m, "R")
	if strings.Contains(plain(m.Render()), "project changed") {
		t.Fatal("R did not recompute")
	}
}

func TestLineageSearch(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	press(t, m, "2", "/", "d", "a", "i", "l", "y", "_")
	if m.lineage.selected != "daily_mv" || !m.lineage.finding {
		t.Fatalf("search daily_: selected %q finding %v", m.lineage.selected, m.lineage.finding)
	}
	if !strings.Contains(plain(m.Render()), "/daily_") {
		t.Error("search text not shown")
	}
	press(t, m, "backspace", "enter")
	if m.lineage.selected != "daily" || m.lineage.finding {
		t.Fatalf("enter keeps the selection: %q finding %v", m.lineage.selected, m.lineage.finding)
	}
	press(t, m, "/", "t", "o", "p", "esc")
	if m.lineage.selected != "top_pages" || m.lineage.query != "" || m.lineage.finding {
		t.Fatalf("esc: selected %q query %q", m.lineage.selected, m.lineage.query)
	}
}

func TestPreviewShowsCompiledSQL(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	press(t, m, "3")
	m.preview.picker.Select("top_pages.top_pages_node")
	press(t, m, "enter", "c")
	out := plain(m.Render())
	if !strings.Contains(out, "node · compiled") || !strings.Contains(out, "SELECT ...") {
		t.Fatalf("c does not show the compiled SQL:\n%s", out)
	}
	press(t, m, "c")
	if strings.Contains(plain(m.Render()), "node · compiled") {
		t.Fatal("c does not toggle back")
	}
}
