package tui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// rowOf returns the screen row where text first appears in the frame.
func rowOf(t *testing.T, m *Model, text string) int {
	t.Helper()
	for i, l := range splitFrame(plain(m.Render())) {
		if contains(l, text) {
			return i
		}
	}
	t.Fatalf("%q is not on screen:\n%s", text, plain(m.Render()))
	return -1
}

// TestClickSelectsTheRowUnderThePointer clicks on the row where each item
// is drawn, in every list: the frame's one layout places both, so the click
// selects what is under it. (History selected the row above: the click
// position was recomputed by hand, one line off.)
func TestClickSelectsTheRowUnderThePointer(t *testing.T) {
	tests := []struct {
		name   string
		keys   []string
		text   string
		wantID func(*Model) string
		want   string
	}{
		{"history second deployment", []string{"5"}, "first deploy", func(m *Model) string { return m.history.list.SelectedID() }, "d1"},
		{"history first deployment", []string{"5", "down"}, "sort events by page", func(m *Model) string { return m.history.list.SelectedID() }, "d2"},
		{"plan third change", []string{"4"}, "old_stats  drop", func(m *Model) string { return m.plan.list.SelectedID() }, "old_stats"},
		{"explorer", nil, "? old_stats", func(m *Model) string { return m.explorer.list.SelectedID() }, "old_stats"},
		{"preview picker", []string{"3"}, "daily_node", func(m *Model) string { return m.preview.picker.SelectedID() }, "daily.daily_node"},
		{"history with the detail open", []string{"5", "enter"}, "first deploy", func(m *Model) string { return m.history.list.SelectedID() }, "d1"},
	}
	for _, tt := range tests {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			t.Run(tt.name, func(t *testing.T) {
				m := newTestModel(t, &fakeBackend{}, Options{})
				m.update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				press(t, m, tt.keys...)
				y := rowOf(t, m, tt.text)
				m.update(tea.MouseClickMsg{X: 3, Y: y, Button: tea.MouseLeft})
				if got := tt.wantID(m); got != tt.want {
					t.Errorf("at %v, click on row %d (%q) selected %q, want %q", size, y, tt.text, got, tt.want)
				}
			})
		}
	}
}

// TestClickInTheLineageSelectsTheNode: NodeAt of the scene, through the
// viewport the frame drew.
func TestClickInTheLineageSelectsTheNode(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	press(t, m, "2")
	y := rowOf(t, m, "◉ top_pages")
	x := indexOf(splitFrame(plain(m.Render()))[y], "top_pages")
	m.update(tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft})
	if m.lineage.selected != "top_pages" {
		t.Fatalf("click at %d,%d selected %q", x, y, m.lineage.selected)
	}
	m.update(tea.MouseClickMsg{X: 79, Y: 20, Button: tea.MouseLeft})
	if m.lineage.selected != "top_pages" {
		t.Fatalf("a click on nothing changed the selection to %q", m.lineage.selected)
	}
}
