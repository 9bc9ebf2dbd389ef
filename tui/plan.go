package tui

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/tui/highlight"
	"github.com/perchdata/perch/tui/keys"
)

// The panes of the Plan view, in focus order.
const (
	planList = iota
	planDetail
	planPanes
)

// planView lists the changes of the plan, stages them, shows their steps
// and runs the apply, asking for the name of every destructive change.
type planView struct {
	*env
	plan    *Plan
	err     error
	loading bool
	list    component.List
	staged  map[string]bool
	focus   int
	// steps shows every step's SQL in the detail.
	steps bool
	// detail is the selected change (or the apply log), scrolled and wrapped.
	detail component.Viewport
	// apply
	applying bool
	cancel   context.CancelFunc
	events   chan ApplyEvent
	log      []ApplyEvent
	result   *ApplyResult
	applyErr error
	// gen is the project load the plan was computed from.
	gen int

	acts actions
	// layout of the frame
	titleR, errorsR, listR, ruleR, detailR rect
	errLines                               []string
}

func newPlan(e *env) *planView {
	v := &planView{env: e, staged: map[string]bool{}}
	v.acts = actions{
		keys.FocusNext: func() tea.Cmd {
			v.focus = (v.focus + 1) % planPanes
			return nil
		},
		keys.FocusPrev: func() tea.Cmd {
			v.focus = (v.focus + planPanes - 1) % planPanes
			return nil
		},
		keys.Back: func() tea.Cmd {
			switch {
			case v.steps:
				v.steps, v.focus = false, planList
			case v.focus != planList:
				v.focus = planList
			default:
				return emit(backMsg{})
			}
			return nil
		},
		keys.PlanStage: func() tea.Cmd {
			if id := v.list.SelectedID(); id != "" && !v.applying && v.result == nil {
				v.toggle(id)
				v.rebuild()
			}
			return nil
		},
		keys.PlanSteps: func() tea.Cmd {
			v.steps = !v.steps
			v.focus = planList
			if v.steps {
				v.focus = planDetail
			}
			v.detail.Top()
			return nil
		},
		keys.PlanRefresh: func() tea.Cmd {
			if v.applying {
				return emit(noticeMsg{"an apply is running"})
			}
			return v.load()
		},
		keys.PlanApply: v.confirm,
		keys.Copy: func() tea.Cmd {
			c := v.change(v.list.SelectedID())
			if c == nil || len(c.Steps) == 0 {
				return emit(noticeMsg{"no SQL to copy"})
			}
			var sql []string
			for _, s := range c.Steps {
				sql = append(sql, "-- "+s.Title+"\n"+strings.TrimSuffix(s.SQL, ";")+";")
			}
			return emit(copyMsg{text: strings.Join(sql, "\n\n") + "\n", what: fmt.Sprintf("the SQL of %s (%d steps)", c.Resource, len(c.Steps))})
		},
	}
	listAndDetail(v.acts, &v.list, &v.detail, func() bool { return v.focus == planDetail }, nil)
	return v
}

// Scope is the Plan's.
func (v *planView) Scope() keys.Scope { return keys.Plan }

// Actions are the Plan view's handlers.
func (v *planView) Actions() actions { return v.acts }

// Show computes the plan the first time the view is shown.
func (v *planView) Show() tea.Cmd {
	if v.plan == nil && !v.loading && v.err == nil {
		return v.load()
	}
	return nil
}

// planMsg is a plan from the backend (or the error computing it).
type planMsg struct {
	plan *Plan
	err  error
}

// applyEventMsg is one progress event of the apply (ok false: the channel closed).
type applyEventMsg struct {
	ev ApplyEvent
	ok bool
}

// applyDoneMsg is the outcome of the apply.
type applyDoneMsg struct {
	res *ApplyResult
	err error
}

func (v *planView) load() tea.Cmd {
	v.loading, v.err = true, nil
	v.gen = v.localGen
	id := v.ask(panePlan)
	b, ctx := v.backend, v.ctx
	return run(panePlan, id, func() tea.Msg {
		pl, err := b.Plan(ctx)
		return planMsg{pl, err}
	})
}

// revert computes the plan that goes back to deployment id.
func (v *planView) revert(id string) tea.Cmd {
	if v.applying {
		return emit(noticeMsg{"an apply is running: revert when it has finished"})
	}
	v.plan, v.err, v.loading = nil, nil, true
	req := v.ask(panePlan)
	b, ctx := v.backend, v.ctx
	return run(panePlan, req, func() tea.Msg {
		pl, err := b.RevertPlan(ctx, id)
		if pl != nil && pl.Title == "" {
			pl.Title = "revert to " + id
		}
		return planMsg{pl, err}
	})
}

// Update takes plans and the apply's events and outcome.
func (v *planView) Update(msg tea.Msg) tea.Cmd {
	r, ok := msg.(reply)
	if !ok {
		return nil
	}
	switch msg := r.msg.(type) {
	case planMsg:
		v.loading = false
		if msg.err != nil {
			v.err = msg.err
			return nil
		}
		v.show(msg.plan)
	case applyEventMsg:
		if !msg.ok {
			return nil
		}
		v.record(msg.ev)
		v.detail.SetLines(v.applyLines())
		return listen(v.pending[paneApply], v.events)
	case applyDoneMsg:
		v.applying, v.cancel = false, nil
		v.result, v.applyErr = msg.res, msg.err
		if v.result == nil {
			v.result = &ApplyResult{}
		}
		v.detail.SetLines(v.applyLines())
		return emit(appliedMsg{})
	}
	return nil
}

// show replaces the plan (a fresh one or a revert plan) with every change staged.
func (v *planView) show(pl *Plan) {
	v.plan, v.err = pl, nil
	v.staged = map[string]bool{}
	v.steps, v.result, v.applyErr, v.log, v.focus = false, nil, nil, nil, planList
	for _, c := range pl.Changes {
		v.staged[c.ID] = true
	}
	v.detail.Follow = false
	v.detail.Reset(nil)
	v.rebuild()
}

func (v *planView) change(id string) *Change {
	if v.plan == nil {
		return nil
	}
	for i := range v.plan.Changes {
		if v.plan.Changes[i].ID == id {
			return &v.plan.Changes[i]
		}
	}
	return nil
}

// marker is the change's action marker padded for alignment.
func marker(c Change) string { return fmt.Sprintf("%-3s", c.Action.Marker()) }

func (v *planView) rebuild() {
	if v.plan == nil {
		v.list.SetRows(nil)
		return
	}
	var rows []component.Row
	for _, c := range v.plan.Changes {
		box := "[ ]"
		if v.staged[c.ID] {
			box = "[x]"
		}
		text := fmt.Sprintf("%s %s %s  %s · %s", box, marker(c), c.Resource, c.Method, c.Risk)
		styled := v.th.Text.Render(box+" ") + riskStyle(v.env, c.Risk).Render(marker(c)) +
			v.th.Bold.Render(" "+c.Resource) + v.th.Muted.Render("  "+c.Method+" ") + riskBadge(v.env, c.Risk)
		rows = append(rows, component.Row{ID: c.ID, Text: text, Styled: styled})
	}
	v.list.SetRows(rows)
}

func riskStyle(e *env, r Risk) lipgloss.Style {
	switch r {
	case RiskDestroys:
		return e.th.Error
	case RiskRewrites:
		return e.th.Warning
	}
	return e.th.OK
}

func riskBadge(e *env, r Risk) string {
	return riskStyle(e, r).Reverse(true).Render(" " + string(r) + " ")
}

// toggle stages or unstages id. Staging pulls in what it depends on;
// unstaging drops what depends on it.
func (v *planView) toggle(id string) {
	if v.staged[id] {
		v.setClosure(id, false, func(c *Change) []string { return v.dependents(c.ID) })
	} else {
		v.setClosure(id, true, func(c *Change) []string { return c.DependsOn })
	}
}

func (v *planView) setClosure(id string, on bool, next func(*Change) []string) {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(id string) {
		c := v.change(id)
		if c == nil || seen[id] {
			return
		}
		seen[id] = true
		v.staged[id] = on
		for _, n := range next(c) {
			walk(n)
		}
	}
	walk(id)
}

func (v *planView) dependents(id string) []string {
	var out []string
	for _, c := range v.plan.Changes {
		for _, d := range c.DependsOn {
			if d == id {
				out = append(out, c.ID)
			}
		}
	}
	return out
}

func (v *planView) stagedIDs() []string {
	var out []string
	if v.plan == nil {
		return nil
	}
	for _, c := range v.plan.Changes {
		if v.staged[c.ID] {
			out = append(out, c.ID)
		}
	}
	return out
}

// destructive reports whether a change destroys data (its name is typed).
func destructive(c *Change) bool { return c.Destructive || c.Risk == RiskDestroys }

// confirm opens the apply dialog. It asks for the resource name of every
// destructive staged change, one after another; the names confirmed go to
// the backend, which refuses a destructive change not among them.
func (v *planView) confirm() tea.Cmd {
	switch {
	case v.opt.ReadOnly || v.plan == nil:
		return nil
	case v.applying:
		return emit(noticeMsg{"an apply is running"})
	case v.result != nil && v.applyErr == nil:
		return emit(noticeMsg{"this plan was applied: R recomputes it against the remote"})
	case len(v.plan.Errors) > 0:
		return emit(noticeMsg{fmt.Sprintf("the plan has %s: fix them before applying", plural(len(v.plan.Errors), "error"))})
	}
	ids := v.stagedIDs()
	if len(ids) == 0 {
		return emit(noticeMsg{"nothing staged: space stages a change"})
	}
	c := &component.Confirm{Title: fmt.Sprintf("Apply %s?", plural(len(ids), "staged change"))}
	for _, id := range ids {
		ch := v.change(id)
		c.Body = append(c.Body, fmt.Sprintf("%s %s — %s (%s)", marker(*ch), ch.Resource, ch.Method, ch.Risk))
		if destructive(ch) {
			c.Require = append(c.Require, ch.Resource)
			c.Why = append(c.Why, fmt.Sprintf("%s: %s", ch.Method, ch.Risk))
		}
	}
	if v.gen != v.localGen && v.plan.Title == "" {
		c.Body = append(c.Body, "", "the project changed since this plan was computed (esc, then R recomputes it)")
	}
	if v.remote != nil {
		c.Body = append(c.Body, "", "target: "+v.remote.Target+"/"+v.remote.Database)
	}
	return emit(dialogMsg{&dialog{c: c, onConfirm: v.startApply}})
}

// startApply runs Apply in a command and listens for its progress events.
func (v *planView) startApply(approved []string) tea.Cmd {
	if v.opt.ReadOnly || v.plan == nil || v.applying {
		return nil
	}
	v.applying, v.log, v.result, v.applyErr = true, nil, nil, nil
	v.detail.Follow = true
	v.detail.Reset(v.applyLines())
	events := make(chan ApplyEvent, 64)
	v.events = events
	ctx, cancel := context.WithCancel(v.ctx)
	v.cancel = cancel
	id := v.ask(paneApply)
	req := ApplyRequest{Staged: v.stagedIDs(), Approved: approved}
	b, pl := v.backend, v.plan
	apply := run(paneApply, id, func() tea.Msg {
		defer cancel()
		res, err := b.Apply(ctx, pl, req, events)
		return applyDoneMsg{res, err}
	})
	return tea.Batch(apply, listen(id, events))
}

// cancelApply cancels the running apply (perch is quitting).
func (v *planView) cancelApply() {
	if v.cancel != nil {
		v.cancel()
	}
}

// listen waits for the next apply event; the handler re-arms it.
func listen(id uint64, events <-chan ApplyEvent) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-events
		return reply{pane: paneApply, req: id, msg: applyEventMsg{ev, ok}}
	}
}

// record adds an event to the progress log: a step's later events replace
// its earlier line (running → done), keeping what they do not repeat.
func (v *planView) record(ev ApplyEvent) {
	for i := len(v.log) - 1; i >= 0; i-- {
		old := v.log[i]
		if old.Change == ev.Change && old.Title == ev.Title {
			if ev.Message == "" {
				ev.Message = old.Message
			}
			if ev.Rows == 0 {
				ev.Rows = old.Rows
			}
			if ev.Check == "" {
				ev.Check = old.Check
			}
			v.log[i] = ev
			return
		}
	}
	v.log = append(v.log, ev)
}

// Layout places the title, the plan's errors, the list and the detail, and
// fills the detail with the selected change or the apply log.
func (v *planView) Layout(r rect) {
	v.titleR, r = r.splitTop(1)
	v.errLines = nil
	if v.plan != nil {
		for _, e := range v.plan.Errors {
			v.errLines = append(v.errLines, v.th.Error.Render(" ✗ "+oneLine(e)))
		}
		v.errLines = component.Wrap(v.errLines, r.W)
		v.errLines = v.errLines[:min(len(v.errLines), max(1, r.H/4))]
	}
	v.errorsR, r = r.splitTop(len(v.errLines))
	listH := min(v.list.Len(), max(3, r.H/3))
	v.listR, r = r.splitTop(listH)
	v.ruleR, v.detailR = r.splitTop(1)
	if v.applying || v.result != nil {
		v.detail.SetLines(v.applyLines())
	} else {
		v.detail.SetLines(v.changeLines())
	}
}

// Render draws the plan.
func (v *planView) Render() string {
	w := v.titleR.W
	title := " Plan"
	if v.plan != nil && v.plan.Title != "" {
		title += " · " + v.plan.Title
	}
	if v.plan != nil {
		title += fmt.Sprintf(" · %s, %d staged", plural(len(v.plan.Changes), "change"), len(v.stagedIDs()))
	}
	switch {
	case v.result != nil && v.applyErr == nil:
		title += " · applied (R recomputes)"
	case v.plan != nil && v.gen != v.localGen && v.plan.Title == "":
		title += " · the project changed since (R recomputes)"
	}
	if v.opt.ReadOnly {
		title += " · read-only"
	}
	title += v.testsTitle()
	head := v.paneTitle(title, true, w)
	switch {
	case v.err != nil:
		return head + "\n" + strings.Join(component.Wrap([]string{v.th.Error.Render(" cannot plan: " + oneLine(v.err.Error()))}, w), "\n")
	case v.plan == nil:
		return head + "\n" + v.th.Faint.Render(" computing the plan…")
	case len(v.plan.Changes) == 0 && len(v.plan.Errors) == 0 && !v.applying && v.result == nil:
		return head + "\n" + v.th.OK.Render(" ✓ nothing to do: the remote matches the project")
	}
	out := []string{head}
	out = append(out, v.errLines...)
	if v.listR.H > 0 {
		out = append(out, v.list.Render(v.th, w, v.listR.H, v.focus == planList))
	}
	out = append(out, v.rule(w, v.focus == planDetail, &v.detail))
	out = append(out, v.detail.Render(w, v.detailR.H))
	return strings.Join(out, "\n")
}

// changeLines describe the selected change; with steps, every step's SQL.
func (v *planView) changeLines() []string {
	c := v.change(v.list.SelectedID())
	if c == nil {
		return nil
	}
	lines := []string{
		v.th.Bold.Render(" "+c.Resource) + v.th.Muted.Render(" ("+c.Kind+") ") + v.th.Accent.Render(string(c.Action)+" · "+c.Method) + " " + riskBadge(v.env, c.Risk),
		v.th.Text.Render(" reason: " + c.Reason),
	}
	if c.Estimate != "" {
		lines = append(lines, v.th.Muted.Render(" estimate: "+c.Estimate))
	}
	if len(c.Downstream) > 0 {
		lines = append(lines, v.th.Muted.Render(" downstream: "+strings.Join(c.Downstream, ", ")))
	}
	if len(c.DependsOn) > 0 {
		lines = append(lines, v.th.Muted.Render(" depends on: "+strings.Join(c.DependsOn, ", ")))
	}
	for _, n := range c.Notes {
		lines = append(lines, v.th.Warning.Render(" note: "+n))
	}
	if !v.steps {
		lines = append(lines, v.th.Faint.Render(fmt.Sprintf(" %s — enter shows them with their SQL · y copies the SQL", plural(len(c.Steps), "step"))))
		return lines
	}
	for i, s := range c.Steps {
		lines = append(lines, "", v.th.Bold.Render(fmt.Sprintf(" %d. %s", i+1, s.Title)))
		for _, l := range v.hl.Lines(v.th, highlight.SQL, s.SQL) {
			lines = append(lines, "    "+l)
		}
		if s.Check != "" {
			lines = append(lines, v.th.OK.Render("    check: "+s.Check))
		}
		if s.Undo != "" {
			lines = append(lines, v.th.Muted.Render("    undo: "+oneLine(s.Undo)))
		}
	}
	return lines
}

// applyLines are the apply's progress and outcome.
func (v *planView) applyLines() []string {
	var lines []string
	headed := map[string]bool{} // changes whose own line was shown
	for _, ev := range v.log {
		mark, st := "…", v.th.Info
		switch ev.State {
		case "done":
			mark, st = "✓", v.th.OK
		case "failed":
			mark, st = "✗", v.th.Error
		case "undone":
			mark, st = "↶", v.th.Warning
		}
		s := fmt.Sprintf(" %s %s", mark, ev.Change)
		switch {
		case ev.Title != "" && headed[ev.Change]:
			s = fmt.Sprintf("   %s %s", mark, ev.Title)
		case ev.Title != "":
			s = fmt.Sprintf(" %s %s: %s", mark, ev.Change, ev.Title)
		default:
			headed[ev.Change] = true
		}
		if ev.Rows > 0 {
			s += " (" + plural(int(ev.Rows), "row") + ")"
		}
		if ev.Check != "" {
			s += " · check " + ev.Check
		}
		if ev.Message != "" {
			s += " · " + oneLine(ev.Message)
		}
		lines = append(lines, st.Render(s))
	}
	switch {
	case v.applying:
		lines = append(lines, v.th.Info.Render(" applying… (steps appear as they run)"))
	case v.applyErr != nil:
		lines = append(lines, v.th.Error.Render(" ✗ apply failed: "+oneLine(v.applyErr.Error())))
		if len(v.result.Undone) > 0 {
			lines = append(lines, v.th.Warning.Render(" undone: "+strings.Join(v.result.Undone, "; ")))
		}
		if v.result.Next != "" {
			lines = append(lines, v.th.Text.Render(" next: "+v.result.Next))
		}
	case v.result != nil:
		lines = append(lines, v.th.OK.Render(" ✓ applied · deployment "+v.result.DeploymentID+" (see 5 History)"))
	}
	return lines
}

// Click selects the change under the pointer, or focuses the detail.
func (v *planView) Click(p point) tea.Cmd {
	switch {
	case v.listR.Contains(p):
		v.focus = planList
		if v.list.ClickAt(p.Y - v.listR.Y) {
			v.steps = false
			v.detail.Top()
		}
	case v.detailR.Contains(p):
		v.focus = planDetail
	}
	return nil
}

// Wheel scrolls the list or the detail.
func (v *planView) Wheel(p point, d int) {
	if v.listR.Contains(p) {
		v.list.Scroll(d)
		return
	}
	v.detail.Scroll(d)
}
