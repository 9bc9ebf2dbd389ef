package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/perchdata/perch/tui/keys"
)

// scopeState puts a fresh model where scope has focus, in view v.
type scopeState struct {
	name  string
	scope keys.Scope
	setup func(t *testing.T, m *Model)
}

func pressing(names ...string) func(*testing.T, *Model) {
	return func(t *testing.T, m *Model) { press(t, m, names...) }
}

func pickNode(then ...string) func(*testing.T, *Model) {
	return func(t *testing.T, m *Model) {
		press(t, m, "3")
		m.preview.picker.Select("top_pages.top_pages_node")
		press(t, m, append([]string{"enter"}, then...)...)
	}
}

var scopeStates = []scopeState{
	{"explorer", keys.Explorer, pressing()},
	{"explorer detail", keys.Explorer, pressing("tab")},
	{"explorer filter", keys.Input, pressing("/")},
	{"lineage", keys.Lineage, pressing("2")},
	{"lineage find", keys.Input, pressing("2", "/")},
	{"preview", keys.Preview, pickNode()},
	{"preview results", keys.Preview, pickNode("tab", "tab")},
	{"preview filter", keys.Input, pickNode("/")},
	{"preview params", keys.Params, pickNode("tab")},
	{"preview editor", keys.Editor, pickNode("i")},
	{"plan", keys.Plan, pressing("4")},
	{"plan detail", keys.Plan, pressing("4", "enter")},
	{"history", keys.History, pressing("5")},
	{"history filter", keys.Input, pressing("5", "/")},
	{"dialog", keys.Dialog, func(t *testing.T, m *Model) {
		press(t, m, "4")
		m.plan.staged["old_stats"] = false
		press(t, m, "a")
	}},
	{"dialog name", keys.DialogInput, pressing("4", "a")},
	{"help", keys.Help, pressing("?")},
}

// TestEveryActionHasAHandler: in every scope, every action the keymap
// offers (its own and the inherited ones) reaches a handler.
func TestEveryActionHasAHandler(t *testing.T) {
	for _, st := range scopeStates {
		t.Run(st.name, func(t *testing.T) {
			m := newTestModel(t, &fakeBackend{}, Options{})
			st.setup(t, m)
			if got := m.scope(); got != st.scope {
				t.Fatalf("scope %s, want %s", got, st.scope)
			}
			for _, a := range m.km.Scoped(st.scope, false) {
				if m.handler(st.scope, a.Name) == nil {
					t.Errorf("%s: %s (%s) has no handler", st.scope, a.Name, a.KeyLabel())
				}
			}
		})
	}
	// every action of the keymap is offered in some scope reached above
	offered := map[keys.Name]bool{}
	m := newTestModel(t, &fakeBackend{}, Options{})
	for _, st := range scopeStates {
		for _, a := range m.km.Scoped(st.scope, false) {
			offered[a.Name] = true
		}
	}
	for _, a := range m.km.All() {
		if !offered[a.Name] {
			t.Errorf("%s is in the keymap but no scope offers it", a.Name)
		}
	}
}

// universe is every key a test presses: letters, digits, symbols, named
// keys and combinations.
func universe() []tea.KeyPressMsg {
	var out []tea.KeyPressMsg
	for _, r := range "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/?!@#%&*()-_=+[]{};:'\",.<>|\\`~" {
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	for _, n := range []string{"enter", "esc", "tab", "shift+tab", "space", "backspace", "up", "down", "left", "right", "pgup", "pgdown", "home", "end", "f5", "delete"} {
		out = append(out, keyMsg(n))
	}
	for r := 'a'; r <= 'z'; r++ {
		out = append(out, tea.KeyPressMsg{Code: r, Mod: tea.ModCtrl}, tea.KeyPressMsg{Code: r, Mod: tea.ModAlt})
	}
	return out
}

// TestEveryHandledKeyIsInTheKeymap: in every scope, a key the keymap does
// not bind there changes nothing (not even the frame) and returns no
// command, except that text scopes take typed text and the editor takes
// its editing keys. So no key is handled behind the keymap's back.
func TestEveryHandledKeyIsInTheKeymap(t *testing.T) {
	for _, st := range scopeStates {
		if st.scope == keys.Editor {
			continue // the textarea handles every key it does not bind
		}
		t.Run(st.name, func(t *testing.T) {
			m := newTestModel(t, &fakeBackend{}, Options{})
			st.setup(t, m)
			for _, k := range universe() {
				if _, bound := m.km.Lookup(st.scope, k.String(), k.Text != ""); bound {
					continue
				}
				if keys.IsText(st.scope) && k.Text != "" {
					continue // typed
				}
				before := m.version
				if cmd := m.update(k); cmd != nil || m.version != before {
					t.Errorf("%s: unbound %q did something (cmd %v, version %d→%d)", st.scope, k.String(), cmd != nil, before, m.version)
				}
			}
		})
	}
}

// TestFocusMovesBetweenPanes: tab and shift+tab move the focus between
// the panes of a view (and the keys then act on the focused pane).
func TestFocusMovesBetweenPanes(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	press(t, m, "tab")
	if m.explorer.focus != explorerDetail {
		t.Fatalf("tab in the Explorer: focus %d", m.explorer.focus)
	}
	sel := m.explorer.list.SelectedID()
	press(t, m, "j")
	if m.explorer.list.SelectedID() != sel || m.explorer.offset == 0 {
		t.Errorf("j with the definitions focused moved the list (%q) or did not scroll (%d)", m.explorer.list.SelectedID(), m.explorer.offset)
	}
	press(t, m, "shift+tab")
	if m.explorer.focus != explorerList {
		t.Fatalf("shift+tab: focus %d", m.explorer.focus)
	}
	pickNode()(t, m)
	for i, want := range []int{focusParams, focusResults, focusSQL, focusPicker} {
		press(t, m, "tab")
		if m.preview.focus != want {
			t.Fatalf("tab %d in the Preview: focus %d, want %d", i+1, m.preview.focus, want)
		}
	}
	press(t, m, "4", "tab")
	if m.plan.focus != planDetail {
		t.Fatalf("tab in the Plan: focus %d", m.plan.focus)
	}
	press(t, m, "5", "tab")
	if m.history.focus != historyDetail || !m.history.show {
		t.Fatalf("tab in History: focus %d show %v", m.history.focus, m.history.show)
	}
}

// TestEscGoesBackOneLevel: esc undoes one level at a time: a filter, the
// focus of a pane, a detail, then the view opened from another returns to it.
func TestEscGoesBackOneLevel(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	press(t, m, "/", "e", "v", "enter", "tab")
	steps := []struct {
		check func() bool
		what  string
	}{
		{func() bool { return m.explorer.focus == explorerList && m.explorer.list.Filter() == "ev" }, "leaves the definitions"},
		{func() bool { return m.explorer.list.Filter() == "" }, "clears the filter"},
	}
	for _, s := range steps {
		press(t, m, "esc")
		if !s.check() {
			t.Fatalf("esc %s: focus %d filter %q", s.what, m.explorer.focus, m.explorer.list.Filter())
		}
	}
	m.explorer.Open("events")
	press(t, m, "enter") // opens events in the Lineage
	if m.view != ViewLineage {
		t.Fatalf("enter: view %s", m.view)
	}
	press(t, m, "f")
	press(t, m, "esc")
	if m.view != ViewLineage || m.lineage.focus {
		t.Fatalf("esc leaves focus mode first: view %s focus %v", m.view, m.lineage.focus)
	}
	press(t, m, "esc")
	if m.view != ViewExplorer {
		t.Fatalf("esc returns to the view that opened the Lineage: %s", m.view)
	}
	before := m.version
	press(t, m, "esc")
	if m.view != ViewExplorer {
		t.Fatalf("esc with nothing to go back to: %s (version %d→%d)", m.view, before, m.version)
	}
}

// TestHelpListsWhatTheKeysDo: the help and the footer come from the
// keymap of the focused scope, and list each key once.
func TestHelpListsWhatTheKeysDo(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	pickNode()(t, m)
	press(t, m, "?")
	out := plain(m.Render())
	for _, want := range []string{"tab", "next pane", "R ", "run again", "ctrl+s"} {
		if !strings.Contains(out, want) {
			t.Errorf("preview help lacks %q:\n%s", want, out)
		}
	}
	press(t, m, "esc", "2")
	footer := lastLine(plain(m.Render()))
	if !strings.Contains(footer, "find a node") || strings.Contains(footer, "filter the list") {
		t.Errorf("lineage footer: %q", footer)
	}
	press(t, m, "1")
	if footer := lastLine(plain(m.Render())); strings.Contains(footer, "find a node") {
		t.Errorf("explorer footer: %q", footer)
	}
}
