package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"
)

// TargetSwitcher is implemented by a Backend that can move to another
// target of the project (perch.toml's [targets.NAME], the project-local
// server): the palette's "switch target" lists them. A backend without it
// stays on its target.
type TargetSwitcher interface {
	// Targets lists the project's targets by name (--target NAME).
	Targets(ctx context.Context) ([]string, error)
	// SwitchTarget points every later call at target name (its workspace,
	// not a branch), refusing a target that does not resolve.
	SwitchTarget(ctx context.Context, name string) error
}

// targetsMsg is the project's targets, to choose from.
type targetsMsg struct {
	names []string
	err   error
}

// targetSwitchedMsg says the backend now works on target name.
type targetSwitchedMsg struct {
	name string
	err  error
}

// chooseTarget lists the project's targets to switch to.
func (m *Model) chooseTarget() tea.Cmd {
	ts, ok := m.backend.(TargetSwitcher)
	if !ok {
		return emit(noticeMsg{"no other target to switch to"})
	}
	ctx := m.ctx
	return func() tea.Msg {
		names, err := ts.Targets(ctx)
		return targetsMsg{names, err}
	}
}

// currentTarget is the name of the target the UI shows.
func (m *Model) currentTarget() string {
	if m.remote != nil && m.remote.Target != "" {
		return m.remote.Target
	}
	return m.opt.Target
}

// onTargets opens the choice of the target; the chosen one is switched to.
func (m *Model) onTargets(msg targetsMsg) tea.Cmd {
	if msg.err != nil {
		m.notice = "cannot list the targets: " + oneLine(msg.err.Error())
		return nil
	}
	ts := m.backend.(TargetSwitcher)
	p := &palette{title: "Switch the target · the remote, the plan and the history reload from it"}
	current := m.currentTarget()
	for _, n := range msg.names {
		name, where := n, "perch.toml"
		if n == "local" {
			where = "the project-local server"
		}
		if n == current {
			where += " · current"
		}
		ctx := m.ctx
		p.entries = append(p.entries, paletteEntry{text: name, where: where, run: func() tea.Cmd {
			return func() tea.Msg { return targetSwitchedMsg{name: name, err: ts.SwitchTarget(ctx, name)} }
		}})
	}
	p.filter()
	m.pal = p
	return nil
}

// onTargetSwitched drops what came from the old target (its snapshot, the
// plan, the history, a comparison with one of its branches) and loads the
// new one's.
func (m *Model) onTargetSwitched(msg targetSwitchedMsg) tea.Cmd {
	if msg.err != nil {
		m.notice = "cannot switch the target: " + oneLine(msg.err.Error())
		return nil
	}
	m.opt.Target = msg.name
	m.remote, m.remoteErr = nil, nil
	m.remoteGen++
	m.connState = "connecting"
	m.plan.plan, m.plan.err = nil, nil
	m.history.deps, m.history.err = nil, nil
	m.preview.cmp = compareState{}
	m.notice = "switched to target " + msg.name
	return tea.Batch(m.broadcast(remoteChangedMsg{}), m.loadRemote())
}
