package render

import (
	"github.com/perchdata/perch/lineage/layout"
)

// Boxes are three rows high: border, glyph and name, border.
const boxHeight = 3

// layered computes the layered layout of the scene's graph.
func (s *Scene) layered(opt layout.Options) {
	g := s.g
	sizes := make([]layout.Size, len(g.Nodes))
	for i := range g.Nodes {
		sizes[i] = layout.Size{W: len([]rune(s.labelText[i])) + 4, H: boxHeight}
	}
	edges := make([]layout.Edge, len(g.Edges))
	for k, e := range g.Edges {
		edges[k] = layout.Edge{From: g.Index(e.From), To: g.Index(e.To)}
	}
	s.res = layout.Layered(sizes, edges, opt)
	s.edges = g.Edges
	s.width, s.height = s.res.Width, s.res.Height
	// Ports go where routes attach: a route leaves the right side of the
	// node it starts from and enters the left side of the other, whichever
	// way its edge points.
	s.portOut = make([]bool, len(g.Nodes))
	s.portIn = make([]bool, len(g.Nodes))
	for k, rt := range s.res.Routes {
		if len(rt.Points) == 0 {
			continue
		}
		a, b := edges[k].From, edges[k].To
		if rt.Reversed {
			a, b = b, a
		}
		s.portOut[a], s.portIn[b] = true, true
	}
}

// drawLayered draws the edges, then the boxes over them, clipped to v.
func (s *Scene) drawLayered(c *Canvas, v Viewport, st State) {
	ln := newLines(v.X, v.Y, v.W, v.H, func(a, b int) bool {
		ea, eb := s.edges[a], s.edges[b]
		return ea.From == eb.From || ea.To == eb.To
	})
	type arrow struct {
		p layout.Point
		r rune
		s Style
	}
	var arrows []arrow
	for k, rt := range s.res.Routes {
		pts := rt.Points
		if len(pts) == 0 || !routeVisible(pts, v) {
			continue
		}
		style := edgeStyle(s.edges[k], st)
		for i := 0; i+1 < len(pts); i++ {
			ln.segment(pts[i].X, pts[i].Y, pts[i+1].X, pts[i+1].Y, style, k)
		}
		first, last := pts[0], pts[len(pts)-1]
		if rt.Reversed {
			arrows = append(arrows, arrow{first, '◀', style})
			ln.add(last.X, last.Y, right, style, k)
		} else {
			ln.add(first.X, first.Y, left, style, k)
			arrows = append(arrows, arrow{last, '▶', style})
		}
	}
	ln.paint(c)
	for _, a := range arrows {
		c.set(a.p.X-v.X, a.p.Y-v.Y, a.r, a.s)
	}
	for i, r := range s.res.Rects {
		if r.X >= v.X+v.W || r.X+r.W <= v.X || r.Y >= v.Y+v.H || r.Y+r.H <= v.Y {
			continue
		}
		s.drawBox(c, v, i, r, st)
	}
}

// routeVisible reports whether a route's bounding box meets the viewport.
func routeVisible(pts []layout.Point, v Viewport) bool {
	x0, y0, x1, y1 := pts[0].X, pts[0].Y, pts[0].X, pts[0].Y
	for _, p := range pts[1:] {
		x0, x1 = min(x0, p.X), max(x1, p.X)
		y0, y1 = min(y0, p.Y), max(y1, p.Y)
	}
	return x1 >= v.X && x0 < v.X+v.W && y1 >= v.Y && y0 < v.Y+v.H
}

// drawBox draws node i in r: a border with a port mark on each side that
// has edges, and the glyph and label inside.
func (s *Scene) drawBox(c *Canvas, v Viewport, i int, r layout.Rect, st State) {
	style := s.nodeStyle(i, st)
	put := func(x, y int, ch rune, s Style) { c.set(x-v.X, y-v.Y, ch, s) }
	x0, x1, y0, y1 := r.X, r.X+r.W-1, r.Y, r.Y+r.H-1
	tl, tr, bl, br, hz, vt := '┌', '┐', '└', '┘', '─', '│'
	if style.Has(Selected) {
		tl, tr, bl, br, hz, vt = '┏', '┓', '┗', '┛', '━', '┃'
	}
	for x := x0 + 1; x < x1; x++ {
		put(x, y0, hz, style)
		put(x, y1, hz, style)
	}
	for y := y0 + 1; y < y1; y++ {
		put(x0, y, vt, style)
		put(x1, y, vt, style)
		for x := x0 + 1; x < x1; x++ {
			put(x, y, ' ', style) // the inside takes the node's style too
		}
	}
	put(x0, y0, tl, style)
	put(x1, y0, tr, style)
	put(x0, y1, bl, style)
	put(x1, y1, br, style)
	cy := r.CenterY()
	if s.portOut[i] {
		put(x1, cy, portRune(style, true), style)
	}
	if s.portIn[i] {
		put(x0, cy, portRune(style, false), style)
	}
	x := x0 + 2
	for _, ch := range s.labelText[i] {
		if x >= x1 {
			break
		}
		put(x, cy, ch, style)
		x++
	}
}

// portRune is the border character where edges attach.
func portRune(s Style, out bool) rune {
	switch {
	case s.Has(Selected) && out:
		return '┣'
	case s.Has(Selected):
		return '┫'
	case out:
		return '├'
	}
	return '┤'
}
