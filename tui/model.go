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
)

var viewNames = [...]string{"Explorer", "Lineage", "Preview", "Plan", "History"}

// String returns the view's name as its tab shows it.
func (v View) String() string { return viewNames[v] }

func (v View) scope() keys.Scope {
	return [...]keys.Scope{keys.Explorer, keys.Lineage, keys.Preview, keys.Plan, keys.History}[v]
}

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
	// on disk (edits made in any editor). Off in tests.
	WatchProject bool
	// Activity, when set, is polled every second and its text shown beside
	// the tabs: what happens outside perch meanwhile (the demo's event stream).
	Activity func() string
}

// Model is the root Bubble Tea model. It owns every view's state and routes
// messages; the views are plain structs with methods.
type Model struct {
	opt     Options
	th      *theme.Theme
	km      *keys.KeyMap
	hl      *highlight.Highlighter
	backend Backend
	ctx     context.Context

	width, height int
	view          View
	showHelp      bool
	filtering     bool

	local    *Local
	localErr error
	// localGen counts project loads; a plan remembers the one it was made from.
	localGen  int
	remote    *Remote
	remoteErr error
	connState string // connecting, connected, offline
	attempt   int

	// pending is the request id each pane waits for; replies with another id are stale.
	pending [numPanes]uint64
	seq     uint64

	explorer explorerState
	lineage  lineageState
	preview  previewState
	plan     planState
	history  historyState

	dialog *component.Confirm

	// watcher follows the project's files on disk (Options.WatchProject).
	watcher *projectWatcher
	// activity is the last text of Options.Activity.
	activity string

	// version bumps on every state change; the frame is cached behind it.
	version uint64
	frame   component.RenderCache
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
	m := &Model{
		opt: opt, th: opt.Theme, km: keys.New(keys.Default(), opt.ReadOnly),
		hl: highlight.New(), backend: b, ctx: ctx, width: 80, height: 24,
		connState: "connecting",
	}
	m.preview.init(m)
	return m
}

// Close releases what the UI holds after the program ends (the file watcher
// of the external editor, a preview still running).
func (m *Model) Close() error {
	if m.preview.cancel != nil {
		m.preview.cancel()
	}
	if m.watcher != nil {
		m.watcher.Close()
	}
	if m.preview.watcher != nil {
		return m.preview.watcher.Close()
	}
	return nil
}

// Init loads the local project and, separately, the remote snapshot: the
// first frame never waits for the server.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.loadLocal(), m.loadRemote(), m.pollActivity())
}

// pollActivity reads Options.Activity now and again every second.
func (m *Model) pollActivity() tea.Cmd {
	if m.opt.Activity == nil {
		return nil
	}
	return func() tea.Msg { return activityMsg{text: m.opt.Activity()} }
}

func (m *Model) touch() { m.version++ }

// ask returns a new request id for pane p, making older replies stale.
func (m *Model) ask(p paneID) uint64 {
	m.seq++
	m.pending[p] = m.seq
	return m.seq
}

// run wraps a call into a command whose result returns to pane p as request req.
func run(p paneID, req uint64, f func() tea.Msg) tea.Cmd {
	return func() tea.Msg { return reply{pane: p, req: req, msg: f()} }
}

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
		if m.view == ViewLineage {
			return m.lineage.request(m)
		}
		return nil
	case reply:
		if msg.req != m.pending[msg.pane] {
			return nil // stale: the pane asked again since
		}
		m.touch()
		return m.onReply(msg)
	case retryMsg:
		if msg.attempt != m.attempt || m.connState == "connected" {
			return nil
		}
		m.connState = "connecting"
		m.touch()
		return m.loadRemote()
	case tea.KeyPressMsg:
		return m.onKey(msg)
	case tea.PasteMsg:
		m.touch()
		return m.preview.paste(m, msg)
	case tea.MouseClickMsg:
		return m.onClick(msg.Mouse())
	case tea.MouseWheelMsg:
		return m.onWheel(msg.Mouse())
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
	case projectChangedMsg:
		// a datafile changed on disk: reload it everywhere, keep watching
		return tea.Batch(m.loadLocal(), m.watcher.next())
	case debounceMsg, fileChangedMsg, editorDoneMsg, watchErrMsg:
		m.touch()
		return m.preview.onMsg(m, msg)
	}
	return nil
}

func (m *Model) onReply(r reply) tea.Cmd {
	switch msg := r.msg.(type) {
	case localMsg:
		m.local, m.localErr = msg.local, msg.err
		m.localGen++
		m.explorer.rebuild(m)
		m.preview.rebuild(m)
		var cmds []tea.Cmd
		if m.opt.WatchProject && m.watcher == nil && m.local != nil {
			if w, err := newProjectWatcher(m.local.Root); err == nil {
				m.watcher = w
				cmds = append(cmds, w.next())
			}
		}
		if m.view == ViewLineage {
			cmds = append(cmds, m.lineage.request(m))
		}
		if m.remote != nil {
			// statuses depend on the local files: snapshot again
			cmds = append(cmds, m.loadRemote())
		}
		cmds = append(cmds, m.preview.afterReload(m))
		if msg.err == nil {
			cmds = append(cmds, m.diagnose())
		}
		return tea.Batch(cmds...)
	case diagnoseMsg:
		if msg.err != nil || msg.local == nil {
			return nil // the fast load already showed the project; keep it
		}
		m.local = msg.local
		m.explorer.rebuild(m)
		m.preview.rebuild(m)
		return m.preview.afterReload(m)
	case remoteMsg:
		if msg.err != nil {
			m.remoteErr = msg.err
			m.connState = "offline"
			m.attempt++
			a := m.attempt
			m.explorer.rebuild(m)
			return m.opt.Tick(m.opt.RetryEvery, func(time.Time) tea.Msg { return retryMsg{attempt: a} })
		}
		m.remote, m.remoteErr, m.connState = msg.remote, nil, "connected"
		m.explorer.rebuild(m)
		if m.view == ViewLineage && m.lineage.remote {
			return m.lineage.request(m)
		}
		return nil
	case lineageMsg:
		return m.lineage.onDrawing(m, msg)
	case previewMsg:
		return m.preview.onResult(m, msg)
	case planMsg:
		return m.plan.onPlan(m, msg)
	case applyEventMsg:
		return m.plan.onEvent(m, msg)
	case applyDoneMsg:
		return m.plan.onDone(m, msg)
	case historyMsg:
		return m.history.onHistory(m, msg)
	}
	return nil
}

// switchTo shows view v, loading what it needs.
func (m *Model) switchTo(v View) tea.Cmd {
	m.view = v
	m.filtering = false
	m.touch()
	switch v {
	case ViewLineage:
		if m.lineage.selected == "" {
			m.lineage.selected = m.explorer.list.SelectedID()
		}
		return m.lineage.request(m)
	case ViewPlan:
		if m.plan.plan == nil && !m.plan.loading {
			return m.plan.load(m)
		}
	case ViewHistory:
		if m.history.deps == nil && !m.history.loading {
			return m.history.load(m)
		}
	}
	return nil
}

// scope is the key scope of what has focus.
func (m *Model) scope() keys.Scope {
	if m.dialog != nil {
		return keys.Dialog
	}
	if m.view == ViewPreview && m.preview.editing {
		return keys.Editor
	}
	return m.view.scope()
}
