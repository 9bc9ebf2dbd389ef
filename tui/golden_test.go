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
