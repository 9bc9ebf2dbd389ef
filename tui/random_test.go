package tui

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// TestRandomKeysNeverBreakTheFrame presses random keys (every bound key and
// some text) in every view at several sizes: no panic, and every frame has
// exactly the window's height.
func TestRandomKeysNeverBreakTheFrame(t *testing.T) {
	keys := []string{"1", "2", "3", "4", "5", "up", "down", "left", "right", "enter", "esc", "tab", "space",
		"/", "?", "s", "f", "r", "R", "i", "p", "g", "G", "J", "K", "a", "y", "n", "x", "backspace", "ctrl+r", "alt+left",
		"shift+tab", "ctrl+s", "ctrl+d", "ctrl+u", "home", "end", "pgdown", "c"}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range [][2]int{{80, 24}, {120, 30}, {40, 10}} {
		m := newTestModel(t, &fakeBackend{}, Options{Now: func() time.Time { return fixedNow.Add(time.Hour) }})
		m.update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		for i := 0; i < 600; i++ {
			k := keys[rng.IntN(len(keys))]
			if k == "q" {
				continue
			}
			cmd := m.update(keyMsg(k))
			if i%7 == 0 {
				drain(t, m, cmd)
			}
			if rng.IntN(20) == 0 {
				m.update(tea.MouseClickMsg{X: rng.IntN(size[0]), Y: rng.IntN(size[1]), Button: tea.MouseLeft})
				m.update(tea.MouseWheelMsg{X: rng.IntN(size[0]), Y: rng.IntN(size[1]), Button: tea.MouseWheelDown})
			}
			if n := strings.Count(m.Render(), "\n") + 1; n != size[1] {
				t.Fatalf("after %d keys (last %q) in %s at %v: %d lines", i, k, m.view, size, n)
			}
		}
	}
}
