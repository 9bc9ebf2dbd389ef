// Package component holds the reusable, model-free pieces of the perch UI: a
// filterable list, a side-by-side diff, a scrollable table, a confirmation
// dialog and a render cache. They expose methods and render with
// Render(width, height); the root model owns them and routes keys to them.
package component

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/perchdata/perch/tui/theme"
)

// Row is one entry of a List. Header rows group the rows below them and
// cannot be selected.
type Row struct {
	// ID identifies the row's item (a resource name, a change id).
	ID string
	// Text is the plain text that filtering matches and that is shown when
	// Styled is empty.
	Text string
	// Label is what is shown when it differs from Text (Text still filters).
	Label string
	// Styled is the coloured rendering of the row, if any.
	Styled string
	Header bool
}

// List is a filterable, scrollable list with a cursor.
type List struct {
	// Styler renders a row without Styled text when it comes on screen, so
	// long lists pay for styling only the rows shown.
	Styler func(Row) string
	// CountHeaders shows after each header how many of its rows the filter
	// shows: "new (2)".
	CountHeaders bool
	rows         []Row
	visible      []int // indexes of rows shown under the filter
	filter       string
	cursor       int // index into visible
	offset       int // first visible row on screen
	height       int // rows shown at the last Render
}

// SetRows replaces the rows, keeping the cursor on the same ID when possible.
func (l *List) SetRows(rows []Row) {
	keep := l.SelectedID()
	l.rows = rows
	l.apply(keep)
}

// Rows returns every row (unfiltered).
func (l *List) Rows() []Row { return l.rows }

// SetFilter shows only rows whose text contains q (case-insensitive); header
// rows stay when one of their rows matches.
func (l *List) SetFilter(q string) {
	keep := l.SelectedID()
	l.filter = q
	l.apply(keep)
}

// Filter returns the current filter text.
func (l *List) Filter() string { return l.filter }

func (l *List) apply(keep string) {
	l.visible = l.visible[:0]
	q := strings.ToLower(l.filter)
	pendingHeader := -1
	for i, r := range l.rows {
		if r.Header {
			pendingHeader = i
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(r.Text), q) {
			continue
		}
		if pendingHeader >= 0 {
			l.visible = append(l.visible, pendingHeader)
			pendingHeader = -1
		}
		l.visible = append(l.visible, i)
	}
	l.cursor = 0
	if keep == "" || !l.Select(keep) {
		l.skipHeaders(1)
	}
	l.clamp()
}

// Len is the number of rows shown under the filter (headers included).
func (l *List) Len() int { return len(l.visible) }

// Count returns how many selectable rows the filter shows, and how many
// there are in all.
func (l *List) Count() (shown, total int) {
	for _, i := range l.visible {
		if !l.rows[i].Header {
			shown++
		}
	}
	for _, r := range l.rows {
		if !r.Header {
			total++
		}
	}
	return shown, total
}

// groupSize is the number of shown rows under the header at visible index i.
func (l *List) groupSize(i int) int {
	n := 0
	for _, ri := range l.visible[i+1:] {
		if l.rows[ri].Header {
			break
		}
		n++
	}
	return n
}

// Selected returns the row under the cursor.
func (l *List) Selected() (Row, bool) {
	if l.cursor < 0 || l.cursor >= len(l.visible) {
		return Row{}, false
	}
	r := l.rows[l.visible[l.cursor]]
	return r, !r.Header
}

// SelectedID returns the ID of the row under the cursor, or "".
func (l *List) SelectedID() string {
	r, ok := l.Selected()
	if !ok {
		return ""
	}
	return r.ID
}

// Select moves the cursor to the row with id; false when it is not shown.
func (l *List) Select(id string) bool {
	for i, ri := range l.visible {
		if l.rows[ri].ID == id && !l.rows[ri].Header {
			l.cursor = i
			l.clamp()
			return true
		}
	}
	return false
}

// Move moves the cursor by d rows, skipping headers.
func (l *List) Move(d int) {
	if len(l.visible) == 0 {
		return
	}
	l.cursor += d
	if l.cursor < 0 {
		l.cursor = 0
	}
	if l.cursor >= len(l.visible) {
		l.cursor = len(l.visible) - 1
	}
	dir := 1
	if d < 0 {
		dir = -1
	}
	l.skipHeaders(dir)
	l.clamp()
}

// Page moves by a screenful.
func (l *List) Page(dir int) { l.Move(dir * max(1, l.height-1)) }

// Top moves to the first row.
func (l *List) Top() { l.cursor = 0; l.skipHeaders(1); l.clamp() }

// Bottom moves to the last row.
func (l *List) Bottom() { l.cursor = len(l.visible) - 1; l.skipHeaders(-1); l.clamp() }

// Scroll moves the viewport by d rows without moving past the ends; the
// cursor follows so it stays on screen.
func (l *List) Scroll(d int) {
	l.offset += d
	maxOff := max(0, len(l.visible)-max(1, l.height))
	l.offset = min(max(0, l.offset), maxOff)
	if l.height > 0 {
		if l.cursor < l.offset {
			l.cursor = l.offset
		} else if l.cursor >= l.offset+l.height {
			l.cursor = l.offset + l.height - 1
		}
		l.skipHeaders(1)
	}
}

// ClickAt selects the row drawn y lines below the top of the list; it
// returns false when there is no selectable row there.
func (l *List) ClickAt(y int) bool {
	i := l.offset + y
	if y < 0 || i >= len(l.visible) || l.rows[l.visible[i]].Header {
		return false
	}
	l.cursor = i
	return true
}

func (l *List) skipHeaders(dir int) {
	for l.cursor >= 0 && l.cursor < len(l.visible) && l.rows[l.visible[l.cursor]].Header {
		l.cursor += dir
	}
	if l.cursor >= len(l.visible) {
		l.cursor = len(l.visible) - 1
		for l.cursor > 0 && l.rows[l.visible[l.cursor]].Header {
			l.cursor--
		}
	}
	if l.cursor < 0 {
		l.cursor = 0
		for l.cursor < len(l.visible)-1 && l.rows[l.visible[l.cursor]].Header {
			l.cursor++
		}
	}
}

func (l *List) clamp() {
	if l.height <= 0 {
		return
	}
	if l.cursor < l.offset {
		l.offset = l.cursor
		// show the group header above the first row when there is one
		if l.offset > 0 && l.rows[l.visible[l.offset-1]].Header {
			l.offset--
		}
	}
	if l.cursor >= l.offset+l.height {
		l.offset = l.cursor - l.height + 1
	}
	l.offset = max(0, min(l.offset, max(0, len(l.visible)-l.height)))
}

// Render draws the visible rows into width x height; only the rows on screen
// are rendered.
func (l *List) Render(t *theme.Theme, width, height int, focused bool) string {
	if height <= 0 || width <= 0 {
		return ""
	}
	if l.height != height {
		l.height = height
		l.clamp()
	}
	var b strings.Builder
	end := min(len(l.visible), l.offset+height)
	n := 0
	for i := l.offset; i < end; i++ {
		r := l.rows[l.visible[i]]
		plain := r.Text
		if r.Label != "" {
			plain = r.Label
		}
		text := r.Styled
		if text == "" && l.Styler != nil && !r.Header {
			text = l.Styler(r)
		}
		if text == "" {
			text = plain
		} else if r.Label == "" {
			plain = ansi.Strip(text) // the cursor row shows what the others do, in its own colours
		}
		switch {
		case r.Header && l.CountHeaders:
			text = t.PaneTitle.Render(ansi.Truncate(fmt.Sprintf("%s (%d)", plain, l.groupSize(i)), width, "…"))
		case r.Header:
			text = t.PaneTitle.Render(ansi.Truncate(plain, width, "…"))
		case i == l.cursor && focused:
			text = t.Selected.Render(padRight(ansi.Truncate(plain, width, "…"), width))
		case i == l.cursor:
			text = t.Bold.Render(padRight(ansi.Truncate(plain, width, "…"), width))
		default:
			text = ansi.Truncate(text, width, "…")
		}
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(text)
		n++
	}
	if n == 0 {
		msg := "(empty)"
		if l.filter != "" {
			msg = "no match for " + l.filter
		}
		b.WriteString(t.Faint.Render(ansi.Truncate(msg, width, "…")))
		n++
	}
	for ; n < height; n++ {
		b.WriteByte('\n')
	}
	return b.String()
}

func padRight(s string, w int) string {
	if gap := w - lipgloss.Width(s); gap > 0 {
		return s + strings.Repeat(" ", gap)
	}
	return s
}
