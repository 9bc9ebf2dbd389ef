package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/tui/keys"
)

// listFilter is the filter a view types over its list: `/` starts it (the
// Input scope), text narrows the list, enter keeps it, esc clears it.
type listFilter struct {
	list *component.List
	on   bool
	// changed is called when the selection may have moved.
	changed func()
}

// add puts the filter's handlers into a view's actions.
func (f *listFilter) add(a actions) {
	a[keys.Filter] = func() tea.Cmd { f.on = true; return nil }
	a[keys.InputDone] = func() tea.Cmd { f.on = false; return nil }
	a[keys.InputCancel] = func() tea.Cmd { f.on = false; f.set(""); return nil }
	a[keys.InputDelete] = func() tea.Cmd {
		if r := []rune(f.list.Filter()); len(r) > 0 {
			f.set(string(r[:len(r)-1]))
		}
		return nil
	}
}

// set changes the filter text.
func (f *listFilter) set(text string) {
	before := f.list.SelectedID()
	f.list.SetFilter(text)
	if f.list.SelectedID() != before && f.changed != nil {
		f.changed()
	}
}

// clear drops the filter; false when there was none.
func (f *listFilter) clear() bool {
	if f.list.Filter() == "" {
		return false
	}
	f.set("")
	return true
}

// Type adds a key's text to the filter.
func (f *listFilter) Type(msg tea.KeyPressMsg) tea.Cmd {
	if msg.Text != "" {
		f.set(f.list.Filter() + msg.Text)
	}
	return nil
}

// Paste adds pasted text to the filter.
func (f *listFilter) Paste(text string) tea.Cmd {
	f.set(f.list.Filter() + oneLine(text))
	return nil
}

// FilterText is the filter and whether it is being typed.
func (f *listFilter) FilterText() (string, bool) { return f.list.Filter(), f.on }
