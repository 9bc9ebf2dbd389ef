package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/perchdata/perch/tui/keys"
)

// TestPaletteListsEveryAction: the palette is generated from the keymap:
// every action a view offers is an entry (so it cannot drift), and
// read-only leaves the dangerous ones out.
func TestPaletteListsEveryAction(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	press(t, m, ":")
	if m.scope() != keys.PaletteInput {
		t.Fatalf("scope %s", m.scope())
	}
	texts := map[string]bool{}
	for _, e := range m.pal.entries {
		texts[e.text+" @ "+e.where] = true
	}
	for _, a := range m.km.All() {
		if paletteSkips[a.Name] {
			continue
		}
		for _, s := range a.Scopes {
			where := "any view"
			if v, ok := scopeView(s); ok {
				where = v.String()
			} else if s != keys.Global {
				continue
			}
			if !texts[a.Help+" @ "+where] {
				t.Errorf("the palette lacks %s (%s) in %s", a.Name, a.Help, where)
			}
		}
	}
	ro := newTestModel(t, &fakeBackend{}, Options{ReadOnly: true})
	press(t, ro, ":")
	for _, e := range ro.pal.entries {
		if e.text == "apply staged changes" {
			t.Error("read-only palette offers apply")
		}
	}
}

// TestPaletteRunsActionsByName: typing narrows the entries fuzzily, enter
// runs the selected one in its view; esc closes.
func TestPaletteRunsActionsByName(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	press(t, m, ":", "h", "i", "s", "t", "v")
	if e := m.pal.entries[m.pal.shown[0]]; e.text != "History view" {
		t.Fatalf("first match for histv: %q", e.text)
	}
	press(t, m, "enter")
	if m.view != ViewHistory || m.pal != nil {
		t.Fatalf("view %s, palette open %v", m.view, m.pal != nil)
	}
	// an action of another view: shows the view and runs it
	press(t, m, ":")
	for _, r := range "recompute" {
		press(t, m, string(r))
	}
	if e := m.pal.entries[m.pal.shown[0]]; e.where != "Plan" {
		t.Fatalf("first match: %+v", e)
	}
	press(t, m, "enter")
	if m.view != ViewPlan || m.plan.plan == nil {
		t.Fatalf("recompute the plan from the palette: view %s", m.view)
	}
	press(t, m, ":", "x", "backspace", "down", "up", "esc")
	if m.pal != nil || m.view != ViewPlan {
		t.Fatal("esc does not close the palette")
	}
	// esc after a jump goes back to where the palette was opened
	press(t, m, "esc")
	if m.view != ViewHistory {
		t.Errorf("esc after the palette's jump: %s", m.view)
	}
}

// TestFinderJumpsInTheCurrentView: ctrl+p finds resources and nodes by
// fuzzy name and opens the pick in the view on screen.
func TestFinderJumpsInTheCurrentView(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	press(t, m, "ctrl+p", "d", "l", "y")
	if e := m.pal.entries[m.pal.shown[0]]; e.text != "daily" {
		t.Fatalf("dly: %q", e.text)
	}
	press(t, m, "enter")
	if m.view != ViewExplorer || m.explorer.list.SelectedID() != "daily" {
		t.Fatalf("explorer: %s %q", m.view, m.explorer.list.SelectedID())
	}
	press(t, m, "2", "ctrl+p", "t", "o", "p", "enter")
	if m.lineage.selected != "top_pages" {
		t.Fatalf("lineage selected %q", m.lineage.selected)
	}
	press(t, m, "3", "ctrl+p", "d", "a", "i", "l", "y", ".", "enter")
	if m.preview.target() != "daily.daily_node" {
		t.Fatalf("preview on %q", m.preview.target())
	}
	press(t, m, "4", "ctrl+p", "o", "l", "d", "enter")
	if m.plan.list.SelectedID() != "old_stats" {
		t.Fatalf("plan selected %q", m.plan.list.SelectedID())
	}
}

// TestGoldenPaletteAndFinder: the palette and the finder at both sizes.
func TestGoldenPaletteAndFinder(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		for _, s := range []struct {
			name string
			keys []string
		}{
			{"palette", []string{":"}},
			{"palette_query", []string{":", "e", "x", "p"}},
			{"finder", []string{"3", "ctrl+p", "t", "o", "p"}},
		} {
			name := fmt.Sprintf("%s_%dx%d.golden", s.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				m := newTestModel(t, &fakeBackend{}, Options{})
				m.update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				press(t, m, s.keys...)
				out := plain(m.Render())
				if strings.Count(out, "\n")+1 != size[1] {
					t.Fatalf("frame height")
				}
				golden(t, name, out)
			})
		}
	}
}
