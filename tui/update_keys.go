package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/perchdata/perch/tui/component"
)

// onKey handles a key press: dialog first, then editors and filters that
// take raw text, then the keymap of the focused view, then global actions.
func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	key := msg.String()
	m.touch()
	if m.dialog != nil {
		switch m.dialog.Key(key, msg.Text, m.opt.Now()) {
		case component.Confirmed:
			m.dialog = nil
			return m.plan.startApply(m)
		case component.Cancelled:
			m.dialog = nil
		}
		return nil
	}
	if key == "ctrl+c" {
		return tea.Quit
	}
	if m.showHelp {
		if key == "?" || key == "esc" || key == "q" {
			m.showHelp = false
		}
		return nil
	}
	if m.view == ViewPreview && (m.preview.editing || m.preview.inParams()) {
		if cmd, handled := m.preview.textKey(m, msg); handled {
			return cmd
		}
	}
	if m.filtering {
		return m.filterKey(msg)
	}
	name, ok := m.km.Lookup(m.scope(), key)
	if !ok {
		return nil
	}
	switch name {
	case "quit":
		return tea.Quit
	case "help":
		m.showHelp = true
		return nil
	case "view.explorer":
		return m.switchTo(ViewExplorer)
	case "view.lineage":
		return m.switchTo(ViewLineage)
	case "view.preview":
		return m.switchTo(ViewPreview)
	case "view.plan":
		return m.switchTo(ViewPlan)
	case "view.history":
		return m.switchTo(ViewHistory)
	case "branch.next":
		return m.nextBranch()
	case "retry":
		if m.connState != "connected" {
			m.connState = "connecting"
		}
		return m.loadRemote()
	case "filter":
		if m.currentList() != nil {
			m.filtering = true
		} else if m.view == ViewLineage {
			m.filtering, m.lineage.query = true, ""
		}
		return nil
	case "back":
		if l := m.currentList(); l != nil && l.Filter() != "" {
			l.SetFilter("")
			return nil
		}
	}
	switch m.view {
	case ViewExplorer:
		return m.explorer.action(m, name)
	case ViewLineage:
		return m.lineage.action(m, name)
	case ViewPreview:
		return m.preview.action(m, name)
	case ViewPlan:
		return m.plan.action(m, name)
	case ViewHistory:
		return m.history.action(m, name)
	}
	return nil
}

// currentList is the filterable list of the focused view, if it has one.
func (m *Model) currentList() *component.List {
	switch m.view {
	case ViewExplorer:
		return &m.explorer.list
	case ViewPreview:
		if !m.preview.editing {
			return &m.preview.picker
		}
	case ViewPlan:
		return &m.plan.list
	case ViewHistory:
		return &m.history.list
	}
	return nil
}

func (m *Model) filterKey(msg tea.KeyPressMsg) tea.Cmd {
	if m.view == ViewLineage {
		m.lineage.searchKey(msg)
		m.filtering = msg.String() != "enter" && msg.String() != "esc"
		return nil
	}
	l := m.currentList()
	if l == nil {
		m.filtering = false
		return nil
	}
	switch msg.String() {
	case "esc":
		l.SetFilter("")
		m.filtering = false
	case "enter":
		m.filtering = false
	case "backspace":
		if f := []rune(l.Filter()); len(f) > 0 {
			l.SetFilter(string(f[:len(f)-1]))
		}
	case "up", "down":
		l.Move(map[string]int{"up": -1, "down": 1}[msg.String()])
	default:
		if msg.Text != "" {
			l.SetFilter(l.Filter() + msg.Text)
		}
	}
	m.onSelectionChanged()
	return nil
}

// onSelectionChanged lets views react to list moves (reset detail scroll).
func (m *Model) onSelectionChanged() {
	if m.view == ViewExplorer {
		m.explorer.detailOffset, m.explorer.moved = 0, true
	}
}

// listAction applies a shared navigation action to list l; false when name
// is not a navigation action.
func listAction(l *component.List, name string) bool {
	switch name {
	case "up":
		l.Move(-1)
	case "down":
		l.Move(1)
	case "pageup":
		l.Page(-1)
	case "pagedown":
		l.Page(1)
	case "top":
		l.Top()
	case "bottom":
		l.Bottom()
	default:
		return false
	}
	return true
}
