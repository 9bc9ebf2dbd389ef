package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/perchdata/perch/tui/component"
)

type historyState struct {
	deps    []Deployment
	err     error
	loading bool
	list    component.List
	show    bool
}

func (hs *historyState) load(m *Model) tea.Cmd {
	hs.loading = true
	id := m.ask(paneHistory)
	b, ctx := m.backend, m.ctx
	return run(paneHistory, id, func() tea.Msg {
		d, err := b.History(ctx)
		return historyMsg{d, err}
	})
}

func (hs *historyState) onHistory(m *Model, msg historyMsg) tea.Cmd {
	hs.loading, hs.err = false, msg.err
	if msg.err != nil {
		return nil
	}
	hs.deps = msg.deps
	if hs.deps == nil {
		hs.deps = []Deployment{}
	}
	rows := make([]component.Row, len(hs.deps))
	for i, d := range hs.deps {
		text := fmt.Sprintf("%s  %-24s  %-10s %-8s %-9s %s", d.Time.UTC().Format("2006-01-02 15:04"), short(d.ID, 24), short(d.Author, 10), short(d.Commit, 8), d.Outcome, d.Message)
		st := m.th.OK
		if d.Outcome != "ok" && d.Outcome != "success" {
			st = m.th.Error
		}
		styled := m.th.Muted.Render(text[:16]) + m.th.Text.Render(fmt.Sprintf("  %-24s  %-10s %-8s ", short(d.ID, 24), short(d.Author, 10), short(d.Commit, 8))) +
			st.Render(fmt.Sprintf("%-9s", d.Outcome)) + m.th.Text.Render(" "+d.Message)
		rows[i] = component.Row{ID: d.ID, Text: text, Styled: styled}
	}
	hs.list.SetRows(rows)
	return nil
}

func short(s string, n int) string {
	if len([]rune(s)) > n {
		return string([]rune(s)[:n])
	}
	return s
}

func (hs *historyState) selected() *Deployment {
	id := hs.list.SelectedID()
	for i := range hs.deps {
		if hs.deps[i].ID == id {
			return &hs.deps[i]
		}
	}
	return nil
}

func (hs *historyState) action(m *Model, name string) tea.Cmd {
	if listAction(&hs.list, name) {
		return nil
	}
	switch name {
	case "history.show":
		hs.show = !hs.show
	case "back":
		hs.show = false
	case "history.revert":
		d := hs.selected()
		if d == nil {
			return nil
		}
		m.plan.plan, m.plan.err, m.plan.loading = nil, nil, true
		id := m.ask(panePlan)
		b, ctx := m.backend, m.ctx
		cmd := run(panePlan, id, func() tea.Msg {
			pl, err := b.RevertPlan(ctx, d.ID)
			if pl != nil && pl.Title == "" {
				pl.Title = "revert to " + d.ID
			}
			return planMsg{pl, err}
		})
		m.view = ViewPlan
		return cmd
	}
	return nil
}

func (hs *historyState) render(m *Model, w, h int) string {
	head := m.th.PaneTitleFocused.Render(component.Fit(fmt.Sprintf(" History · %d deployment(s)", len(hs.deps)), w, 1))
	switch {
	case hs.err != nil:
		return head + "\n" + m.th.Error.Render(" cannot read the deployment log: "+oneLine(hs.err.Error()))
	case hs.deps == nil:
		return head + "\n" + m.th.Faint.Render(" loading…")
	case len(hs.deps) == 0:
		return head + "\n" + m.th.Faint.Render(" no deployments yet: apply a plan (4) to record one")
	}
	cols := m.th.Faint.Render(component.Fit(fmt.Sprintf("%-16s  %-24s  %-10s %-8s %-9s %s", "time", "id", "author", "commit", "outcome", "message"), w, 1))
	listH := h - 2
	var detail []string
	if d := hs.selected(); hs.show && d != nil {
		listH = min(max(3, len(hs.deps)), (h-2)/2)
		who := fmt.Sprintf(" by %s at %s", d.Author, d.Time.UTC().Format("2006-01-02 15:04:05 UTC"))
		if d.Commit != "" {
			who += " · commit " + d.Commit
		}
		detail = append(detail, m.th.Faint.Render(strings.Repeat("─", w)),
			m.th.Bold.Render(" deployment "+d.ID+" · "+d.Outcome), m.th.Muted.Render(who))
		if d.Message != "" {
			detail = append(detail, m.th.Text.Render(" "+d.Message))
		}
		for _, c := range d.Changes {
			detail = append(detail, m.th.Text.Render("  • "+c))
		}
		detail = append(detail, m.th.Muted.Render(" r prepares a revert plan (shown in Plan, never applied silently)"))
	}
	out := head + "\n" + cols + "\n" + hs.list.Render(m.th, w, listH, true)
	if len(detail) > 0 {
		out += "\n" + component.Fit(strings.Join(detail, "\n"), w, h-2-listH)
	}
	return out
}
