package tui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/tui/highlight"
)

type planState struct {
	plan        *Plan
	err         error
	loading     bool
	list        component.List
	staged      map[string]bool
	showSteps   bool
	stepsOffset int
	// apply
	applying bool
	events   chan ApplyEvent
	log      []ApplyEvent
	result   *ApplyResult
	applyErr error
	// approved are the resources of destructive changes the user confirmed
	// by typing their names in the apply dialog.
	approved []string
	// gen is the project load the plan was computed from.
	gen int
}

func (p *planState) load(m *Model) tea.Cmd {
	p.loading = true
	p.gen = m.localGen
	id := m.ask(panePlan)
	b, ctx := m.backend, m.ctx
	return run(panePlan, id, func() tea.Msg {
		pl, err := b.Plan(ctx)
		return planMsg{pl, err}
	})
}

// show replaces the plan (a fresh one or a revert plan) with every change staged.
func (p *planState) show(m *Model, pl *Plan) {
	p.plan, p.err, p.loading = pl, nil, false
	p.staged = map[string]bool{}
	p.showSteps, p.result, p.applyErr, p.log = false, nil, nil, nil
	for _, c := range pl.Changes {
		p.staged[c.ID] = true
	}
	p.rebuild(m)
}

func (p *planState) onPlan(m *Model, msg planMsg) tea.Cmd {
	if msg.err != nil {
		p.loading, p.err = false, msg.err
		return nil
	}
	p.show(m, msg.plan)
	return nil
}

func actionMarker(c Change) string {
	if c.Marker != "" {
		return c.Marker
	}
	switch c.Action {
	case "create":
		return "+"
	case "drop":
		return "-"
	case "rebuild":
		return "↻"
	case "recreate", "replace":
		return "⟳"
	case "metadata":
		return "·"
	}
	return "~"
}

func (p *planState) change(id string) *Change {
	if p.plan == nil {
		return nil
	}
	for i := range p.plan.Changes {
		if p.plan.Changes[i].ID == id {
			return &p.plan.Changes[i]
		}
	}
	return nil
}

func (p *planState) rebuild(m *Model) {
	if p.plan == nil {
		p.list.SetRows(nil)
		return
	}
	var rows []component.Row
	for _, c := range p.plan.Changes {
		box := "[ ]"
		if p.staged[c.ID] {
			box = "[x]"
		}
		text := fmt.Sprintf("%s %s %s  %s · %s", box, actionMarker(c), c.Resource, c.Method, c.Risk)
		styled := m.th.Text.Render(box+" ") + riskStyle(m, c.Risk).Render(actionMarker(c)) +
			m.th.Bold.Render(" "+c.Resource) + m.th.Muted.Render("  "+c.Method+" ") + riskBadge(m, c.Risk)
		rows = append(rows, component.Row{ID: c.ID, Text: text, Styled: styled})
	}
	p.list.SetRows(rows)
}

func riskStyle(m *Model, r Risk) lipgloss.Style {
	switch r {
	case RiskDestroys:
		return m.th.Error
	case RiskRewrites:
		return m.th.Warning
	}
	return m.th.OK
}

func riskBadge(m *Model, r Risk) string {
	return riskStyle(m, r).Reverse(true).Render(" " + string(r) + " ")
}

// toggle stages or unstages id. Staging pulls in what it depends on;
// unstaging drops what depends on it.
func (p *planState) toggle(id string) {
	if p.staged[id] {
		p.setClosure(id, false, func(c *Change) []string { return p.dependents(c.ID) })
	} else {
		p.setClosure(id, true, func(c *Change) []string { return c.DependsOn })
	}
}

func (p *planState) setClosure(id string, on bool, next func(*Change) []string) {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(id string) {
		c := p.change(id)
		if c == nil || seen[id] {
			return
		}
		seen[id] = true
		p.staged[id] = on
		for _, n := range next(c) {
			walk(n)
		}
	}
	walk(id)
}

func (p *planState) dependents(id string) []string {
	var out []string
	for _, c := range p.plan.Changes {
		for _, d := range c.DependsOn {
			if d == id {
				out = append(out, c.ID)
			}
		}
	}
	return out
}

func (p *planState) stagedIDs() []string {
	var out []string
	if p.plan == nil {
		return nil
	}
	for _, c := range p.plan.Changes {
		if p.staged[c.ID] {
			out = append(out, c.ID)
		}
	}
	return out
}

func (p *planState) action(m *Model, name string) tea.Cmd {
	if !p.showSteps && listAction(&p.list, name) {
		return nil
	}
	switch name {
	case "up":
		p.stepsOffset = max(0, p.stepsOffset-1)
	case "down":
		p.stepsOffset++
	case "plan.stage":
		if id := p.list.SelectedID(); id != "" && !p.applying {
			p.toggle(id)
			p.rebuild(m)
		}
	case "plan.steps":
		p.showSteps, p.stepsOffset = !p.showSteps, 0
	case "back":
		p.showSteps = false
	case "plan.refresh":
		if !p.applying {
			return p.load(m)
		}
	case "plan.apply":
		return p.confirm(m)
	}
	return nil
}

// confirm opens the apply dialog; a destructive change needs its resource
// name typed.
func (p *planState) confirm(m *Model) tea.Cmd {
	if m.opt.ReadOnly || p.applying || p.plan == nil {
		return nil
	}
	ids := p.stagedIDs()
	if len(ids) == 0 {
		return nil
	}
	d := &component.Confirm{Title: fmt.Sprintf("Apply %d staged change(s)?", len(ids)), Opened: m.opt.Now()}
	for _, id := range ids {
		c := p.change(id)
		d.Body = append(d.Body, fmt.Sprintf("%s %s — %s (%s)", actionMarker(*c), c.Resource, c.Method, c.Risk))
		if (c.Destructive || c.Risk == RiskDestroys) && d.Require == "" {
			d.Require = c.Resource
		}
	}
	p.approved = nil
	if d.Require != "" {
		p.approved = []string{d.Require}
	}
	if room := max(3, m.height-14); len(d.Body) > room {
		d.Body = append(d.Body[:room-1], fmt.Sprintf("… and %d more", len(d.Body)-room+1))
	}
	if m.remote != nil {
		d.Body = append(d.Body, "", "target: "+m.remote.Target+"/"+m.remote.Database)
	}
	m.dialog = d
	// redraw when the grace period ends, so the hint stops saying wait
	return m.opt.Tick(component.GracePeriod, func(time.Time) tea.Msg { return graceMsg{} })
}

// startApply runs Apply in a command and listens for its progress events.
func (p *planState) startApply(m *Model) tea.Cmd {
	if m.opt.ReadOnly || p.plan == nil {
		return nil
	}
	p.applying, p.log, p.result, p.applyErr = true, nil, nil, nil
	events := make(chan ApplyEvent, 64)
	p.events = events
	id := m.ask(paneApply)
	req := ApplyRequest{Staged: p.stagedIDs(), Approved: p.approved}
	b, ctx, pl := m.backend, m.ctx, p.plan
	apply := run(paneApply, id, func() tea.Msg {
		res, err := b.Apply(ctx, pl, req, events)
		return applyDoneMsg{res, err}
	})
	return tea.Batch(apply, listen(id, events))
}

// listen waits for the next apply event; the handler re-arms it.
func listen(id uint64, events <-chan ApplyEvent) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-events
		return reply{pane: paneApply, req: id, msg: applyEventMsg{ev, ok}}
	}
}

func (p *planState) onEvent(m *Model, msg applyEventMsg) tea.Cmd {
	if !msg.ok {
		return nil
	}
	p.record(msg.ev)
	return listen(m.pending[paneApply], p.events)
}

// record adds an event to the progress log: a step's later events replace
// its earlier line (running → done), keeping what they do not repeat.
func (p *planState) record(ev ApplyEvent) {
	for i := len(p.log) - 1; i >= 0; i-- {
		old := p.log[i]
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
			p.log[i] = ev
			return
		}
	}
	p.log = append(p.log, ev)
}

func (p *planState) onDone(m *Model, msg applyDoneMsg) tea.Cmd {
	p.applying = false
	p.result, p.applyErr = msg.res, msg.err
	// the remote and the history changed: reload both
	m.history.deps = nil
	return tea.Batch(m.loadRemote(), m.history.load(m))
}

func (p *planState) render(m *Model, w, h int) string {
	title := " Plan"
	if p.plan != nil && p.plan.Title != "" {
		title += " · " + p.plan.Title
	}
	if p.plan != nil {
		title += fmt.Sprintf(" · %d change(s), %d staged", len(p.plan.Changes), len(p.stagedIDs()))
	}
	if p.result != nil && p.applyErr == nil {
		title += " · applied (R recomputes)"
	} else if p.plan != nil && p.gen != m.localGen && p.plan.Title == "" {
		title += " · the project changed since (R recomputes)"
	}
	if m.opt.ReadOnly {
		title += " · read-only"
	}
	head := m.th.PaneTitleFocused.Render(component.Fit(title, w, 1))
	switch {
	case p.err != nil:
		return head + "\n" + m.th.Error.Render(" cannot plan: "+oneLine(p.err.Error()))
	case p.plan == nil:
		return head + "\n" + m.th.Faint.Render(" computing the plan…")
	case len(p.plan.Changes) == 0 && !p.applying && p.result == nil:
		return head + "\n" + m.th.OK.Render(" ✓ nothing to do: the remote matches the project")
	}
	var out []string
	out = append(out, head)
	for _, e := range p.plan.Errors {
		out = append(out, m.th.Error.Render(component.Fit(" ✗ "+oneLine(e), w, 1)))
	}
	listH := min(p.list.Len(), max(3, (h-1)/3))
	out = append(out, p.list.Render(m.th, w, listH, !p.showSteps))
	out = append(out, m.th.Faint.Render(strings.Repeat("─", w)))
	rest := h - (len(out) - 2 + listH + 1)
	var detail []string
	switch {
	case p.applying || p.result != nil || p.applyErr != nil:
		detail = p.renderApply(m, w)
	default:
		detail = p.renderDetail(m, w)
	}
	if p.showSteps {
		off := min(p.stepsOffset, max(0, len(detail)-rest))
		detail = detail[off:]
	} else if len(detail) > rest && rest > 0 {
		// the apply log: keep the newest lines and the outcome in view
		detail = detail[len(detail)-rest:]
	}
	out = append(out, component.Fit(strings.Join(detail, "\n"), w, rest))
	return strings.Join(out, "\n")
}

func (p *planState) renderDetail(m *Model, w int) []string {
	c := p.change(p.list.SelectedID())
	if c == nil {
		return nil
	}
	lines := []string{
		m.th.Bold.Render(" "+c.Resource) + m.th.Muted.Render(" ("+c.Kind+") ") + m.th.Accent.Render(c.Action+" · "+c.Method) + " " + riskBadge(m, c.Risk),
		m.th.Text.Render(" reason: " + c.Reason),
	}
	if c.Estimate != "" {
		lines = append(lines, m.th.Muted.Render(" estimate: "+c.Estimate))
	}
	if len(c.Downstream) > 0 {
		lines = append(lines, m.th.Muted.Render(" downstream: "+strings.Join(c.Downstream, ", ")))
	}
	if len(c.DependsOn) > 0 {
		lines = append(lines, m.th.Muted.Render(" depends on: "+strings.Join(c.DependsOn, ", ")))
	}
	for _, n := range c.Notes {
		lines = append(lines, m.th.Warning.Render(" note: "+n))
	}
	if !p.showSteps {
		lines = append(lines, m.th.Faint.Render(fmt.Sprintf(" %d step(s) — enter shows them with their SQL", len(c.Steps))))
		return lines
	}
	for i, s := range c.Steps {
		lines = append(lines, "", m.th.Bold.Render(fmt.Sprintf(" %d. %s", i+1, s.Title)))
		for _, l := range m.hl.Lines(m.th, highlight.SQL, s.SQL) {
			lines = append(lines, "    "+l)
		}
		if s.Check != "" {
			lines = append(lines, m.th.OK.Render("    check: "+s.Check))
		}
		if s.Undo != "" {
			lines = append(lines, m.th.Muted.Render("    undo: "+oneLine(s.Undo)))
		}
	}
	return lines
}

func (p *planState) renderApply(m *Model, w int) []string {
	var lines []string
	headed := map[string]bool{} // changes whose own line was shown
	for _, ev := range p.log {
		mark, st := "…", m.th.Info
		switch ev.State {
		case "done":
			mark, st = "✓", m.th.OK
		case "failed":
			mark, st = "✗", m.th.Error
		case "undone":
			mark, st = "↶", m.th.Warning
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
			s += fmt.Sprintf(" (%d rows)", ev.Rows)
		}
		if ev.Check != "" {
			s += " · check " + ev.Check
		}
		if ev.Message != "" {
			s += " · " + ev.Message
		}
		lines = append(lines, st.Render(s))
	}
	switch {
	case p.applying:
		lines = append(lines, m.th.Info.Render(" applying… (steps appear as they run)"))
	case p.applyErr != nil:
		lines = append(lines, m.th.Error.Render(" ✗ apply failed: "+oneLine(p.applyErr.Error())))
		if p.result != nil {
			if len(p.result.Undone) > 0 {
				lines = append(lines, m.th.Warning.Render(" undone: "+strings.Join(p.result.Undone, "; ")))
			}
			if p.result.Next != "" {
				lines = append(lines, m.th.Text.Render(" next: "+p.result.Next))
			}
		}
	case p.result != nil:
		lines = append(lines, m.th.OK.Render(" ✓ applied · deployment "+p.result.DeploymentID+" (see 5 History)"))
	}
	return lines
}
