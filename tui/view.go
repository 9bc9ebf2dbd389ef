package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/perchdata/perch/tui/highlight"
	"github.com/perchdata/perch/tui/keys"
	"github.com/perchdata/perch/tui/theme"
)

// view is one of the five screens. The root owns the views and hands each
// its rectangle; views never touch each other or the root's state: they
// return commands, and anything that crosses views (open a resource in
// another view, show a dialog, reload the project) is a typed message the
// root handles.
type view interface {
	// Scope is the key scope of what has focus in the view.
	Scope() keys.Scope
	// Actions are the handlers of the actions of the view's scopes, by
	// name; the keymap is the only way keys reach them.
	Actions() actions
	// Layout places the view's panes in r; Render draws them and Click and
	// Wheel hit-test them, all from the one layout of the frame.
	Layout(r rect)
	// Render draws the view into the rectangle of the last Layout.
	Render() string
	// Click handles a left click at screen point p.
	Click(p point) tea.Cmd
	// Wheel scrolls the pane under screen point p by d rows.
	Wheel(p point, d int)
	// Update handles a message for the view: a reply to one of its
	// requests, a timer, a change of the project or the remote.
	Update(msg tea.Msg) tea.Cmd
	// Show is called when the view is on screen after a switch, a resize
	// or a reload: it loads what it lacks (nil when nothing).
	Show() tea.Cmd
}

// typer is a view with panes that take text (Scope is a text scope).
type typer interface {
	// Type handles a key the text scope does not bind: text to insert, or
	// an editing key of the editor.
	Type(msg tea.KeyPressMsg) tea.Cmd
	// Paste inserts pasted text.
	Paste(text string) tea.Cmd
}

// opener is a view that can be opened on a target by another view (through
// the root): a resource name, a node "pipe.node".
type opener interface {
	Open(target string) tea.Cmd
}

// actions maps action names to handlers.
type actions map[keys.Name]func() tea.Cmd

// rect is a rectangle of the screen.
type rect struct{ X, Y, W, H int }

// point is a cell of the screen.
type point struct{ X, Y int }

// Contains reports whether p is inside r.
func (r rect) Contains(p point) bool {
	return p.X >= r.X && p.X < r.X+r.W && p.Y >= r.Y && p.Y < r.Y+r.H
}

// splitTop cuts n rows off the top of r: the top part and the rest.
func (r rect) splitTop(n int) (rect, rect) {
	n = min(max(0, n), r.H)
	return rect{r.X, r.Y, r.W, n}, rect{r.X, r.Y + n, r.W, r.H - n}
}

// splitLeft cuts n columns off the left of r and one for a separator: the
// left part and the rest.
func (r rect) splitLeft(n int) (rect, rect) {
	n = min(max(0, n), r.W)
	return rect{r.X, r.Y, n, r.H}, rect{r.X + n + 1, r.Y, max(0, r.W-n-1), r.H}
}

// env is what every view reads: the options, theme, keymap, highlighter,
// the backend and what was loaded. Only the root writes the project and the
// remote; views read them and reach the backend through commands.
type env struct {
	opt     Options
	th      *theme.Theme
	km      *keys.KeyMap
	hl      *highlight.Highlighter
	backend Backend
	ctx     context.Context

	local    *Local
	localErr error
	// localGen counts project loads; a plan remembers the one it was made from.
	localGen  int
	remote    *Remote
	remoteErr error
	// remoteGen counts remote snapshots (and failures to get one).
	remoteGen int
	// lastTest is the last test run (perch test, or t in the Preview).
	lastTest *TestRun
	// width and height are the terminal's.
	width, height int

	// pending is the request id each pane waits for; replies with another id are stale.
	pending [numPanes]uint64
	seq     uint64
}

// ask returns a new request id for pane p, making older replies stale.
func (e *env) ask(p paneID) uint64 {
	e.seq++
	e.pending[p] = e.seq
	return e.seq
}

// run wraps a call into a command whose result returns to pane p as request req.
func run(p paneID, req uint64, f func() tea.Msg) tea.Cmd {
	return func() tea.Msg { return reply{pane: p, req: req, msg: f()} }
}

// emit is a command that delivers msg to the root.
func emit(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// Messages from the views to the root.
type (
	// openMsg shows a view opened on a target (see opener).
	openMsg struct {
		view   View
		target string
	}
	// revertMsg shows the plan that reverts to a deployment.
	revertMsg struct{ id string }
	// dialogMsg opens a dialog over the screen.
	dialogMsg struct{ d *dialog }
	// chooseMsg opens a palette of choices (the other side of a
	// comparison, a target) over the screen.
	chooseMsg struct{ p *palette }
	// appliedMsg says an apply ended: the remote and history changed.
	appliedMsg struct{}
	// reloadMsg says a datafile was written (a save, $EDITOR exiting): the
	// root reloads the project unless its watcher does it anyway.
	reloadMsg struct{}
	// copyMsg puts text on the clipboard (OSC 52) and says so.
	copyMsg struct{ text, what string }
	// noticeMsg shows a short message in the footer until the next key.
	noticeMsg struct{ text string }
	// watchMsg asks for the project watcher (the external editor needs it).
	watchMsg struct{}
	// backMsg says the view has nothing left to go back from: the root
	// returns to the view left before.
	backMsg struct{}
)

// Broadcasts from the root to every view (delivered through Update).
type (
	// projectMsg says the project was (re)loaded or diagnosed.
	projectMsg struct{}
	// remoteChangedMsg says the remote snapshot (or its error) changed.
	remoteChangedMsg struct{}
	// resizeMsg says the window size changed.
	resizeMsg struct{}
)
