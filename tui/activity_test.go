package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// TestActivityLine checks that Options.Activity is shown beside the tabs,
// refreshed on every tick, and that no frame is redrawn when it is unchanged.
func TestActivityLine(t *testing.T) {
	n := 0
	var ticks []time.Duration
	opt := Options{
		Activity: func() string { return fmt.Sprintf("streaming · %d events", n) },
		Tick: func(d time.Duration, f func(time.Time) tea.Msg) tea.Cmd {
			ticks = append(ticks, d)
			return func() tea.Msg { return timerSet{} }
		},
	}
	n = 200
	m := newTestModel(t, &fakeBackend{}, opt)
	tabs := strings.SplitN(plain(m.Render()), "\n", 3)[1]
	if !strings.HasSuffix(strings.TrimRight(tabs, " "), "streaming · 200 events") {
		t.Fatalf("tabs row = %q, want the activity at its right", tabs)
	}
	if len(ticks) == 0 || ticks[len(ticks)-1] != time.Second {
		t.Fatalf("ticks = %v, want a 1s re-poll", ticks)
	}

	renders := m.RenderCount()
	drain(t, m, m.update(activityTickMsg{})) // same text: nothing to redraw
	m.Render()
	if m.RenderCount() != renders {
		t.Errorf("an unchanged activity redrew the frame")
	}

	n = 400
	drain(t, m, m.update(activityTickMsg{}))
	if got := plain(m.Render()); !strings.Contains(got, "streaming · 400 events") {
		t.Errorf("after a tick the frame shows:\n%s", got)
	}

	// Without Activity nothing is polled.
	ticks = nil
	quiet := newTestModel(t, &fakeBackend{}, Options{Tick: opt.Tick})
	for _, d := range ticks {
		if d == time.Second {
			t.Errorf("a model without Activity polls every second")
		}
	}
	if strings.Contains(plain(quiet.Render()), "streaming") {
		t.Error("a model without Activity shows one")
	}
}
