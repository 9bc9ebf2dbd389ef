package tui

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/tui/keys"
)

// Debounce is how long the preview waits after the last edit before running.
const Debounce = 250 * time.Millisecond

// previewTick is how often a running preview redraws its elapsed time.
const previewTick = 200 * time.Millisecond

// The panes of the Preview, in focus order (the form right after the
// picker: pick a node, set its parameters, read the rows).
const (
	focusPicker = iota
	focusParams
	focusResults
	focusSQL
	previewPanes
)

// runStat is one run of the node on screen.
type runStat struct {
	n                   int
	rows                int
	rowsRead, bytesRead uint64
	elapsed             time.Duration
	truncated           bool
	err                 string
}

// previewView runs a pipe node (or reads a data source) read-only as its SQL
// is edited: the picker, the SQL (edited here or in $EDITOR), the parameter
// form, the last runs and the result rows.
type previewView struct {
	*env
	picker component.List
	listFilter
	// the node on screen: pipe and node, or a data source
	pipe, node, ds string
	file           string
	sql            string // the SQL being previewed (edited or from the file)
	edited         bool
	editing        bool
	editor         textarea.Model
	params         []Param
	values         map[string]string
	paramIdx       int
	focus          int
	sqlView        component.Viewport
	// rows is the rows pane: table or chart of the last run's rows.
	rows results
	// help is the editor's completion and query history.
	help editorHelp
	// tableRun is the run whose rows the table shows.
	tableRun int

	// the run in flight
	running  bool
	cancel   context.CancelFunc
	started  time.Time
	progress PreviewProgress
	// progressCh is the progress of the run in flight (replies of older
	// runs are dropped as stale before they get here).
	progressCh <-chan PreviewProgress
	tag        uint64 // debounce
	runs       []runStat
	runCount   int

	// the last failure, placed in the SQL when it has a line
	errMsg          string
	errLine, errCol int
	errNode         string

	lastSQLRun string
	// compiled shows the SQL that last ran (compiled) instead of the node's.
	compiled bool
	// lastSQLRunFor is the node SQL of the last run (before compiling).
	lastSQLRunFor string

	// tests is the test run of the pipe on screen (t).
	tests previewTests
	// cmp is the comparison mode (B): runs on two sides.
	cmp compareState

	acts actions
	// layout of the frame
	pickerR, titleR, sqlR, paramsR, statsR, errR, tableR rect
	errLines                                             []string
}

func newPreview(e *env) *previewView {
	v := &previewView{env: e, values: map[string]string{}}
	v.editor = textarea.New()
	v.editor.ShowLineNumbers = true
	v.editor.Prompt = " "
	// a steady cursor: no blink timer redrawing the frame twice a second
	st := v.editor.Styles()
	st.Cursor.Blink = false
	v.editor.SetStyles(st)
	v.listFilter = listFilter{list: &v.picker}
	nav := func(picker func(), sql func(), table func(tb *component.Table)) func() tea.Cmd {
		return func() tea.Cmd {
			switch {
			case v.focus == focusPicker || v.on:
				picker()
			case v.focus == focusSQL:
				sql()
			default:
				v.eachTable(table)
			}
			return nil
		}
	}
	v.acts = actions{
		keys.Up:       nav(func() { v.picker.Move(-1) }, func() { v.sqlView.Scroll(-1) }, func(tb *component.Table) { tb.MoveRow(-1) }),
		keys.Down:     nav(func() { v.picker.Move(1) }, func() { v.sqlView.Scroll(1) }, func(tb *component.Table) { tb.MoveRow(1) }),
		keys.PageUp:   nav(func() { v.picker.Page(-1) }, func() { v.sqlView.Page(-1) }, func(tb *component.Table) { tb.MoveRow(-max(1, v.tableR.H-4)) }),
		keys.PageDown: nav(func() { v.picker.Page(1) }, func() { v.sqlView.Page(1) }, func(tb *component.Table) { tb.MoveRow(max(1, v.tableR.H-4)) }),
		keys.Top:      nav(v.picker.Top, v.sqlView.Top, (*component.Table).Top),
		keys.Bottom:   nav(v.picker.Bottom, v.sqlView.Bottom, (*component.Table).Bottom),
		keys.Left:     func() tea.Cmd { v.eachTable(func(tb *component.Table) { tb.MoveCol(-1) }); return nil },
		keys.Right:    func() tea.Cmd { v.eachTable(func(tb *component.Table) { tb.MoveCol(1) }); return nil },
		keys.FocusNext: func() tea.Cmd {
			v.cycle(1)
			return nil
		},
		keys.FocusPrev: func() tea.Cmd {
			v.cycle(-1)
			return nil
		},
		keys.Back: func() tea.Cmd {
			switch {
			case v.running:
				v.stop()
				v.running = false
				return emit(noticeMsg{"preview cancelled (the query was stopped on the server)"})
			case v.focus == focusParams:
				v.focus = focusPicker
			case v.clear():
			case v.focus != focusPicker:
				v.focus = focusPicker
			default:
				return emit(backMsg{})
			}
			return nil
		},
		keys.PreviewPick: func() tea.Cmd {
			if v.focus == focusPicker {
				return v.choose(v.picker.SelectedID())
			}
			return v.runAsked()
		},
		keys.ResultsExpand: func() tea.Cmd {
			if v.charting() {
				return emit(noticeMsg{"v shows the table again; enter there shows a cell whole"})
			}
			return v.expandCell()
		},
		keys.PreviewRun: v.runAsked,
		keys.PreviewEdit: func() tea.Cmd {
			if v.pipe == "" && v.ds == "" {
				return emit(noticeMsg{"pick a node first (enter)"})
			}
			return v.startEditing()
		},
		keys.PreviewExternal: v.openEditor,
		keys.PreviewCompiled: func() tea.Cmd { v.compiled = !v.compiled; v.sqlView.Top(); return nil },
		keys.PreviewSave:     v.save,
		keys.PreviewTest:     v.runTests,
		keys.PreviewCompare:  v.chooseSide,
		keys.Copy: func() tea.Cmd {
			if v.focus == focusResults && v.rows.res != nil {
				return v.copyCell()
			}
			if v.lastSQLRun != "" {
				return emit(copyMsg{text: v.lastSQLRun, what: "the compiled query of the last run"})
			}
			if v.sql != "" {
				return emit(copyMsg{text: v.sql, what: "the SQL"})
			}
			return emit(noticeMsg{"no SQL to copy"})
		},
		keys.EditorDone: func() tea.Cmd {
			v.editing = false
			v.closeMenu()
			v.editor.Blur()
			return v.remember()
		},
		keys.EditorRun: v.runAsked,
		keys.ParamsPrev: func() tea.Cmd {
			v.paramIdx = max(0, v.paramIdx-1)
			return nil
		},
		keys.ParamsNext: func() tea.Cmd {
			v.paramIdx = min(len(v.params)-1, v.paramIdx+1)
			return nil
		},
		keys.ParamsRun: v.runAsked,
	}
	v.addEditorActions()
	v.addResultActions()
	v.listFilter.add(v.acts)
	filter := v.acts[keys.Filter]
	v.acts[keys.Filter] = func() tea.Cmd { v.focus = focusPicker; return filter() }
	// backspace deletes in the parameter form, else in the picker's filter
	del := v.acts[keys.InputDelete]
	v.acts[keys.InputDelete] = func() tea.Cmd {
		if v.focus == focusParams && !v.on && len(v.params) > 0 {
			name := v.params[v.paramIdx].Name
			if r := []rune(v.values[name]); len(r) > 0 {
				v.values[name] = string(r[:len(r)-1])
				return v.schedule()
			}
			return nil
		}
		return del()
	}
	return v
}

// eachTable applies f to the rows table, and to side B's while comparing
// (both sides scroll together).
func (v *previewView) eachTable(f func(tb *component.Table)) {
	f(&v.rows.table)
	if v.comparing() {
		f(&v.cmp.tableB)
	}
}

// cycle moves the focus to the next (d > 0) or previous pane, skipping
// the parameter form when the node has none.
func (v *previewView) cycle(d int) {
	for range previewPanes {
		v.focus = (v.focus + d + previewPanes) % previewPanes
		if v.focus != focusParams || len(v.params) > 0 {
			return
		}
	}
}

// Scope is the editor's while editing, the form's while it has focus, the
// filter's while it is typed.
func (v *previewView) Scope() keys.Scope {
	switch {
	case v.completing():
		return keys.Completion
	case v.editing:
		return keys.Editor
	case v.on:
		return keys.Input
	case v.focus == focusParams && len(v.params) > 0:
		return keys.Params
	case v.focus == focusResults && v.rows.res != nil:
		return keys.Results
	}
	return keys.Preview
}

// Actions are the Preview's handlers.
func (v *previewView) Actions() actions { return v.acts }

// Type edits the SQL in the editor, a parameter in the form or the filter.
func (v *previewView) Type(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case v.editing:
		if key := msg.String(); (key == "alt+left" || key == "alt+b") && v.editor.Value() == "" {
			return nil // bubbles textarea loops forever on these when empty
		}
		var cmd tea.Cmd
		v.editor, cmd = v.editor.Update(msg)
		return tea.Batch(cmd, v.edit(), v.suggest(false))
	case v.on:
		return v.listFilter.Type(msg)
	case len(v.params) > 0 && msg.Text != "":
		v.values[v.params[v.paramIdx].Name] += msg.Text
		return v.schedule()
	}
	return nil
}

// Paste inserts pasted text where Type would.
func (v *previewView) Paste(text string) tea.Cmd {
	switch {
	case v.editing:
		var cmd tea.Cmd
		v.editor, cmd = v.editor.Update(tea.PasteMsg{Content: text})
		return tea.Batch(cmd, v.edit())
	case v.on:
		return v.listFilter.Paste(text)
	case len(v.params) > 0:
		v.values[v.params[v.paramIdx].Name] += oneLine(text)
		return v.schedule()
	}
	return nil
}

// edit takes the editor's text; a change schedules a run.
func (v *previewView) edit() tea.Cmd {
	if val := v.editor.Value(); val != v.sql {
		v.sql, v.edited = val, true
		return v.schedule()
	}
	return nil
}

// unsaved names the node whose edited SQL is not saved.
func (v *previewView) unsaved() (string, bool) {
	if !v.edited {
		return "", false
	}
	return v.target(), true
}

// target is the picker id of what is on screen.
func (v *previewView) target() string {
	if v.ds != "" {
		return v.ds
	}
	return v.pipe + "." + v.node
}

// stop cancels the query in flight (the server stops it too).
func (v *previewView) stop() {
	if v.cancel != nil {
		v.cancel()
		v.cancel = nil
	}
}

// FocusScope gives the focus to the pane of scope s (the palette runs a
// rows action with the rows focused).
func (v *previewView) FocusScope(s keys.Scope) {
	if s == keys.Results && v.rows.res != nil {
		v.focus = focusResults
	}
}

// Open picks a node ("pipe.node") or a data source (from another view).
func (v *previewView) Open(target string) tea.Cmd {
	v.picker.SetFilter("")
	v.picker.Select(target)
	v.focus = focusPicker
	return v.choose(target)
}

// choose picks target, asking first when edits to another node would be lost.
func (v *previewView) choose(target string) tea.Cmd {
	if target == "" {
		return nil
	}
	if what, ok := v.unsaved(); ok && target != what {
		c := &component.Confirm{Title: "Discard your edits?",
			Body: []string{"The SQL of " + what + " was edited and not saved. Opening " + target + " drops the edits (ctrl+s saves them to the datafile first)."}}
		return emit(dialogMsg{&dialog{c: c, onConfirm: func([]string) tea.Cmd { return v.pick(target) },
			onCancel: func() tea.Cmd { v.picker.Select(v.target()); return nil }}})
	}
	return v.pick(target)
}

// pick opens target and runs it.
func (v *previewView) pick(target string) tea.Cmd {
	if v.local == nil {
		return nil
	}
	pipe, node, isNode := strings.Cut(target, ".")
	r := v.local.Resource(pipe)
	if r == nil {
		return nil
	}
	v.stop()
	v.pipe, v.node, v.ds, v.file = "", "", "", filepath.Join(v.local.Root, r.File)
	v.params, v.values, v.paramIdx = nil, map[string]string{}, 0
	if isNode {
		v.pipe, v.node = pipe, node
		v.sql = r.NodeSQL[node]
		v.params = r.Params[node]
		for _, pr := range v.params {
			v.values[pr.Name] = pr.Default
		}
	} else {
		v.ds = r.Name
		v.sql = "SELECT *\nFROM " + r.Name
	}
	v.edited, v.compiled, v.lastSQLRun = false, false, ""
	v.closeMenu()
	v.help.queries, v.help.at, v.help.draft = nil, 0, ""
	v.runs, v.tableRun = nil, 0
	v.cmp = compareState{against: v.cmp.against} // still comparing, on the new node
	v.clearErr()
	v.rows.clear()
	v.editor.SetValue(v.sql)
	v.sqlView.Top()
	return v.runNow()
}

func (v *previewView) clearErr() { v.errMsg, v.errLine, v.errCol, v.errNode = "", 0, 0, "" }

// schedule re-arms the debounce timer; only the last edit's tick runs.
func (v *previewView) schedule() tea.Cmd {
	v.tag++
	tag := v.tag
	return v.opt.Tick(Debounce, func(time.Time) tea.Msg { return debounceMsg{tag: tag} })
}

// debounceMsg is the debounce timer of an edit.
type debounceMsg struct{ tag uint64 }

// previewMsg is a finished run, with the parameters of the edited SQL.
type previewMsg struct {
	res *PreviewResult
	err error
	// params are the edited SQL's parameters (nil: not asked or unknown).
	params []Param
}

// previewProgressMsg is what the running query read so far (ok false: done).
type previewProgressMsg struct {
	p  PreviewProgress
	ok bool
}

// previewTickMsg redraws a running preview's elapsed time.
type previewTickMsg struct{}

// saveMsg is the outcome of saving the edited SQL.
type saveMsg struct {
	what string
	err  error
}

// editorDoneMsg says $EDITOR exited.
type editorDoneMsg struct{ err error }

// runNow cancels the previous query and starts a new one: the edited
// SQL's parameters are read again first, so the form follows the text.
func (v *previewView) runNow() tea.Cmd {
	if v.pipe == "" && v.ds == "" {
		return nil
	}
	v.stop()
	ctx, cancel := context.WithCancel(v.ctx)
	v.cancel = cancel
	v.running, v.started, v.progress = true, v.opt.Now(), PreviewProgress{}
	v.lastSQLRunFor = v.sql
	progress := make(chan PreviewProgress, 16)
	v.progressCh = progress
	if v.cmp.against == v.sideA() {
		v.cmp = compareState{} // the target moved onto side B: nothing to compare
	}
	against := v.cmp.against
	var progressB chan PreviewProgress
	if against != "" {
		progressB = make(chan PreviewProgress, 16)
		v.cmp.progressB, v.cmp.progressChB = PreviewProgress{}, progressB
	}
	req := PreviewRequest{Pipe: v.pipe, Node: v.node, Datasource: v.ds, Params: map[string]string{}, Progress: progress}
	if v.edited || v.ds != "" {
		req.SQL = v.sql
	}
	// a parameter left at its default is not sent, so the template's
	// defined() sees it as the endpoint's caller would
	for _, pr := range v.params {
		if val := v.values[pr.Name]; val != "" && val != pr.Default {
			req.Params[pr.Name] = val
		}
	}
	id := v.ask(panePreview)
	b, edited := v.backend, v.edited && v.pipe != ""
	var listenB tea.Cmd
	if progressB != nil {
		listenB = listenProgressB(id, progressB)
	}
	return tea.Batch(
		run(panePreview, id, func() tea.Msg {
			defer close(progress)
			if progressB != nil {
				defer close(progressB)
			}
			defer cancel()
			var params []Param
			if edited {
				if ps, err := b.Params(ctx, req.Pipe, req.Node, req.SQL); err == nil {
					params = ps
					if params == nil {
						params = []Param{}
					}
				}
			}
			if against != "" {
				cmp, err := b.ComparePreview(ctx, CompareRequest{PreviewRequest: req, Against: against, ProgressB: progressB})
				return compareMsg{cmp, err, params}
			}
			res, err := b.Preview(ctx, req)
			return previewMsg{res, err, params}
		}),
		listenProgress(id, progress),
		listenB,
		v.tick(id),
	)
}

// runAsked runs at the user's word (enter, R, ctrl+r): edited SQL is
// kept in the node's query history first.
func (v *previewView) runAsked() tea.Cmd { return tea.Batch(v.remember(), v.runNow()) }

// listenProgress waits for the next progress of request id.
func listenProgress(id uint64, ch <-chan PreviewProgress) tea.Cmd {
	return func() tea.Msg {
		p, ok := <-ch
		return reply{pane: panePreview, req: id, msg: previewProgressMsg{p, ok}}
	}
}

// tick redraws the elapsed time of request id soon.
func (v *previewView) tick(id uint64) tea.Cmd {
	return v.opt.Tick(previewTick, func(time.Time) tea.Msg { return reply{pane: panePreview, req: id, msg: previewTickMsg{}} })
}

// Show loads nothing: a node runs when picked.
func (v *previewView) Show() tea.Cmd { return nil }

// Update handles runs, progress, timers, saves and reloads.
func (v *previewView) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case projectMsg:
		v.rebuild()
		return v.afterReload()
	case debounceMsg:
		if msg.tag == v.tag {
			return v.runNow()
		}
	case editorDoneMsg:
		if msg.err != nil {
			v.errMsg = fmt.Sprintf("editor: %v", msg.err)
		}
		return emit(reloadMsg{})
	case reply:
		switch r := msg.msg.(type) {
		case vocabMsg, queriesMsg:
			v.onEditorReply(r)
		case previewMsg:
			return v.onResult(r)
		case compareMsg:
			return v.onCompare(r)
		case sidesMsg:
			return v.onSides(r)
		case compareProgressMsg:
			if !r.ok {
				return nil
			}
			if v.running {
				v.cmp.progressB = r.p
			}
			return listenProgressB(msg.req, v.cmp.progressChB)
		case previewTestsMsg:
			return v.onTests(r)
		case previewProgressMsg:
			if !r.ok {
				return nil
			}
			if v.running {
				v.progress = r.p
			}
			return listenProgress(msg.req, v.progressCh)
		case previewTickMsg:
			if v.running {
				return v.tick(msg.req)
			}
		case saveMsg:
			if r.err != nil {
				v.errMsg, v.errLine = "save: "+r.err.Error(), 0
				return nil
			}
			v.edited = false
			return tea.Batch(emit(noticeMsg{"saved " + r.what}), emit(reloadMsg{}))
		}
	}
	return nil
}

func (v *previewView) onResult(msg previewMsg) tea.Cmd {
	v.running, v.cancel = false, nil
	v.runCount++
	st := runStat{n: v.runCount}
	if msg.params != nil && !sameParams(msg.params, v.params) {
		v.setParams(msg.params)
	}
	if msg.err != nil {
		st.err = msg.err.Error()
		v.errMsg, v.errLine, v.errCol, v.errNode = msg.err.Error(), 0, 0, ""
		var pe *PreviewError
		if errors.As(msg.err, &pe) {
			v.errMsg, v.errLine, v.errCol, v.errNode = pe.Message, pe.Line, pe.Col, pe.Node
		}
		if errors.Is(msg.err, context.Canceled) {
			st.err, v.errMsg = "cancelled", "cancelled: the query was stopped"
		}
	} else if r := msg.res; r != nil {
		v.clearErr()
		v.rows.set(r)
		v.tableRun = v.runCount
		st.rows, st.rowsRead, st.bytesRead, st.elapsed, st.truncated = len(r.Rows), r.RowsRead, r.BytesRead, r.Elapsed, r.Truncated
		v.lastSQLRun = r.SQL
	}
	v.runs = append(v.runs, st)
	if len(v.runs) > 2 {
		v.runs = v.runs[len(v.runs)-2:]
	}
	return nil
}

// setParams rebuilds the form for new parameters, keeping the values typed
// for those that stay.
func (v *previewView) setParams(ps []Param) {
	old := map[string]string{}
	for _, pr := range v.params {
		old[pr.Name] = pr.Default
	}
	v.params = ps
	for _, pr := range ps {
		if val, ok := v.values[pr.Name]; !ok || val == old[pr.Name] {
			v.values[pr.Name] = pr.Default // untouched: follow the new default
		}
	}
	v.paramIdx = min(v.paramIdx, max(0, len(ps)-1))
	if len(ps) == 0 && v.focus == focusParams {
		v.focus = focusSQL
	}
}

// rebuild lists every pipe node and data source of the project.
func (v *previewView) rebuild() {
	var rows, dss []component.Row
	if v.local != nil {
		for _, r := range v.local.Resources {
			if r.Kind == "datasource" {
				dss = append(dss, component.Row{ID: r.Name, Text: r.Name, Label: "  " + r.Name})
			}
			if len(r.Nodes) == 0 {
				continue
			}
			rows = append(rows, component.Row{Header: true, Text: r.Name})
			for _, n := range r.Nodes {
				id := r.Name + "." + n
				rows = append(rows, component.Row{ID: id, Text: id, Label: "  " + n})
			}
		}
	}
	if len(dss) > 0 {
		rows = append(append(rows, component.Row{Header: true, Text: "data sources"}), dss...)
	}
	v.picker.SetRows(rows)
}

// afterReload refreshes the picked node from a reloaded project (after an
// external edit or a save) and runs it again.
func (v *previewView) afterReload() tea.Cmd {
	if v.pipe == "" || v.local == nil || v.edited {
		return nil
	}
	r := v.local.Resource(v.pipe)
	if r == nil {
		return nil
	}
	if sql, params := r.NodeSQL[v.node], r.Params[v.node]; sql != v.sql || !sameParams(params, v.params) {
		v.sql = sql
		v.editor.SetValue(sql)
		v.setParams(params)
		if sql != v.lastSQLRunFor {
			return v.runNow()
		}
	}
	return nil
}

// save writes the edited SQL into the node's datafile.
func (v *previewView) save() tea.Cmd {
	switch {
	case v.ds != "":
		return emit(noticeMsg{"a data source's preview query is not part of a datafile: nothing to save"})
	case v.pipe == "" || !v.edited:
		return emit(noticeMsg{"no edits to save"})
	}
	id := v.ask(paneSave)
	b, ctx, pipe, node, sql, what := v.backend, v.ctx, v.pipe, v.node, v.sql, v.file
	return run(paneSave, id, func() tea.Msg {
		return saveMsg{what: what, err: b.SaveNode(ctx, pipe, node, sql)}
	})
}

// openEditor runs $EDITOR on the node's file; the project watcher (started
// if it is not running) reloads the project on every save, while the
// editor is still open or after it exits.
func (v *previewView) openEditor() tea.Cmd {
	if v.file == "" || v.ds != "" {
		return emit(noticeMsg{"pick a pipe node first"})
	}
	editor := v.opt.Editor
	if editor == "" {
		editor = "vi"
	}
	args := strings.Fields(editor)
	c := exec.Command(args[0], append(args[1:], v.file)...)
	v.edited = false
	// in order: the watcher runs before the editor takes the terminal
	return tea.Sequence(emit(watchMsg{}), tea.ExecProcess(c, func(err error) tea.Msg { return editorDoneMsg{err} }))
}

func sameParams(a, b []Param) bool {
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
