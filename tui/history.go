package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/tui/keys"
)

// The panes of the History view, in focus order.
const (
	historyList = iota
	historyDetail
	historyPanes
)

// historyView lists the deployments and shows what one changed; `r`
// prepares the plan that reverts to it (never applied silently).
type historyView struct {
	*env
	deps    []Deployment
	err     error
	loading bool
	list    component.List
	listFilter
	// show opens the detail of the selected deployment; it stays open as
	// the selection moves.
	show   bool
	focus  int
	detail component.Viewport
	// files are the datafiles each deployment changed, by id, once read;
	// asking is the id being read.
	files    map[string][]FileChange
	filesErr map[string]error
	asking   string

	acts actions
	// layout of the frame
	titleR, colsR, listR, detailR rect
	cols                          historyCols
}

// historyCols are the widths of the list's columns and the time format.
type historyCols struct {
	time                        string
	id, author, commit, outcome int
}

func newHistory(e *env) *historyView {
	v := &historyView{env: e, files: map[string][]FileChange{}, filesErr: map[string]error{}}
	v.listFilter = listFilter{list: &v.list, changed: v.detail.Top}
	v.acts = actions{
		keys.FocusNext: func() tea.Cmd {
			v.focus = (v.focus + 1) % historyPanes
			v.show = v.show || v.focus == historyDetail
			return v.want()
		},
		keys.FocusPrev: func() tea.Cmd {
			v.focus = (v.focus + historyPanes - 1) % historyPanes
			v.show = v.show || v.focus == historyDetail
			return v.want()
		},
		keys.Back: func() tea.Cmd {
			switch {
			case v.focus != historyList:
				v.focus = historyList
			case v.show:
				v.show = false
			case v.clear():
			default:
				return emit(backMsg{})
			}
			return nil
		},
		keys.HistoryShow: func() tea.Cmd {
			v.show = !v.show
			if !v.show {
				v.focus = historyList
			}
			return v.want()
		},
		keys.HistoryRevert: func() tea.Cmd {
			if d := v.selected(); d != nil {
				return emit(revertMsg{id: d.ID})
			}
			return nil
		},
		keys.Copy: func() tea.Cmd {
			if d := v.selected(); d != nil {
				return emit(copyMsg{text: d.ID, what: "deployment id " + d.ID})
			}
			return nil
		},
	}
	listAndDetail(v.acts, &v.list, &v.detail, func() bool { return v.focus == historyDetail && !v.on }, v.want)
	v.listFilter.add(v.acts)
	return v
}

// Scope is Input while the filter is typed.
func (v *historyView) Scope() keys.Scope {
	if v.on {
		return keys.Input
	}
	return keys.History
}

// Actions are the History view's handlers.
func (v *historyView) Actions() actions { return v.acts }

// Show reads the deployment log the first time the view is shown.
func (v *historyView) Show() tea.Cmd {
	if v.deps == nil && !v.loading && v.err == nil {
		return v.load()
	}
	return nil
}

// reload reads the deployment log again (an apply ended).
func (v *historyView) reload() tea.Cmd {
	v.err = nil
	return v.load()
}

// want reads the files of the deployment whose detail is open, once.
func (v *historyView) want() tea.Cmd {
	d := v.selected()
	if !v.show || d == nil || v.asking == d.ID {
		return nil
	}
	if _, ok := v.files[d.ID]; ok {
		return nil
	}
	if _, ok := v.filesErr[d.ID]; ok {
		return nil
	}
	v.asking = d.ID
	req := v.ask(paneFiles)
	b, ctx, id := v.backend, v.ctx, d.ID
	return run(paneFiles, req, func() tea.Msg {
		fs, err := b.DeploymentFiles(ctx, id)
		return filesMsg{id, fs, err}
	})
}

// filesMsg is what a deployment changed in the datafiles.
type filesMsg struct {
	id    string
	files []FileChange
	err   error
}

// historyMsg is the deployment log from the backend.
type historyMsg struct {
	deps []Deployment
	err  error
}

func (v *historyView) load() tea.Cmd {
	v.loading = true
	id := v.ask(paneHistory)
	b, ctx := v.backend, v.ctx
	return run(paneHistory, id, func() tea.Msg {
		d, err := b.History(ctx)
		return historyMsg{d, err}
	})
}

// Update takes the deployment log.
func (v *historyView) Update(msg tea.Msg) tea.Cmd {
	r, ok := msg.(reply)
	if !ok {
		return nil
	}
	if f, ok := r.msg.(filesMsg); ok {
		v.asking = ""
		if f.err != nil {
			v.filesErr[f.id] = f.err
		} else {
			v.files[f.id] = f.files
		}
		return v.want()
	}
	if h, ok := r.msg.(historyMsg); ok {
		v.loading, v.err = false, h.err
		if h.err != nil {
			return nil
		}
		v.deps = h.deps
		if v.deps == nil {
			v.deps = []Deployment{}
		}
		rows := make([]component.Row, len(v.deps))
		for i, d := range v.deps {
			rows[i] = component.Row{ID: d.ID, Text: strings.Join([]string{d.ID, d.Author, d.Commit, d.Outcome, d.Message}, " ")}
		}
		v.list.Styler = v.row
		v.list.SetRows(rows)
	}
	return nil
}

// truncate cuts s to n cells, marking the cut with an ellipsis.
func truncate(s string, n int) string { return ansi.Truncate(s, n, "…") }

// tail keeps the end of s in n cells: a deployment id's unique part (its
// start is the time, in its own column).
func tail(s string, n int) string {
	if w := ansi.StringWidth(s); w > n {
		return "…" + ansi.TruncateLeft(s, w-n+1, "")
	}
	return s
}

// shortCommit is a commit as the list shows it: 7 characters of the hash,
// and the -dirty mark kept.
func shortCommit(c string) string {
	hash, dirty := strings.CutSuffix(c, "-dirty")
	if len(hash) > 7 {
		hash = hash[:7]
	}
	if dirty {
		return hash + "-dirty"
	}
	return hash
}

// row renders a deployment's line at the column widths of the layout.
func (v *historyView) row(r component.Row) string {
	d := v.dep(r.ID)
	if d == nil {
		return r.Text
	}
	c := v.cols
	st := v.th.OK
	if d.Outcome != "ok" && d.Outcome != "success" {
		st = v.th.Error
	}
	return v.th.Muted.Render(d.Time.UTC().Format(c.time)) + "  " +
		v.th.Text.Render(fmt.Sprintf("%-*s  %-*s %-*s ", c.id, tail(d.ID, c.id), c.author, truncate(d.Author, c.author), c.commit, shortCommit(d.Commit))) +
		st.Render(fmt.Sprintf("%-*s", c.outcome, d.Outcome)) + v.th.Text.Render(" "+d.Message)
}

func (v *historyView) dep(id string) *Deployment {
	for i := range v.deps {
		if v.deps[i].ID == id {
			return &v.deps[i]
		}
	}
	return nil
}

func (v *historyView) selected() *Deployment { return v.dep(v.list.SelectedID()) }

// Layout places the title, the column names, the list and the detail, and
// sizes the columns so the message keeps room.
func (v *historyView) Layout(r rect) {
	v.titleR, r = r.splitTop(1)
	v.colsR, r = r.splitTop(1)
	c := historyCols{time: "2006-01-02 15:04", id: 2, author: 6, commit: 6, outcome: 7}
	if r.W < 100 {
		c.time = "01-02 15:04"
	}
	for _, d := range v.deps {
		c.id = max(c.id, ansi.StringWidth(d.ID))
		c.author = max(c.author, ansi.StringWidth(d.Author))
		c.commit = max(c.commit, len(shortCommit(d.Commit)))
		c.outcome = max(c.outcome, len(d.Outcome))
	}
	c.author = min(c.author, 10)
	// the message keeps at least 24 columns: the id gives way first
	fixed := len(c.time) + 2 + 2 + c.author + 1 + c.commit + 1 + c.outcome + 1
	c.id = max(7, min(c.id, r.W-fixed-24))
	v.cols = c
	listH := r.H
	if v.show && v.selected() != nil {
		listH = min(max(3, len(v.deps)), r.H/2)
	}
	v.listR, v.detailR = r.splitTop(listH)
	if v.detailR.H > 0 {
		v.detailR.Y++ // the rule above the detail
		v.detailR.H--
		v.detail.SetLines(v.detailLines())
	}
}

// detailLines is what the selected deployment did.
func (v *historyView) detailLines() []string {
	d := v.selected()
	if d == nil {
		return nil
	}
	who := fmt.Sprintf(" by %s at %s", d.Author, d.Time.UTC().Format("2006-01-02 15:04:05 UTC"))
	if d.Commit != "" {
		who += " · commit " + d.Commit
	}
	lines := []string{v.th.Bold.Render(" deployment " + d.ID + " · " + d.Outcome), v.th.Muted.Render(who)}
	if d.Message != "" {
		lines = append(lines, v.th.Text.Render(" "+d.Message))
	}
	for _, c := range d.Changes {
		lines = append(lines, v.th.Text.Render("  • "+c))
	}
	lines = append(lines, v.th.Muted.Render(" r prepares a revert plan (shown in Plan, never applied silently)"), "")
	fs, ok := v.files[d.ID]
	switch {
	case v.filesErr[d.ID] != nil:
		lines = append(lines, v.th.Error.Render(" cannot read its files: "+oneLine(v.filesErr[d.ID].Error())))
	case !ok:
		lines = append(lines, v.th.Faint.Render(" reading what it changed in the files…"))
	case len(fs) == 0:
		lines = append(lines, v.th.Faint.Render(" it changed no datafile"))
	default:
		lines = append(lines, v.th.Bold.Render(fmt.Sprintf(" what it changed in the files (%s):", plural(len(fs), "file"))))
		for _, f := range fs {
			what := "changed"
			switch {
			case f.Before == "":
				what = "added"
			case f.After == "":
				what = "removed"
			}
			lines = append(lines, v.th.Accent.Render(" ── "+f.Path+" ("+what+")"))
			before := component.DiffSide{Lines: splitLines(f.Before)}
			after := component.DiffSide{Lines: splitLines(f.After)}
			if f.Before == "" {
				before = component.DiffSide{Missing: "new file"}
			}
			if f.After == "" {
				after = component.DiffSide{Missing: "removed"}
			}
			for _, l := range component.Hunks(v.th, before, after, 2) {
				lines = append(lines, "   "+l)
			}
		}
	}
	return lines
}

// Render draws the list and the detail.
func (v *historyView) Render() string {
	w := v.titleR.W
	head := v.paneTitle(fmt.Sprintf(" History · %s", plural(len(v.deps), "deployment"))+v.testsTitle(), v.focus == historyList, w)
	switch {
	case v.err != nil:
		return head + "\n" + strings.Join(component.Wrap([]string{v.th.Error.Render(" cannot read the deployment log: " + oneLine(v.err.Error()))}, w), "\n")
	case v.deps == nil:
		return head + "\n" + v.th.Faint.Render(" loading…")
	case len(v.deps) == 0:
		return head + "\n" + v.th.Faint.Render(" no deployments yet: apply a plan (4) to record one")
	}
	c := v.cols
	cols := v.th.Faint.Render(component.Fit(fmt.Sprintf("%-*s  %-*s  %-*s %-*s %-*s %s", len(c.time), "time", c.id, "id", c.author, "author", c.commit, "commit", c.outcome, "outcome", "message"), w, 1))
	out := head + "\n" + cols + "\n" + v.list.Render(v.th, w, v.listR.H, v.focus == historyList)
	if v.show && v.detailR.H > 0 {
		out += "\n" + v.rule(w, v.focus == historyDetail, &v.detail) + "\n" + v.detail.Render(w, v.detailR.H)
	}
	return out
}

// Click selects the deployment under the pointer, or focuses the detail.
func (v *historyView) Click(p point) tea.Cmd {
	switch {
	case v.listR.Contains(p):
		v.focus = historyList
		if v.list.ClickAt(p.Y - v.listR.Y) {
			v.detail.Top()
			return v.want()
		}
	case v.show && v.detailR.Contains(p):
		v.focus = historyDetail
	}
	return nil
}

// Wheel scrolls the list or the detail.
func (v *historyView) Wheel(p point, d int) {
	if v.show && v.detailR.Contains(p) {
		v.detail.Scroll(d)
		return
	}
	v.list.Scroll(d)
}
