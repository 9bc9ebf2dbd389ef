package tui

import tea "charm.land/bubbletea/v2"

// onClick hit-tests a left click against the frame's layout (the one the
// frame was drawn from): a tab switches view, anything in the body goes to
// the view, which hit-tests its own panes.
func (m *Model) onClick(ms tea.Mouse) tea.Cmd {
	if len(m.dialogs) > 0 || ms.Button != tea.MouseLeft {
		return nil
	}
	l := m.layout()
	p := point{ms.X, ms.Y}
	for v, r := range l.tabs {
		if r.Contains(p) {
			return m.switchTo(View(v), false)
		}
	}
	if m.showHelp || !l.body.Contains(p) {
		return nil
	}
	m.touch()
	return m.cur().Click(p)
}

// onWheel scrolls the pane under the pointer.
func (m *Model) onWheel(ms tea.Mouse) tea.Cmd {
	d := 0
	switch ms.Button {
	case tea.MouseWheelUp:
		d = -3
	case tea.MouseWheelDown:
		d = 3
	default:
		return nil
	}
	l := m.layout()
	p := point{ms.X, ms.Y}
	if len(m.dialogs) > 0 || m.showHelp || !l.body.Contains(p) {
		return nil
	}
	m.touch()
	m.cur().Wheel(p, d)
	return nil
}
