package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/tui/highlight"
	"github.com/perchdata/perch/tui/keys"
	"github.com/perchdata/perch/tui/theme"
)

// View is one of the five screens.
type View int

// The views, in number-key order.
const (
	ViewExplorer View = iota
	ViewLineage
	ViewPreview
	ViewPlan
	ViewHistory
	numViews
)

var viewNames = [...]string{"Explorer", "Lineage", "Preview", "Plan", "History"}

// String returns the view's name as its tab shows it.
func (v View) String() string { return viewNames[v] }

// Options configure the UI.
type Options struct {
	// ReadOnly removes applying (and every other dangerous action).
	ReadOnly bool
	Theme    *theme.Theme
	// Target describes where the remote is (shown before it connects).
	Target string
	// Editor is the command for `e` ($EDITOR); empty means vi.
	Editor string
	// RetryEvery is the delay before reconnecting to an unavailable remote.
	RetryEvery time.Duration
	// Now is the clock (tests pin it).
	Now func() time.Time
	// Tick schedules a timer message (tea.Tick; tests replace it so that
	// timers never fire on their own).
	Tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	// WatchProject reloads the project whenever one of its datafiles changes
	// on disk (edits made in any editor). Off in tests. Editing in $EDITOR
	// starts the watcher when it is off.
	WatchProject bool
	// Activity, when set, is polled every second and its text shown beside
	// the tabs: what happens outside perch meanwhile (the demo's event stream).
	Activity func() string
}

// Model is the root Bubble Tea model. It owns the views, routes messages to
// them, maps keys to actions through the keymap, lays the frame out once
// per frame and handles what crosses views (navigation, dialogs, reloads).
type Model struct {
	*env

	view View
	// trail is the views left by opening something elsewhere; back (esc)
	// returns to them.
	trail    []View
	showHelp bool
	// helpScope is the scope whose keys the help screen lists; help scrolls.
	helpScope keys.Scope
	help      component.Viewport

	explorer *explorerView
	lineage  *lineageView
	preview  *previewView
	plan     *planView
	history  *historyView
	views    [numViews]view

	dialogs []*dialog
	// pal is the command palette or the finder, when open.
	pal *palette

	connState string // connecting, connected, offline
	attempt   int

	// watcher follows the project's files on disk: the only watcher, for
	// Options.WatchProject and for edits in $EDITOR alike.
	watcher *projectWatcher
	// activity is the last text of Options.Activity.
	activity string
	// notice is a short message in the footer, cleared by the next key.
	notice string
	// quitting is set when the user chose to quit during an apply: the
	// apply was cancelled and perch quits once it has stopped.
	quitting bool

	// version bumps on every state change; the frame and its layout are
	// cached behind it.
	version uint64
	frame   component.RenderCache
	lay     frameLayout
}

// New returns the root model for a backend.
func New(ctx context.Context, b Backend, opt Options) *Model {
	if opt.Theme == nil {
		opt.Theme = theme.Dark()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Tick == nil {
		opt.Tick = tea.Tick
	}
	if opt.RetryEvery == 0 {
		opt.RetryEvery = 5 * time.Second
	}
	e := &env{opt: opt, th: opt.Theme, km: keys.New(keys.Default(), opt.ReadOnly), hl: highlight.New(), backend: b, ctx: ctx}
	e.width, e.height = 80, 24
	m := &Model{env: e, connState: "connecting"}
	m.explorer = newExplorer(e)
	m.lineage = newLineage(e)
	m.preview = newPreview(e)
	m.plan = newPlan(e)
	m.history = newHistory(e)
	m.views = [numViews]view{m.explorer, m.lineage, m.preview, m.plan, m.history}
	return m
}

// Close releases what the UI holds after the program ends (the file
// watcher, a preview still running).
func (m *Model) Close() error {
	m.preview.stop()
	if m.watcher != nil {
		return m.watcher.Close()
	}
	return nil
}

// Init loads the local project and, separately, the remote snapshot: the
// first frame never waits for the server.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.loadLocal(), m.loadRemote(), m.pollActivity(), loadLastTest(m.backend, m.ctx))
}

// cur is the view on screen.
func (m *Model) cur() view { return m.views[m.view] }

// pollActivity reads Options.Activity now and again every second.
func (m *Model) pollActivity() tea.Cmd {
	if m.opt.Activity == nil {
		return nil
	}
	return func() tea.Msg { return activityMsg{text: m.opt.Activity()} }
}

func (m *Model) touch() { m.version++ }

func (m *Model) loadLocal() tea.Cmd {
	req := m.ask(paneLocal)
	b, ctx := m.backend, m.ctx
	return run(paneLocal, req, func() tea.Msg {
		l, err := b.Local(ctx)
		return localMsg{l, err}
	})
}

// diagnose completes the loaded project in the background.
func (m *Model) diagnose() tea.Cmd {
	req := m.ask(paneDiagnose)
	b, ctx := m.backend, m.ctx
	return run(paneDiagnose, req, func() tea.Msg {
		l, err := b.Diagnose(ctx)
		return diagnoseMsg{l, err}
	})
}

func (m *Model) loadRemote() tea.Cmd {
	req := m.ask(paneRemote)
	b, ctx, local := m.backend, m.ctx, m.local
	return run(paneRemote, req, func() tea.Msg {
		r, err := b.Remote(ctx, local)
		return remoteMsg{r, err}
	})
}

// Update routes one message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.touch()
		return m.cur().Show()
	case reply:
		if msg.req != m.pending[msg.pane] {
			return nil // stale: the pane asked again since
		}
		m.touch()
		return m.onReply(msg)
	case tea.KeyPressMsg:
		return m.onKey(msg)
	case tea.PasteMsg:
		if m.scope() == keys.PaletteInput {
			m.touch()
			m.typePalette(oneLine(msg.Content))
			return nil
		}
		if t, ok := m.cur().(typer); ok && keys.IsText(m.scope()) && len(m.dialogs) == 0 {
			m.touch()
			return t.Paste(msg.Content)
		}
		return nil
	case tea.MouseClickMsg:
		return m.onClick(msg.Mouse())
	case tea.MouseWheelMsg:
		return m.onWheel(msg.Mouse())
	case retryMsg:
		if msg.attempt != m.attempt || m.connState == "connected" {
			return nil
		}
		m.connState = "connecting"
		m.touch()
		return m.loadRemote()
	case graceMsg:
		m.touch()
		return nil
	case activityMsg:
		if msg.text != m.activity {
			m.activity = msg.text
			m.touch()
		}
		return m.opt.Tick(time.Second, func(time.Time) tea.Msg { return activityTickMsg{} })
	case activityTickMsg:
		return m.pollActivity()
	case branchSwitchedMsg:
		m.touch()
		return m.onBranchSwitched(msg)
	case targetsMsg:
		m.touch()
		return m.onTargets(msg)
	case targetSwitchedMsg:
		m.touch()
		return m.onTargetSwitched(msg)
	case projectChangedMsg:
		// a datafile changed on disk: reload it everywhere, keep watching
		return tea.Batch(m.loadLocal(), m.watcher.next())
	case openMsg:
		m.touch()
		o, ok := m.views[msg.view].(opener)
		if !ok {
			return nil
		}
		cmd := m.switchTo(msg.view, true)
		return tea.Batch(cmd, o.Open(msg.target))
	case revertMsg:
		m.touch()
		return tea.Batch(m.switchTo(ViewPlan, true), m.plan.revert(msg.id))
	case backMsg:
		if len(m.trail) == 0 {
			return nil
		}
		m.touch()
		v := m.trail[len(m.trail)-1]
		m.trail = m.trail[:len(m.trail)-1]
		return m.switchTo(v, false)
	case dialogMsg:
		m.touch()
		return m.openDialog(msg.d)
	case chooseMsg:
		m.touch()
		msg.p.filter()
		m.pal = msg.p
		return nil
	case appliedMsg:
		m.touch()
		if m.quitting {
			return tea.Quit
		}
		// the remote and the history changed: reload both
		return tea.Batch(m.loadRemote(), m.history.reload())
	case testRunMsg:
		m.lastTest = msg.run
		m.touch()
		return nil
	case reloadMsg:
		if m.watcher != nil {
			return nil // the watcher saw the file change and reloads it: once
		}
		return m.loadLocal()
	case watchMsg:
		return m.watch()
	case copyMsg:
		m.notice = "copied " + msg.what + " to the clipboard"
		m.touch()
		return tea.SetClipboard(msg.text)
	case noticeMsg:
		m.notice = msg.text
		m.touch()
		return nil
	}
	// a view's own timer or event (debounce, progress, editor exit)
	var cmds []tea.Cmd
	for _, v := range m.views {
		if cmd := v.Update(msg); cmd != nil {
			cmds = append(cmds, cmd)
		}
	}
	m.touch()
	return tea.Batch(cmds...)
}

// owner is the view that asked for a pane's replies.
func (m *Model) owner(p paneID) view {
	switch p {
	case paneLineage:
		return m.lineage
	case panePreview, paneParams, paneSave, paneVocab, paneQueries, paneTests, paneSides:
		return m.preview
	case panePlan, paneApply:
		return m.plan
	case paneHistory, paneFiles:
		return m.history
	}
	return nil
}

func (m *Model) onReply(r reply) tea.Cmd {
	if v := m.owner(r.pane); v != nil {
		return v.Update(r)
	}
	switch msg := r.msg.(type) {
	case localMsg:
		m.local, m.localErr = msg.local, msg.err
		m.localGen++
		cmds := []tea.Cmd{m.broadcast(projectMsg{})}
		if m.opt.WatchProject {
			cmds = append(cmds, m.watch())
		}
		if m.remote != nil {
			// statuses depend on the local files: snapshot again
			cmds = append(cmds, m.loadRemote())
		}
		if msg.err == nil {
			cmds = append(cmds, m.diagnose())
		}
		return tea.Batch(cmds...)
	case diagnoseMsg:
		if msg.err != nil || msg.local == nil {
			return nil // the fast load already showed the project; keep it
		}
		m.local = msg.local
		return m.broadcast(projectMsg{})
	case remoteMsg:
		if msg.err != nil {
			m.remoteErr = msg.err
			m.remoteGen++
			m.connState = "offline"
			m.attempt++
			a := m.attempt
			return tea.Batch(m.broadcast(remoteChangedMsg{}),
				m.opt.Tick(m.opt.RetryEvery, func(time.Time) tea.Msg { return retryMsg{attempt: a} }))
		}
		m.remote, m.remoteErr, m.connState = msg.remote, nil, "connected"
		m.remoteGen++
		return m.broadcast(remoteChangedMsg{})
	}
	return nil
}

// broadcast tells every view, then lets the one on screen load what it
// now lacks.
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for _, v := range m.views {
		cmds = append(cmds, v.Update(msg))
	}
	return tea.Batch(append(cmds, m.cur().Show())...)
}

// watch starts the project watcher unless it runs.
func (m *Model) watch() tea.Cmd {
	if m.watcher != nil || m.local == nil {
		return nil
	}
	w, err := newProjectWatcher(m.local.Root)
	if err != nil {
		m.notice = "cannot watch the project: " + err.Error()
		return nil
	}
	m.watcher = w
	return w.next()
}

// switchTo shows view v, loading what it needs; with remember, esc comes
// back to the view left.
func (m *Model) switchTo(v View, remember bool) tea.Cmd {
	if remember && v != m.view {
		m.trail = append(m.trail, m.view)
	}
	m.view = v
	m.showHelp = false
	m.touch()
	if v == ViewLineage && m.lineage.selected == "" {
		// the graph opens on the resource the Explorer shows
		m.lineage.Open(m.explorer.list.SelectedID())
	}
	return m.cur().Show()
}

// scope is the key scope of what has focus.
func (m *Model) scope() keys.Scope {
	if d := m.topDialog(); d != nil {
		if d.c.NeedsName() {
			return keys.DialogInput
		}
		return keys.Dialog
	}
	if m.pal != nil {
		return keys.PaletteInput
	}
	if m.showHelp {
		return keys.Help
	}
	return m.cur().Scope()
}
