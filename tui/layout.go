package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/perchdata/perch/tui/component"
)

// frameLayout is where everything of one frame is: computed once per frame
// (per state version and size) and used both to draw and to hit-test.
type frameLayout struct {
	key   component.RenderKey
	valid bool

	header, tabBar, body, footer rect
	// banner is the offline banner, wrapped to the width.
	banner     []string
	bannerRect rect
	// tabs is where each tab is on the tab row, with its label.
	tabs      [numViews]rect
	tabLabels [numViews]string
	// activity is Options.Activity's text as it fits beside the tabs.
	activity string
}

// layout returns the layout of the current frame, computing it (and the
// focused view's) when the state or the size changed.
func (m *Model) layout() *frameLayout {
	k := component.RenderKey{Version: m.version, Width: m.width, Height: m.height, Theme: m.th.Name}
	if m.lay.valid && m.lay.key == k {
		return &m.lay
	}
	l := frameLayout{key: k, valid: true}
	w, h := m.width, m.height
	l.header = rect{0, 0, w, 1}
	l.tabBar = rect{0, 1, w, 1}
	m.placeTabs(&l)
	if b := m.bannerText(); b != "" {
		l.banner = strings.Split(ansi.Wordwrap(b, max(1, w-1), " "), "\n")
		l.banner = l.banner[:min(len(l.banner), max(1, h/4))]
	}
	l.bannerRect = rect{0, 2, w, len(l.banner)}
	top := 2 + len(l.banner)
	l.body = rect{0, top, w, max(0, h-top-1)}
	l.footer = rect{0, h - 1, w, 1}
	if !m.showHelp {
		m.cur().Layout(l.body)
	}
	m.lay = l
	return &m.lay
}

// placeTabs lays the tabs out: full names when they fit beside the
// activity text, else short ones, the activity cut to what is left.
func (m *Model) placeTabs(l *frameLayout) {
	label := func(i int, short bool) string {
		name := viewNames[i]
		if short && View(i) != m.view {
			name = name[:3]
		}
		return fmt.Sprintf(" %d %s ", i+1, name)
	}
	width := func(short bool) int {
		n := 0
		for i := range viewNames {
			n += len(label(i, short))
		}
		return n + m.filterWidth()
	}
	short := false
	act := m.activity
	if act != "" && width(false)+2+ansi.StringWidth(act) > m.width {
		short = true
	}
	x := 0
	for i := range viewNames {
		s := label(i, short)
		l.tabLabels[i] = s
		l.tabs[i] = rect{x, 1, len(s), 1}
		x += len(s)
	}
	if act != "" {
		room := m.width - width(short) - 2
		switch {
		case ansi.StringWidth(act) <= room:
		case room >= 12:
			act = ansi.Truncate(act, room, "…")
		default:
			act = ""
		}
	}
	l.activity = act
}

// filterWidth is the room the filter text takes on the tab row.
func (m *Model) filterWidth() int {
	f, on := m.filterState()
	if !on && f == "" {
		return 0
	}
	return 3 + ansi.StringWidth(f) + 1
}

// filterState is the focused view's filter text and whether it is typed.
func (m *Model) filterState() (string, bool) {
	if f, ok := m.cur().(filterer); ok {
		return f.FilterText()
	}
	return "", false
}

// filterer is a view with a filter (or search) shown on the tab row.
type filterer interface {
	// FilterText is the filter's text and whether it is being typed.
	FilterText() (string, bool)
}

// bannerText explains a missing remote: why, how to fix, and that perch
// retries; with the remote read, it says what the workspace reports (an
// apply running or interrupted, and what to run about it).
func (m *Model) bannerText() string {
	if m.remoteErr == nil {
		if m.remote != nil && len(m.remote.Warnings) > 0 {
			return "⚠ " + strings.Join(m.remote.Warnings, " · ")
		}
		return ""
	}
	return fmt.Sprintf("remote unavailable: %s · local project only. Fix: `perch local start` or --dsn/--target/PERCH_DSN · retrying every %s (ctrl+r now)",
		oneLine(m.remoteErr.Error()), m.opt.RetryEvery)
}
