package live

import (
	"context"
	"fmt"
	"sort"

	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/workspace"
)

// historyDepth is how far back DeploymentFiles looks for a deployment.
const historyDepth = 500

// DeploymentFiles lists the datafiles deployment id changed: its recorded
// files against those of the deployment before it in the log (all of them
// are new for the first one).
func (b *Backend) DeploymentFiles(ctx context.Context, id string) ([]tui.FileChange, error) {
	c, err := b.conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("files of %s: %w", id, err)
	}
	list, err := c.History(ctx, historyDepth)
	if err != nil {
		return nil, fmt.Errorf("files of %s: %w", id, err)
	}
	prevID := ""
	found := false
	for i, d := range list { // newest first
		if d.ID == id {
			found = true
			if i+1 < len(list) {
				prevID = list[i+1].ID
			}
			break
		}
	}
	if !found {
		return nil, fmt.Errorf("files of %s: no such deployment in the last %d", id, historyDepth)
	}
	cur, err := c.Get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("files of %s: %w", id, err)
	}
	var prev *workspace.Deployment
	if prevID != "" {
		if prev, err = c.Get(ctx, prevID); err != nil {
			return nil, fmt.Errorf("files of %s: the deployment before, %s: %w", id, prevID, err)
		}
	}
	return changedFiles(prev, cur), nil
}

// changedFiles compares the files of two deployments (prev may be nil).
func changedFiles(prev, cur *workspace.Deployment) []tui.FileChange {
	before := map[string]string{}
	if prev != nil {
		for _, f := range prev.Files {
			before[f.Path] = f.Text
		}
	}
	var out []tui.FileChange
	seen := map[string]bool{}
	for _, f := range cur.Files {
		seen[f.Path] = true
		if old, ok := before[f.Path]; !ok || old != f.Text {
			out = append(out, tui.FileChange{Path: f.Path, Before: old, After: f.Text})
		}
	}
	for path, old := range before {
		if !seen[path] {
			out = append(out, tui.FileChange{Path: path, Before: old})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
