package component

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/perchdata/perch/tui/theme"
)

// Mark says how a diff row differs.
type Mark int

// The marks of a side-by-side diff.
const (
	Same    Mark = iota
	Changed      // both sides have a line, and they differ
	Added        // only the right (local) side has the line
	Removed      // only the left (remote) side has the line
)

// Pair is one row of a side-by-side diff: indexes into the left and right
// lines, -1 when that side has no line.
type Pair struct {
	L, R int
	Mark Mark
}

// Align lines up a (left) and b (right) by their longest common subsequence;
// runs of removed and added lines are paired as Changed.
func Align(a, b []string) []Pair {
	n, m := len(a), len(b)
	// lcs[i][j] = LCS length of a[i:], b[j:]
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if strings.TrimRight(a[i], " ") == strings.TrimRight(b[j], " ") {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []Pair
	var dels, adds []int
	flush := func() {
		k := 0
		for ; k < len(dels) && k < len(adds); k++ {
			out = append(out, Pair{dels[k], adds[k], Changed})
		}
		for _, d := range dels[k:] {
			out = append(out, Pair{d, -1, Removed})
		}
		for _, a := range adds[k:] {
			out = append(out, Pair{-1, a, Added})
		}
		dels, adds = dels[:0], adds[:0]
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && strings.TrimRight(a[i], " ") == strings.TrimRight(b[j], " "):
			flush()
			out = append(out, Pair{i, j, Same})
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			adds = append(adds, j)
			j++
		default:
			dels = append(dels, i)
			i++
		}
	}
	flush()
	return out
}

// DiffSide is one side of a side-by-side view.
type DiffSide struct {
	Title string
	// Lines are the plain lines; Styled (same length) their highlighted form.
	Lines, Styled []string
	// Missing is shown instead of the lines when the side does not exist.
	Missing string
	// Notes are messages shown on given 0-based lines (diagnostics).
	Notes map[int]string
}

// FirstChange is the index of the first pair that differs, or 0.
func FirstChange(pairs []Pair) int {
	for i, p := range pairs {
		if p.Mark != Same {
			return i
		}
	}
	return 0
}

// SideBySide renders left and right in two columns of width/2 (the split
// never moves), starting at row offset of the aligned diff and column x of
// the text (horizontal scroll). Changed lines carry a mark in the gutter.
func SideBySide(t *theme.Theme, pairs []Pair, left, right DiffSide, width, height, offset, x int) string {
	colW := (width - 1) / 2
	var b strings.Builder
	b.WriteString(title(t, left.Title, colW) + t.Faint.Render("│") + title(t, right.Title, width-1-colW))
	rows := height - 1
	if left.Missing != "" || right.Missing != "" {
		pairs = onlyOneSide(pairs, left, right)
	}
	offset = min(max(0, offset), max(0, len(pairs)-rows))
	for k := 0; k < rows; k++ {
		b.WriteByte('\n')
		i := offset + k
		if i >= len(pairs) {
			b.WriteString(strings.Repeat(" ", colW) + t.Faint.Render("│"))
			continue
		}
		p := pairs[i]
		b.WriteString(cell(t, left, p.L, p.Mark, true, colW, x))
		b.WriteString(t.Faint.Render("│"))
		b.WriteString(cell(t, right, p.R, p.Mark, false, width-1-colW, x))
	}
	return b.String()
}

func onlyOneSide(pairs []Pair, left, right DiffSide) []Pair {
	var out []Pair
	n := max(len(left.Lines), len(right.Lines), 1)
	for i := 0; i < n; i++ {
		p := Pair{L: -1, R: -1}
		if left.Missing == "" && i < len(left.Lines) {
			p.L = i
		}
		if right.Missing == "" && i < len(right.Lines) {
			p.R = i
		}
		out = append(out, p)
	}
	if left.Missing != "" && len(out) > 0 {
		out[0].L = -2
	}
	if right.Missing != "" && len(out) > 0 {
		out[0].R = -2
	}
	return out
}

func title(t *theme.Theme, s string, w int) string {
	return t.PaneTitle.Render(padRight(ansi.Truncate(" "+s, w, "…"), w))
}

func cell(t *theme.Theme, side DiffSide, idx int, mark Mark, isLeft bool, w, x int) string {
	if idx == -2 {
		return t.Faint.Render(padRight(ansi.Truncate("  "+side.Missing, w, "…"), w))
	}
	if idx < 0 {
		return t.Faint.Render(padRight("  ", w))
	}
	gutter := "  "
	switch {
	case mark == Changed:
		gutter = t.Changed.Render("~ ")
	case mark == Removed && isLeft:
		gutter = t.Removed.Render("- ")
	case mark == Added && !isLeft:
		gutter = t.Added.Render("+ ")
	}
	num := t.Faint.Render(fmt.Sprintf("%3d ", idx+1))
	text := side.Lines[idx]
	if idx < len(side.Styled) {
		text = side.Styled[idx]
	}
	if note, ok := side.Notes[idx]; ok {
		text += " " + t.Error.Render("◀ "+note)
	}
	text = shiftLeft(text, x)
	body := ansi.Truncate(text, max(0, w-6), "…")
	line := gutter + num + body
	if pad := w - lipgloss.Width(line); pad > 0 {
		line += strings.Repeat(" ", pad)
	}
	return line
}

// shiftLeft drops the first x columns of a styled line (horizontal scroll).
func shiftLeft(s string, x int) string {
	if x <= 0 {
		return s
	}
	return ansi.TruncateLeft(s, x, "")
}

// UnifiedRow is the row of the unified diff where pair i starts.
func UnifiedRow(pairs []Pair, i int) int {
	row := 0
	for k := 0; k < i && k < len(pairs); k++ {
		row++
		if pairs[k].Mark == Changed {
			row++
		}
	}
	return row
}

// unifiedRow is one row of a unified diff: a mark and a line of one side
// (idx -2: the side's Missing message).
type unifiedRow struct {
	mark   string
	side   DiffSide
	idx    int
	styled lipgloss.Style
}

// unifiedRows lines the diff up in one column: common lines once, a
// changed line as its left (-) then its right (+) version.
func unifiedRows(t *theme.Theme, pairs []Pair, left, right DiffSide) []unifiedRow {
	var rows []unifiedRow
	switch {
	case right.Missing != "":
		rows = append(rows, unifiedRow{mark: "  " + right.Missing, idx: -2})
		for i := range left.Lines {
			rows = append(rows, unifiedRow{"- ", left, i, t.Removed})
		}
	case left.Missing != "":
		rows = append(rows, unifiedRow{mark: "  " + left.Missing, idx: -2})
		for i := range right.Lines {
			rows = append(rows, unifiedRow{"+ ", right, i, t.Added})
		}
	default:
		for _, p := range pairs {
			switch p.Mark {
			case Same:
				rows = append(rows, unifiedRow{"  ", right, p.R, t.Faint})
			case Changed:
				rows = append(rows, unifiedRow{"- ", left, p.L, t.Removed}, unifiedRow{"+ ", right, p.R, t.Added})
			case Removed:
				rows = append(rows, unifiedRow{"- ", left, p.L, t.Removed})
			case Added:
				rows = append(rows, unifiedRow{"+ ", right, p.R, t.Added})
			}
		}
	}
	return rows
}

// text renders a row, its note (a diagnostic) after it.
func (r unifiedRow) text(t *theme.Theme, x int) string {
	if r.idx == -2 {
		return t.Faint.Render(r.mark)
	}
	text := r.side.Lines[r.idx]
	if r.idx < len(r.side.Styled) {
		text = r.side.Styled[r.idx]
	}
	if note, ok := r.side.Notes[r.idx]; ok && r.mark != "- " {
		text += " " + t.Error.Render("◀ "+note)
	}
	return r.styled.Render(r.mark) + shiftLeft(text, x)
}

// Unified renders the same diff in one column (for narrow screens): common
// lines once, a changed line as its remote (-) then its local (+) version;
// offset and x scroll it as in SideBySide.
func Unified(t *theme.Theme, pairs []Pair, left, right DiffSide, width, height, offset, x int) string {
	rows := unifiedRows(t, pairs, left, right)
	n := height - 1
	offset = min(max(0, offset), max(0, len(rows)-n))
	out := []string{title(t, left.Title+"  →  "+right.Title, width)}
	for i := offset; i < len(rows) && len(out) <= n; i++ {
		out = append(out, ansi.Truncate(rows[i].text(t, x), width, "…"))
	}
	return Fit(strings.Join(out, "\n"), width, height)
}

// Hunks are the changed rows of the unified diff with context common
// lines around each run of changes (a gap between runs is marked ⋯), as
// lines for a scrolling pane.
func Hunks(t *theme.Theme, left, right DiffSide, context int) []string {
	pairs := Align(left.Lines, right.Lines)
	rows := unifiedRows(t, pairs, left, right)
	keep := make([]bool, len(rows))
	for i, r := range rows {
		if r.mark != "  " {
			for k := max(0, i-context); k <= min(len(rows)-1, i+context); k++ {
				keep[k] = true
			}
		}
	}
	var out []string
	gap := false
	for i, r := range rows {
		if !keep[i] {
			gap = true
			continue
		}
		if gap && len(out) > 0 {
			out = append(out, t.Faint.Render("  ⋯"))
		}
		gap = false
		out = append(out, r.text(t, 0))
	}
	return out
}
