package tui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/tui/highlight"
	"github.com/perchdata/perch/workspace"
)

// Layout places the picker, the SQL, the form, the runs, the error and the
// rows.
func (v *previewView) Layout(r rect) {
	v.pickerR, r = r.splitLeft(min(max(r.W/4, 20), 34))
	v.titleR, r = r.splitTop(1)
	if v.pipe == "" && v.ds == "" {
		v.sqlR, v.paramsR, v.statsR, v.errR, v.tableR = rect{}, rect{}, rect{}, rect{}, rect{}
		return
	}
	sqlH := max(3, r.H/3)
	var sql []string
	if !v.editing {
		// no taller than the SQL: the rows get the room it leaves
		sql = v.sqlLines(r.W)
		sqlH = min(sqlH, max(3, len(sql)+1))
	}
	v.sqlR, r = r.splitTop(sqlH)
	v.paramsR, r = r.splitTop(len(v.paramLines(r.W)))
	v.statsR, r = r.splitTop(len(v.statLines(r.W)) + len(v.testLines(r.W)))
	v.errLines = nil
	if v.errMsg != "" {
		msg := " ✗ " + v.errMsg
		if v.errLine > 0 && v.errNode == "" {
			msg = fmt.Sprintf(" ✗ line %d:%d (marked ▶): %s", v.errLine, v.errCol, v.errMsg)
		} else if v.errLine > 0 {
			msg = fmt.Sprintf(" ✗ in node %s, line %d:%d: %s", v.errNode, v.errLine, v.errCol, v.errMsg)
		}
		v.errLines = component.Wrap(strings.Split(msg, "\n"), r.W)
		if room := max(1, r.H/2); len(v.errLines) > room {
			v.errLines = append(v.errLines[:room-1], "   … (y copies the query; the whole message is in the log of the server)")
		}
	}
	v.errR, v.tableR = r.splitTop(len(v.errLines))
	if !v.editing {
		v.sqlView.SetLines(sql)
	}
}

// sqlLines are the SQL shown (the node's, or the compiled query), numbered,
// with the line of the last error marked, wrapped to w under the code.
func (v *previewView) sqlLines(w int) []string {
	text, mark := v.sql, v.errLine
	if v.compiled && v.lastSQLRun != "" {
		text, mark = v.lastSQLRun, 0
	}
	if v.errNode != "" {
		mark = 0
	}
	lines := v.hl.Lines(v.th, highlight.SQL, text)
	digits := len(fmt.Sprint(len(lines)))
	gw := digits + 2
	out := make([]string, 0, len(lines))
	for i, l := range lines {
		gutter := v.th.Faint.Render(fmt.Sprintf(" %*d ", digits, i+1))
		if i+1 == mark {
			gutter = v.th.Error.Render(fmt.Sprintf("▶%*d ", digits, i+1))
		}
		for k, row := range component.Wrap([]string{l}, max(10, w-gw)) {
			if k == 0 {
				out = append(out, gutter+row)
			} else {
				out = append(out, strings.Repeat(" ", gw)+row)
			}
		}
	}
	return out
}

// Render draws the Preview.
func (v *previewView) Render() string {
	h := v.pickerR.H
	pw := v.pickerR.W
	left := v.paneTitle(" Nodes", v.focus == focusPicker && !v.editing, pw) + "\n" +
		v.picker.Render(v.th, pw, h-1, v.focus == focusPicker && !v.editing)
	right := v.renderRight()
	return lipgloss.JoinHorizontal(lipgloss.Top, component.Fit(left, pw, h), v.separator(h), component.Fit(right, v.titleR.W, h))
}

func (v *previewView) renderRight() string {
	w := v.titleR.W
	if v.pipe == "" && v.ds == "" {
		return v.th.Faint.Render(" pick a node (enter) to preview it read-only against the workspace")
	}
	state := ""
	switch {
	case v.running:
		state = v.th.Info.Render(" · running")
	case v.edited:
		state = v.th.Changed.Render(" · edited (unsaved: ctrl+s saves)")
	}
	if v.compiled && v.lastSQLRun != "" && !v.editing {
		state += v.th.Muted.Render(" · compiled")
	}
	what := v.target()
	if v.ds != "" {
		what = "data source " + v.ds
	}
	out := []string{v.th.PaneTitleFocused.Render(" Preview · "+what) + state}
	if v.editing {
		v.editor.SetWidth(w)
		v.editor.SetHeight(v.sqlR.H)
		out = append(out, component.Fit(v.markEditor(v.editor.View()), w, v.sqlR.H))
	} else {
		out = append(out, v.sqlView.Render(w, v.sqlR.H))
	}
	out = append(out, v.paramLines(w)...)
	out = append(out, v.statLines(w)...)
	out = append(out, v.testLines(w)...)
	out = append(out, v.errLines...)
	switch {
	case v.tableR.H > 2 && v.comparing():
		out = append(out, v.renderCompare(w, v.tableR.H))
	case v.tableR.H > 2:
		out = append(out, v.renderResults(w, v.tableR.H))
	}
	right := strings.Join(out, "\n")
	if box, x, y, ok := v.menuBox(w); ok {
		// over the panes below the editor when it does not fit in it
		right = component.OverlayAt(component.Fit(right, w, v.pickerR.H), box, x, 1+y)
	}
	return right
}

// markEditor marks the error's line in the editor's view: its number in
// the gutter becomes ▶.
func (v *previewView) markEditor(view string) string {
	if v.errLine <= 0 || v.errNode != "" {
		return view
	}
	rows := strings.Split(view, "\n")
	for i, row := range rows {
		if f := strings.Fields(ansi.Strip(row)); len(f) > 0 && f[0] == fmt.Sprint(v.errLine) {
			rows[i] = v.th.Error.Render("▶") + ansi.TruncateLeft(row, 1, "")
		}
	}
	return strings.Join(rows, "\n")
}

func (v *previewView) paramLines(w int) []string {
	if v.ds != "" {
		return nil
	}
	if len(v.params) == 0 {
		return []string{v.th.Faint.Render(" no parameters")}
	}
	var parts []string
	for i, pr := range v.params {
		val := v.values[pr.Name]
		label := fmt.Sprintf("%s:%s=", pr.Name, pr.Type)
		if pr.Required {
			label = "*" + label
		}
		cell := v.th.Muted.Render(label) + v.th.Text.Render(val)
		if v.focus == focusParams && i == v.paramIdx {
			cell = v.th.Accent.Render(label) + v.th.Bold.Render(val) + v.th.Cursor.Render(" ")
		}
		parts = append(parts, cell)
	}
	out := component.Wrap([]string{" " + strings.Join(parts, "  ")}, w)
	if v.focus == focusParams {
		pr := v.params[v.paramIdx]
		help := pr.Description
		if help == "" {
			help = "no description"
		}
		if pr.Default != "" {
			help += " · default " + pr.Default
		}
		out = append(out, v.th.Faint.Render(ansi.Truncate("   "+pr.Name+": "+help+" · ↑↓ choose · esc done", w, "…")))
	}
	return out
}

// statLines are the run in flight (elapsed, read so far) and the last runs
// of this node, newest first: one line each.
func (v *previewView) statLines(w int) []string {
	if v.comparing() {
		return component.Wrap(v.compareLines(), w)
	}
	var lines []string
	if v.running {
		p := v.progress
		lines = append(lines, v.th.Info.Render(fmt.Sprintf(" running %s · %s rows, %s read · esc cancels",
			v.opt.Now().Sub(v.started).Round(100*time.Millisecond), workspace.HumanCount(p.RowsRead), workspace.HumanBytes(p.BytesRead))))
	}
	for i := len(v.runs) - 1; i >= 0 && len(lines) < 2; i-- {
		r := v.runs[i]
		s := fmt.Sprintf("run %d: ", r.n)
		switch {
		case r.err == "cancelled":
			s += "cancelled"
		case r.err != "":
			s += "error"
		default:
			s += fmt.Sprintf("%s · read %s, %s · %s", plural(r.rows, "row"), rowCount(r.rowsRead), workspace.HumanBytes(r.bytesRead), r.elapsed.Round(time.Millisecond))
			if r.truncated {
				s += " · truncated"
			}
		}
		if len(lines) > 0 {
			s = "before: " + s
		}
		lines = append(lines, v.th.Muted.Render(" "+s))
	}
	if len(lines) == 0 {
		return []string{v.th.Faint.Render(" not run yet")}
	}
	lines = append(lines, v.compareRuns()...)
	return component.Wrap(lines, w)
}

// compareBar is the width of a bar comparing the last two runs.
const compareBar = 8

// compareRuns draws the last two runs' rows and bytes read as pairs of
// bars, so two versions of a query compare at a glance (nothing unless
// both ran).
func (v *previewView) compareRuns() []string {
	if len(v.runs) < 2 || v.running {
		return nil
	}
	a, b := v.runs[len(v.runs)-1], v.runs[len(v.runs)-2]
	if a.err != "" || b.err != "" {
		return nil
	}
	pair := func(what string, x, y uint64, show func(uint64) string) string {
		top := max(x, y, 1)
		bar := func(n uint64) string {
			return v.th.Accent.Render(component.MiniBar(float64(n)/float64(top), compareBar))
		}
		return fmt.Sprintf("%s %s %s %s %s", what, bar(x), show(x), bar(y), show(y))
	}
	rows := pair(fmt.Sprintf(" read: run %d/%d rows", a.n, b.n), a.rowsRead, b.rowsRead, workspace.HumanCount)
	bytes := pair(" bytes", a.bytesRead, b.bytesRead, workspace.HumanBytes)
	return []string{v.th.Muted.Render(rows) + v.th.Muted.Render(" ·"+bytes)}
}

// Click focuses the pane under the pointer; in the picker it selects.
func (v *previewView) Click(p point) tea.Cmd {
	switch {
	case v.pickerR.Contains(p):
		v.focus = focusPicker
		v.picker.ClickAt(p.Y - v.pickerR.Y - 1)
	case v.sqlR.Contains(p):
		v.focus = focusSQL
	case v.paramsR.Contains(p) && len(v.params) > 0:
		v.focus = focusParams
	case v.tableR.Contains(p):
		v.focus = focusResults
	}
	return nil
}

// Wheel scrolls the pane under the pointer.
func (v *previewView) Wheel(p point, d int) {
	switch {
	case v.pickerR.Contains(p):
		v.picker.Scroll(d)
	case v.sqlR.Contains(p):
		v.sqlView.Scroll(d)
	default:
		v.eachTable(func(tb *component.Table) { tb.ScrollRows(d) })
	}
}
