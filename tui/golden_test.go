package tui

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/perchdata/perch/tui/theme"
)

func TestGoldenViews(t *testing.T) {
	views := []struct {
		name string
		keys []string
	}{
		{"explorer", nil},
		{"lineage", []string{"2"}},
		{"preview", []string{"3", "enter"}},
		{"plan", []string{"4", "enter"}},
		{"history", []string{"5", "enter"}},
		{"help", []string{"?"}},
	}
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		for _, v := range views {
			name := fmt.Sprintf("%s_%dx%d.golden", v.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				m := newTestModel(t, &fakeBackend{}, Options{})
				drain(t, m, m.update(tea.WindowSizeMsg{Width: size[0], Height: size[1]}))
				press(t, m, v.keys...)
				golden(t, name, plain(m.Render()))
			})
		}
	}
}

func TestGoldenLightTheme(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{Theme: theme.Light()})
	golden(t, "explorer_light_80x24.golden", m.Render())
}

func TestGoldenOfflineBanner(t *testing.T) {
	m := newTestModel(t, &fakeBackend{remoteErr: fmt.Errorf("dial tcp 127.0.0.1:9000: connection refused")}, Options{})
	golden(t, "offline_80x24.golden", plain(m.Render()))
}

func TestGoldenDialogAndApply(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	press(t, m, "4", "a")
	golden(t, "plan_dialog_80x24.golden", plain(m.Render()))
	m.opt.Now = func() time.Time { return fixedNow.Add(time.Second) }
	press(t, m, "o", "l", "d", "_", "s", "t", "a", "t", "s", "enter")
	golden(t, "plan_applied_80x24.golden", plain(m.Render()))
}

// TestGoldenStates are the states issue 19 fixed, at both sizes: the apply
// dialog asking every name, a preview error placed in the SQL, a running
// preview, the lineage with a path through the selection, the History
// detail with the file diff.
func TestGoldenStates(t *testing.T) {
	states := []struct {
		name  string
		b     func() *fakeBackend
		setup func(t *testing.T, m *Model)
	}{
		{"dialog_names", func() *fakeBackend { return &fakeBackend{plan: twoDestructive} }, func(t *testing.T, m *Model) {
			press(t, m, "4", "a")
			later(m, time.Second)
			typeName(t, m, "events")
		}},
		{"preview_error", func() *fakeBackend {
			return &fakeBackend{previewErr: &PreviewError{Message: "Missing columns: 'contry' while processing query: 'SELECT page FROM events WHERE contry = 'ES'', required columns: 'page' 'contry'", Line: 4, Col: 7}}
		}, func(t *testing.T, m *Model) { pickNode()(t, m) }},
		{"preview_running", func() *fakeBackend { return &fakeBackend{} }, func(t *testing.T, m *Model) {
			pickNode()(t, m)
			m.update(keyMsg("R")) // not drained: the run is in flight
			// its progress (the listener it re-arms would wait: not run)
			m.update(reply{pane: panePreview, req: m.pending[panePreview], msg: previewProgressMsg{PreviewProgress{RowsRead: 250000, BytesRead: 12 << 20}, true}})
			later(m, 1500*time.Millisecond)
			m.touch()
		}},
		{"lineage_path", func() *fakeBackend { return &fakeBackend{} }, func(t *testing.T, m *Model) {
			press(t, m, "2", "right")
		}},
	}
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		for _, s := range states {
			name := fmt.Sprintf("%s_%dx%d.golden", s.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				m := newTestModel(t, s.b(), Options{})
				m.update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				s.setup(t, m)
				golden(t, name, plain(m.Render()))
			})
		}
	}
}
