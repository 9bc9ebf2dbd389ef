package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/tui/keys"
)

// listAndDetail adds the moves of a view made of a list and a scrolling
// detail: with the list focused they move the selection (the detail goes
// back to its top, then after runs, if set), with the detail focused they
// scroll it.
func listAndDetail(a actions, list *component.List, detail *component.Viewport, inDetail func() bool, after func() tea.Cmd) {
	nav := func(onList func(), onDetail func()) func() tea.Cmd {
		return func() tea.Cmd {
			if inDetail() {
				onDetail()
				return nil
			}
			onList()
			detail.Top()
			if after != nil {
				return after()
			}
			return nil
		}
	}
	a[keys.Up] = nav(func() { list.Move(-1) }, func() { detail.Scroll(-1) })
	a[keys.Down] = nav(func() { list.Move(1) }, func() { detail.Scroll(1) })
	a[keys.PageUp] = nav(func() { list.Page(-1) }, func() { detail.Page(-1) })
	a[keys.PageDown] = nav(func() { list.Page(1) }, func() { detail.Page(1) })
	a[keys.Top] = nav(list.Top, detail.Top)
	a[keys.Bottom] = nav(list.Bottom, detail.Bottom)
}
