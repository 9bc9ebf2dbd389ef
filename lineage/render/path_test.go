package render

import (
	"testing"
)

// TestPathStateColoursUpAndDown: with PathState, what the selection reads is
// Upstream, what reads it Downstream, the edges on those paths carry the same
// flag, and an edge that bypasses the selection is dimmed.
func TestPathStateColoursUpAndDown(t *testing.T) {
	g := flappyGraph(t)
	s := New(g, Options{Mode: Layered})
	w, h := s.Size()
	st := PathState(g, "mv_player_stats")
	st.Changed = map[string]bool{"snapshot": true}
	c := s.Draw(Viewport{W: w, H: h}, st)
	label := func(name string) Style {
		r, ok := s.Rect(name)
		if !ok {
			t.Fatalf("no rect for %s", name)
		}
		return c.At(r.X+2, r.CenterY()).S
	}
	for _, tt := range []struct {
		name      string
		has, hasn Style
	}{
		{"mv_player_stats", Selected | Highlight, Upstream | Downstream | Dim},
		{"events_api", Upstream | Highlight, Downstream | Dim},
		{"kafka_events", Upstream | Highlight, Downstream | Dim},
		{"api_leaderboard", Downstream | Highlight, Upstream | Dim},
		{"snapshot", Downstream | Highlight | Changed, Upstream | Dim},
		{"system.numbers", Dim, Upstream | Downstream | Highlight},
		{"numbers()", Dim, Upstream | Downstream | Highlight},
	} {
		if got := label(tt.name); !got.Has(tt.has) || got&tt.hasn != 0 {
			t.Errorf("%s: style %016b, want %016b and not %016b", tt.name, got, tt.has, tt.hasn)
		}
	}
	// the arrow into events_api (from kafka_events) is upstream, the one
	// into api_leaderboard downstream, the one from system.numbers dimmed
	arrowInto := func(name string) Cell {
		r, _ := s.Rect(name)
		return c.At(r.X-1, r.CenterY())
	}
	if a := arrowInto("events_api"); a.R != '▶' || !a.S.Has(Upstream|Highlight) {
		t.Errorf("edge into events_api: %q %016b", a.R, a.S)
	}
	if a := arrowInto("api_leaderboard"); a.R != '▶' || !a.S.Has(Downstream|Highlight) {
		t.Errorf("edge into api_leaderboard: %q %016b", a.R, a.S)
	}
	sn, _ := s.Rect("system.numbers")
	if e := c.At(sn.X+sn.W, sn.CenterY()); !e.S.Has(Dim) || e.S.Has(Highlight) {
		t.Errorf("edge out of system.numbers: %q %016b, want dimmed", e.R, e.S)
	}
	if st := PathState(g, "no such node"); st.Selected != "no such node" || len(st.Upstream)+len(st.Downstream) != 0 {
		t.Errorf("PathState of an unknown node: %+v", st)
	}
}

// TestCrossingIsABridge: two unrelated edges crossing do not draw a junction
// (┼ says they connect): the horizontal passes over, or the vertical when only
// it is highlighted. Edges sharing an end still join.
func TestCrossingIsABridge(t *testing.T) {
	related := func(a, b int) bool { return a == 2 || b == 2 }
	tests := []struct {
		name   string
		hEdge  int
		hStyle Style
		vStyle Style
		want   rune
	}{
		{"unrelated", 0, Style(ClassEdge), Style(ClassEdge), '─'},
		{"vertical highlighted", 0, Style(ClassEdge) | Dim, Style(ClassEdge) | Highlight, '│'},
		{"both highlighted", 0, Style(ClassEdge) | Highlight, Style(ClassEdge) | Highlight, '─'},
		{"shared end", 2, Style(ClassEdge), Style(ClassEdge), '┼'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLines(0, 0, 3, 3, related)
			l.segment(0, 1, 2, 1, tt.hStyle, tt.hEdge)
			l.segment(1, 0, 1, 2, tt.vStyle, 1)
			c := newCanvas(3, 3)
			l.paint(c)
			if got := c.At(1, 1).R; got != tt.want {
				t.Errorf("crossing drawn %q, want %q:\n%s", got, tt.want, c.String())
			}
			if c.At(0, 1).R != '─' || c.At(1, 0).R != '│' {
				t.Errorf("the lines themselves changed:\n%s", c.String())
			}
		})
	}
}
