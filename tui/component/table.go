package component

import (
	"sort"
	"strconv"
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

// Order is how a table is sorted by its sort column.
type Order int

// The orders, in the order SortBy cycles through them.
const (
	Unsorted Order = iota
	Ascending
	Descending
)

// Table is a scrollable table of strings with a cell cursor; only the rows
// and columns on screen are rendered, with column widths measured once by
// SetData. It can be sorted by a column (numbers as numbers, NULLs last).
type Table struct {
	Columns []Column
	Rows    [][]string
	// null marks NULL values by row and column (nil: none).
	null [][]bool
	// order is the rows' order on screen (indexes into Rows).
	order   []int
	sortCol int
	sortBy  Order
	row     int // first row on screen
	col     int // first column on screen
	// curRow and curCol are the cursor: a row on screen (index into order)
	// and a column.
	curRow, curCol int
	height         int
	// lastCol is the last column of the last Render (for what is off screen).
	lastCol int
	// widths are measured once over every row, so columns keep their width
	// while the table scrolls.
	widths []int
}

// measureRows caps how many rows SetData measures for column widths.
const measureRows = 2000

// SetData replaces the table contents, unsorted, and scrolls back to the top.
func (tb *Table) SetData(cols []Column, rows [][]string) {
	tb.Columns, tb.Rows, tb.null = cols, rows, nil
	tb.row, tb.col, tb.curRow, tb.curCol, tb.sortBy, tb.sortCol = 0, 0, 0, 0, Unsorted, 0
	tb.order = make([]int, len(rows))
	for i := range tb.order {
		tb.order[i] = i
	}
	tb.widths = make([]int, len(cols))
	for c, col := range cols {
		w := max(lipgloss.Width(col.Name)+2, lipgloss.Width(col.Type))
		for _, r := range rows[:min(len(rows), measureRows)] {
			if c < len(r) {
				w = max(w, lipgloss.Width(Cell(r[c])))
			}
		}
		tb.widths[c] = min(w, maxColWidth)
	}
}

// SetNull marks the NULL values (by row and column of Rows; nil: none).
func (tb *Table) SetNull(null [][]bool) { tb.null = null }

// IsNull reports whether the value at row r (of Rows) and column c is NULL.
func (tb *Table) IsNull(r, c int) bool {
	return r < len(tb.null) && c < len(tb.null[r]) && tb.null[r][c]
}

// Cell is a value as a table cell shows it: on one line, with newlines
// and tabs as ⏎ and →.
func Cell(v string) string {
	if !strings.ContainsAny(v, "\n\t\r") {
		return v
	}
	return strings.NewReplacer("\r\n", "⏎", "\n", "⏎", "\r", "⏎", "\t", "→").Replace(v)
}

// Top moves to the first row.
func (tb *Table) Top() { tb.curRow, tb.row = 0, 0 }

// Bottom moves to the last row.
func (tb *Table) Bottom() { tb.MoveRow(len(tb.Rows)) }

// MoveRow moves the cursor down (d > 0) or up by d rows, scrolling to keep
// it on screen.
func (tb *Table) MoveRow(d int) {
	tb.curRow = min(max(0, tb.curRow+d), max(0, len(tb.Rows)-1))
	tb.follow()
}

// ScrollRows moves the view down (d > 0) or up by d rows; the cursor
// stays on screen.
func (tb *Table) ScrollRows(d int) {
	tb.row = min(max(0, tb.row+d), max(0, len(tb.Rows)-max(1, tb.height)))
	h := max(1, tb.height)
	tb.curRow = min(max(tb.curRow, tb.row), tb.row+h-1)
	tb.curRow = min(tb.curRow, max(0, len(tb.Rows)-1))
}

// MoveCol moves the cursor right (d > 0) or left by d columns; the next
// Render scrolls to show it.
func (tb *Table) MoveCol(d int) {
	tb.curCol = min(max(0, tb.curCol+d), max(0, len(tb.Columns)-1))
	if tb.curCol < tb.col {
		tb.col = tb.curCol
	}
}

// ScrollCols moves the first shown column by d (the cursor with it).
func (tb *Table) ScrollCols(d int) {
	tb.col = min(max(0, tb.col+d), max(0, len(tb.Columns)-1))
	tb.curCol = min(max(tb.curCol+d, 0), max(0, len(tb.Columns)-1))
}

func (tb *Table) follow() {
	h := max(1, tb.height)
	if tb.curRow < tb.row {
		tb.row = tb.curRow
	}
	if tb.curRow >= tb.row+h {
		tb.row = tb.curRow - h + 1
	}
}

// Offset returns the first row and column on screen.
func (tb *Table) Offset() (row, col int) { return tb.row, tb.col }

// Cursor returns the cursor's row (of Rows, whatever the order) and
// column; ok is false when the table is empty.
func (tb *Table) Cursor() (row, col int, ok bool) {
	if len(tb.order) == 0 || len(tb.Columns) == 0 {
		return 0, 0, false
	}
	return tb.order[tb.curRow], tb.curCol, true
}

// Position is the cursor's row on screen: its index in the order shown.
func (tb *Table) Position() int { return tb.curRow }

// Visible returns the first and the last column of the last Render.
func (tb *Table) Visible() (first, last int) { return tb.col, tb.lastCol }

// Sorted returns the rows in the order on screen.
func (tb *Table) Sorted() [][]string {
	out := make([][]string, len(tb.order))
	for i, r := range tb.order {
		out[i] = tb.Rows[r]
	}
	return out
}

// SortedNull returns the NULL marks in the order on screen (nil: none).
func (tb *Table) SortedNull() [][]bool {
	if tb.null == nil {
		return nil
	}
	out := make([][]bool, len(tb.order))
	for i, r := range tb.order {
		if r < len(tb.null) {
			out[i] = tb.null[r]
		}
	}
	return out
}

// Sort returns the sort column and order.
func (tb *Table) Sort() (col int, o Order) { return tb.sortCol, tb.sortBy }

// SortBy sorts by column c: ascending, then descending, then unsorted
// when called again on the same column. The cursor stays on its row.
func (tb *Table) SortBy(c int) {
	if c < 0 || c >= len(tb.Columns) {
		return
	}
	keep, _, ok := tb.Cursor()
	if c != tb.sortCol {
		tb.sortCol, tb.sortBy = c, Ascending
	} else {
		tb.sortBy = (tb.sortBy + 1) % 3
	}
	for i := range tb.order {
		tb.order[i] = i
	}
	if tb.sortBy != Unsorted {
		numeric := IsNumeric(tb.Columns[c].Type)
		less := func(a, b int) bool {
			na, nb := tb.IsNull(a, c), tb.IsNull(b, c)
			if na || nb {
				return !na && nb // NULLs last, either way
			}
			va, vb := value(tb.Rows[a], c), value(tb.Rows[b], c)
			if tb.sortBy == Descending {
				va, vb = vb, va
			}
			if numeric {
				fa, ea := strconv.ParseFloat(va, 64)
				fb, eb := strconv.ParseFloat(vb, 64)
				if ea == nil && eb == nil {
					return fa < fb
				}
			}
			return va < vb
		}
		sort.SliceStable(tb.order, func(i, j int) bool { return less(tb.order[i], tb.order[j]) })
	}
	if ok {
		for i, r := range tb.order {
			if r == keep {
				tb.curRow = i
			}
		}
	}
	tb.follow()
}

func value(row []string, c int) string {
	if c < len(row) {
		return row[c]
	}
	return ""
}

// BaseType is a ClickHouse type without Nullable and LowCardinality.
func BaseType(t string) string {
	for _, w := range []string{"Nullable(", "LowCardinality("} {
		for strings.HasPrefix(t, w) && strings.HasSuffix(t, ")") {
			t = t[len(w) : len(t)-1]
		}
	}
	return t
}

// IsNumeric reports whether a ClickHouse type holds numbers.
func IsNumeric(typ string) bool {
	b := BaseType(typ)
	for _, p := range []string{"Int", "UInt", "Float", "Decimal"} {
		if strings.HasPrefix(b, p) {
			return true
		}
	}
	return false
}

// IsTime reports whether a ClickHouse type holds dates or times.
func IsTime(typ string) bool { return strings.HasPrefix(BaseType(typ), "Date") }

// Render draws a header (name and type) and the rows on screen; with
// focused, the cursor's cell and its column's name are marked. The view
// scrolls sideways to show the cursor's column.
func (tb *Table) Render(t *theme.Theme, width, height int) string {
	return tb.render(t, width, height, false)
}

// RenderFocused is Render with the cell cursor shown.
func (tb *Table) RenderFocused(t *theme.Theme, width, height int) string {
	return tb.render(t, width, height, true)
}

func (tb *Table) render(t *theme.Theme, width, height int, focused bool) string {
	tb.height = max(1, height-2)
	if len(tb.Columns) == 0 {
		return Fit(t.Faint.Render("(no columns)"), width, height)
	}
	tb.follow()
	tb.row = max(0, min(tb.row, len(tb.order)-tb.height)) // no empty rows below the last
	tb.showCursorCol(width)
	end := min(len(tb.order), tb.row+tb.height)
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
	tb.lastCol = last
	line := func(cells func(c int) string, style func(c int) lipgloss.Style) string {
		var b strings.Builder
		for k, c := tb.col, tb.col; c <= last; c++ {
			s := ansi.Truncate(cells(c), widths[c-k], "…")
			b.WriteString(style(c).Render(padRight(s, widths[c-k])))
			b.WriteString("  ")
		}
		return ansi.Truncate(b.String(), width, "")
	}
	var out []string
	out = append(out, line(func(c int) string {
		name := tb.Columns[c].Name
		if c == tb.sortCol {
			switch tb.sortBy {
			case Ascending:
				name += " ▲"
			case Descending:
				name += " ▼"
			}
		}
		return name
	}, func(c int) lipgloss.Style {
		if focused && c == tb.curCol {
			return t.Accent.Bold(true).Underline(true)
		}
		return t.Bold
	}))
	out = append(out, line(func(c int) string { return tb.Columns[c].Type }, func(int) lipgloss.Style { return t.Faint }))
	if len(tb.order) == 0 {
		out = append(out, t.Faint.Render("(no rows)"))
	}
	for i := tb.row; i < end; i++ {
		r := tb.order[i]
		row := tb.Rows[r]
		out = append(out, line(func(c int) string {
			return Cell(value(row, c))
		}, func(c int) lipgloss.Style {
			switch {
			case focused && i == tb.curRow && c == tb.curCol:
				return t.Selected
			case tb.IsNull(r, c):
				return t.Faint.Italic(true)
			case focused && i == tb.curRow:
				return t.Bold
			}
			return t.Text
		}))
	}
	return Fit(strings.Join(out, "\n"), width, height)
}

// showCursorCol scrolls sideways until the cursor's column fits in width.
func (tb *Table) showCursorCol(width int) {
	if tb.curCol < tb.col {
		tb.col = tb.curCol
	}
	for tb.col < tb.curCol {
		used := 0
		for c := tb.col; c <= tb.curCol; c++ {
			used += tb.widths[c] + 2
		}
		if used-2 <= width {
			return
		}
		tb.col++
	}
}
