package component

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/perchdata/perch/tui/theme"
)

// Column is a table column with its type.
type Column struct {
	Name, Type string
}

// maxColWidth caps a column's width.
const maxColWidth = 32

// Table is a scrollable table of strings; only the rows and columns on
// screen are rendered, with column widths measured once by SetData.
type Table struct {
	Columns []Column
	Rows    [][]string
	row     int // first row on screen
	col     int // first column on screen
	height  int
	// widths are measured once over every row, so columns keep their width
	// while the table scrolls.
	widths []int
}

// measureRows caps how many rows SetData measures for column widths.
const measureRows = 2000

// SetData replaces the table contents and scrolls back to the top.
func (tb *Table) SetData(cols []Column, rows [][]string) {
	tb.Columns, tb.Rows, tb.row, tb.col = cols, rows, 0, 0
	tb.widths = make([]int, len(cols))
	for c, col := range cols {
		w := max(lipgloss.Width(col.Name), lipgloss.Width(col.Type))
		for _, r := range rows[:min(len(rows), measureRows)] {
			if c < len(r) {
				w = max(w, lipgloss.Width(r[c]))
			}
		}
		tb.widths[c] = min(w, maxColWidth)
	}
}

// Top scrolls to the first row.
func (tb *Table) Top() { tb.row = 0 }

// Bottom scrolls to the last screenful.
func (tb *Table) Bottom() { tb.ScrollRows(len(tb.Rows)) }

// ScrollRows moves the view down (d > 0) or up by d rows.
func (tb *Table) ScrollRows(d int) {
	tb.row = min(max(0, tb.row+d), max(0, len(tb.Rows)-max(1, tb.height)))
}

// ScrollCols moves the first shown column by d.
func (tb *Table) ScrollCols(d int) {
	tb.col = min(max(0, tb.col+d), max(0, len(tb.Columns)-1))
}

// Offset returns the first row and column on screen.
func (tb *Table) Offset() (row, col int) { return tb.row, tb.col }

// Render draws a header (name and type) and the rows on screen.
func (tb *Table) Render(t *theme.Theme, width, height int) string {
	tb.height = max(1, height-2)
	if len(tb.Columns) == 0 {
		return Fit(t.Faint.Render("(no columns)"), width, height)
	}
	end := min(len(tb.Rows), tb.row+tb.height)
	// measure only the columns and rows that can be on screen
	var widths []int
	used := 0
	last := tb.col
	for c := tb.col; c < len(tb.Columns) && used < width; c++ {
		w := tb.widths[c]
		widths = append(widths, w)
		used += w + 2
		last = c
	}
	line := func(cells func(c int) string, style func(c int) lipgloss.Style) string {
		var b strings.Builder
		for k, c := 0, tb.col; c <= last; k, c = k+1, c+1 {
			s := ansi.Truncate(cells(c), widths[k], "…")
			b.WriteString(style(c).Render(padRight(s, widths[k])))
			b.WriteString("  ")
		}
		return ansi.Truncate(b.String(), width, "")
	}
	var out []string
	out = append(out, line(func(c int) string { return tb.Columns[c].Name }, func(int) lipgloss.Style { return t.Bold }))
	out = append(out, line(func(c int) string { return tb.Columns[c].Type }, func(int) lipgloss.Style { return t.Faint }))
	for r := tb.row; r < end; r++ {
		row := tb.Rows[r]
		out = append(out, line(func(c int) string {
			if c < len(row) {
				return row[c]
			}
			return ""
		}, func(int) lipgloss.Style { return t.Text }))
	}
	return Fit(strings.Join(out, "\n"), width, height)
}
