package plan

import (
	"context"
	"fmt"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/journal"
)

// Against reads the client's workspace as the planner's remote state: a
// snapshot of its database plus the project of its last successful
// deployment, after journal.Settle (an interrupted apply is reported, and
// the merges it stopped restarted), with the proof of every leftover table.
// The snapshot is returned too, for callers that show it.
func Against(ctx context.Context, c *workspace.Client) (*Remote, *workspace.Snapshot, error) {
	rep, err := journal.Settle(ctx, c, journal.SettleOptions{})
	if err != nil {
		return nil, nil, err
	}
	s, err := c.Snapshot(ctx, c.Database())
	if err != nil {
		return nil, nil, err
	}
	d, err := c.Latest(ctx)
	if err != nil {
		return nil, nil, err
	}
	deployed, err := DeployedProject(d)
	if err != nil {
		return nil, nil, err
	}
	r := FromSnapshot(s, c.Cluster(), deployed)
	r.Replication = c.Replication()
	r.Hosts = s.Cluster
	r.Journal = rep
	for _, name := range sortedKeys(r.Tables) {
		if base, _, ok := isLeftover(name); ok && r.Tables[base] != nil {
			if r.Backups[name], err = ProveBackup(ctx, c, name, base); err != nil {
				return nil, nil, err
			}
		}
	}
	return r, s, nil
}

// Compute plans the local project against the client's database and its
// last successful deployment, compiling materialized nodes like Compile
// with no secret set (a materialized node reading one is a plan error;
// other nodes' secrets that are not set, and templates that render only
// with placeholders, are noted on the changes concerned). `perch plan`,
// `perch apply`, the demo and the TUI run ComputeWith, through workspace/app,
// with the environment answering secrets.
func Compute(ctx context.Context, c *workspace.Client, local *datafiles.Project) (*Plan, error) {
	return ComputeWith(ctx, c, local, Options{})
}

// ComputeWith is Compute with planner options (opts.Compile is replaced by
// the compiler Compute uses, which reads secrets and variables through
// opts.Getenv).
func ComputeWith(ctx context.Context, c *workspace.Client, local *datafiles.Project, opts Options) (*Plan, error) {
	remote, _, err := Against(ctx, c)
	if err != nil {
		return nil, err
	}
	notes := newCompileNotes(opts.Getenv)
	opts.Compile = notes.compile
	p, err := Build(local, remote, opts)
	if err != nil {
		return nil, fmt.Errorf("plan %s: %w", local.Root, err)
	}
	notes.annotate(p)
	if err := CheckViews(ctx, c, p); err != nil {
		return nil, fmt.Errorf("plan %s: %w", local.Root, err)
	}
	return p, nil
}
