package render

import (
	"github.com/perchdata/perch/lineage"
	"github.com/perchdata/perch/lineage/layout"
)

// treeRow is one row of the tree drawing.
type treeRow struct {
	node   int
	parent int    // row of the parent, -1 for a root
	prefix []rune // the tree connectors before the glyph
	width  int    // of prefix and label
	ref    bool   // drawn before: not expanded again
	depth  int
}

// rect is where the row's node is drawn when the row is row y.
func (r treeRow) rect(y int) layout.Rect {
	return layout.Rect{X: len(r.prefix), Y: y, W: r.width - len(r.prefix), H: 1}
}

// tree lays the graph out as a tree: roots (nodes nothing feeds) in name
// order, each node's readers below it; a node met again is a one-row
// reference marked ↑.
func (s *Scene) tree() {
	g := s.g
	s.primary = make([]int, len(g.Nodes))
	for i := range s.primary {
		s.primary[i] = -1
	}
	children := make([][]int, len(g.Nodes))
	for _, e := range g.Edges {
		children[g.Index(e.From)] = append(children[g.Index(e.From)], g.Index(e.To))
	}
	type frame struct {
		node, parent, depth int
		prefix              []rune
		last                bool
	}
	visit := func(root int) {
		stack := []frame{{node: root, parent: -1}}
		for len(stack) > 0 {
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			row := treeRow{node: f.node, parent: f.parent, depth: f.depth}
			childPrefix := f.prefix
			if f.parent >= 0 {
				row.prefix = append(append([]rune(nil), f.prefix...), '├', '─', '▶', ' ')
				cont := []rune("│   ")
				if f.last {
					row.prefix[len(f.prefix)] = '└'
					cont = []rune("    ")
				}
				childPrefix = append(append([]rune(nil), f.prefix...), cont...)
			}
			row.ref = s.primary[f.node] >= 0
			row.width = len(row.prefix) + len([]rune(s.labelText[f.node]))
			if row.ref {
				row.width += 2
			}
			idx := len(s.rows)
			s.rows = append(s.rows, row)
			s.width = max(s.width, row.width)
			if row.ref {
				continue
			}
			s.primary[f.node] = idx
			kids := children[f.node]
			for k := len(kids) - 1; k >= 0; k-- {
				stack = append(stack, frame{node: kids[k], parent: idx, depth: f.depth + 1,
					prefix: childPrefix, last: k == len(kids)-1})
			}
		}
	}
	hasParent := make([]bool, len(g.Nodes))
	for _, e := range g.Edges {
		hasParent[g.Index(e.To)] = true
	}
	for i := range g.Nodes {
		if !hasParent[i] {
			visit(i)
		}
	}
	for i := range g.Nodes { // nodes on cycles only
		if s.primary[i] < 0 {
			visit(i)
		}
	}
	s.height = len(s.rows)
}

// drawTree draws the rows of the tree inside v.
func (s *Scene) drawTree(c *Canvas, v Viewport, st State) {
	for y := max(v.Y, 0); y < min(v.Y+v.H, len(s.rows)); y++ {
		row := s.rows[y]
		// The row's own connector (the last 4 cells of the prefix) is the
		// edge from its parent; the columns before it continue the edges of
		// ancestors and stay plain.
		plain := Style(ClassEdge)
		if st.highlighting() {
			plain |= Dim
		}
		es := plain
		if row.parent >= 0 {
			es = edgeStyle(lineage.Edge{From: s.g.Nodes[s.rows[row.parent].node].Name,
				To: s.g.Nodes[row.node].Name}, st)
		}
		x := 0
		for i, r := range row.prefix {
			style := es
			if i < len(row.prefix)-4 {
				style = plain
			}
			c.set(x-v.X, y-v.Y, r, style)
			x++
		}
		ns := s.nodeStyle(row.node, st)
		for _, r := range s.labelText[row.node] {
			c.set(x-v.X, y-v.Y, r, ns)
			x++
		}
		if row.ref {
			c.set(x+1-v.X, y-v.Y, '↑', ns|Dim)
		}
	}
}
