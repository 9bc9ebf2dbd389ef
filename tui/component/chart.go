package component

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/perchdata/perch/tui/theme"
)

// ChartKind is how a chart draws its series.
type ChartKind int

// The kinds of chart.
const (
	// LineChart draws each series as a line in braille dots (2x4 per cell).
	LineChart ChartKind = iota
	// BarChart draws a vertical bar per x value (per series, side by side).
	BarChart
	// HBarChart draws a horizontal bar per label (the first series).
	HBarChart
)

// Series is one named sequence of values, one per point.
type Series struct {
	Name   string
	Values []float64
}

// Chart is a chart of series over x positions: X are the points' positions
// (numbers: times as Unix seconds, or indexes), Labels their text. Points
// with a NaN value are left out. Drawn with Lip Gloss only: braille dots for
// lines, block elements for bars.
type Chart struct {
	Kind   ChartKind
	Title  string
	X      []float64
	Labels []string
	Series []Series
}

// seriesColors are the palette colours the series take in turn.
func seriesColors(t *theme.Theme) []color.Color {
	p := t.Palette
	return []color.Color{p.Accent, p.OK, p.Warning, p.Downstream, p.Info, p.Error}
}

// Render draws the chart in exactly width x height cells: a legend line,
// the plot with its y axis on the left, and the x axis labels below.
func (c *Chart) Render(t *theme.Theme, width, height int) string {
	if width < 10 || height < 4 || len(c.Series) == 0 || len(c.X) == 0 {
		return Fit(t.Faint.Render(" nothing to chart"), width, height)
	}
	colors := seriesColors(t)
	legend := c.legend(t, colors, width)
	var body []string
	switch c.Kind {
	case HBarChart:
		body = c.hbars(t, colors[0], width, height-1)
	default:
		body = c.plot(t, colors, width, height-1)
	}
	return Fit(strings.Join(append([]string{legend}, body...), "\n"), width, height)
}

func (c *Chart) legend(t *theme.Theme, colors []color.Color, width int) string {
	var parts []string
	if c.Title != "" {
		parts = append(parts, t.Muted.Render(c.Title))
	}
	for i, s := range c.Series {
		if c.Kind == HBarChart && i > 0 {
			break
		}
		parts = append(parts, lipgloss.NewStyle().Foreground(colors[i%len(colors)]).Render("■")+" "+t.Text.Render(s.Name))
	}
	return ansi.Truncate(" "+strings.Join(parts, "  "), width, "…")
}

// bounds are the smallest and largest values of every series (0 is in
// the range of bars).
func (c *Chart) bounds(bars bool) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for _, v := range s.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if math.IsInf(lo, 1) {
		return 0, 1
	}
	if bars {
		lo, hi = min(lo, 0), max(hi, 0)
	}
	if lo == hi {
		lo, hi = lo-1, hi+1
	}
	return lo, hi
}

// plot draws a line or bar chart with a y axis and x labels in h rows.
func (c *Chart) plot(t *theme.Theme, colors []color.Color, width, h int) []string {
	lo, hi := c.bounds(c.Kind == BarChart)
	ticks := []string{Compact(hi), Compact((lo + hi) / 2), Compact(lo)}
	axisW := 0
	for _, s := range ticks {
		axisW = max(axisW, len(s))
	}
	plotW, plotH := max(1, width-axisW-2), max(1, h-1)
	styles := make([]wrap, len(colors))
	for i, c := range colors {
		styles[i] = wrapOf(lipgloss.NewStyle().Foreground(c))
	}
	var cells [][]plotCell
	if c.Kind == BarChart {
		cells = c.barCells(plotW, plotH, lo, hi)
	} else {
		cells = c.lineCells(plotW, plotH, lo, hi)
	}
	out := make([]string, 0, h)
	for y := 0; y < plotH; y++ {
		label := ""
		switch y {
		case 0:
			label = ticks[0]
		case plotH / 2:
			if plotH > 2 {
				label = ticks[1]
			}
		case plotH - 1:
			label = ticks[2]
		}
		out = append(out, t.Faint.Render(fmt.Sprintf("%*s ┤", axisW, label))+drawRow(cells[y], styles))
	}
	return append(out, strings.Repeat(" ", axisW+2)+c.xLabels(t, plotW))
}

// xLabels puts the first, middle and last labels under the plot.
func (c *Chart) xLabels(t *theme.Theme, w int) string {
	n := len(c.Labels)
	if n == 0 {
		return ""
	}
	row := []rune(strings.Repeat(" ", w))
	put := func(at int, s string) {
		r := []rune(s)
		at = min(max(0, at), max(0, w-len(r)))
		for i, ch := range r {
			if at+i < w {
				row[at+i] = ch
			}
		}
	}
	first, last := c.Labels[0], c.Labels[n-1]
	put(0, first)
	if n > 1 {
		put(w-len([]rune(last)), last)
	}
	if mid := c.Labels[n/2]; n > 2 && len([]rune(first))+len([]rune(last))+len([]rune(mid))+4 <= w {
		put(w/2-len([]rune(mid))/2, mid)
	}
	return t.Faint.Render(string(row))
}

// plotCell is one character of the plot and the series that coloured it (-1: none).
type plotCell struct {
	r      rune
	series int
}

func blank(w, h int) [][]plotCell {
	cells := make([][]plotCell, h)
	for y := range cells {
		cells[y] = make([]plotCell, w)
		for x := range cells[y] {
			cells[y][x] = plotCell{' ', -1}
		}
	}
	return cells
}

// braille dot bits by (x%2, y%4) within a cell.
var dots = [2][4]rune{{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}}

// lineCells draws every series as a line through its points in a braille
// grid of 2w x 4h dots.
func (c *Chart) lineCells(w, h int, lo, hi float64) [][]plotCell {
	cells := blank(w, h)
	bits := make([][]rune, h)
	for y := range bits {
		bits[y] = make([]rune, w)
	}
	dw, dh := w*2, h*4
	xlo, xhi := c.X[0], c.X[len(c.X)-1]
	for _, x := range c.X {
		xlo, xhi = min(xlo, x), max(xhi, x)
	}
	px := func(x float64) int {
		if xhi == xlo {
			return dw / 2
		}
		return int(math.Round((x - xlo) / (xhi - xlo) * float64(dw-1)))
	}
	py := func(v float64) int { return dh - 1 - int(math.Round((v-lo)/(hi-lo)*float64(dh-1))) }
	set := func(x, y, s int) {
		if x < 0 || y < 0 || x >= dw || y >= dh {
			return
		}
		cx, cy := x/2, y/4
		bits[cy][cx] |= dots[x%2][y%4]
		cells[cy][cx].series = s
	}
	for s, ser := range c.Series {
		prevX, prevY, have := 0, 0, false
		for i, v := range ser.Values {
			if i >= len(c.X) || math.IsNaN(v) || math.IsInf(v, 0) {
				have = false
				continue
			}
			x, y := px(c.X[i]), py(v)
			if have {
				line(prevX, prevY, x, y, func(x, y int) { set(x, y, s) })
			} else {
				set(x, y, s)
			}
			prevX, prevY, have = x, y, true
		}
	}
	for y := range cells {
		for x := range cells[y] {
			if bits[y][x] != 0 {
				cells[y][x].r = 0x2800 + bits[y][x]
			}
		}
	}
	return cells
}

// line calls plot for every dot of the segment from (x0,y0) to (x1,y1).
func line(x0, y0, x1, y1 int, plot func(x, y int)) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	err := dx + dy
	for {
		plot(x0, y0)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * err
		if e2 >= dy {
			err += dy
			x0 += sx
		}
		if e2 <= dx {
			err += dx
			y0 += sy
		}
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// eighths are the block elements of a bar's top cell, by eighths filled.
var eighths = []rune{' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'}

// barCells draws a bar per point (the series side by side); when there are
// more points than columns, the points of a column are averaged.
func (c *Chart) barCells(w, h int, lo, hi float64) [][]plotCell {
	cells := blank(w, h)
	n, k := len(c.X), len(c.Series)
	slots := n * k
	per := max(1, w/max(1, slots))
	if slots > w {
		per = 1
	}
	groups := min(n, max(1, w/(per*k)))
	zero := (0 - lo) / (hi - lo) * float64(h*8)
	for g := 0; g < groups; g++ {
		from, to := g*n/groups, (g+1)*n/groups
		for s, ser := range c.Series {
			sum, cnt := 0.0, 0
			for i := from; i < to && i < len(ser.Values); i++ {
				if v := ser.Values[i]; !math.IsNaN(v) && !math.IsInf(v, 0) {
					sum, cnt = sum+v, cnt+1
				}
			}
			if cnt == 0 {
				continue
			}
			top := (sum/float64(cnt) - lo) / (hi - lo) * float64(h*8)
			a, b := min(zero, top), max(zero, top)
			for dx := 0; dx < per; dx++ {
				x := (g*k+s)*per + dx
				if per > 1 && dx == per-1 && k == 1 {
					continue // a gap between bars
				}
				if x >= w {
					break
				}
				for y := 0; y < h; y++ {
					// eighths of row y (counted from the bottom) under the bar
					rowLo, rowHi := float64((h-1-y)*8), float64((h-y)*8)
					fill := min(rowHi, b) - max(rowLo, a)
					if fill <= 0 {
						continue
					}
					e := min(8, int(math.Round(fill)))
					if e == 0 {
						continue
					}
					r := eighths[e]
					if a > rowLo && e < 8 {
						r = '▀' // a negative bar hangs from the zero line
					}
					cells[y][x] = plotCell{r, s}
				}
			}
		}
	}
	return cells
}

// hbars draws a horizontal bar per label with its value.
func (c *Chart) hbars(t *theme.Theme, col color.Color, width, h int) []string {
	vals := c.Series[0].Values
	labelW := 0
	for _, l := range c.Labels {
		labelW = max(labelW, ansi.StringWidth(l))
	}
	labelW = min(labelW, max(4, width/3))
	_, hi := c.bounds(true)
	var valsText []string
	valW := 0
	for _, v := range vals {
		s := Compact(v)
		valsText = append(valsText, s)
		valW = max(valW, len(s))
	}
	barW := max(1, width-labelW-valW-3)
	style := lipgloss.NewStyle().Foreground(col)
	var out []string
	for i := 0; i < len(vals) && i < h; i++ {
		label := ""
		if i < len(c.Labels) {
			label = c.Labels[i]
		}
		label = padRight(ansi.Truncate(label, labelW, "…"), labelW)
		v := vals[i]
		bar := ""
		if !math.IsNaN(v) && hi > 0 && v > 0 {
			eighthsN := int(math.Round(v / hi * float64(barW*8)))
			bar = strings.Repeat("█", eighthsN/8)
			if r := eighthsN % 8; r > 0 {
				bar += string([]rune{' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'}[r])
			}
		}
		out = append(out, t.Text.Render(label)+" "+style.Render(padRight(bar, barW))+" "+t.Muted.Render(fmt.Sprintf("%*s", valW, valsText[i])))
	}
	if len(vals) > h {
		out[len(out)-1] = t.Faint.Render(fmt.Sprintf(" … and %d more", len(vals)-h+1))
	}
	return out
}

// MiniBar is a bar of w cells filled to f (0..1) in eighths, the rest
// dotted: a number to compare at a glance.
func MiniBar(f float64, w int) string {
	n := int(math.Round(min(1, max(0, f)) * float64(w*8)))
	bar := strings.Repeat("█", n/8)
	if r := n % 8; r > 0 {
		bar += string([]rune{' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'}[r])
	}
	return bar + strings.Repeat("·", w-ansi.StringWidth(bar))
}

// wrap is what a style puts around text: rendered once, so that a plot of
// thousands of runs does not render each through Lip Gloss.
type wrap struct{ pre, post string }

// wrapOf is the text style s puts before and after a string.
func wrapOf(s lipgloss.Style) wrap {
	pre, post, _ := strings.Cut(s.Render("\x00"), "\x00")
	return wrap{pre, post}
}

// drawRow renders cells, one style per run of one series.
func drawRow(row []plotCell, styles []wrap) string {
	var b strings.Builder
	start := 0
	for i := 1; i <= len(row); i++ {
		if i < len(row) && row[i].series == row[start].series {
			continue
		}
		var run strings.Builder
		for _, c := range row[start:i] {
			run.WriteRune(c.r)
		}
		if s := row[start].series; s >= 0 {
			w := styles[s%len(styles)]
			b.WriteString(w.pre + run.String() + w.post)
		} else {
			b.WriteString(run.String())
		}
		start = i
	}
	return b.String()
}

// Compact is a number in at most about 6 characters: 950, 1.2k, 3.4M, 0.25.
func Compact(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v):
		return "?"
	case a >= 1e12:
		return trim(v/1e12) + "T"
	case a >= 1e9:
		return trim(v/1e9) + "G"
	case a >= 1e6:
		return trim(v/1e6) + "M"
	case a >= 1e4:
		return trim(v/1e3) + "k"
	case a == math.Trunc(a):
		return fmt.Sprintf("%.0f", v)
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 1:
		return trim(v)
	}
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", v), "0"), ".")
}

func trim(v float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.1f", v), "0"), ".")
}
