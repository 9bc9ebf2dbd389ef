package render

import "strings"

// Cell is one character of a drawing and its style.
type Cell struct {
	R rune
	S Style
}

// Span is a run of text of one style.
type Span struct {
	Text  string
	Style Style
}

// Canvas is a drawn viewport: W×H cells, row by row.
type Canvas struct {
	W, H  int
	Cells []Cell
}

func newCanvas(w, h int) *Canvas {
	w, h = max(w, 0), max(h, 0)
	c := &Canvas{W: w, H: h, Cells: make([]Cell, w*h)}
	for i := range c.Cells {
		c.Cells[i].R = ' '
	}
	return c
}

// At returns the cell at (x, y), or a blank cell outside the canvas.
func (c *Canvas) At(x, y int) Cell {
	if x < 0 || y < 0 || x >= c.W || y >= c.H {
		return Cell{R: ' '}
	}
	return c.Cells[y*c.W+x]
}

func (c *Canvas) set(x, y int, r rune, s Style) {
	if x < 0 || y < 0 || x >= c.W || y >= c.H {
		return
	}
	c.Cells[y*c.W+x] = Cell{R: r, S: s}
}

// Line returns row y as plain text, trailing blanks removed.
func (c *Canvas) Line(y int) string {
	if y < 0 || y >= c.H {
		return ""
	}
	var b strings.Builder
	for _, cell := range c.Cells[y*c.W : (y+1)*c.W] {
		b.WriteRune(cell.R)
	}
	return strings.TrimRight(b.String(), " ")
}

// String returns the canvas as plain text, one line per row, trailing
// blanks and blank last rows removed.
func (c *Canvas) String() string {
	lines := make([]string, c.H)
	for y := range lines {
		lines[y] = c.Line(y)
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}

// Spans returns row y as runs of equal style, the full width of the canvas.
func (c *Canvas) Spans(y int) []Span {
	if y < 0 || y >= c.H {
		return nil
	}
	row := c.Cells[y*c.W : (y+1)*c.W]
	var out []Span
	var b strings.Builder
	for i, cell := range row {
		if i > 0 && cell.S != row[i-1].S {
			out = append(out, Span{Text: b.String(), Style: row[i-1].S})
			b.Reset()
		}
		b.WriteRune(cell.R)
	}
	if len(row) > 0 {
		out = append(out, Span{Text: b.String(), Style: row[len(row)-1].S})
	}
	return out
}

// Render returns the canvas with every span passed through st, rows joined
// by newlines (no trailing newline), each row the full width.
func (c *Canvas) Render(st Stylist) string {
	var b strings.Builder
	for y := 0; y < c.H; y++ {
		if y > 0 {
			b.WriteByte('\n')
		}
		for _, sp := range c.Spans(y) {
			b.WriteString(st(sp.Style, sp.Text))
		}
	}
	return b.String()
}

// Beside returns a canvas with a on the left and b on the right, gap blank
// columns between them: two drawings side by side (local and remote).
func Beside(a, b *Canvas, gap int) *Canvas {
	gap = max(gap, 0)
	c := newCanvas(a.W+gap+b.W, max(a.H, b.H))
	for y := 0; y < c.H; y++ {
		for x := 0; x < a.W; x++ {
			if y < a.H {
				c.Cells[y*c.W+x] = a.Cells[y*a.W+x]
			}
		}
		for x := 0; x < b.W; x++ {
			if y < b.H {
				c.Cells[y*c.W+a.W+gap+x] = b.Cells[y*b.W+x]
			}
		}
	}
	return c
}
