package tui

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/fsnotify/fsnotify"

	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/tui/highlight"
)

// Debounce is how long the preview waits after the last edit before running.
const Debounce = 250 * time.Millisecond

type previewFocus int

const (
	focusPicker previewFocus = iota
	focusParams
	focusResults
)

type runStat struct {
	n         int
	rows      int
	rowsRead  uint64
	bytesRead uint64
	elapsed   time.Duration
	truncated bool
	err       string
}

type previewState struct {
	picker     component.List
	pipe, node string
	file       string
	sql        string // the SQL being previewed (edited or from the file)
	edited     bool
	editing    bool
	editor     textarea.Model
	params     []Param
	values     map[string]string
	paramIdx   int
	focus      previewFocus
	table      component.Table
	running    bool
	cancel     context.CancelFunc
	tag        uint64
	err        error
	runs       []runStat
	runCount   int
	watcher    *fsnotify.Watcher
	watching   string
	lastSQLRun string
	// compiled shows the SQL that last ran (compiled) instead of the node's.
	compiled bool
	// lastSQLRunFor is the node SQL of the last run (before compiling).
	lastSQLRunFor string
}

func (p *previewState) init(m *Model) {
	p.editor = textarea.New()
	p.editor.ShowLineNumbers = true
	p.editor.Prompt = ""
	p.values = map[string]string{}
}

// rebuild lists every pipe node of the project.
func (p *previewState) rebuild(m *Model) {
	var rows []component.Row
	if m.local != nil {
		for _, r := range m.local.Resources {
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
	p.picker.SetRows(rows)
}

func (p *previewState) inParams() bool { return p.focus == focusParams && len(p.params) > 0 }

// pick opens the node under the picker's cursor and runs it.
func (p *previewState) pick(m *Model) tea.Cmd {
	id := p.picker.SelectedID()
	pipe, node, ok := strings.Cut(id, ".")
	if !ok || m.local == nil {
		return nil
	}
	r := m.local.Resource(pipe)
	if r == nil {
		return nil
	}
	p.pipe, p.node, p.file = pipe, node, filepath.Join(m.local.Root, r.File)
	p.sql, p.edited = r.NodeSQL[node], false
	p.params = r.Params[node]
	p.values = map[string]string{}
	for _, pr := range p.params {
		p.values[pr.Name] = pr.Default
	}
	p.paramIdx = 0
	p.err = nil
	p.editor.SetValue(p.sql)
	return p.runNow(m)
}

// schedule re-arms the debounce timer; only the last edit's tick runs.
func (p *previewState) schedule(m *Model) tea.Cmd {
	p.tag++
	tag := p.tag
	return m.opt.Tick(Debounce, func(time.Time) tea.Msg { return debounceMsg{tag: tag} })
}

// runNow cancels the previous query and starts a new one.
func (p *previewState) runNow(m *Model) tea.Cmd {
	if p.pipe == "" {
		return nil
	}
	if p.cancel != nil {
		p.cancel()
	}
	ctx, cancel := context.WithCancel(m.ctx)
	p.cancel = cancel
	p.running = true
	p.lastSQLRunFor = p.sql
	req := PreviewRequest{Pipe: p.pipe, Node: p.node, Params: map[string]string{}}
	if p.edited {
		req.SQL = p.sql
	}
	// a parameter left at its default is not sent, so the template's
	// defined() sees it as the endpoint's caller would
	for _, pr := range p.params {
		if v := p.values[pr.Name]; v != "" && v != pr.Default {
			req.Params[pr.Name] = v
		}
	}
	id := m.ask(panePreview)
	b := m.backend
	return run(panePreview, id, func() tea.Msg {
		res, err := b.Preview(ctx, req)
		return previewMsg{res, err}
	})
}

func (p *previewState) onResult(m *Model, msg previewMsg) tea.Cmd {
	p.running = false
	p.err = msg.err
	p.runCount++
	st := runStat{n: p.runCount}
	if msg.err != nil {
		st.err = msg.err.Error()
	} else if r := msg.res; r != nil {
		cols := make([]component.Column, len(r.Columns))
		for i, c := range r.Columns {
			cols[i] = component.Column{Name: c.Name, Type: c.Type}
		}
		p.table.SetData(cols, r.Rows)
		st.rows, st.rowsRead, st.bytesRead, st.elapsed, st.truncated = len(r.Rows), r.RowsRead, r.BytesRead, r.Elapsed, r.Truncated
		p.lastSQLRun = r.SQL
	}
	p.runs = append(p.runs, st)
	if len(p.runs) > 2 {
		p.runs = p.runs[len(p.runs)-2:]
	}
	return nil
}

// afterReload refreshes the picked node from a reloaded project (after an
// external edit) and runs it again.
func (p *previewState) afterReload(m *Model) tea.Cmd {
	if p.pipe == "" || m.local == nil || p.edited {
		return nil
	}
	r := m.local.Resource(p.pipe)
	if r == nil {
		return nil
	}
	if sql, params := r.NodeSQL[p.node], r.Params[p.node]; sql != p.sql || !sameParams(params, p.params) {
		p.sql = sql
		p.editor.SetValue(sql)
		old := map[string]string{}
		for _, pr := range p.params {
			old[pr.Name] = pr.Default
		}
		p.params = r.Params[p.node]
		for _, pr := range p.params {
			if v, ok := p.values[pr.Name]; !ok || v == old[pr.Name] {
				p.values[pr.Name] = pr.Default // untouched: follow the new default
			}
		}
		p.paramIdx = min(p.paramIdx, max(0, len(p.params)-1))
		if sql != p.lastSQLRunFor {
			return p.runNow(m)
		}
	}
	return nil
}

func (p *previewState) action(m *Model, name string) tea.Cmd {
	switch p.focus {
	case focusPicker:
		if listAction(&p.picker, name) {
			return nil
		}
	case focusResults:
		switch name {
		case "up":
			p.table.ScrollRows(-1)
		case "down":
			p.table.ScrollRows(1)
		case "pageup":
			p.table.ScrollRows(-10)
		case "pagedown":
			p.table.ScrollRows(10)
		}
	}
	switch name {
	case "preview.pick":
		if p.focus == focusPicker {
			return p.pick(m)
		}
		return p.runNow(m)
	case "preview.run", "retry":
		return p.runNow(m)
	case "preview.params":
		p.focus = (p.focus + 1) % 3
		if p.focus == focusParams && len(p.params) == 0 {
			p.focus = focusResults
		}
	case "preview.left":
		p.table.ScrollCols(-1)
	case "preview.right":
		p.table.ScrollCols(1)
	case "preview.edit":
		if p.pipe != "" {
			p.editing = true
			return p.editor.Focus()
		}
	case "preview.external":
		return p.openEditor(m)
	case "preview.compiled":
		p.compiled = !p.compiled
	case "back":
		p.focus = focusPicker
	}
	return nil
}

// textKey handles keys while the editor or the parameter form has focus;
// handled is false for keys the keymap should see.
func (p *previewState) textKey(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	key := msg.String()
	if p.editing {
		switch key {
		case "esc":
			p.editing = false
			p.editor.Blur()
			return nil, true
		case "ctrl+r":
			return p.runNow(m), true
		case "alt+left", "alt+b":
			// bubbles textarea loops forever on these when empty
			if p.editor.Value() == "" {
				return nil, true
			}
		}
		var cmd tea.Cmd
		p.editor, cmd = p.editor.Update(msg)
		if v := p.editor.Value(); v != p.sql {
			p.sql, p.edited = v, true
			return tea.Batch(cmd, p.schedule(m)), true
		}
		return cmd, true
	}
	// parameter form
	name := p.params[p.paramIdx].Name
	switch key {
	case "esc":
		p.focus = focusPicker
	case "tab":
		p.focus = focusResults
	case "up":
		p.paramIdx = max(0, p.paramIdx-1)
	case "down":
		p.paramIdx = min(len(p.params)-1, p.paramIdx+1)
	case "enter":
		return p.runNow(m), true
	case "backspace":
		if v := []rune(p.values[name]); len(v) > 0 {
			p.values[name] = string(v[:len(v)-1])
			return p.schedule(m), true
		}
	default:
		if msg.Text == "" {
			return nil, false
		}
		p.values[name] += msg.Text
		return p.schedule(m), true
	}
	return nil, true
}

func (p *previewState) paste(m *Model, msg tea.PasteMsg) tea.Cmd {
	if p.editing {
		var cmd tea.Cmd
		p.editor, cmd = p.editor.Update(msg)
		if v := p.editor.Value(); v != p.sql {
			p.sql, p.edited = v, true
			return tea.Batch(cmd, p.schedule(m))
		}
		return cmd
	}
	if p.inParams() {
		p.values[p.params[p.paramIdx].Name] += msg.Content
		return p.schedule(m)
	}
	return nil
}

func (p *previewState) onMsg(m *Model, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case debounceMsg:
		if msg.tag == p.tag {
			return p.runNow(m)
		}
	case fileChangedMsg:
		// the file was saved in $EDITOR: reload the project, keep watching
		return tea.Batch(m.loadLocal(), p.watch())
	case editorDoneMsg:
		if msg.err != nil {
			p.err = fmt.Errorf("editor: %w", msg.err)
		}
		return m.loadLocal()
	case watchErrMsg:
		p.err = msg.err
	}
	return nil
}

// openEditor runs $EDITOR on the node's file and watches the file, so saves
// reload the project while the editor is still open (or after it exits).
func (p *previewState) openEditor(m *Model) tea.Cmd {
	if p.file == "" {
		return nil
	}
	editor := m.opt.Editor
	if editor == "" {
		editor = "vi"
	}
	args := strings.Fields(editor)
	c := exec.Command(args[0], append(args[1:], p.file)...)
	var watch tea.Cmd
	if p.watcher == nil || p.watching != p.file {
		if p.watcher != nil {
			p.watcher.Close()
		}
		w, err := fsnotify.NewWatcher()
		if err != nil {
			p.err = fmt.Errorf("watch %s: %w", p.file, err)
		} else if err := w.Add(filepath.Dir(p.file)); err != nil {
			w.Close()
			p.err = fmt.Errorf("watch %s: %w", p.file, err)
		} else {
			p.watcher, p.watching = w, p.file
			watch = p.watch()
		}
	}
	p.edited = false
	return tea.Batch(watch, tea.ExecProcess(c, func(err error) tea.Msg { return editorDoneMsg{err} }))
}

// watch waits for the next write to the watched file.
func (p *previewState) watch() tea.Cmd {
	w, file := p.watcher, p.watching
	if w == nil {
		return nil
	}
	return func() tea.Msg {
		for {
			select {
			case ev, ok := <-w.Events:
				if !ok {
					return nil
				}
				if filepath.Clean(ev.Name) == filepath.Clean(file) && ev.Op&(fsnotify.Write|fsnotify.Create|fsnotify.Rename) != 0 {
					return fileChangedMsg{path: file}
				}
			case err, ok := <-w.Errors:
				if !ok {
					return nil
				}
				return watchErrMsg{err}
			}
		}
	}
}

func (p *previewState) pickerWidth(m *Model) int { return min(max(m.width/4, 20), 34) }

func (p *previewState) render(m *Model, w, h int) string {
	pw := p.pickerWidth(m)
	title := m.th.PaneTitle
	if p.focus == focusPicker && !p.editing {
		title = m.th.PaneTitleFocused
	}
	left := title.Render(component.Fit(" Nodes", pw, 1)) + "\n" +
		p.picker.Render(m.th, pw, h-1, p.focus == focusPicker && !p.editing)
	sep := strings.TrimSuffix(strings.Repeat(m.th.Faint.Render("│")+"\n", h), "\n")
	right := p.renderRight(m, w-pw-1, h)
	return lipgloss.JoinHorizontal(lipgloss.Top, component.Fit(left, pw, h), sep, component.Fit(right, w-pw-1, h))
}

func (p *previewState) renderRight(m *Model, w, h int) string {
	if p.pipe == "" {
		return m.th.Faint.Render(" pick a node (enter) to preview it read-only against the workspace")
	}
	state := ""
	switch {
	case p.running:
		state = m.th.Info.Render(" running…")
	case p.edited:
		state = m.th.Changed.Render(" edited (unsaved)")
	}
	var out []string
	out = append(out, m.th.PaneTitleFocused.Render(" Preview · "+p.pipe+"."+p.node)+state)
	sqlH := max(3, h/3)
	if p.editing {
		p.editor.SetWidth(w)
		p.editor.SetHeight(sqlH)
		out = append(out, component.Fit(p.editor.View(), w, sqlH))
	} else if p.compiled && p.lastSQLRun != "" {
		lines := m.hl.Lines(m.th, highlight.SQL, p.lastSQLRun)
		out[0] += m.th.Muted.Render(" · compiled")
		out = append(out, component.Fit(strings.Join(lines, "\n"), w, sqlH))
	} else {
		lines := m.hl.Lines(m.th, highlight.SQL, p.sql)
		out = append(out, component.Fit(strings.Join(lines, "\n"), w, sqlH))
	}
	out = append(out, p.renderParams(m, w)...)
	out = append(out, p.renderStats(m, w))
	if p.err != nil {
		out = append(out, m.th.Error.Render(component.Fit(" ✗ "+oneLine(p.err.Error()), w, 1)))
	}
	rest := h - len(out)
	if rest > 2 {
		out = append(out, p.table.Render(m.th, w, rest))
	}
	return strings.Join(out, "\n")
}

func (p *previewState) renderParams(m *Model, w int) []string {
	if len(p.params) == 0 {
		return []string{m.th.Faint.Render(" no parameters")}
	}
	var parts []string
	for i, pr := range p.params {
		v := p.values[pr.Name]
		label := fmt.Sprintf("%s:%s=", pr.Name, pr.Type)
		if pr.Required {
			label = "*" + label
		}
		cell := m.th.Muted.Render(label) + m.th.Text.Render(v)
		if p.focus == focusParams && i == p.paramIdx {
			cell = m.th.Accent.Render(label) + m.th.Bold.Render(v) + m.th.Cursor.Render(" ")
		}
		parts = append(parts, cell)
	}
	out := []string{component.Fit(" "+strings.Join(parts, "  "), w, 1)}
	if p.focus == focusParams {
		pr := p.params[p.paramIdx]
		help := pr.Description
		if help == "" {
			help = "no description"
		}
		if pr.Default != "" {
			help += " · default " + pr.Default
		}
		out = append(out, m.th.Faint.Render(component.Fit("   "+pr.Name+": "+help+" · ↑↓ choose · esc done", w, 1)))
	}
	return out
}

func (p *previewState) renderStats(m *Model, w int) string {
	if len(p.runs) == 0 {
		return m.th.Faint.Render(" not run yet")
	}
	cells := make([]string, 0, 2)
	for _, r := range p.runs {
		if r.err != "" {
			cells = append(cells, fmt.Sprintf("run %d: error", r.n))
			continue
		}
		s := fmt.Sprintf("run %d: %d rows · read %d rows, %s · %s", r.n, r.rows, r.rowsRead, humanBytes(r.bytesRead), r.elapsed.Round(time.Millisecond))
		if r.truncated {
			s += " · truncated"
		}
		cells = append(cells, s)
	}
	line := " " + cells[0]
	if len(cells) > 1 {
		line = " " + component.Fit(cells[0], w/2-1, 1) + "│" + cells[1]
	}
	return m.th.Muted.Render(component.Fit(line, w, 1))
}

func humanBytes(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ⏎ ") }

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
