package render

// The directions a line leaves a cell in, merged so crossing and joining
// lines pick the right box-drawing character.
const (
	up uint8 = 1 << iota
	down
	left
	right
)

var boxRunes = [16]rune{
	0:                        ' ',
	up:                       '│',
	down:                     '│',
	up | down:                '│',
	left:                     '─',
	right:                    '─',
	left | right:             '─',
	down | right:             '┌',
	down | left:              '┐',
	up | right:               '└',
	up | left:                '┘',
	up | down | right:        '├',
	up | down | left:         '┤',
	left | right | down:      '┬',
	left | right | up:        '┴',
	up | down | left | right: '┼',
}

// lines accumulates line directions over a viewport before they become
// runes. It remembers which edge ran through each cell horizontally and
// vertically, so that two unrelated edges crossing are drawn as a bridge
// (one line passing over the other) rather than a junction ┼ that would
// say they connect.
type lines struct {
	vx, vy, w, h int
	mask         []uint8
	style        []Style
	// hEdge and vEdge are 1 + the edge of the first horizontal and vertical
	// run through a cell (0: none); hStyle and vStyle their styles.
	hEdge, vEdge   []int32
	hStyle, vStyle []Style
	// related reports whether two edges share an end (a fan-out or a
	// fan-in: their lines may join).
	related func(a, b int) bool
}

func newLines(vx, vy, w, h int, related func(a, b int) bool) *lines {
	n := w * h
	return &lines{vx: vx, vy: vy, w: w, h: h, mask: make([]uint8, n), style: make([]Style, n),
		hEdge: make([]int32, n), vEdge: make([]int32, n), hStyle: make([]Style, n), vStyle: make([]Style, n), related: related}
}

// wins reports whether style s should replace old on a shared cell:
// highlighted styles win over plain ones, plain over dimmed.
func wins(s, old Style) bool { return old == 0 || s.Has(Highlight) || old.Has(Dim) }

// add marks direction bits of edge at scene cell (x, y).
func (l *lines) add(x, y int, bits uint8, s Style, edge int) {
	x, y = x-l.vx, y-l.vy
	if x < 0 || y < 0 || x >= l.w || y >= l.h {
		return
	}
	i := y*l.w + x
	l.mask[i] |= bits
	if wins(s, l.style[i]) {
		l.style[i] = s
	}
	if bits&(left|right) != 0 {
		if l.hEdge[i] == 0 {
			l.hEdge[i] = int32(edge + 1)
		}
		if wins(s, l.hStyle[i]) {
			l.hStyle[i] = s
		}
	}
	if bits&(up|down) != 0 {
		if l.vEdge[i] == 0 {
			l.vEdge[i] = int32(edge + 1)
		}
		if wins(s, l.vStyle[i]) {
			l.vStyle[i] = s
		}
	}
}

// crossing reports whether cell i is two unrelated edges crossing.
func (l *lines) crossing(i int) bool {
	if l.mask[i] != up|down|left|right || l.hEdge[i] == 0 || l.vEdge[i] == 0 {
		return false
	}
	a, b := int(l.hEdge[i]-1), int(l.vEdge[i]-1)
	return a != b && (l.related == nil || !l.related(a, b))
}

// segment draws a straight line of edge from a to b (inclusive), clipped.
func (l *lines) segment(ax, ay, bx, by int, s Style, edge int) {
	if ay == by {
		if ax > bx {
			ax, bx = bx, ax
		}
		if by < l.vy || by >= l.vy+l.h {
			return
		}
		lo, hi := max(ax, l.vx-1), min(bx, l.vx+l.w)
		for x := lo; x <= hi; x++ {
			var bits uint8
			if x > ax {
				bits |= left
			}
			if x < bx {
				bits |= right
			}
			l.add(x, ay, bits, s, edge)
		}
		return
	}
	if ay > by {
		ay, by = by, ay
	}
	if ax < l.vx || ax >= l.vx+l.w {
		return
	}
	lo, hi := max(ay, l.vy-1), min(by, l.vy+l.h)
	for y := lo; y <= hi; y++ {
		var bits uint8
		if y > ay {
			bits |= up
		}
		if y < by {
			bits |= down
		}
		l.add(ax, y, bits, s, edge)
	}
}

// paint writes the accumulated lines onto the canvas. A crossing is drawn
// as the horizontal line passing over the vertical one (─), unless only the
// vertical one is highlighted (│): the lines visibly do not join.
func (l *lines) paint(c *Canvas) {
	for i, m := range l.mask {
		switch {
		case m == 0:
		case l.crossing(i) && l.vStyle[i].Has(Highlight) && !l.hStyle[i].Has(Highlight):
			c.Cells[i] = Cell{R: '│', S: l.vStyle[i]}
		case l.crossing(i):
			c.Cells[i] = Cell{R: '─', S: l.hStyle[i]}
		default:
			c.Cells[i] = Cell{R: boxRunes[m], S: l.style[i]}
		}
	}
}
