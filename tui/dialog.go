package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/tui/keys"
)

// dialog is a confirmation over the screen. The root keeps a stack of them,
// routes the Dialog (or DialogInput) scope to the top one and runs its
// onConfirm or onCancel, which belong to whoever opened it.
type dialog struct {
	c *component.Confirm
	// onConfirm runs once every name was typed, with the names confirmed.
	onConfirm func(approved []string) tea.Cmd
	// onCancel runs when the dialog is dismissed (nil: nothing).
	onCancel func() tea.Cmd
	// quit marks the question asked before quitting (ctrl+c again answers yes).
	quit bool
}

// openDialog pushes d and redraws when its grace period ends, so the hint
// stops saying wait.
func (m *Model) openDialog(d *dialog) tea.Cmd {
	d.c.Opened = m.opt.Now()
	m.dialogs = append(m.dialogs, d)
	return m.graceTick()
}

func (m *Model) graceTick() tea.Cmd {
	return m.opt.Tick(component.GracePeriod, func(time.Time) tea.Msg { return graceMsg{} })
}

func (m *Model) topDialog() *dialog {
	if len(m.dialogs) == 0 {
		return nil
	}
	return m.dialogs[len(m.dialogs)-1]
}

func (m *Model) popDialog() { m.dialogs = m.dialogs[:len(m.dialogs)-1] }

// dialogActions are the handlers of the Dialog and DialogInput scopes.
func (m *Model) dialogActions() actions {
	return actions{
		keys.DialogConfirm: func() tea.Cmd {
			d, now := m.topDialog(), m.opt.Now()
			if d.c.Confirm(now) != component.Confirmed {
				if d.c.Opened.Equal(now) {
					return m.graceTick() // the next name is asked: redraw after its grace
				}
				return nil
			}
			m.popDialog()
			if d.onConfirm == nil {
				return nil
			}
			return d.onConfirm(d.c.Approved())
		},
		keys.DialogCancel: func() tea.Cmd {
			d := m.topDialog()
			m.popDialog()
			if d.onCancel == nil {
				return nil
			}
			return d.onCancel()
		},
		keys.InputDelete: func() tea.Cmd { m.topDialog().c.Delete(); return nil },
	}
}
