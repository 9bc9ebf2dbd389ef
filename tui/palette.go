package tui

import (
	"fmt"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/sahilm/fuzzy"

	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/tui/keys"
)

// palette is the command palette (`:`, every action by name, generated
// from the keymap) or the finder (`ctrl+p`, every resource and node): a
// text field over a fuzzy-ranked list; enter runs the selected entry.
type palette struct {
	title   string
	query   string
	entries []paletteEntry
	// shown are the entries matching the query, best first (indexes).
	shown []int
	sel   int
}

// paletteEntry is one line of the palette: what it does, where, its keys.
type paletteEntry struct {
	text, where, keys string
	run               func() tea.Cmd
}

// filter ranks the entries by the query (all of them, in order, when empty).
func (p *palette) filter() {
	p.shown = p.shown[:0]
	if p.query == "" {
		for i := range p.entries {
			p.shown = append(p.shown, i)
		}
	} else {
		// what an entry does first, then where it is
		texts, wheres := make([]string, len(p.entries)), make([]string, len(p.entries))
		for i, e := range p.entries {
			texts[i], wheres[i] = e.text, e.text+" "+e.where
		}
		seen := map[int]bool{}
		for _, m := range fuzzy.Find(p.query, texts) {
			p.shown, seen[m.Index] = append(p.shown, m.Index), true
		}
		for _, m := range fuzzy.Find(p.query, wheres) {
			if !seen[m.Index] {
				p.shown = append(p.shown, m.Index)
			}
		}
		// the words typed as written come before letters scattered
		q := strings.ToLower(p.query)
		tier := func(i int) int {
			t := strings.ToLower(p.entries[i].text)
			switch {
			case strings.HasPrefix(t, q):
				return 0
			case strings.Contains(t, " "+q):
				return 1
			case strings.Contains(t, q):
				return 2
			}
			return 3
		}
		sort.SliceStable(p.shown, func(a, b int) bool { return tier(p.shown[a]) < tier(p.shown[b]) })
	}
	p.sel = 0
}

// focusScoper is a view with panes of their own scope (the Preview's rows).
type focusScoper interface {
	FocusScope(s keys.Scope)
}

// scopeView is the view whose scope (or pane scope) an action is in
// (false: global).
func scopeView(s keys.Scope) (View, bool) {
	if v, ok := keys.PaneScopes[s]; ok {
		s = v
	}
	for i, vs := range keys.ViewScopes {
		if s == vs {
			return View(i), true
		}
	}
	return 0, false
}

// paletteSkips are actions the palette does not offer: moves, the
// palette itself, and what only makes sense with a key in hand.
var paletteSkips = map[keys.Name]bool{
	keys.Up: true, keys.Down: true, keys.PageUp: true, keys.PageDown: true, keys.Top: true, keys.Bottom: true,
	keys.Left: true, keys.Right: true, keys.Back: true, keys.Palette: true, keys.Interrupt: true,
	keys.FocusNext: true, keys.FocusPrev: true,
}

// commandPalette lists every action of the keymap reachable from a view,
// by name: one entry per action and view. Running one shows its view
// first. Adding an action to the keymap (keys/default.go, with its
// handler in the view) adds it here.
func (m *Model) commandPalette() *palette {
	p := &palette{title: "Run an action"}
	seen := map[string]bool{}
	for _, a := range m.km.All() {
		if paletteSkips[a.Name] {
			continue
		}
		for _, s := range a.Scopes {
			v, isView := scopeView(s)
			if !isView && s != keys.Global {
				continue // a text scope or a dialog: its keys need what is typed
			}
			id := string(a.Name) + "\x00" + fmt.Sprint(v, isView) + "\x00" + a.Help
			if seen[id] {
				continue
			}
			seen[id] = true
			e := paletteEntry{text: a.Help, keys: a.KeyLabel(), where: "any view"}
			name, scope := a.Name, s
			if isView {
				e.where = v.String()
				e.run = func() tea.Cmd {
					cmd := m.switchTo(v, true)
					if f, ok := m.views[v].(focusScoper); ok {
						f.FocusScope(scope)
					}
					if h := m.views[v].Actions()[name]; h != nil {
						return tea.Batch(cmd, h())
					}
					return tea.Batch(cmd, m.rootActions()[name]())
				}
			} else {
				e.run = func() tea.Cmd {
					if h := m.handler(m.cur().Scope(), name); h != nil {
						return h()
					}
					return nil
				}
			}
			p.entries = append(p.entries, e)
		}
	}
	p.filter()
	return p
}

// finder lists every resource and pipe node; the selected one opens in
// the view on screen (the Explorer when the view shows neither).
func (m *Model) finder() *palette {
	p := &palette{title: "Find a resource or node · jumps to it in " + m.view.String()}
	if m.local != nil {
		for _, r := range m.local.Resources {
			name := r.Name
			p.entries = append(p.entries, paletteEntry{text: name, where: r.Kind, run: func() tea.Cmd { return m.jump(name, "") }})
			for _, n := range r.Nodes {
				node := n
				p.entries = append(p.entries, paletteEntry{text: name + "." + node, where: "node of " + name, run: func() tea.Cmd { return m.jump(name, node) }})
			}
		}
	}
	if m.remote != nil {
		for name, rr := range m.remote.Resources {
			if m.local.Resource(name) == nil {
				n := name
				p.entries = append(p.entries, paletteEntry{text: n, where: rr.Kind + " · " + string(rr.Status), run: func() tea.Cmd { return m.jump(n, "") }})
			}
		}
	}
	p.filter()
	return p
}

// jump shows resource (or one of its nodes) in the current view: the
// Explorer and the Lineage select it, the Preview opens the node (a pipe's
// first node, a data source's rows), the Plan selects its change.
func (m *Model) jump(resource, node string) tea.Cmd {
	switch m.view {
	case ViewLineage:
		return m.lineage.Open(resource)
	case ViewPreview:
		target := resource
		r := m.local.Resource(resource)
		switch {
		case node != "":
			target = resource + "." + node
		case r != nil && len(r.Nodes) > 0:
			target = resource + "." + r.Nodes[0]
		case r == nil || r.Kind != "datasource":
			return emit(noticeMsg{resource + " has no node to preview"})
		}
		return m.preview.Open(target)
	case ViewPlan:
		if c := m.plan.changeOf(resource); c != "" {
			m.plan.list.Select(c)
			m.plan.detail.Top()
			return nil
		}
		return emit(noticeMsg{"the plan has no change to " + resource})
	case ViewExplorer:
		return m.explorer.Open(resource)
	}
	return tea.Batch(m.switchTo(ViewExplorer, true), m.explorer.Open(resource))
}

// paletteActions are the handlers of the PaletteInput scope.
func (m *Model) paletteActions() actions {
	move := func(d int) func() tea.Cmd {
		return func() tea.Cmd {
			if n := len(m.pal.shown); n > 0 {
				m.pal.sel = (m.pal.sel + d + n) % n
			}
			return nil
		}
	}
	return actions{
		keys.PaletteRun: func() tea.Cmd {
			p := m.pal
			m.pal = nil
			if len(p.shown) == 0 {
				return nil
			}
			return p.entries[p.shown[p.sel]].run()
		},
		keys.PalettePrev:  move(-1),
		keys.PaletteNext:  move(1),
		keys.PaletteClose: func() tea.Cmd { m.pal = nil; return nil },
		keys.InputDelete: func() tea.Cmd {
			if r := []rune(m.pal.query); len(r) > 0 {
				m.pal.query = string(r[:len(r)-1])
				m.pal.filter()
			}
			return nil
		},
	}
}

// typePalette narrows the palette by typed text.
func (m *Model) typePalette(text string) {
	m.pal.query += text
	m.pal.filter()
}

// renderPalette draws the palette box to overlay the screen.
func (m *Model) renderPalette(width, height int) string {
	p := m.pal
	w := max(20, min(width-4, 90)-4)
	rows := max(1, min(len(p.entries), height-8, 14))
	lines := []string{
		m.th.Warning.Bold(true).Render(ansi.Truncate(p.title, w, "…")),
		"> " + p.query + m.th.Cursor.Render(" "),
		"",
	}
	first := max(0, min(p.sel-rows+1, len(p.shown)-rows))
	for i := first; i < len(p.shown) && i < first+rows; i++ {
		e := p.entries[p.shown[i]]
		right := e.where
		if e.keys != "" {
			right += " · " + e.keys
		}
		room := max(1, w-ansi.StringWidth(right)-2)
		left := ansi.Truncate(e.text, room, "…")
		pad := strings.Repeat(" ", max(1, w-ansi.StringWidth(left)-ansi.StringWidth(right)))
		line := left + pad + right
		if i == p.sel {
			lines = append(lines, m.th.Selected.Render(line))
		} else {
			lines = append(lines, m.th.Text.Render(left)+pad+m.th.Muted.Render(right))
		}
	}
	if len(p.shown) == 0 {
		lines = append(lines, m.th.Faint.Render("no match for "+p.query))
	}
	lines = append(lines, "", m.th.Muted.Render(fmt.Sprintf("%d of %d · type to narrow · ↑↓ choose · enter run · esc close", len(p.shown), len(p.entries))))
	for i, l := range lines {
		lines[i] = component.Fit(l, w, 1)
	}
	return m.th.Dialog.Render(strings.Join(lines, "\n"))
}
