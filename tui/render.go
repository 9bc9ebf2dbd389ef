package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/tui/keys"
)

// View renders the frame. The whole frame is cached behind the model's
// version, so a frame after a message that changed nothing costs nothing.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "perch"
	return v
}

// Render returns the frame as text at the model's size.
func (m *Model) Render() string {
	k := component.RenderKey{Version: m.version, Width: m.width, Height: m.height, Theme: m.th.Name}
	if m.dialog != nil {
		// the grace hint depends on the clock: never cache an open dialog
		k.Version = ^uint64(0) - uint64(m.opt.Now().UnixMilli())
	}
	return m.frame.Get(k, m.render)
}

// RenderCount is how many frames were actually rendered (for tests).
func (m *Model) RenderCount() int { return m.frame.Misses }

func (m *Model) render() string {
	w, h := m.width, m.height
	if w < 20 || h < 6 {
		return "perch: window too small"
	}
	parts := []string{m.renderHeader(w), m.renderTabs(w)}
	if b := m.bannerText(); b != "" {
		for _, l := range strings.Split(b, "\n") {
			parts = append(parts, m.th.Banner.Render(component.Fit(l, w, 1)))
		}
	}
	bodyH := h - len(parts) - 1
	var body string
	if m.showHelp {
		body = m.renderHelp(w, bodyH)
	} else {
		body = m.renderBody(w, bodyH)
	}
	parts = append(parts, component.Fit(body, w, bodyH), m.renderFooter(w))
	out := strings.Join(parts, "\n")
	if m.dialog != nil {
		out = component.Overlay(out, m.dialog.Render(m.th, m.opt.Now(), w), w, h)
	}
	return out
}

func (m *Model) renderBody(w, h int) string {
	switch m.view {
	case ViewExplorer:
		return m.explorer.render(m, w, h)
	case ViewLineage:
		return m.lineage.render(m, w, h)
	case ViewPreview:
		return m.preview.render(m, w, h)
	case ViewPlan:
		return m.plan.render(m, w, h)
	case ViewHistory:
		return m.history.render(m, w, h)
	}
	return ""
}

func (m *Model) renderHeader(w int) string {
	project := "…"
	if m.local != nil {
		project = m.local.Name
	}
	target, ver, dep := m.opt.Target, "?", "none"
	if m.remote != nil {
		if m.remote.Target != "" {
			target = m.remote.Target
		}
		if m.remote.Database != "" {
			target += "/" + m.remote.Database
		}
		ver = m.remote.ServerVersion
		if m.remote.DeploymentID != "" {
			dep = m.remote.DeploymentID
		}
	}
	if target == "" {
		target = "local"
	}
	state := map[string]string{"connected": "● connected", "connecting": "◌ connecting", "offline": "✗ offline"}[m.connState]
	s := fmt.Sprintf(" perch · %s · %s · CH %s · %s · deploy %s", project, target, ver, state, dep)
	if m.opt.ReadOnly {
		s += " · READ-ONLY"
	}
	return m.th.Header.Bold(true).Render(component.Fit(s, w, 1))
}

func (m *Model) renderTabs(w int) string {
	var b strings.Builder
	for i, name := range viewNames {
		label := fmt.Sprintf(" %d %s ", i+1, name)
		if View(i) == m.view {
			b.WriteString(m.th.Selected.Render(label))
		} else {
			b.WriteString(m.th.Muted.Render(label))
		}
	}
	if m.filtering || m.filterText() != "" {
		b.WriteString(m.th.Accent.Render("  /" + m.filterText()))
		if m.filtering {
			b.WriteString(m.th.Cursor.Render(" "))
		}
	}
	if m.activity != "" {
		// right-aligned when it fits beside the tabs, else dropped
		if gap := w - lipgloss.Width(b.String()) - lipgloss.Width(m.activity) - 1; gap >= 2 {
			b.WriteString(strings.Repeat(" ", gap) + m.th.Accent.Render(m.activity))
		}
	}
	return component.Fit(b.String(), w, 1)
}

// tabAt returns the view whose tab is at column x of the tab row.
func (m *Model) tabAt(x int) (View, bool) {
	pos := 0
	for i, name := range viewNames {
		n := len(fmt.Sprintf(" %d %s ", i+1, name))
		if x >= pos && x < pos+n {
			return View(i), true
		}
		pos += n
	}
	return 0, false
}

func (m *Model) filterText() string {
	if l := m.currentList(); l != nil {
		return l.Filter()
	}
	if m.view == ViewLineage {
		return m.lineage.query
	}
	return ""
}

// bannerText explains a missing remote: why, how to fix, and that perch retries.
func (m *Model) bannerText() string {
	if m.remoteErr == nil {
		if m.remote != nil && len(m.remote.Warnings) > 0 {
			return " ⚠ " + strings.Join(m.remote.Warnings, "\n ⚠ ")
		}
		return ""
	}
	why := m.remoteErr.Error()
	return fmt.Sprintf(" remote unavailable: %s\n local project only. Fix: `perch local start` or --dsn/--target/PERCH_DSN · retrying every %s (ctrl+r now)",
		oneLine(why), m.opt.RetryEvery)
}

func (m *Model) renderFooter(w int) string {
	var parts []string
	if m.filtering {
		parts = append(parts, m.th.FooterKey.Render("type")+m.th.Footer.Render(" filter"),
			m.th.FooterKey.Render("enter")+m.th.Footer.Render(" keep"),
			m.th.FooterKey.Render("esc")+m.th.Footer.Render(" clear"))
	} else {
		actions := m.km.Scoped(m.scope(), true)
		if m.dialog != nil { // only the dialog's keys work while it is open
			actions = actions[:0:0]
			for _, a := range m.km.Scoped(keys.Dialog, true) {
				if a.Scope == keys.Dialog {
					actions = append(actions, a)
				}
			}
		}
		for _, a := range actions {
			parts = append(parts, m.th.FooterKey.Render(a.KeyLabel())+m.th.Footer.Render(" "+a.Help))
		}
	}
	line := " " + strings.Join(parts, m.th.Faint.Render(" · "))
	return ansi.Truncate(line, w, "…")
}

// renderHelp lists every action of the focused view and the global ones,
// generated from the live keymap.
func (m *Model) renderHelp(w, h int) string {
	var lines []string
	lines = append(lines, m.th.PaneTitleFocused.Render(fmt.Sprintf(" Keys — %s", m.view)), "")
	for _, a := range m.km.Scoped(m.scope(), false) {
		label := lipgloss.NewStyle().Width(14).Render(m.th.FooterKey.Render(a.KeyLabel()))
		help := a.Help
		if a.Dangerous {
			help += m.th.Warning.Render("  (asks first)")
		}
		lines = append(lines, "  "+label+" "+m.th.Text.Render(help))
	}
	if m.opt.ReadOnly {
		lines = append(lines, "", m.th.Muted.Render("  read-only: applying is disabled"))
	}
	lines = append(lines, "", m.th.Muted.Render("  ? or esc closes this help"))
	if len(lines) > h {
		// two columns when the list is long
		half := (len(lines) + 1) / 2
		left := component.Fit(strings.Join(lines[:half], "\n"), w/2, h)
		right := component.Fit(strings.Join(lines[half:], "\n"), w-w/2, h)
		return lipgloss.JoinHorizontal(lipgloss.Top, left, right)
	}
	return strings.Join(lines, "\n")
}
