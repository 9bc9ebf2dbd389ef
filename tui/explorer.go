package tui

import (
	"fmt"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/tui/highlight"
	"github.com/perchdata/perch/tui/keys"
)

// grouping is how the Explorer groups resources.
type grouping int

const (
	groupStatus grouping = iota
	groupKind
	groupNone
)

// explorerItem is one resource with its local and remote sides.
type explorerItem struct {
	name, kind string
	status     Status
	local      *Resource
	remote     *RemoteResource
}

// The panes of the Explorer, in focus order.
const (
	explorerList = iota
	explorerDetail
	explorerPanes
)

// explorerView lists the resources by status and shows the selected one's
// remote and local definitions side by side.
type explorerView struct {
	*env
	list  component.List
	items map[string]*explorerItem
	group grouping
	focus int
	listFilter
	// offset and x scroll the definitions (rows of the diff, columns).
	offset, x int
	// jump asks the next layout to scroll the definitions to their first
	// difference (the selection changed).
	jump bool
	// moved is set once the user selects something; until then the first
	// row (what needs attention most) is selected as statuses arrive.
	moved bool
	// diffs caches the alignment of a resource's two sides by name.
	diffs map[string][]component.Pair

	acts actions
	// layout of the frame
	listR, detailR rect
	notes          []string
	pairs          []component.Pair
	left, right    component.DiffSide
	unified        bool
}

func newExplorer(e *env) *explorerView {
	v := &explorerView{env: e, items: map[string]*explorerItem{}, diffs: map[string][]component.Pair{}, jump: true}
	v.list.CountHeaders = true
	v.listFilter = listFilter{list: &v.list, changed: v.selectionChanged}
	v.acts = actions{
		keys.Up:       func() tea.Cmd { v.move(func() { v.list.Move(-1) }, -1); return nil },
		keys.Down:     func() tea.Cmd { v.move(func() { v.list.Move(1) }, 1); return nil },
		keys.PageUp:   func() tea.Cmd { v.move(func() { v.list.Page(-1) }, -v.detailR.H/2); return nil },
		keys.PageDown: func() tea.Cmd { v.move(func() { v.list.Page(1) }, v.detailR.H/2); return nil },
		keys.Top:      func() tea.Cmd { v.move(v.list.Top, -1<<30); return nil },
		keys.Bottom:   func() tea.Cmd { v.move(v.list.Bottom, 1<<30); return nil },
		keys.Left:     func() tea.Cmd { v.x = max(0, v.x-8); return nil },
		keys.Right:    func() tea.Cmd { v.x += 8; return nil },
		keys.FocusNext: func() tea.Cmd {
			v.focus = (v.focus + 1) % explorerPanes
			return nil
		},
		keys.FocusPrev: func() tea.Cmd {
			v.focus = (v.focus + explorerPanes - 1) % explorerPanes
			return nil
		},
		keys.Back: func() tea.Cmd {
			switch {
			case v.focus != explorerList:
				v.focus = explorerList
			case v.clear():
			default:
				return emit(backMsg{})
			}
			return nil
		},
		keys.ExplorerGroup: func() tea.Cmd {
			v.group = (v.group + 1) % 3
			v.rebuild()
			return nil
		},
		keys.ExplorerOpen: func() tea.Cmd {
			if it := v.selected(); it != nil {
				return emit(openMsg{view: ViewLineage, target: it.name})
			}
			return nil
		},
		keys.ExplorerPreview: func() tea.Cmd {
			it := v.selected()
			switch {
			case it == nil || it.local == nil:
				return emit(noticeMsg{"only a local pipe or data source can be previewed"})
			case len(it.local.Nodes) > 0:
				return emit(openMsg{view: ViewPreview, target: it.name + "." + it.local.Nodes[len(it.local.Nodes)-1]})
			case it.kind == "datasource":
				return emit(openMsg{view: ViewPreview, target: it.name})
			}
			return emit(noticeMsg{"a " + it.kind + " has nothing to preview"})
		},
	}
	v.listFilter.add(v.acts)
	filter := v.acts[keys.Filter]
	v.acts[keys.Filter] = func() tea.Cmd { v.focus = explorerList; return filter() }
	return v
}

// move moves the list (list focused) or scrolls the definitions by d rows.
func (v *explorerView) move(list func(), d int) {
	if v.focus == explorerDetail && !v.on {
		v.offset, v.jump = max(0, v.offset+d), false
		return
	}
	list()
	v.selectionChanged()
}

func (v *explorerView) selectionChanged() { v.offset, v.x, v.jump, v.moved = 0, 0, true, true }

// Scope is Input while the filter is typed.
func (v *explorerView) Scope() keys.Scope {
	if v.on {
		return keys.Input
	}
	return keys.Explorer
}

// Actions are the Explorer's handlers.
func (v *explorerView) Actions() actions { return v.acts }

// Open selects a resource (from another view).
func (v *explorerView) Open(name string) tea.Cmd {
	v.list.SetFilter("")
	v.on = false
	v.list.Select(name)
	v.focus = explorerList
	v.selectionChanged()
	return nil
}

// Show loads nothing: the Explorer shows what the root loaded.
func (v *explorerView) Show() tea.Cmd { return nil }

// Update rebuilds the list when the project or the remote changed.
func (v *explorerView) Update(msg tea.Msg) tea.Cmd {
	switch msg.(type) {
	case projectMsg, remoteChangedMsg:
		v.rebuild()
	}
	return nil
}

// statusOrder sorts groups: what needs attention first.
var statusOrder = map[Status]int{StatusDrifted: 0, StatusChanged: 1, StatusNew: 2, StatusRemoved: 3, StatusDeleted: 4, StatusUnmanaged: 5, StatusInSync: 6, StatusUnknown: 7}

// rebuild recomputes the items and list rows from local and remote.
func (v *explorerView) rebuild() {
	v.items = map[string]*explorerItem{}
	v.diffs = map[string][]component.Pair{}
	if v.local != nil {
		for i := range v.local.Resources {
			r := &v.local.Resources[i]
			it := &explorerItem{name: r.Name, kind: r.Kind, status: StatusUnknown, local: r}
			if v.remote != nil {
				it.status = StatusNew
				if rr, ok := v.remote.Resources[r.Name]; ok {
					it.remote = &rr
					it.status = rr.Status
				}
			}
			v.items[r.Name] = it
		}
	}
	if v.remote != nil {
		for name, rr := range v.remote.Resources {
			if _, ok := v.items[name]; ok {
				continue
			}
			v.items[name] = &explorerItem{name: name, kind: rr.Kind, status: rr.Status, remote: &rr}
		}
	}
	names := make([]string, 0, len(v.items))
	for n := range v.items {
		names = append(names, n)
	}
	groupOf := func(it *explorerItem) string {
		switch v.group {
		case groupStatus:
			return string(it.status)
		case groupKind:
			return it.kind
		}
		return ""
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := v.items[names[i]], v.items[names[j]]
		if v.group == groupStatus && a.status != b.status {
			return statusOrder[a.status] < statusOrder[b.status]
		}
		if ga, gb := groupOf(a), groupOf(b); ga != gb {
			return ga < gb
		}
		return a.name < b.name
	})
	rows := make([]component.Row, 0, len(names)+8)
	last := "\x00"
	for _, n := range names {
		it := v.items[n]
		if g := groupOf(it); v.group != groupNone && g != last {
			rows = append(rows, component.Row{Header: true, Text: g})
			last = g
		}
		text := fmt.Sprintf("%s %s  %s", glyph(it.status), it.name, it.kind)
		if v.group != groupStatus {
			text += " · " + string(it.status)
		}
		if it.local != nil && len(it.local.Diags) > 0 {
			text += fmt.Sprintf(" ⚠%d", len(it.local.Diags))
		}
		rows = append(rows, component.Row{ID: n, Text: text})
	}
	v.list.Styler = func(r component.Row) string {
		if it := v.items[r.ID]; it != nil {
			return v.styled(it, r.Text)
		}
		return r.Text
	}
	before := v.list.SelectedID()
	v.list.SetRows(rows)
	if !v.moved {
		v.list.Top()
	}
	if v.list.SelectedID() != before {
		v.offset, v.x, v.jump = 0, 0, true
	}
}

func (v *explorerView) styled(it *explorerItem, text string) string {
	g := glyph(it.status)
	rest := strings.TrimPrefix(text, g)
	return statusStyle(v.env, it.status).Render(g) + v.th.Text.Render(rest)
}

func glyph(s Status) string {
	switch s {
	case StatusInSync:
		return "✓"
	case StatusNew:
		return "+"
	case StatusChanged:
		return "~"
	case StatusDeleted:
		return "✗"
	case StatusRemoved:
		return "-"
	case StatusDrifted:
		return "!"
	case StatusUnmanaged:
		return "?"
	}
	return "·"
}

func statusStyle(e *env, s Status) lipgloss.Style {
	switch s {
	case StatusInSync:
		return e.th.OK
	case StatusNew:
		return e.th.Added
	case StatusChanged:
		return e.th.Changed
	case StatusDeleted, StatusDrifted:
		return e.th.Error
	case StatusRemoved:
		return e.th.Removed
	}
	return e.th.Faint
}

func (v *explorerView) selected() *explorerItem { return v.items[v.list.SelectedID()] }

// Layout places the list and the definitions, and aligns the selected
// resource's two sides (scrolled to their first difference after a move).
func (v *explorerView) Layout(r rect) {
	v.listR, v.detailR = r.splitLeft(min(max(r.W/3, 24), 44))
	v.notes, v.pairs = nil, nil
	it := v.selected()
	if it == nil || v.localErr != nil {
		return
	}
	w, h := v.detailR.W, v.detailR.H
	v.right = component.DiffSide{Title: "local · " + it.name}
	v.left = component.DiffSide{Title: "remote"}
	if it.local != nil {
		v.right.Title = "local · " + it.local.File
		v.right.Lines = splitLines(it.local.Text)
		v.right.Styled = v.hl.Lines(v.th, highlight.File, it.local.Text)
		v.right.Notes = map[int]string{}
		for _, d := range it.local.Diags {
			if d.Line >= 1 {
				v.right.Notes[d.Line-1] = fmt.Sprintf("%d:%d %s", d.Line, d.Col, d.Message)
			}
		}
	} else {
		v.right.Missing = "not in the project"
	}
	switch {
	case v.remote == nil && v.remoteErr != nil:
		v.left.Missing = "remote unavailable"
	case v.remote == nil:
		v.left.Missing = "loading remote…"
	case it.remote == nil || it.remote.Text == "":
		v.left.Missing = "not on the server"
	default:
		v.left.Title = fmt.Sprintf("remote · %s", it.status)
		v.left.Lines = splitLines(it.remote.Text)
		v.left.Styled = v.hl.Lines(v.th, highlight.File, it.remote.Text)
	}
	pairs, ok := v.diffs[it.name]
	if !ok {
		pairs = component.Align(v.left.Lines, v.right.Lines)
		v.diffs[it.name] = pairs
	}
	v.pairs = pairs
	if it.remote != nil {
		for _, n := range it.remote.Notes {
			v.notes = append(v.notes, component.Wrap([]string{statusStyle(v.env, it.status).Render(" " + glyph(it.status) + " " + oneLine(n))}, w)...)
		}
		if len(v.notes) > h/3 {
			more := len(v.notes) - h/3
			v.notes = append(v.notes[:h/3], v.th.Faint.Render(fmt.Sprintf("  … %d more line(s)", more)))
		}
	}
	v.unified = w < 70 // too narrow for two readable columns
	rows := len(pairs)
	if v.unified {
		rows = component.UnifiedRow(pairs, len(pairs))
	}
	if v.jump {
		first := component.FirstChange(pairs)
		if v.unified {
			first = component.UnifiedRow(pairs, first)
		}
		v.offset, v.jump = max(0, first-2), false
	}
	v.offset = min(v.offset, max(0, rows-(h-len(v.notes)-1)))
}

// Render draws the list and the definitions.
func (v *explorerView) Render() string {
	lw, h := v.listR.W, v.listR.H
	shown, total := v.list.Count()
	label := fmt.Sprintf(" Resources (%d)", total)
	if v.list.Filter() != "" {
		label = fmt.Sprintf(" Resources (%d of %d)", shown, total)
	}
	if v.local != nil && len(v.local.Diags) > 0 {
		label += fmt.Sprintf(" · ⚠ %d project", len(v.local.Diags))
	}
	title := v.paneTitle(label, v.focus == explorerList, lw)
	if v.local == nil && v.localErr == nil {
		title = v.paneTitle(" loading project…", false, lw)
	}
	left := component.Fit(title+"\n"+v.list.Render(v.th, lw, h-1, v.focus == explorerList), lw, h)
	return lipgloss.JoinHorizontal(lipgloss.Top, left, v.separator(h), component.Fit(v.renderDetail(), v.detailR.W, h))
}

func (v *explorerView) renderDetail() string {
	w, h := v.detailR.W, v.detailR.H
	if v.localErr != nil {
		return strings.Join(component.Wrap([]string{v.th.Error.Render(" cannot load project: " + v.localErr.Error())}, w), "\n")
	}
	if v.selected() == nil {
		return v.th.Faint.Render(" no resource selected")
	}
	left, right := v.left, v.right
	if v.focus == explorerDetail {
		left.Title = "▸ " + left.Title
	}
	dh := h - len(v.notes)
	var diff string
	if v.unified {
		diff = component.Unified(v.th, v.pairs, left, right, w, dh, v.offset, v.x)
	} else {
		diff = component.SideBySide(v.th, v.pairs, left, right, w, dh, v.offset, v.x)
	}
	if len(v.notes) == 0 {
		return diff
	}
	return strings.Join(v.notes, "\n") + "\n" + diff
}

// Click selects the row under the pointer, or focuses the definitions.
func (v *explorerView) Click(p point) tea.Cmd {
	switch {
	case v.listR.Contains(p):
		v.focus = explorerList
		if v.list.ClickAt(p.Y - v.listR.Y - 1) {
			v.selectionChanged()
		}
	case v.detailR.Contains(p):
		v.focus = explorerDetail
	}
	return nil
}

// Wheel scrolls the list or the definitions.
func (v *explorerView) Wheel(p point, d int) {
	if v.listR.Contains(p) {
		v.list.Scroll(d)
		return
	}
	v.offset, v.jump = max(0, v.offset+d), false
}

func splitLines(s string) []string {
	return strings.Split(strings.TrimSuffix(strings.ReplaceAll(s, "\t", "    "), "\n"), "\n")
}
