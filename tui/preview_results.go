package tui

import (
	"fmt"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/tui/keys"
	"github.com/perchdata/perch/workspace"
)

// results is the rows pane of the Preview: the rows of the last run that
// succeeded, as a table with a cell cursor (sorted, scrolled both ways) or
// as a chart, and what takes them away: copies and exports.
type results struct {
	table component.Table
	// res is the run the rows come from (nil before the first).
	res *PreviewResult
	// chart is how the rows are charted; chartOK says they can be.
	chart   chartState
	chartOK bool
}

// set shows a run's rows: the table unsorted at its top, the chart chosen
// anew unless the columns are the same (a re-run keeps the user's choice).
func (r *results) set(res *PreviewResult) {
	same := r.res != nil && sameCols(r.res.Columns, res.Columns)
	r.res = res
	cols := make([]component.Column, len(res.Columns))
	for i, c := range res.Columns {
		cols[i] = component.Column{Name: c.Name, Type: c.Type}
	}
	r.table.SetData(cols, res.Rows)
	r.table.SetNull(res.Null)
	if same && r.chartOK {
		return
	}
	r.chart, r.chartOK = chooseChart(res.Columns)
	r.chart.mode = modeTable
}

// clear drops the rows (another node was picked).
func (r *results) clear() {
	*r = results{}
	r.table.SetData(nil, nil)
}

func sameCols(a, b []Col) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// shown is the rows in the order on screen, as a result for copying and
// exporting.
func (r *results) shown() *PreviewResult {
	out := *r.res
	out.Rows, out.Null = r.table.Sorted(), r.table.SortedNull()
	return &out
}

// tsv is the header and rows as tab-separated text (workspace's TSV).
func tsv(cols []Col, rows [][]string) string {
	r := &workspace.PreviewResult{Rows: rows}
	for _, c := range cols {
		r.Columns = append(r.Columns, workspace.PreviewColumn{Name: c.Name, Type: c.Type})
	}
	var b strings.Builder
	_ = workspace.WritePreviewTSV(&b, r) // a strings.Builder does not fail
	return b.String()
}

// addResultActions adds the handlers of the rows pane to the Preview's.
func (v *previewView) addResultActions() {
	noRows := func() tea.Cmd { return emit(noticeMsg{"no rows yet: pick a node and run it (enter)"}) }
	v.acts[keys.ResultsChart] = func() tea.Cmd {
		switch {
		case v.rows.res == nil:
			return noRows()
		case !v.rows.chartOK:
			return emit(noticeMsg{"nothing to chart: the rows have no numeric column"})
		case v.comparing():
			return emit(noticeMsg{"the comparison shows both sides as tables: B, stop comparing, then v charts the rows"})
		}
		v.rows.chart.mode = v.rows.chart.next(v.rows.res.Columns)
		v.focus = focusResults
		return nil
	}
	v.acts[keys.ResultsX] = func() tea.Cmd {
		if !v.charting() {
			return emit(noticeMsg{"X picks the chart's x axis: v shows the chart first"})
		}
		v.rows.chart = v.rows.chart.nextX(v.rows.res.Columns)
		return nil
	}
	v.acts[keys.ResultsSeries] = func() tea.Cmd {
		if !v.charting() {
			return emit(noticeMsg{"S picks the chart's series: v shows the chart first"})
		}
		v.rows.chart = v.rows.chart.nextSeries(v.rows.res.Columns)
		return nil
	}
	v.acts[keys.ResultsSort] = func() tea.Cmd {
		if v.rows.res == nil {
			return noRows()
		}
		_, c, _ := v.rows.table.Cursor()
		v.rows.table.SortBy(c)
		v.focus = focusResults
		return nil
	}
	v.acts[keys.CopyRow] = func() tea.Cmd {
		r, _, ok := v.rows.table.Cursor()
		if !ok {
			return noRows()
		}
		return emit(copyMsg{text: tsv(v.rows.res.Columns, [][]string{v.rows.res.Rows[r]}), what: "the row (TSV with its header)"})
	}
	v.acts[keys.CopyAll] = func() tea.Cmd {
		if v.rows.res == nil {
			return noRows()
		}
		s := v.rows.shown()
		return emit(copyMsg{text: tsv(s.Columns, s.Rows), what: plural(len(s.Rows), "row") + " (TSV with the header)"})
	}
	v.acts[keys.Export] = v.export
}

// charting reports whether the rows are shown as a chart.
func (v *previewView) charting() bool {
	return v.rows.res != nil && v.rows.chartOK && v.rows.chart.mode != modeTable
}

// copyCell copies the value under the cursor.
func (v *previewView) copyCell() tea.Cmd {
	r, c, ok := v.rows.table.Cursor()
	if !ok || c >= len(v.rows.res.Rows[r]) {
		return emit(noticeMsg{"no cell to copy"})
	}
	return emit(copyMsg{text: v.rows.res.Rows[r][c], what: "the value of " + v.rows.res.Columns[c].Name})
}

// expandCell shows the value under the cursor whole in a popup: long
// text wrapped, an array one element a line.
func (v *previewView) expandCell() tea.Cmd {
	r, c, ok := v.rows.table.Cursor()
	if !ok || c >= len(v.rows.res.Rows[r]) {
		return nil
	}
	col := v.rows.res.Columns[c]
	val := v.rows.res.Rows[r][c]
	body := expandValue(val)
	if v.rows.table.IsNull(r, c) {
		body = []string{"NULL (no value)"}
	}
	title := fmt.Sprintf("%s %s · row %d", col.Name, col.Type, r+1)
	body = append(body, "", fmt.Sprintf("%d characters · y on the cell copies it", len([]rune(val))))
	return emit(dialogMsg{&dialog{c: &component.Confirm{Title: title, Body: body, Info: true}}})
}

// expandValue splits a value for reading: an array or a tuple one
// top-level element a line, other text by its lines.
func expandValue(s string) []string {
	if len(s) < 2 || !(s[0] == '[' && s[len(s)-1] == ']' || s[0] == '(' && s[len(s)-1] == ')') {
		return strings.Split(s, "\n")
	}
	var out []string
	depth, quote, start := 0, byte(0), 1
	for i := 1; i < len(s)-1; i++ {
		ch := s[i]
		switch {
		case quote != 0:
			if ch == '\\' {
				i++
			} else if ch == quote {
				quote = 0
			}
		case ch == '\'' || ch == '"':
			quote = ch
		case ch == '[' || ch == '(' || ch == '{':
			depth++
		case ch == ']' || ch == ')' || ch == '}':
			depth--
		case ch == ',' && depth == 0:
			out = append(out, "  "+strings.TrimSpace(s[start:i])+",")
			start = i + 1
		}
	}
	if last := strings.TrimSpace(s[start : len(s)-1]); last != "" {
		out = append(out, "  "+last)
	}
	return append(append([]string{s[:1]}, out...), s[len(s)-1:])
}

// export asks for a file name (the format follows its extension), then
// writes the rows as shown (sorted) through the backend.
func (v *previewView) export() tea.Cmd {
	if v.rows.res == nil {
		return emit(noticeMsg{"no rows to export: pick a node and run it (enter)"})
	}
	name := v.node
	if v.ds != "" {
		name = v.ds
	}
	c := &component.Confirm{
		Title: fmt.Sprintf("Export %s of %s", plural(len(v.rows.res.Rows), "row"), v.target()),
		Body:  []string{"The rows as shown (sorted when sorted). The extension picks the format: .csv, .tsv, .json or .ndjson; a relative name is in the project's folder."},
		Ask:   "file:",
		Typed: filepath.Join("exports", name+".csv"),
	}
	rows, b, ctx := v.rows.shown(), v.backend, v.ctx
	return emit(dialogMsg{&dialog{c: c, onConfirm: func(names []string) tea.Cmd {
		if len(names) == 0 {
			return nil
		}
		return func() tea.Msg {
			path, err := b.Export(ctx, names[0], rows)
			if err != nil {
				return noticeMsg{"export failed: " + oneLine(err.Error())}
			}
			return noticeMsg{fmt.Sprintf("exported %s to %s", plural(len(rows.Rows), "row"), path)}
		}
	}}})
}

// renderResults is the rows of the last run (marked stale while another
// runs or after it failed): the table or the chart, with what is off screen.
func (v *previewView) renderResults(w, h int) string {
	if v.rows.res == nil || len(v.rows.res.Columns) == 0 {
		return ""
	}
	title := fmt.Sprintf(" rows of run %d", v.tableRun)
	switch {
	case v.running:
		title += " · stale: a new run is on its way"
	case v.tableRun != v.runCount:
		title += " · stale: the last run failed"
	}
	focused := v.focus == focusResults
	st := v.th.Faint
	if focused {
		st = v.th.PaneTitleFocused
	}
	var body string
	bw := max(1, w-1) // a margin on the left, as the other panes have
	if v.charting() {
		title += " · " + map[resultMode]string{modeLine: "line chart", modeBars: "bar chart", modeHBars: "bars"}[v.rows.chart.mode] + " · v table · X axis · S series"
		body = buildChart(v.rows.res.Columns, v.rows.table.Sorted(), v.rows.chart).Render(v.th, bw, h-1)
	} else {
		if focused {
			body = v.rows.table.RenderFocused(v.th, bw, h-1)
		} else {
			body = v.rows.table.Render(v.th, bw, h-1)
		}
		title += v.offScreen()
	}
	return st.Render(ansi.Truncate(title, w, "…")) + "\n " + strings.ReplaceAll(body, "\n", "\n ")
}

// offScreen says which columns and rows are shown when not all are.
func (v *previewView) offScreen() string {
	tb := &v.rows.table
	first, last := tb.Visible()
	s := ""
	if n := len(tb.Columns); n > 0 && (first > 0 || last < n-1) {
		s += fmt.Sprintf(" · cols %d-%d of %d ←→", first+1, last+1, n)
	}
	if _, c, ok := tb.Cursor(); ok && v.focus == focusResults {
		s += fmt.Sprintf(" · row %d/%d, %s", tb.Position()+1, len(tb.Rows), tb.Columns[c].Name)
	}
	return s
}
