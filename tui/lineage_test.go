package tui

import (
	"strings"
	"testing"

	"github.com/perchdata/perch/lineage/render"
)

// TestLineageHighlightsThePathThroughTheSelection: with daily selected, the
// edge from events (upstream) and the edge to daily_mv (downstream) are
// drawn in their own colours, the unrelated top_pages is dimmed, and the
// legend explains the colours and the kind glyphs.
func TestLineageHighlightsThePathThroughTheSelection(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	press(t, m, "2")
	m.lineage.Open("daily")
	m.touch()
	out := m.Render()
	golden(t, "lineage_styled_80x24.golden", out)
	up := sgr(m.th.Upstream.Render("x"))
	down := sgr(m.th.Downstream.Render("x"))
	if up == down {
		t.Fatal("upstream and downstream render alike")
	}
	st := render.PathState(m.lineage.drawing.Scene.Graph(), "daily")
	if !st.Upstream["events"] || !st.Downstream["daily_mv"] {
		t.Fatalf("path state %+v", st)
	}
	line := func(s string) string {
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(plain(l), s) {
				return l
			}
		}
		t.Fatalf("%q not drawn", s)
		return ""
	}
	row := line("▣ events")
	if !strings.Contains(row, up+"─") && !strings.Contains(row, up+"├") {
		t.Errorf("the edge out of events is not upstream-coloured: %q", row)
	}
	if !strings.Contains(line("▣ daily_mv"), down) {
		t.Errorf("daily_mv and its edge are not downstream-coloured")
	}
	if strings.Contains(line("◉ top_pages"), up) || strings.Contains(line("◉ top_pages"), down) {
		t.Errorf("top_pages is coloured though it is not on the path")
	}
	p := plain(out)
	for _, want := range []string{"upstream (what it reads)", "downstream (what reads it)", "▣ datasource", "◉ endpoint"} {
		if !strings.Contains(p, want) {
			t.Errorf("legend lacks %q", want)
		}
	}
}

// sgr is the escape sequence that opens a style's rendering.
func sgr(rendered string) string {
	if i := strings.Index(rendered, "x"); i > 0 {
		return rendered[:i]
	}
	return rendered
}
