package component

import (
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Viewport is a scrollable pane of (styled) text lines. Lines longer than
// the width wrap, at spaces when they can, so nothing is cut; the offset
// counts wrapped rows. With Follow set it stays at the end as lines are
// added (a log), until the user scrolls up.
type Viewport struct {
	lines []string
	// Follow keeps the newest line in view.
	Follow bool
	offset int
	// wrapped is the last rendering's rows, for its width.
	wrapped []string
	width   int
	height  int
	// away is set when the user scrolled a following viewport off its end.
	away bool
	// toEnd asks the next Render to show the end (Bottom before the text
	// or the size is known).
	toEnd bool
}

// SetLines replaces the text; the offset is kept (clamped) so a refresh does
// not jump, and a following viewport goes on showing the end.
func (v *Viewport) SetLines(lines []string) {
	if slices.Equal(lines, v.lines) {
		return // the same text: keep the wrapping
	}
	v.lines = lines
	v.wrapped = nil
}

// Reset replaces the text and scrolls to the top.
func (v *Viewport) Reset(lines []string) {
	v.SetLines(lines)
	v.offset, v.away, v.toEnd = 0, false, false
}

// Lines returns the text as set.
func (v *Viewport) Lines() []string { return v.lines }

// Offset is the first wrapped row on screen.
func (v *Viewport) Offset() int { return v.offset }

// ScrollTo puts wrapped row n at the top.
func (v *Viewport) ScrollTo(n int) {
	v.offset = n
	v.clamp()
	v.away = !v.atEnd()
	v.toEnd = false
}

// Scroll moves by d rows (up when d < 0).
func (v *Viewport) Scroll(d int) { v.ScrollTo(v.offset + d) }

// Page moves by a screenful.
func (v *Viewport) Page(dir int) { v.Scroll(dir * max(1, v.height-1)) }

// Top scrolls to the first row.
func (v *Viewport) Top() { v.ScrollTo(0) }

// Bottom scrolls to the last screenful.
func (v *Viewport) Bottom() {
	v.ScrollTo(1 << 30)
	v.toEnd, v.away = true, false
}

// Rows is the number of wrapped rows at the last rendered width.
func (v *Viewport) Rows() int { return len(v.wrap(v.width)) }

func (v *Viewport) atEnd() bool { return v.offset >= max(0, len(v.wrap(v.width))-max(1, v.height)) }

func (v *Viewport) clamp() {
	rows := v.wrap(v.width)
	v.offset = min(max(0, v.offset), max(0, len(rows)-max(1, v.height)))
}

// wrap returns the lines wrapped to width w (cached per width).
func (v *Viewport) wrap(w int) []string {
	if v.wrapped != nil && w == v.width {
		return v.wrapped
	}
	v.width = w
	v.wrapped = Wrap(v.lines, w)
	return v.wrapped
}

// Wrap splits every line longer than w into rows of at most w cells,
// breaking at spaces when it can, keeping styles across the break; the rows
// after the first keep the line's indentation.
func Wrap(lines []string, w int) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		if w <= 0 || ansi.StringWidth(l) <= w {
			out = append(out, l)
			continue
		}
		plain := ansi.Strip(l)
		ind := len(plain) - len(strings.TrimLeft(plain, " "))
		if ind > w/3 {
			ind = 0
		}
		rows := strings.Split(ansi.Wrap(l, w-ind, " "), "\n")
		for i, r := range rows {
			if i > 0 {
				r = strings.Repeat(" ", ind) + r
			}
			out = append(out, r)
		}
	}
	return out
}

// Render draws the rows on screen into width x height.
func (v *Viewport) Render(width, height int) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	rows := v.wrap(width)
	v.height = height
	if v.toEnd || v.Follow && !v.away {
		v.offset = max(0, len(rows)-height)
		v.toEnd = false
	}
	v.clamp()
	end := min(len(rows), v.offset+height)
	return Fit(strings.Join(rows[v.offset:end], "\n"), width, height)
}

// More reports whether rows are hidden above and below the screen.
func (v *Viewport) More() (above, below bool) {
	return v.offset > 0, v.offset+v.height < len(v.wrapped)
}
