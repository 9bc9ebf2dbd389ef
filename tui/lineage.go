package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/perchdata/perch/lineage"
	"github.com/perchdata/perch/lineage/render"
	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/tui/keys"
)

// lineageKey is what a drawing was made for; another key asks again.
type lineageKey struct {
	width     int
	localGen  int
	remoteGen int
	remote    bool
	focus     string
}

// lineageView draws the graph with lineage/render: the scene moves the
// selection (Neighbor), hit-tests clicks (NodeAt) and draws the viewport
// with the paths through the selection highlighted.
type lineageView struct {
	*env
	drawing  *Drawing
	err      error
	loading  bool
	drawnFor lineageKey
	asked    lineageKey
	selected string
	// focus mode draws only the selection's lineage.
	focus  bool
	remote bool
	// scrollX and scrollY are the top-left cell of the scene on screen.
	scrollX, scrollY int
	// followed is the selection last scrolled into view: the view follows
	// a new selection, and otherwise scrolls freely.
	followed string
	// finding is set while the search text is typed; query is that text.
	finding bool
	query   string

	acts actions
	// layout of the frame
	titleR, graphR, legendR rect
}

func newLineage(e *env) *lineageView {
	v := &lineageView{env: e}
	step := func(d render.Direction) func() tea.Cmd {
		return func() tea.Cmd { v.step(d); return nil }
	}
	v.acts = actions{
		keys.Up:       step(render.Up),
		keys.Down:     step(render.Down),
		keys.Left:     step(render.Left),
		keys.Right:    step(render.Right),
		keys.PageUp:   func() tea.Cmd { v.scrollY = max(0, v.scrollY-max(1, v.graphR.H-1)); return nil },
		keys.PageDown: func() tea.Cmd { v.scrollY += max(1, v.graphR.H-1); v.clampScroll(); return nil },
		keys.Top:      func() tea.Cmd { v.scrollX, v.scrollY = 0, 0; return nil },
		keys.Bottom:   func() tea.Cmd { v.scrollY = 1 << 30; v.clampScroll(); return nil },
		keys.LineageFind: func() tea.Cmd {
			v.finding, v.query = true, ""
			return nil
		},
		keys.LineageOpen: func() tea.Cmd {
			if v.selected == "" {
				return nil
			}
			return emit(openMsg{view: ViewExplorer, target: v.selected})
		},
		keys.LineageFocus: func() tea.Cmd {
			v.focus = !v.focus
			return v.Show()
		},
		keys.LineageRemote: func() tea.Cmd {
			v.remote = !v.remote
			return v.Show()
		},
		keys.Back: func() tea.Cmd {
			if v.focus {
				v.focus = false
				return v.Show()
			}
			return emit(backMsg{})
		},
		keys.InputDone:   func() tea.Cmd { v.finding = false; return nil },
		keys.InputCancel: func() tea.Cmd { v.finding, v.query = false, ""; return nil },
		keys.InputDelete: func() tea.Cmd {
			if q := []rune(v.query); len(q) > 0 {
				v.query = string(q[:len(q)-1])
				v.find(0)
			}
			return nil
		},
	}
	// in the search, up and down go to the previous and next match
	v.acts[keys.Up], v.acts[keys.Down] = v.inFind(-1, v.acts[keys.Up]), v.inFind(1, v.acts[keys.Down])
	return v
}

// inFind is h, or a move to another match while the search is typed.
func (v *lineageView) inFind(d int, h func() tea.Cmd) func() tea.Cmd {
	return func() tea.Cmd {
		if v.finding {
			v.find(d)
			return nil
		}
		return h()
	}
}

// Scope is Input while the search is typed.
func (v *lineageView) Scope() keys.Scope {
	if v.finding {
		return keys.Input
	}
	return keys.Lineage
}

// Actions are the Lineage view's handlers.
func (v *lineageView) Actions() actions { return v.acts }

// FilterText is the search text.
func (v *lineageView) FilterText() (string, bool) { return v.query, v.finding }

// Type adds text to the search and selects the first match.
func (v *lineageView) Type(msg tea.KeyPressMsg) tea.Cmd {
	if msg.Text != "" {
		v.query += msg.Text
		v.find(0)
	}
	return nil
}

// Paste adds pasted text to the search.
func (v *lineageView) Paste(text string) tea.Cmd {
	v.query += oneLine(text)
	v.find(0)
	return nil
}

// find selects a node whose name contains the query: the first (d == 0),
// or the next (d > 0) or previous (d < 0) one after the selection.
func (v *lineageView) find(d int) {
	names := v.names()
	q := strings.ToLower(v.query)
	if q == "" || len(names) == 0 {
		return
	}
	var hits []string
	at := -1
	for _, n := range names {
		if strings.Contains(strings.ToLower(n), q) {
			if n == v.selected {
				at = len(hits)
			}
			hits = append(hits, n)
		}
	}
	if len(hits) == 0 {
		return
	}
	switch {
	case d == 0 || at < 0:
		v.selected = hits[0]
	default:
		v.selected = hits[(at+d+len(hits))%len(hits)]
	}
}

// names are the nodes of the drawing in graph order.
func (v *lineageView) names() []string {
	if v.drawing == nil || v.drawing.Scene == nil {
		return nil
	}
	var out []string
	for _, n := range v.drawing.Scene.Graph().Nodes {
		out = append(out, n.Name)
	}
	return out
}

// Open selects a resource (from another view).
func (v *lineageView) Open(name string) tea.Cmd {
	v.selected = name
	return nil
}

// key is what the drawing should be made for now.
func (v *lineageView) key() lineageKey {
	k := lineageKey{width: v.sceneWidth(), localGen: v.localGen, remoteGen: v.remoteGen, remote: v.remote}
	if v.focus {
		k.focus = v.selected
	}
	return k
}

// sceneWidth is the width the scene should fit (the body's).
func (v *lineageView) sceneWidth() int { return max(20, v.width) }

// Show asks for a drawing when the one shown was made for another width,
// project, remote or focus.
func (v *lineageView) Show() tea.Cmd {
	k := v.key()
	if v.loading && v.asked == k || !v.loading && v.drawing != nil && v.drawnFor == k && v.err == nil {
		return nil
	}
	v.loading, v.asked = true, k
	req := LineageRequest{Remote: k.remote, Focus: k.focus, Width: k.width}
	id := v.ask(paneLineage)
	b, ctx := v.backend, v.ctx
	return run(paneLineage, id, func() tea.Msg {
		d, err := b.Lineage(ctx, req)
		return lineageMsg{d, err}
	})
}

// lineageMsg is a drawing from the backend.
type lineageMsg struct {
	d   *Drawing
	err error
}

// Update takes a drawing, and asks again when the project or remote changed.
func (v *lineageView) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case reply:
		if d, ok := msg.msg.(lineageMsg); ok {
			v.loading = false
			v.drawing, v.err, v.drawnFor = d.d, d.err, v.asked
			v.followed = ""
			if v.drawing != nil && v.drawing.Scene != nil {
				if _, ok := v.drawing.Scene.Rect(v.selected); !ok {
					if names := v.names(); len(names) > 0 {
						v.selected = names[0]
					}
				}
			}
		}
	}
	return nil
}

// step moves the selection to the neighbouring node in direction d.
func (v *lineageView) step(d render.Direction) {
	if v.drawing == nil || v.drawing.Scene == nil {
		return
	}
	if n, ok := v.drawing.Scene.Neighbor(v.selected, d); ok {
		v.selected = n
		return
	}
	if _, ok := v.drawing.Scene.Rect(v.selected); !ok {
		if names := v.names(); len(names) > 0 {
			v.selected = names[0]
		}
	}
}

func (v *lineageView) clampScroll() {
	if v.drawing == nil || v.drawing.Scene == nil {
		return
	}
	w, h := v.drawing.Scene.Size()
	v.scrollY = min(max(0, v.scrollY), max(0, h-v.graphR.H))
	v.scrollX = min(max(0, v.scrollX), max(0, w-v.graphR.W))
}

// legend is the meaning of the colours and of the kind glyphs.
func (v *lineageView) legend(w int) []string {
	path := v.th.Selected.Render(" selected ") + " " + v.th.Upstream.Render("▶ upstream (what it reads)") + " " +
		v.th.Downstream.Render("▶ downstream (what reads it)") + " " + v.th.Changed.Render("changed")
	lines := []string{path}
	row := ""
	for _, k := range lineage.Kinds() { // the kinds, never cut between a glyph and its name
		entry := string(render.Glyph(k)) + " " + string(k)
		if row != "" && ansi.StringWidth(row)+2+ansi.StringWidth(entry) > w {
			lines = append(lines, v.th.Muted.Render(row))
			row = ""
		}
		if row != "" {
			row += "  "
		}
		row += entry
	}
	return append(lines, v.th.Muted.Render(row))
}

// Layout places the title, the graph and the legend, and scrolls the
// selection into view.
func (v *lineageView) Layout(r rect) {
	v.titleR, r = r.splitTop(1)
	n := len(v.legend(r.W))
	v.graphR, v.legendR = r.splitTop(max(1, r.H-n))
	if v.drawing == nil || v.drawing.Scene == nil {
		return
	}
	if nr, ok := v.drawing.Scene.Rect(v.selected); ok && v.followed != v.selected {
		v.followed = v.selected
		if nr.Y < v.scrollY {
			v.scrollY = nr.Y
		}
		if nr.Y+nr.H > v.scrollY+v.graphR.H {
			v.scrollY = nr.Y + nr.H - v.graphR.H
		}
		if nr.X < v.scrollX {
			v.scrollX = nr.X
		}
		if nr.X+nr.W > v.scrollX+v.graphR.W {
			v.scrollX = nr.X + nr.W - v.graphR.W
		}
	}
	v.clampScroll()
}

// Render draws the viewport of the scene and the legend.
func (v *lineageView) Render() string {
	w := v.titleR.W
	mode := "local"
	if v.remote {
		mode = "remote"
	}
	title := fmt.Sprintf(" Lineage · %s", mode)
	if v.focus {
		title += " · focus " + v.drawnFor.focus
	}
	if v.selected != "" {
		title += " · selected " + v.selected
	}
	if v.loading {
		title += " · drawing…"
	}
	head := v.paneTitle(title, true, w)
	switch {
	case v.err != nil:
		return head + "\n" + strings.Join(component.Wrap([]string{v.th.Error.Render(" " + v.err.Error())}, w), "\n")
	case v.drawing == nil || v.drawing.Scene == nil:
		return head + "\n" + v.th.Faint.Render(" drawing…")
	case len(v.drawing.Scene.Graph().Nodes) == 0:
		return head + "\n" + v.th.Faint.Render(" (no resources)")
	}
	st := render.PathState(v.drawing.Scene.Graph(), v.selected)
	st.Changed = v.drawing.Changed
	c := v.drawing.Scene.Draw(render.Viewport{X: v.scrollX, Y: v.scrollY, W: v.graphR.W, H: v.graphR.H}, st)
	graph := c.Render(v.styleCell)
	return head + "\n" + component.Fit(graph, w, v.graphR.H) + "\n" + strings.Join(v.legend(w), "\n")
}

// styleCell colours a run of cells of one render style.
func (v *lineageView) styleCell(s render.Style, text string) string {
	switch {
	case s.Class() == render.ClassBlank:
		return text
	case s.Has(render.Selected):
		return v.th.Selected.Render(text)
	case s.Has(render.Upstream):
		return v.th.Upstream.Render(text)
	case s.Has(render.Downstream):
		return v.th.Downstream.Render(text)
	case s.Has(render.Changed):
		return v.th.Changed.Render(text)
	case s.Has(render.Dim):
		return v.th.Faint.Render(text)
	case s.Class() == render.ClassEdge:
		return v.th.Muted.Render(text)
	}
	return v.th.Text.Render(text)
}

// Click selects the node under the pointer.
func (v *lineageView) Click(p point) tea.Cmd {
	if v.drawing == nil || v.drawing.Scene == nil || !v.graphR.Contains(p) {
		return nil
	}
	if n, ok := v.drawing.Scene.NodeAt(p.X-v.graphR.X+v.scrollX, p.Y-v.graphR.Y+v.scrollY); ok {
		v.selected = n
	}
	return nil
}

// Wheel scrolls the graph.
func (v *lineageView) Wheel(p point, d int) {
	v.scrollY += d
	v.clampScroll()
}
