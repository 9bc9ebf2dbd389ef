package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/perchdata/perch/tui/component"
)

type lineageState struct {
	drawing          *Drawing
	err              error
	loading          bool
	selected         string
	focus            bool
	remote           bool
	scrollX, scrollY int
	// query is the text typed after `/`: the first node containing it is selected.
	query string
}

// searchKey edits the search text and selects the first node that matches.
func (l *lineageState) searchKey(msg tea.KeyPressMsg) {
	switch msg.String() {
	case "esc":
		l.query = ""
		return
	case "enter":
		return
	case "backspace":
		if q := []rune(l.query); len(q) > 0 {
			l.query = string(q[:len(q)-1])
		}
	default:
		l.query += msg.Text
	}
	if l.drawing == nil || l.query == "" {
		return
	}
	q := strings.ToLower(l.query)
	for _, n := range l.drawing.Nodes {
		if strings.Contains(strings.ToLower(n.Name), q) {
			l.selected = n.Name
			return
		}
	}
}

func (l *lineageState) request(m *Model) tea.Cmd {
	req := LineageRequest{Remote: l.remote, Width: m.width, Height: max(1, m.height-4)}
	if l.focus {
		req.Focus = l.selected
	}
	l.loading = true
	id := m.ask(paneLineage)
	b, ctx := m.backend, m.ctx
	return run(paneLineage, id, func() tea.Msg {
		d, err := b.Lineage(ctx, req)
		return lineageMsg{d, err}
	})
}

func (l *lineageState) onDrawing(m *Model, msg lineageMsg) tea.Cmd {
	l.loading = false
	l.drawing, l.err = msg.d, msg.err
	if l.drawing != nil && l.node(l.selected) == nil && len(l.drawing.Nodes) > 0 {
		l.selected = l.drawing.Nodes[0].Name
	}
	return nil
}

func (l *lineageState) node(name string) *DrawNode {
	if l.drawing == nil {
		return nil
	}
	for i := range l.drawing.Nodes {
		if l.drawing.Nodes[i].Name == name {
			return &l.drawing.Nodes[i]
		}
	}
	return nil
}

// move selects the nearest node in direction (dr, dc).
func (l *lineageState) move(dr, dc int) {
	cur := l.node(l.selected)
	if cur == nil {
		if l.drawing != nil && len(l.drawing.Nodes) > 0 {
			l.selected = l.drawing.Nodes[0].Name
		}
		return
	}
	best, bestD := "", 1<<30
	cx := cur.Col + cur.Width/2
	for _, n := range l.drawing.Nodes {
		if n.Name == cur.Name {
			continue
		}
		x := n.Col + n.Width/2
		dy, dx := n.Row-cur.Row, x-cx
		var ok bool
		var d int
		switch {
		case dr < 0:
			ok, d = dy < 0, -dy*4+abs(dx)
		case dr > 0:
			ok, d = dy > 0, dy*4+abs(dx)
		case dc < 0:
			ok, d = dx < 0, -dx+abs(dy)*20
		case dc > 0:
			ok, d = dx > 0, dx+abs(dy)*20
		}
		if ok && d < bestD {
			best, bestD = n.Name, d
		}
	}
	if best != "" {
		l.selected = best
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func (l *lineageState) action(m *Model, name string) tea.Cmd {
	switch name {
	case "up":
		l.move(-1, 0)
	case "down":
		l.move(1, 0)
	case "lineage.left":
		l.move(0, -1)
	case "lineage.right":
		l.move(0, 1)
	case "lineage.focus":
		l.focus = !l.focus
		return l.request(m)
	case "lineage.remote":
		l.remote = !l.remote
		return l.request(m)
	case "lineage.open", "back":
		if name == "back" && l.focus {
			l.focus = false
			return l.request(m)
		}
		if name == "lineage.open" && l.selected != "" {
			m.explorer.list.SetFilter("")
			m.explorer.list.Select(l.selected)
			m.explorer.detailOffset, m.explorer.moved = 0, true
			return m.switchTo(ViewExplorer)
		}
	}
	return nil
}

func (l *lineageState) click(m *Model, x, y int) tea.Cmd {
	if l.drawing == nil {
		return nil
	}
	row, col := y-1+l.scrollY, x+l.scrollX
	for _, n := range l.drawing.Nodes {
		if n.Row == row && col >= n.Col && col < n.Col+n.Width {
			l.selected = n.Name
		}
	}
	return nil
}

func (l *lineageState) render(m *Model, w, h int) string {
	mode := "local"
	if l.remote {
		mode = "remote"
	}
	title := fmt.Sprintf(" Lineage · %s", mode)
	if l.focus {
		title += " · focus " + l.selected
	}
	if l.selected != "" {
		title += " · selected " + l.selected
	}
	if l.loading {
		title += " · drawing…"
	}
	head := m.th.PaneTitleFocused.Render(component.Fit(title, w, 1))
	switch {
	case l.err != nil:
		return head + "\n" + m.th.Error.Render(" "+l.err.Error())
	case l.drawing == nil:
		return head + "\n" + m.th.Faint.Render(" drawing…")
	case len(l.drawing.Nodes) == 0:
		return head + "\n" + m.th.Faint.Render(" (no resources)")
	}
	bodyH := h - 2
	l.keepVisible(w, bodyH)
	sel := l.node(l.selected)
	up, down := map[string]bool{}, map[string]bool{}
	if sel != nil {
		for _, n := range sel.Upstream {
			up[n] = true
		}
		for _, n := range sel.Downstream {
			down[n] = true
		}
	}
	byRow := map[int][]DrawNode{}
	for _, n := range l.drawing.Nodes {
		byRow[n.Row] = append(byRow[n.Row], n)
	}
	var out []string
	for r := l.scrollY; r < l.scrollY+bodyH && r < len(l.drawing.Lines); r++ {
		out = append(out, l.styleLine(m, l.drawing.Lines[r], byRow[r], up, down, w))
	}
	legend := m.th.Selected.Render(" selected ") + " " + m.th.Info.Render("upstream") + " " +
		m.th.Accent.Render("downstream") + " " + m.th.Changed.Render("changed")
	return head + "\n" + component.Fit(strings.Join(out, "\n"), w, bodyH) + "\n" + legend
}

func (l *lineageState) keepVisible(w, h int) {
	n := l.node(l.selected)
	if n == nil {
		return
	}
	if n.Row < l.scrollY {
		l.scrollY = n.Row
	}
	if n.Row >= l.scrollY+h {
		l.scrollY = n.Row - h + 1
	}
	if n.Col < l.scrollX {
		l.scrollX = n.Col
	}
	if n.Col+n.Width > l.scrollX+w {
		l.scrollX = n.Col + n.Width - w
	}
	l.scrollY = max(0, min(l.scrollY, len(l.drawing.Lines)-1))
}

// styleLine colours the node labels of one plain line and cuts it to the viewport.
func (l *lineageState) styleLine(m *Model, line string, nodes []DrawNode, up, down map[string]bool, w int) string {
	runes := []rune(line)
	var b strings.Builder
	pos := 0
	emit := func(to int, st lipgloss.Style) {
		from := max(pos, l.scrollX)
		to = min(to, l.scrollX+w, len(runes))
		if from < to {
			b.WriteString(st.Render(string(runes[from:to])))
		}
	}
	for _, n := range sortNodes(nodes) {
		if n.Col < pos || n.Col >= len(runes) {
			continue
		}
		emit(n.Col, m.th.Faint)
		pos = n.Col
		st := m.th.Text
		switch {
		case n.Name == l.selected:
			st = m.th.Selected
		case up[n.Name]:
			st = m.th.Info
		case down[n.Name]:
			st = m.th.Accent
		case n.Changed:
			st = m.th.Changed
		}
		emit(n.Col+n.Width, st)
		pos = n.Col + n.Width
	}
	emit(len(runes), m.th.Faint)
	return b.String()
}

func sortNodes(ns []DrawNode) []DrawNode {
	out := append([]DrawNode(nil), ns...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Col < out[j-1].Col; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
