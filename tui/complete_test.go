package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/tui/keys"
)

// typeText types s into the editor key by key.
func typeText(t *testing.T, m *Model, s string) {
	t.Helper()
	for _, r := range s {
		if r == ' ' {
			press(t, m, "space")
			continue
		}
		press(t, m, string(r))
	}
}

// TestCompleter: names from the snapshot (tables, columns), the project
// (nodes, parameters) and the server's functions, the columns of the
// tables the query reads first; table.column completes that table's.
func TestCompleter(t *testing.T) {
	c := component.NewCompleter([]component.Completion{
		{Text: "country", Kind: "parameter"}, {Text: "count", Kind: "function"}, {Text: "countIf", Kind: "function"},
		{Text: "cleaned", Kind: "node"},
	}, map[string][]string{"events": {"timestamp", "page", "country_code"}, "clicks": {"click_id", "count_total"}})
	names := func(cs []component.Completion) string {
		var out []string
		for _, x := range cs {
			out = append(out, x.Text+":"+x.Kind)
		}
		return strings.Join(out, " ")
	}
	tests := []struct{ word, text, want string }{
		{"co", "SELECT co FROM events", "country_code:column country:parameter count_total:column count:function countIf:function"},
		{"co", "SELECT co FROM clicks", "count_total:column country:parameter country_code:column count:function countIf:function"},
		{"cl", "", "cleaned:node clicks:table click_id:column"},
		{"events.p", "", "page:column"},
		{"EVENTS.", "", "page:column timestamp:column country_code:column"},
		{"count", "", "country:parameter count_total:column country_code:column countIf:function"},
		{"zz", "", ""},
	}
	for _, tc := range tests {
		if got := names(c.Complete(tc.word, tc.text, 8)); got != tc.want {
			t.Errorf("%q in %q: %s, want %s", tc.word, tc.text, got, tc.want)
		}
	}
	if w := component.Word("SELECT events.pa", 16); w != "events.pa" {
		t.Errorf("Word: %q", w)
	}
}

// TestEditorCompletes: typing a name opens the menu with names from the
// snapshot, the project and system.functions; tab inserts the selection;
// esc closes the menu first, then stops editing.
func TestEditorCompletes(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	pickNode("i")(t, m)
	typeText(t, m, " co")
	if m.scope() != keys.Completion {
		t.Fatalf("scope %s after typing co", m.scope())
	}
	var got []string
	for _, c := range m.preview.help.menu {
		got = append(got, c.Text)
	}
	if strings.Join(got, ",") != "country,country,count,countIf,countDistinct" && !strings.HasPrefix(strings.Join(got, ","), "country") {
		t.Fatalf("menu: %v", got)
	}
	// the events table is read by the SQL: its column comes first, then the parameter
	if m.preview.help.menu[0].Kind != "column" || m.preview.help.menu[1].Kind != "parameter" {
		t.Fatalf("order: %+v", m.preview.help.menu)
	}
	press(t, m, "down", "down", "tab") // count
	if v := m.preview.editor.Value(); !strings.HasSuffix(v, "GROUP BY page count") || m.scope() != keys.Editor {
		t.Fatalf("after tab: %q (scope %s)", v, m.scope())
	}
	typeText(t, m, " events.t")
	if len(m.preview.help.menu) != 1 || m.preview.help.menu[0].Text != "timestamp" {
		t.Fatalf("events.t: %+v", m.preview.help.menu)
	}
	press(t, m, "esc")
	if m.scope() != keys.Editor {
		t.Fatalf("esc closes the menu first: %s", m.scope())
	}
	typeText(t, m, " toSt")
	press(t, m, "tab") // the only completion: inserted at once
	if v := m.preview.editor.Value(); !strings.HasSuffix(v, "events.t toStartOfHour") {
		t.Fatalf("tab with one completion: %q", v)
	}
	press(t, m, "esc")
	if m.preview.editing {
		t.Fatal("esc did not stop editing")
	}
}

// TestQueryHistoryAcrossSessions: a run of edited SQL is kept for the
// node; a later session steps back to it with ctrl+up, and ctrl+down
// returns to the text being edited.
func TestQueryHistoryAcrossSessions(t *testing.T) {
	b := &fakeBackend{}
	m := newTestModel(t, b, Options{})
	pickNode("i")(t, m)
	edit(t, m, "SELECT 1 AS first")
	press(t, m, "ctrl+r")
	edit(t, m, "SELECT 2 AS second")
	press(t, m, "esc") // leaving the editor keeps it too
	if qs := b.queries["top_pages.top_pages_node"]; len(qs) != 2 || qs[1] != "SELECT 2 AS second" {
		t.Fatalf("history: %q", qs)
	}
	later := newTestModel(t, b, Options{}) // another session
	pickNode("i")(t, later)
	draft := later.preview.editor.Value()
	press(t, later, "ctrl+up")
	if v := later.preview.editor.Value(); v != "SELECT 2 AS second" || !strings.Contains(later.notice, "query 2 of 2") {
		t.Fatalf("ctrl+up: %q %q", v, later.notice)
	}
	press(t, later, "ctrl+up", "ctrl+up")
	if v := later.preview.editor.Value(); v != "SELECT 1 AS first" {
		t.Fatalf("ctrl+up twice: %q", v)
	}
	press(t, later, "ctrl+down", "ctrl+down")
	if v := later.preview.editor.Value(); v != draft {
		t.Fatalf("ctrl+down back to the draft: %q", v)
	}
}

// TestGoldenCompletionMenu: the menu under the cursor at both sizes.
func TestGoldenCompletionMenu(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		name := fmt.Sprintf("completion_%dx%d.golden", size[0], size[1])
		t.Run(name, func(t *testing.T) {
			m := newTestModel(t, &fakeBackend{}, Options{})
			m.update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			pickNode("i")(t, m)
			typeText(t, m, " co")
			golden(t, name, plain(m.Render()))
		})
	}
}
