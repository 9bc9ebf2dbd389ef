package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestExplorerCountsFollowTheFilter (issue 19 item 15).
func TestExplorerCountsFollowTheFilter(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	press(t, m, "/", "e", "v")
	out := plain(m.Render())
	if !strings.Contains(out, "Resources (1 of 4)") || !strings.Contains(out, "changed (1)") || strings.Contains(out, "in sync (1)") {
		t.Fatalf("filtered counts:\n%s", out)
	}
}

// longRemote makes events differ only far down its definition.
type longRemote struct{ fakeBackend }

const longEvents = "DESCRIPTION >\n    Raw page views\n\nSCHEMA >\n" +
	"    `a01` String,\n    `a02` String,\n    `a03` String,\n    `a04` String,\n    `a05` String,\n    `a06` String,\n" +
	"    `a07` String,\n    `a08` String,\n    `a09` String,\n    `a10` String,\n    `a11` String,\n    `a12` String,\n" +
	"    `a13` String,\n    `a14` String,\n    `a15` String,\n    `a16` String,\n    `a17` String,\n    `a18` String,\n" +
	"    `timestamp` DateTime\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"timestamp\"\n"

func (b *longRemote) Diagnose(ctx context.Context) (*Local, error) {
	l, _ := b.fakeBackend.Diagnose(ctx)
	l.Resources[0].Text = strings.Replace(longEvents, `"timestamp"`, `"page, timestamp"`, 1)
	return l, nil
}

func (b *longRemote) Local(ctx context.Context) (*Local, error) { return b.Diagnose(ctx) }

func (b *longRemote) Remote(ctx context.Context, l *Local) (*Remote, error) {
	r, err := b.fakeBackend.Remote(ctx, l)
	if err == nil {
		ev := r.Resources["events"]
		ev.Text = longEvents + "ENGINE_TTL \"timestamp + INTERVAL 1 DAY\" -- a long line that goes on past the edge of the pane, on and on\n"
		r.Resources["events"] = ev
	}
	return r, err
}

// TestExplorerJumpsToTheFirstChangeAndScrollsSideways (item 15): the
// definitions open on the first difference, the split between the sides
// stays where it is from one resource to the next, and → scrolls sideways.
func TestExplorerJumpsToTheFirstChangeAndScrollsSideways(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			m := newTestModel(t, &longRemote{}, Options{})
			m.update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			m.explorer.Open("events")
			if size[1] == 24 && strings.Contains(plain(m.Render()), "Raw page views") == strings.Contains(plain(m.Render()), "ENGINE_SORTING_KEY") {
				t.Fatalf("the definitions do not open on the change:\n%s", plain(m.Render()))
			}
			if !strings.Contains(plain(m.Render()), `ENGINE_SORTING_KEY "page, timestamp"`) {
				t.Fatalf("the change is not on screen:\n%s", plain(m.Render()))
			}
			split := func() int { return indexOf(splitFrame(plain(m.Render()))[4], "│") }
			first := split()
			for _, name := range []string{"old_stats", "daily", "top_pages", "events"} {
				m.explorer.Open(name)
				m.touch()
				if s := split(); s != first {
					t.Errorf("%s: split at %d, was %d", name, s, first)
				}
			}
			if size[0] == 160 {
				before := plain(m.Render())
				press(t, m, "right", "right", "right", "right", "right", "right")
				after := plain(m.Render())
				if before == after || !strings.Contains(after, "goes on past the edge of the pane") {
					t.Errorf("→ does not scroll the definitions sideways:\n%s", after)
				}
			}
		})
	}
}
