package live

import (
	"context"
	"fmt"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/branch"
)

// Branches lists the branches of the target's workspace (perch branch ls).
func (b *Backend) Branches(ctx context.Context) ([]string, error) {
	c, err := b.conn(ctx)
	if err != nil {
		return nil, err
	}
	list, err := branch.List(ctx, c)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(list))
	for i, info := range list {
		out[i] = info.Name
	}
	return out, nil
}

// SwitchBranch points the backend at branch name of the workspace
// (workspace.MainBranch: the workspace itself): the next call connects
// there, with nothing of the previous target kept.
func (b *Backend) SwitchBranch(ctx context.Context, name string) error {
	if name != workspace.MainBranch {
		if err := workspace.ValidateBranchName(name); err != nil {
			return fmt.Errorf("switch to branch %s: %w", name, err)
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	sel := b.selection
	sel.Branch = name
	b.retarget(sel)
	return nil
}

// retarget points the backend at sel, keeping nothing of the previous
// target: its connections, snapshot, statuses and plans (b.mu held).
func (b *Backend) retarget(sel workspace.Selection) {
	b.selection = sel
	b.dropSide()
	if b.client != nil {
		b.client.Close()
		b.client = nil
	}
	b.snap, b.remoteProject, b.statuses = nil, nil, nil
	b.plans = map[string]*app.Prepared{}
}
