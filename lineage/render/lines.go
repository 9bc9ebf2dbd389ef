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

// lines accumulates line directions over a viewport before they become runes.
type lines struct {
	vx, vy, w, h int
	mask         []uint8
	style        []Style
}

func newLines(vx, vy, w, h int) *lines {
	return &lines{vx: vx, vy: vy, w: w, h: h, mask: make([]uint8, w*h), style: make([]Style, w*h)}
}

// add marks direction bits at scene cell (x, y); highlighted styles win.
func (l *lines) add(x, y int, bits uint8, s Style) {
	x, y = x-l.vx, y-l.vy
	if x < 0 || y < 0 || x >= l.w || y >= l.h {
		return
	}
	i := y*l.w + x
	l.mask[i] |= bits
	if l.style[i] == 0 || s.Has(Highlight) || l.style[i].Has(Dim) {
		l.style[i] = s
	}
}

// segment draws a straight line from a to b (inclusive), clipped.
func (l *lines) segment(ax, ay, bx, by int, s Style) {
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
			l.add(x, ay, bits, s)
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
		l.add(ax, y, bits, s)
	}
}

// paint writes the accumulated lines onto the canvas.
func (l *lines) paint(c *Canvas) {
	for i, m := range l.mask {
		if m != 0 {
			c.Cells[i] = Cell{R: boxRunes[m], S: l.style[i]}
		}
	}
}
