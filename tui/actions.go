package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/tui/keys"
)

// onKey maps a key press to an action of the focused scope through the
// keymap and runs its handler; in a text scope a key the scope does not
// bind is typed. A key that maps to nothing changes nothing (not even the
// frame).
func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	scope := m.scope()
	a, ok := m.km.Lookup(scope, msg.String(), msg.Text != "")
	if !ok {
		return m.typeKey(scope, msg)
	}
	h := m.handler(scope, a.Name)
	if h == nil {
		return nil
	}
	m.touch()
	m.notice = ""
	return h()
}

// typeKey gives an unbound key of a text scope to what takes the text.
func (m *Model) typeKey(scope keys.Scope, msg tea.KeyPressMsg) tea.Cmd {
	editing := scope == keys.Editor || scope == keys.Completion
	if !keys.IsText(scope) || !editing && msg.Text == "" {
		return nil // only the editor takes keys that type nothing (arrows, ctrl+a…)
	}
	if scope == keys.PaletteInput {
		m.typePalette(msg.Text)
		m.touch()
		return nil
	}
	if scope == keys.DialogInput {
		if msg.Text == "" {
			return nil
		}
		m.topDialog().c.Type(msg.Text)
		m.touch()
		return nil
	}
	t, ok := m.cur().(typer)
	if !ok {
		return nil
	}
	m.touch()
	m.notice = ""
	return t.Type(msg)
}

// handler is the handler of action name in scope: the dialog's, the
// focused view's, else the root's.
func (m *Model) handler(scope keys.Scope, name keys.Name) func() tea.Cmd {
	switch scope {
	case keys.Dialog, keys.DialogInput:
		if h := m.dialogActions()[name]; h != nil {
			return h
		}
	case keys.Help:
		if h := m.helpActions()[name]; h != nil {
			return h
		}
	case keys.PaletteInput:
		if h := m.paletteActions()[name]; h != nil {
			return h
		}
	default:
		if h := m.cur().Actions()[name]; h != nil {
			return h
		}
	}
	return m.rootActions()[name]
}

// rootActions are the actions the root handles whatever has focus.
func (m *Model) rootActions() actions {
	to := func(v View) func() tea.Cmd { return func() tea.Cmd { return m.switchTo(v, false) } }
	return actions{
		keys.Quit:      m.quit,
		keys.Interrupt: m.quit,
		keys.ShowHelp: func() tea.Cmd {
			m.showHelp, m.helpScope = true, m.cur().Scope()
			m.help.Top()
			return nil
		},
		keys.ViewExplorer: to(ViewExplorer),
		keys.ViewLineage:  to(ViewLineage),
		keys.ViewPreview:  to(ViewPreview),
		keys.ViewPlan:     to(ViewPlan),
		keys.ViewHistory:  to(ViewHistory),
		keys.Palette:      func() tea.Cmd { m.pal = m.commandPalette(); return nil },
		keys.Find:         func() tea.Cmd { m.pal = m.finder(); return nil },
		keys.BranchNext:   m.nextBranch,
		keys.TargetSwitch: m.chooseTarget,
		keys.Retry: func() tea.Cmd {
			if m.connState != "connected" {
				m.connState = "connecting"
			}
			return m.loadRemote()
		},
	}
}

// helpActions close and scroll the help screen.
func (m *Model) helpActions() actions {
	return actions{
		keys.CloseHelp: func() tea.Cmd { m.showHelp = false; return nil },
		keys.Up:        func() tea.Cmd { m.help.Scroll(-1); return nil },
		keys.Down:      func() tea.Cmd { m.help.Scroll(1); return nil },
		keys.PageUp:    func() tea.Cmd { m.help.Page(-1); return nil },
		keys.PageDown:  func() tea.Cmd { m.help.Page(1); return nil },
		keys.Top:       func() tea.Cmd { m.help.Top(); return nil },
		keys.Bottom:    func() tea.Cmd { m.help.Bottom(); return nil },
	}
}

// quit quits, after asking when an apply is running (it is cancelled and
// perch waits for it to stop) or edits would be lost. Asked again while
// the question is open, it is the answer yes.
func (m *Model) quit() tea.Cmd {
	if d := m.topDialog(); d != nil && d.quit {
		m.popDialog()
		return d.onConfirm(nil)
	}
	if m.plan.applying {
		return m.openDialog(&dialog{quit: true, c: &component.Confirm{
			Title: "An apply is running. Quit?",
			Body: []string{
				"Quitting cancels the apply: the change running now stops, the steps it ran are undone unless it passed its commit point (then apply again to finish it), the changes not started do not run, and the deployment is recorded as failed.",
				"perch quits as soon as the apply has stopped. n goes on applying.",
			}},
			onConfirm: func([]string) tea.Cmd {
				m.quitting = true
				m.plan.cancelApply()
				m.notice = "cancelling the apply… perch quits when it has stopped"
				return nil
			}})
	}
	if what, ok := m.preview.unsaved(); ok {
		return m.openDialog(&dialog{quit: true, c: &component.Confirm{
			Title: "Quit and lose your edits?",
			Body:  []string{"The SQL of " + what + " was edited and not saved (ctrl+s saves it to the datafile)."}},
			onConfirm: func([]string) tea.Cmd { return tea.Quit }})
	}
	return tea.Quit
}
