package branch

import (
	"context"
	"fmt"
	"slices"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
)

// Info is one branch of a workspace: its record and its size now.
type Info struct {
	workspace.BranchRecord
	// SizeRows and SizeBytes are the rows and bytes on disk of every table
	// of the branch database (the copied rows and what the views computed).
	SizeRows  uint64 `json:"size_rows"`
	SizeBytes uint64 `json:"size_bytes"`
}

// List returns the branches of the workspace c is connected to, by name:
// the databases named like its branches that hold perch's branch record
// for this workspace (others are not perch's and are left out).
func List(ctx context.Context, c *workspace.Client) ([]Info, error) {
	ws := c.Target().WorkspaceDatabase()
	dbs, err := c.BranchDatabases(ctx, ws)
	if err != nil {
		return nil, err
	}
	out := []Info{}
	for _, db := range dbs {
		r, err := c.ReadBranchRecord(ctx, db)
		if err != nil {
			return nil, err
		}
		if r == nil || r.Workspace != ws {
			continue
		}
		info := Info{BranchRecord: *r}
		if info.SizeRows, info.SizeBytes, err = c.DatabaseSize(ctx, db); err != nil {
			return nil, err
		}
		out = append(out, info)
	}
	return out, nil
}

// Remove drops branch name of the workspace c is connected to, after
// checking that its database is the branch perch created for this
// workspace and name (a database perch did not create is refused, never
// dropped), and records the removal in the workspace's log.
func Remove(ctx context.Context, a *app.App, c *workspace.Client, name string) (*workspace.BranchRecord, error) {
	if err := workspace.ValidateBranchName(name); err != nil {
		return nil, fmt.Errorf("branch rm: %w", err)
	}
	t := c.Target()
	if t.Branch != "" {
		return nil, fmt.Errorf("branch rm %s: the target is branch %s: remove branches from the workspace (drop --branch)", name, t.Branch)
	}
	db, err := workspace.BranchDatabase(c.Database(), name)
	if err != nil {
		return nil, fmt.Errorf("branch rm: %w", err)
	}
	dbs, err := c.BranchDatabases(ctx, c.Database())
	if err != nil {
		return nil, err
	}
	if !slices.Contains(dbs, db) {
		return nil, fmt.Errorf("branch rm %s: workspace %s has no branch %s (database %s does not exist; perch branch ls lists them)", name, c.Database(), name, db)
	}
	r, err := c.ReadBranchRecord(ctx, db)
	if err != nil {
		return nil, err
	}
	switch {
	case r == nil:
		return nil, fmt.Errorf("branch rm %s: database %s has no %s table: perch did not create it and will not drop it", name, db, workspace.BranchTable)
	case r.Workspace != c.Database() || r.Name != name:
		return nil, fmt.Errorf("branch rm %s: database %s is branch %s of %s, not of %s: not dropped", name, db, r.Name, r.Workspace, c.Database())
	}
	if err := c.Exec(ctx, "DROP DATABASE "+workspace.QuoteIdent(db)); err != nil {
		return nil, fmt.Errorf("branch rm %s: %w", name, err)
	}
	if err := record(ctx, a, c, workspace.OutcomeBranchRemoved, fmt.Sprintf("branch %s removed: database %s", name, db)); err != nil {
		return r, err
	}
	return r, nil
}
