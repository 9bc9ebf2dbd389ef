package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"
)

// MainBranch names the workspace itself among its branches.
const MainBranch = "main"

// BranchSwitcher is implemented by a Backend whose target can move between
// the workspace and its branches (perch branch): the key "branch.next"
// cycles through them. A backend without it has no branches to switch to.
type BranchSwitcher interface {
	// Branches lists the workspace's branches by name (not "main").
	Branches(ctx context.Context) ([]string, error)
	// SwitchBranch points every later call at branch name; MainBranch is
	// the workspace.
	SwitchBranch(ctx context.Context, name string) error
}

// branchSwitchedMsg says the backend now works on branch name.
type branchSwitchedMsg struct {
	name string
	err  error
}

// nextBranch switches the backend to the branch after the current one
// (the workspace, then each branch by name, then the workspace again).
func (m *Model) nextBranch() tea.Cmd {
	bs, ok := m.backend.(BranchSwitcher)
	if !ok {
		return nil
	}
	current := MainBranch
	if m.remote != nil && m.remote.Branch != "" {
		current = m.remote.Branch
	}
	ctx := m.ctx
	return func() tea.Msg {
		names, err := bs.Branches(ctx)
		if err != nil {
			return branchSwitchedMsg{err: err}
		}
		next := nextName(append([]string{MainBranch}, names...), current)
		return branchSwitchedMsg{name: next, err: bs.SwitchBranch(ctx, next)}
	}
}

// nextName is the name after current in names, wrapping around; the first
// when current is not there.
func nextName(names []string, current string) string {
	for i, n := range names {
		if n == current {
			return names[(i+1)%len(names)]
		}
	}
	return names[0]
}

// onBranchSwitched reloads what depends on the target: the remote, and the
// plan and history when they are shown.
func (m *Model) onBranchSwitched(msg branchSwitchedMsg) tea.Cmd {
	if msg.err != nil {
		m.remoteErr = msg.err
		return nil
	}
	m.connState = "connecting"
	m.plan.plan, m.plan.err = nil, nil
	m.history.deps, m.history.err = nil, nil
	return tea.Batch(m.loadRemote(), m.cur().Show())
}
