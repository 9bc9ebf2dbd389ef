package tui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/workspace"
)

// compareState is the Preview's comparison mode (B): every run of the node
// runs on two sides, the target the backend works on (A) and another
// branch of its workspace (B), shown side by side.
type compareState struct {
	// against is side B ("": not comparing).
	against string
	// last is the last comparison that ran, run number run.
	last *PreviewComparison
	run  int
	// tableB shows side B's rows (side A's are the rows pane's).
	tableB component.Table
	// progressB is side B's progress in the run in flight.
	progressB   PreviewProgress
	progressChB <-chan PreviewProgress
}

// sidesCompactWidth is the width of the rows pane under which the two
// sides are stacked instead of side by side.
const sidesCompactWidth = 100

// sidesMsg is the branches of the workspace a comparison can be with.
type sidesMsg struct {
	names []string
	err   error
	// branches says the backend has branches at all.
	branches bool
}

// compareMsg is a finished comparison, with the edited SQL's parameters.
type compareMsg struct {
	cmp    *PreviewComparison
	err    error
	params []Param
}

// compareProgressMsg is what side B read so far (ok false: done).
type compareProgressMsg struct {
	p  PreviewProgress
	ok bool
}

// comparing reports whether the Preview runs on two sides.
func (v *previewView) comparing() bool { return v.cmp.against != "" }

// sideA is the side the backend works on: its branch, MainBranch for the
// workspace.
func (v *previewView) sideA() string {
	if v.remote != nil && v.remote.Branch != "" {
		return v.remote.Branch
	}
	return MainBranch
}

// chooseSide lists the branches to compare the node on (B).
func (v *previewView) chooseSide() tea.Cmd {
	if v.pipe == "" && v.ds == "" {
		return emit(noticeMsg{"pick a node first (enter): B then runs it on two branches"})
	}
	bs, ok := v.backend.(BranchSwitcher)
	id := v.ask(paneSides)
	ctx := v.ctx
	return run(paneSides, id, func() tea.Msg {
		if !ok {
			return sidesMsg{}
		}
		names, err := bs.Branches(ctx)
		return sidesMsg{names: names, err: err, branches: true}
	})
}

// onSides opens the choice of side B: the workspace and every branch but
// the target's own side; stopping when comparing already.
func (v *previewView) onSides(msg sidesMsg) tea.Cmd {
	if msg.err != nil {
		return emit(noticeMsg{"cannot list the branches: " + oneLine(msg.err.Error())})
	}
	a := v.sideA()
	p := &palette{title: fmt.Sprintf("Compare %s on %s (A) with… (B) · same SQL and parameters, read-only", v.target(), a)}
	for _, n := range append([]string{MainBranch}, msg.names...) {
		if n == a {
			continue
		}
		name, where := n, "branch"
		if n == MainBranch {
			where = "the workspace"
		}
		if n == v.cmp.against {
			where += " · compared now"
		}
		p.entries = append(p.entries, paletteEntry{text: name, where: where, run: func() tea.Cmd { return v.startCompare(name) }})
	}
	if len(p.entries) == 0 {
		return emit(noticeMsg{"no other branch to compare " + v.target() + " on: perch branch create NAME makes one"})
	}
	if v.comparing() {
		p.entries = append(p.entries, paletteEntry{text: "stop comparing", where: "run on " + a + " only", run: v.stopCompare})
	}
	return emit(chooseMsg{p})
}

// startCompare runs the node on side B too from now on.
func (v *previewView) startCompare(name string) tea.Cmd {
	v.cmp = compareState{against: name}
	return v.runAsked()
}

// stopCompare goes back to runs on the target only (the rows pane keeps
// side A's rows).
func (v *previewView) stopCompare() tea.Cmd {
	v.cmp = compareState{}
	return emit(noticeMsg{"stopped comparing: the node runs on " + v.sideA() + " only"})
}

// listenProgressB waits for side B's next progress of request id.
func listenProgressB(id uint64, ch <-chan PreviewProgress) tea.Cmd {
	return func() tea.Msg {
		p, ok := <-ch
		return reply{pane: panePreview, req: id, msg: compareProgressMsg{p, ok}}
	}
}

// onCompare takes a finished comparison: side A is the node's run as
// without comparing (its rows in the rows pane, its error in the SQL),
// side B's rows go to the second table.
func (v *previewView) onCompare(msg compareMsg) tea.Cmd {
	if msg.err != nil || msg.cmp == nil {
		return v.onResult(previewMsg{err: msg.err, params: msg.params})
	}
	c := msg.cmp
	cmd := v.onResult(previewMsg{res: c.A.Result, err: c.A.Err, params: msg.params})
	v.cmp.last, v.cmp.run = c, v.runCount
	if r := c.B.Result; r != nil {
		cols := make([]component.Column, len(r.Columns))
		for i, col := range r.Columns {
			cols[i] = component.Column{Name: col.Name, Type: col.Type}
		}
		v.cmp.tableB.SetData(cols, r.Rows)
		v.cmp.tableB.SetNull(r.Null)
	}
	return cmd
}

// compareLines are the stat lines while comparing: the run in flight with
// both sides' progress, then whether the last results are equal and what
// B reads against A.
func (v *previewView) compareLines() []string {
	var lines []string
	a, b := v.sideA(), v.cmp.against
	if v.running {
		pa, pb := v.progress, v.cmp.progressB
		lines = append(lines, v.th.Info.Render(fmt.Sprintf(" running %s on %s and %s · A %s rows, %s read · B %s rows, %s read · esc cancels",
			v.opt.Now().Sub(v.started).Round(100*time.Millisecond), a, b,
			workspace.HumanCount(pa.RowsRead), workspace.HumanBytes(pa.BytesRead), workspace.HumanCount(pb.RowsRead), workspace.HumanBytes(pb.BytesRead))))
	}
	c := v.cmp.last
	if c == nil {
		if !v.running {
			lines = append(lines, v.th.Faint.Render(fmt.Sprintf(" comparing on %s (A) and %s (B): not run yet", a, b)))
		}
		return lines
	}
	head := fmt.Sprintf(" run %d on %s (A) and %s (B): ", v.cmp.run, c.A.Name, c.B.Name)
	switch {
	case c.A.Err != nil || c.B.Err != nil:
		var failed []string
		for _, s := range []CompareSide{c.A, c.B} {
			if s.Err != nil {
				failed = append(failed, s.Name)
			}
		}
		lines = append(lines, v.th.Error.Render(head+"not compared: "+strings.Join(failed, " and ")+" failed"))
	case c.Equal:
		lines = append(lines, v.th.OK.Render(head+"results equal")+v.th.Muted.Render(" · "+readRatios(c)))
	default:
		lines = append(lines, v.th.Warning.Render(head+"results differ: "+c.Difference)+v.th.Muted.Render(" · "+readRatios(c)))
	}
	return lines
}

// readRatios is what side B reads against A: "B/A rows read 0.25×, bytes read 0.25×".
func readRatios(c *PreviewComparison) string {
	ra, rb := c.A.Result, c.B.Result
	return fmt.Sprintf("B/A rows read %s, bytes read %s",
		workspace.Ratio(float64(rb.RowsRead), float64(ra.RowsRead)), workspace.Ratio(float64(rb.BytesRead), float64(ra.BytesRead)))
}

// renderCompare is the rows of both sides, side by side when the pane is
// wide enough, else one above the other; each side with its footer.
func (v *previewView) renderCompare(w, h int) string {
	c := v.cmp.last
	if c == nil {
		return v.th.Faint.Render(ansi.Truncate(fmt.Sprintf(" running on %s (A) and %s (B)…", v.sideA(), v.cmp.against), w, "…"))
	}
	stale := ""
	switch {
	case v.running:
		stale = " · stale: a new run is on its way"
	case v.cmp.run != v.runCount:
		stale = " · stale: the last run failed"
	}
	focused := v.focus == focusResults
	if w >= sidesCompactWidth {
		lw := (w - 1) / 2
		rw := w - 1 - lw
		left := v.renderSide("A", c.A, &v.rows.table, lw, h, focused, stale)
		right := v.renderSide("B", c.B, &v.cmp.tableB, rw, h, focused, stale)
		return lipgloss.JoinHorizontal(lipgloss.Top, component.Fit(left, lw, h), v.separator(h), component.Fit(right, rw, h))
	}
	ha := h / 2
	top := v.renderSide("A", c.A, &v.rows.table, w, ha, focused, stale)
	bottom := v.renderSide("B", c.B, &v.cmp.tableB, w, h-ha, focused, stale)
	return component.Fit(top, w, ha) + "\n" + component.Fit(bottom, w, h-ha)
}

// renderSide is one side of a comparison h lines high: its title, its rows
// and its footer (rows, rows and bytes read, time), or its error.
func (v *previewView) renderSide(label string, s CompareSide, tb *component.Table, w, h int, focused bool, stale string) string {
	st := v.th.Faint
	if focused {
		st = v.th.PaneTitleFocused
	}
	title := st.Render(ansi.Truncate(fmt.Sprintf(" %s · %s%s", label, s.Name, stale), w, "…"))
	var foot string
	if s.Err != nil {
		foot = v.th.Error.Render(ansi.Truncate(" ✗ "+oneLine(s.Err.Error()), w, "…"))
	} else if r := s.Result; r != nil {
		f := fmt.Sprintf(" %s · read %s, %s · %s", plural(len(r.Rows), "row"), rowCount(r.RowsRead), workspace.HumanBytes(r.BytesRead), r.Elapsed.Round(time.Millisecond))
		if r.Truncated {
			f += " · truncated"
		}
		foot = v.th.Muted.Render(ansi.Truncate(f, w, "…"))
	}
	bh := max(1, h-2)
	body := ""
	if s.Result != nil && len(s.Result.Columns) > 0 {
		bw := max(1, w-1)
		if focused {
			body = tb.RenderFocused(v.th, bw, bh)
		} else {
			body = tb.Render(v.th, bw, bh)
		}
		body = " " + strings.ReplaceAll(body, "\n", "\n ")
	}
	// the footer right under the rows
	rows := strings.Split(body, "\n")
	for len(rows) > 1 && strings.TrimSpace(ansi.Strip(rows[len(rows)-1])) == "" {
		rows = rows[:len(rows)-1]
	}
	return component.Fit(title+"\n"+component.Fit(strings.Join(rows, "\n"), w, min(bh, len(rows)))+"\n"+foot, w, h)
}
