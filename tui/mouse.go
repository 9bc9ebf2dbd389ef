package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// bodyTop is the screen row where views start (header, tabs, banner).
func (m *Model) bodyTop() int {
	top := 2
	if b := m.bannerText(); b != "" {
		top += strings.Count(b, "\n") + 1
	}
	return top
}

// onClick focuses and selects: a click on the tab row switches view, a click
// in a list selects the row under the pointer.
func (m *Model) onClick(ms tea.Mouse) tea.Cmd {
	if m.dialog != nil || ms.Button != tea.MouseLeft {
		return nil
	}
	m.touch()
	if ms.Y == 1 {
		if v, ok := m.tabAt(ms.X); ok {
			return m.switchTo(v)
		}
		return nil
	}
	y := ms.Y - m.bodyTop()
	if y < 0 {
		return nil
	}
	switch m.view {
	case ViewExplorer:
		return m.explorer.click(m, ms.X, y)
	case ViewLineage:
		return m.lineage.click(m, ms.X, y)
	case ViewPreview:
		if ms.X < m.preview.pickerWidth(m) {
			m.preview.focus = focusPicker
			m.preview.picker.ClickAt(y - 1)
		}
	case ViewPlan:
		if m.plan.list.ClickAt(y - 1) {
			m.plan.showSteps = false
		}
	case ViewHistory:
		m.history.list.ClickAt(y - 1)
	}
	return nil
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
	m.touch()
	switch m.view {
	case ViewExplorer:
		if ms.X < m.explorer.listWidth(m) {
			m.explorer.list.Scroll(d)
		} else {
			m.explorer.detailOffset = max(0, m.explorer.detailOffset+d)
		}
	case ViewLineage:
		m.lineage.scrollY = max(0, m.lineage.scrollY+d)
	case ViewPreview:
		if ms.X < m.preview.pickerWidth(m) {
			m.preview.picker.Scroll(d)
		} else {
			m.preview.table.ScrollRows(d)
		}
	case ViewPlan:
		if m.plan.showSteps {
			m.plan.stepsOffset = max(0, m.plan.stepsOffset+d)
		} else {
			m.plan.list.Scroll(d)
		}
	case ViewHistory:
		m.history.list.Scroll(d)
	}
	return nil
}
