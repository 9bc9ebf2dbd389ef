package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/tui/keys"
	"github.com/perchdata/perch/workspace"
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
	if len(m.dialogs) > 0 {
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
	l := m.layout()
	parts := []string{m.renderHeader(w), m.renderTabs(l)}
	for _, b := range l.banner {
		parts = append(parts, m.th.Banner.Render(component.Fit(" "+b, w, 1)))
	}
	var body string
	if m.showHelp {
		body = m.renderHelp(l.body.W, l.body.H)
	} else {
		body = m.cur().Render()
	}
	parts = append(parts, component.Fit(body, w, l.body.H), m.renderFooter(w))
	out := strings.Join(parts, "\n")
	if m.pal != nil {
		box := m.renderPalette(w, h)
		out = component.OverlayAt(out, box, max(0, (w-lipgloss.Width(box))/2), min(2, max(0, h-strings.Count(box, "\n")-1)))
	}
	if d := m.topDialog(); d != nil {
		out = component.Overlay(out, d.c.Render(m.th, m.opt.Now(), w, h), w, h)
	}
	return out
}

// renderHeader is the project, target, server, connection and deployment;
// when the width is short the less useful parts go first, so the
// connection state and the full deployment id stay.
func (m *Model) renderHeader(w int) string {
	project := "…"
	if m.local != nil {
		project = m.local.Name
	}
	target, ver, dep, cluster := m.opt.Target, "?", "none", ""
	if m.remote != nil {
		if r := m.remote; r.Cluster != "" {
			cluster = fmt.Sprintf("cluster %s %d/%d up", r.Cluster, r.HostsUp, r.Hosts)
			if r.ClusterIssue {
				cluster += " ✗"
			}
		}
		if m.remote.Target != "" {
			target = m.remote.Target
		}
		if m.remote.Database != "" {
			target += "/" + m.remote.Database
		}
		if m.remote.Branch != "" {
			target += " (branch " + m.remote.Branch + ")"
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
	parts := []string{"perch", project, target, "CH " + ver, state, "deploy " + dep, cluster}
	if m.opt.ReadOnly {
		parts = append(parts, "READ-ONLY")
	}
	// drop order when it does not fit: server version, "perch", cluster, target, project
	for _, drop := range []int{3, 0, 6, 2, 1} {
		if ansi.StringWidth(" "+strings.Join(nonEmpty(parts), " · ")) <= w {
			break
		}
		parts[drop] = ""
	}
	s := " " + strings.Join(nonEmpty(parts), " · ")
	return m.th.Header.Bold(true).Render(component.Fit(ansi.Truncate(s, w, "…"), w, 1))
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (m *Model) renderTabs(l *frameLayout) string {
	var b strings.Builder
	for i, label := range l.tabLabels {
		if View(i) == m.view {
			b.WriteString(m.th.Selected.Render(label))
		} else {
			b.WriteString(m.th.Muted.Render(label))
		}
	}
	if f, on := m.filterState(); on || f != "" {
		b.WriteString(m.th.Accent.Render("  /" + f))
		if on {
			b.WriteString(m.th.Cursor.Render(" "))
		}
	}
	if l.activity != "" {
		if gap := m.width - lipgloss.Width(b.String()) - ansi.StringWidth(l.activity) - 1; gap >= 2 {
			b.WriteString(strings.Repeat(" ", gap) + m.th.Accent.Render(l.activity))
		}
	}
	return component.Fit(b.String(), m.width, 1)
}

// renderFooter shows the notice, then the keys of the focused scope (only
// the dialog's while one is open), generated from the keymap; the global
// keys (help, palette, quit) keep the right end, so they stay on screen
// at any width.
func (m *Model) renderFooter(w int) string {
	scope := m.scope()
	var own, global []string
	for _, a := range m.km.Scoped(scope, true) {
		if (len(m.dialogs) > 0 || m.pal != nil) && !a.In(scope) {
			continue
		}
		item := m.th.FooterKey.Render(a.KeyLabel()) + m.th.Footer.Render(" "+a.FooterText())
		if a.In(keys.Global) && !a.In(scope) {
			global = append(global, item)
		} else {
			own = append(own, item)
		}
	}
	if d := m.topDialog(); d != nil && d.c.Info {
		own, global = []string{m.th.FooterKey.Render("esc/⏎") + m.th.Footer.Render(" close")}, nil
	}
	sep := m.th.Faint.Render(" · ")
	right := strings.Join(global, sep)
	left := strings.Join(own, sep)
	if m.notice != "" {
		left = m.th.Info.Render(m.notice)
		if len(own) > 0 {
			left += sep + strings.Join(own, sep)
		}
	}
	if right == "" {
		return ansi.Truncate(" "+left, w, "…")
	}
	room := w - lipgloss.Width(right) - 1
	if room < 12 {
		return ansi.Truncate(" "+left+sep+right, w, "…")
	}
	l := ansi.Truncate(" "+left, room-1, "…")
	gap := max(1, w-lipgloss.Width(l)-lipgloss.Width(right))
	return l + strings.Repeat(" ", gap) + right
}

// renderHelp lists every action reachable in the scope the help was opened
// from, generated from the live keymap.
func (m *Model) renderHelp(w, h int) string {
	var lines []string
	lines = append(lines, m.th.PaneTitleFocused.Render(fmt.Sprintf(" Keys — %s", m.view)), "")
	for _, a := range m.km.Scoped(m.helpScope, false) {
		if a.In(keys.Always) {
			continue // ctrl+c is listed with quit
		}
		label := lipgloss.NewStyle().Width(14).Render(m.th.FooterKey.Render(a.KeyLabel()))
		help := a.Help
		if a.Dangerous {
			help += m.th.Warning.Render("  (asks first)")
		}
		if a.Name == keys.Quit {
			label = lipgloss.NewStyle().Width(14).Render(m.th.FooterKey.Render("q/ctrl+c"))
		}
		lines = append(lines, "  "+label+" "+m.th.Text.Render(help))
	}
	if m.opt.ReadOnly {
		lines = append(lines, "", m.th.Muted.Render("  read-only: applying is disabled"))
	}
	lines = append(lines, "", m.th.Muted.Render("  ? or esc closes this help · j/k scroll it"))
	m.help.SetLines(component.Wrap(lines, w))
	return m.help.Render(w, h)
}

// oneLine puts a message on one line.
func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ⏎ ") }

// plural is "1 row", "2 rows".
func plural(n int, what string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// rowCount is "1 row", "12,345 rows".
func rowCount(n uint64) string {
	if n == 1 {
		return "1 row"
	}
	return workspace.HumanCount(n) + " rows"
}

// pane draws a pane's title line (focused or not) over its body.
func (e *env) paneTitle(text string, focused bool, w int) string {
	st := e.th.PaneTitle
	if focused {
		st = e.th.PaneTitleFocused
	}
	return st.Render(component.Fit(ansi.Truncate(text, w, "…"), w, 1))
}

// separator is a vertical line h rows high.
func (e *env) separator(h int) string {
	return strings.TrimSuffix(strings.Repeat(e.th.Faint.Render("│")+"\n", h), "\n")
}

// rule is the line above a detail pane: marked ▸ when the pane has focus,
// with how to scroll it when it holds more than it shows.
func (e *env) rule(w int, focused bool, detail *component.Viewport) string {
	rule := ""
	if focused {
		rule = "─ ▸ "
	}
	if above, below := detail.More(); above || below {
		hint := " j/k scroll "
		if !focused {
			hint = " tab, then j/k scroll "
		}
		rule += strings.Repeat("─", max(0, w-lipgloss.Width(rule)-lipgloss.Width(hint)-1)) + hint
	}
	rule += strings.Repeat("─", max(0, w-lipgloss.Width(rule)))
	return e.th.Faint.Render(component.Fit(rule, w, 1))
}
