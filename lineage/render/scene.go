package render

import (
	"strings"

	"github.com/perchdata/perch/lineage"
	"github.com/perchdata/perch/lineage/layout"
)

// Mode chooses how a scene is drawn.
type Mode int

// The drawing modes.
const (
	// Auto draws layered when the drawing fits the width, else a tree.
	Auto Mode = iota
	// Layered draws columns from sources on the left to endpoints on the right.
	Layered
	// Tree draws one node per row, indented under what it reads.
	Tree
)

// String returns "auto", "layered" or "tree".
func (m Mode) String() string {
	switch m {
	case Layered:
		return "layered"
	case Tree:
		return "tree"
	}
	return "auto"
}

// Options tunes a scene.
type Options struct {
	// Width is the width the drawing should fit in Auto mode; 0 means any.
	Width int
	Mode  Mode
	// MaxLabel truncates node names longer than this (default 40).
	MaxLabel int
	// Layout tunes the layered layout.
	Layout layout.Options
}

// Viewport is the part of a scene to draw: its top-left cell and size.
type Viewport struct{ X, Y, W, H int }

// State is what a drawing marks: the selected node and a highlight set
// (typically the selection's Impact), or the selection's Upstream and
// Downstream sets (see PathState), which are highlighted too. Nodes and
// edges outside a non-empty highlight are dimmed.
type State struct {
	Selected  string
	Highlight map[string]bool
	// Upstream are the nodes the selection reads, directly or not;
	// Downstream the nodes that read it. An edge whose two ends are
	// upstream (or downstream), the selection counted, is on the path.
	Upstream, Downstream map[string]bool
	// Changed marks nodes (resources that differ from the remote).
	Changed map[string]bool
}

// PathState is the state that selects name and highlights the paths
// through it: what it reads and what reads it, with their edges.
func PathState(g *lineage.Graph, name string) State {
	st := State{Selected: name, Upstream: map[string]bool{}, Downstream: map[string]bool{}}
	if g.Index(name) < 0 {
		return st
	}
	for _, n := range g.Upstream(name) {
		st.Upstream[n] = true
	}
	for _, n := range g.Downstream(name) {
		st.Downstream[n] = true
	}
	return st
}

// highlighting reports whether st highlights anything (others are dimmed).
func (st State) highlighting() bool {
	return len(st.Highlight) > 0 || len(st.Upstream) > 0 || len(st.Downstream) > 0
}

// up and down report whether a node counts as upstream or downstream of
// the selection, the selection itself included.
func (st State) up(n string) bool   { return n == st.Selected || st.Upstream[n] }
func (st State) down(n string) bool { return n == st.Selected || st.Downstream[n] }

// Direction is a way to move the selection.
type Direction int

// The directions of Neighbor.
const (
	Up Direction = iota
	Down
	Left
	Right
)

// Scene is a graph laid out for drawing. Build it once per graph and width;
// drawing a viewport is cheap.
type Scene struct {
	g         *lineage.Graph
	mode      Mode
	labelText []string
	width     int
	height    int

	// layered
	res   *layout.Result
	edges []lineage.Edge // in the order of res.Routes
	// portOut and portIn mark the nodes with routes leaving their right
	// side and entering their left side.
	portOut, portIn []bool

	// tree
	rows    []treeRow
	primary []int // per node, its first row; -1 when absent
}

// New lays a graph out. In Auto mode it uses the layered drawing when that
// fits opt.Width and the tree otherwise.
func New(g *lineage.Graph, opt Options) *Scene {
	if opt.MaxLabel <= 0 {
		opt.MaxLabel = 40
	}
	s := &Scene{g: g, labelText: make([]string, len(g.Nodes))}
	for i, n := range g.Nodes {
		s.labelText[i] = label(n, opt.MaxLabel)
	}
	if opt.Mode != Tree {
		s.layered(opt.Layout)
		if opt.Mode == Layered || opt.Width <= 0 || s.width <= opt.Width {
			s.mode = Layered
			return s
		}
		s.res, s.edges, s.portOut, s.portIn = nil, nil, nil, nil
		s.width, s.height = 0, 0
	}
	s.mode = Tree
	s.tree()
	return s
}

// label is the glyph, the name truncated to max, and a side marker.
func label(n *lineage.Node, maxLen int) string {
	name := []rune(n.Name)
	if len(name) > maxLen {
		name = append(name[:maxLen-1], '…')
	}
	out := string(Glyph(n.Kind)) + " " + string(name)
	switch n.Side {
	case lineage.LocalOnly:
		out += " (local)"
	case lineage.RemoteOnly:
		out += " (remote)"
	}
	return out
}

// Mode returns the mode the scene is drawn in (Layered or Tree).
func (s *Scene) Mode() Mode { return s.mode }

// Size returns the width and height of the whole drawing.
func (s *Scene) Size() (w, h int) { return s.width, s.height }

// Graph returns the graph the scene draws.
func (s *Scene) Graph() *lineage.Graph { return s.g }

// Rect returns where the named node is drawn (its first row in a tree).
func (s *Scene) Rect(name string) (layout.Rect, bool) {
	i := s.g.Index(name)
	if i < 0 {
		return layout.Rect{}, false
	}
	if s.mode == Layered {
		return s.res.Rects[i], true
	}
	if s.primary[i] < 0 {
		return layout.Rect{}, false
	}
	return s.rows[s.primary[i]].rect(s.primary[i]), true
}

// NodeAt returns the node drawn at scene cell (x, y).
func (s *Scene) NodeAt(x, y int) (string, bool) {
	if s.mode == Tree {
		if y < 0 || y >= len(s.rows) || !s.rows[y].rect(y).Contains(x, y) {
			return "", false
		}
		return s.g.Nodes[s.rows[y].node].Name, true
	}
	for i, r := range s.res.Rects {
		if r.Contains(x, y) {
			return s.g.Nodes[i].Name, true
		}
	}
	return "", false
}

// Draw draws the viewport v of the scene with st's selection and highlights.
// Only what intersects the viewport is drawn.
func (s *Scene) Draw(v Viewport, st State) *Canvas {
	c := newCanvas(v.W, v.H)
	if s.mode == Tree {
		s.drawTree(c, v, st)
	} else {
		s.drawLayered(c, v, st)
	}
	return c
}

// nodeStyle is the style of a node's cells.
func (s *Scene) nodeStyle(i int, st State) Style {
	n := s.g.Nodes[i]
	style := Style(KindClass(n.Kind))
	if n.Name == st.Selected {
		style |= Selected
	}
	if st.Changed[n.Name] {
		style |= Changed
	}
	if st.highlighting() {
		switch {
		case st.Upstream[n.Name]:
			style |= Highlight | Upstream
		case st.Downstream[n.Name]:
			style |= Highlight | Downstream
		case st.Highlight[n.Name] || n.Name == st.Selected:
			style |= Highlight
		default:
			style |= Dim
		}
	}
	return style | sideFlag(n.Side)
}

// edgeStyle is the style of an edge's cells: highlighted when both ends
// are, and upstream (downstream) when it lies on a path into (out of) the
// selection.
func edgeStyle(e lineage.Edge, st State) Style {
	style := Style(ClassEdge)
	if st.highlighting() {
		switch {
		case (len(st.Upstream) > 0 || len(st.Downstream) > 0) && st.up(e.From) && st.up(e.To):
			style |= Highlight | Upstream
		case (len(st.Upstream) > 0 || len(st.Downstream) > 0) && st.down(e.From) && st.down(e.To):
			style |= Highlight | Downstream
		case st.Highlight[e.From] && st.Highlight[e.To]:
			style |= Highlight
		default:
			style |= Dim
		}
	}
	return style | sideFlag(e.Side)
}

func sideFlag(s lineage.Side) Style {
	switch s {
	case lineage.LocalOnly:
		return LocalOnly
	case lineage.RemoteOnly:
		return RemoteOnly
	}
	return 0
}

// Text draws the whole graph as plain text fitting width (0: any width):
// layered when it fits, a tree otherwise, with tree rows still too long
// (deep nesting, long names) cut with an ellipsis.
func Text(g *lineage.Graph, width int) string {
	s := New(g, Options{Width: width})
	w, h := s.Size()
	out := s.Draw(Viewport{W: w, H: h}, State{}).String()
	if width <= 0 || w <= width {
		return out
	}
	lines := strings.Split(out, "\n")
	for i, line := range lines {
		if r := []rune(line); len(r) > width {
			lines[i] = string(r[:width-1]) + "…"
		}
	}
	return strings.Join(lines, "\n")
}

// labelPos is where a node's label is drawn: its glyph and name, on row Y
// from column X, W cells wide (the first row of a node in a tree).
type labelPos struct {
	Name string
	Kind lineage.Kind
	X, Y int
	W    int
}

// labels returns the label of every node in graph order (tests check the
// drawing and hit-testing against them).
func (s *Scene) labels() []labelPos {
	out := make([]labelPos, 0, len(s.g.Nodes))
	for i, n := range s.g.Nodes {
		r, ok := s.Rect(n.Name)
		if !ok {
			continue
		}
		l := labelPos{Name: n.Name, Kind: n.Kind, X: r.X, Y: r.Y, W: len([]rune(s.labelText[i]))}
		if s.mode == Layered {
			l.X, l.Y = r.X+2, r.CenterY()
		}
		out = append(out, l)
	}
	return out
}
