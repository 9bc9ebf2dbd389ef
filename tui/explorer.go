package tui

import (
	"fmt"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/tui/highlight"
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

type explorerState struct {
	list         component.List
	items        map[string]*explorerItem
	group        grouping
	detailOffset int
	// moved is set once the user selects something; until then the first
	// row (what needs attention most) is selected as statuses arrive.
	moved bool
	// diffs caches the alignment of the selected resource by name.
	diffs map[string][]component.Pair
}

// statusOrder sorts groups: what needs attention first.
var statusOrder = map[Status]int{StatusDrifted: 0, StatusChanged: 1, StatusNew: 2, StatusDeleted: 3, StatusUnmanaged: 4, StatusInSync: 5, StatusUnknown: 6}

// rebuild recomputes the items and list rows from local and remote.
func (e *explorerState) rebuild(m *Model) {
	e.items = map[string]*explorerItem{}
	e.diffs = map[string][]component.Pair{}
	if m.local != nil {
		for i := range m.local.Resources {
			r := &m.local.Resources[i]
			it := &explorerItem{name: r.Name, kind: r.Kind, status: StatusUnknown, local: r}
			if m.remote != nil {
				it.status = StatusNew
				if rr, ok := m.remote.Resources[r.Name]; ok {
					rr := rr
					it.remote = &rr
					it.status = rr.Status
				}
			}
			e.items[r.Name] = it
		}
	}
	if m.remote != nil {
		for name, rr := range m.remote.Resources {
			if _, ok := e.items[name]; ok {
				continue
			}
			rr := rr
			e.items[name] = &explorerItem{name: name, kind: rr.Kind, status: rr.Status, remote: &rr}
		}
	}
	names := make([]string, 0, len(e.items))
	for n := range e.items {
		names = append(names, n)
	}
	groupOf := func(it *explorerItem) string {
		switch e.group {
		case groupStatus:
			return string(it.status)
		case groupKind:
			return it.kind
		}
		return ""
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := e.items[names[i]], e.items[names[j]]
		if e.group == groupStatus && a.status != b.status {
			return statusOrder[a.status] < statusOrder[b.status]
		}
		if ga, gb := groupOf(a), groupOf(b); ga != gb {
			return ga < gb
		}
		return a.name < b.name
	})
	rows := make([]component.Row, 0, len(names)+8)
	last := "\x00"
	count := map[string]int{}
	for _, n := range names {
		count[groupOf(e.items[n])]++
	}
	for _, n := range names {
		it := e.items[n]
		if g := groupOf(it); e.group != groupNone && g != last {
			rows = append(rows, component.Row{Header: true, Text: fmt.Sprintf("%s (%d)", g, count[g])})
			last = g
		}
		text := fmt.Sprintf("%s %s  %s", glyph(it.status), it.name, it.kind)
		if e.group != groupStatus {
			text += " · " + string(it.status)
		}
		if it.local != nil && len(it.local.Diags) > 0 {
			text += fmt.Sprintf(" ⚠%d", len(it.local.Diags))
		}
		rows = append(rows, component.Row{ID: n, Text: text})
	}
	e.list.Styler = func(r component.Row) string {
		if it := e.items[r.ID]; it != nil {
			return e.styled(m, it, r.Text)
		}
		return r.Text
	}
	e.list.SetRows(rows)
	if !e.moved {
		e.list.Top()
	}
}

func (e *explorerState) styled(m *Model, it *explorerItem, text string) string {
	g := glyph(it.status)
	rest := strings.TrimPrefix(text, g)
	return statusStyle(m, it.status).Render(g) + m.th.Text.Render(rest)
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
	case StatusDrifted:
		return "!"
	case StatusUnmanaged:
		return "?"
	}
	return "·"
}

func statusStyle(m *Model, s Status) lipgloss.Style {
	switch s {
	case StatusInSync:
		return m.th.OK
	case StatusNew:
		return m.th.Added
	case StatusChanged:
		return m.th.Changed
	case StatusDeleted, StatusDrifted:
		return m.th.Error
	}
	return m.th.Faint
}

func (e *explorerState) selected() *explorerItem {
	return e.items[e.list.SelectedID()]
}

func (e *explorerState) action(m *Model, name string) tea.Cmd {
	if listAction(&e.list, name) {
		e.detailOffset, e.moved = 0, true
		return nil
	}
	switch name {
	case "explorer.group":
		e.group = (e.group + 1) % 3
		e.rebuild(m)
	case "explorer.scroll.down":
		e.detailOffset += 5
	case "explorer.scroll.up":
		e.detailOffset = max(0, e.detailOffset-5)
	case "explorer.open":
		if it := e.selected(); it != nil {
			m.lineage.selected = it.name
			return m.switchTo(ViewLineage)
		}
	case "explorer.preview":
		if it := e.selected(); it != nil && it.local != nil && len(it.local.Nodes) > 0 {
			m.preview.picker.Select(it.name + "." + it.local.Nodes[len(it.local.Nodes)-1])
			cmd := m.switchTo(ViewPreview)
			return tea.Batch(cmd, m.preview.pick(m))
		}
	}
	return nil
}

func (e *explorerState) listWidth(m *Model) int {
	return min(max(m.width/3, 24), 44)
}

func (e *explorerState) click(m *Model, x, y int) tea.Cmd {
	if x < e.listWidth(m) && e.list.ClickAt(y-1) {
		e.detailOffset, e.moved = 0, true
	}
	return nil
}

func (e *explorerState) render(m *Model, w, h int) string {
	lw := e.listWidth(m)
	label := fmt.Sprintf(" Resources (%d)", len(e.items))
	if m.local != nil && len(m.local.Diags) > 0 {
		label += fmt.Sprintf(" · ⚠ %d project", len(m.local.Diags))
	}
	title := m.th.PaneTitleFocused.Render(component.Fit(label, lw, 1))
	if m.local == nil && m.localErr == nil {
		title = m.th.PaneTitle.Render(component.Fit(" loading project…", lw, 1))
	}
	left := title + "\n" + e.list.Render(m.th, lw, h-1, true)
	left = component.Fit(left, lw, h)
	right := e.renderDetail(m, w-lw-1, h)
	sep := strings.TrimSuffix(strings.Repeat(m.th.Faint.Render("│")+"\n", h), "\n")
	return lipgloss.JoinHorizontal(lipgloss.Top, left, sep, right)
}

func (e *explorerState) renderDetail(m *Model, w, h int) string {
	if m.localErr != nil {
		return component.Fit(m.th.Error.Render(" cannot load project: "+m.localErr.Error()), w, h)
	}
	it := e.selected()
	if it == nil {
		return component.Fit(m.th.Faint.Render(" no resource selected"), w, h)
	}
	remote := component.DiffSide{Title: "remote"}
	local := component.DiffSide{Title: "local · " + it.name}
	if it.local != nil {
		local.Title = "local · " + it.local.File
		local.Lines = splitLines(it.local.Text)
		local.Styled = m.hl.Lines(m.th, highlight.File, it.local.Text)
		local.Notes = map[int]string{}
		for _, d := range it.local.Diags {
			note := fmt.Sprintf("%d:%d %s", d.Line, d.Col, d.Message)
			if d.Line >= 1 {
				local.Notes[d.Line-1] = note
			}
		}
	} else {
		local.Missing = "not in the project"
	}
	switch {
	case m.remote == nil && m.remoteErr != nil:
		remote.Missing = "remote unavailable"
	case m.remote == nil:
		remote.Missing = "loading remote…"
	case it.remote == nil || it.remote.Text == "":
		remote.Missing = "not on the server"
	default:
		remote.Title = fmt.Sprintf("remote · %s", it.status)
		remote.Lines = splitLines(it.remote.Text)
		remote.Styled = m.hl.Lines(m.th, highlight.File, it.remote.Text)
	}
	pairs, ok := e.diffs[it.name]
	if !ok {
		pairs = component.Align(remote.Lines, local.Lines)
		e.diffs[it.name] = pairs
	}
	var notes []string
	if it.remote != nil {
		for _, n := range it.remote.Notes {
			notes = append(notes, statusStyle(m, it.status).Render(component.Fit(" "+glyph(it.status)+" "+oneLine(n), w, 1)))
		}
		if len(notes) > h/3 {
			notes = append(notes[:h/3], m.th.Faint.Render(fmt.Sprintf("  … %d more", len(it.remote.Notes)-h/3)))
		}
	}
	var diff string
	if w < 70 { // too narrow for two readable columns
		diff = component.Unified(m.th, pairs, remote, local, w, h-len(notes), e.detailOffset)
	} else {
		diff = component.SideBySide(m.th, pairs, remote, local, w, h-len(notes), e.detailOffset)
	}
	if len(notes) == 0 {
		return diff
	}
	return strings.Join(notes, "\n") + "\n" + diff
}

func splitLines(s string) []string {
	return strings.Split(strings.TrimSuffix(strings.ReplaceAll(s, "\t", "    "), "\n"), "\n")
}
