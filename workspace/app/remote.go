package app

import (
	"context"
	"fmt"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/journal"
	"github.com/perchdata/perch/workspace/plan"
)

// Remote is the workspace as the application reads it at one moment: the
// live snapshot, the last successful deployment and its datafiles, and the
// drift between the two.
type Remote struct {
	Snapshot *workspace.Snapshot
	// Latest is the last successful deployment; nil when perch never deployed here.
	Latest *workspace.Deployment
	// Deployed is the project Latest's datafiles load to; nil with Latest.
	Deployed *datafiles.Project
	Drift    *workspace.DriftReport
	// Journal is an apply running or interrupted, and what was done to
	// restore ingestion (journal.Settle); empty when none.
	Journal *journal.Report
}

// ReadRemote settles the apply journal (an interrupted apply is reported,
// the merges it stopped restarted), snapshots the client's database and
// reads its deployment log.
func ReadRemote(ctx context.Context, c *workspace.Client) (*Remote, error) {
	rep, err := journal.Settle(ctx, c, journal.SettleOptions{})
	if err != nil {
		return nil, fmt.Errorf("apply journal of %s: %w", c.Database(), err)
	}
	r, err := readRemote(ctx, c)
	if err != nil {
		return nil, err
	}
	r.Journal = rep
	return r, nil
}

func readRemote(ctx context.Context, c *workspace.Client) (*Remote, error) {
	snap, err := c.Snapshot(ctx, c.Database())
	if err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", c.Database(), err)
	}
	latest, err := c.Latest(ctx)
	if err != nil {
		return nil, fmt.Errorf("deployment log of %s: %w", c.Database(), err)
	}
	return NewRemote(snap, latest)
}

// NewRemote completes a snapshot and the last deployment (nil: none) with
// the deployed project and the drift.
func NewRemote(snap *workspace.Snapshot, latest *workspace.Deployment) (*Remote, error) {
	drift, err := workspace.ComputeDrift(latest, snap)
	if err != nil {
		return nil, err
	}
	deployed, err := plan.DeployedProject(latest)
	if err != nil {
		return nil, err
	}
	return &Remote{Snapshot: snap, Latest: latest, Deployed: deployed, Drift: drift}, nil
}

// Project is the remote workspace as a project, for drawing its lineage:
// the live tables and views, plus the pipes of the last deployment that
// have no live object (endpoints, copies, sinks), which only the deployment
// log knows.
func (r *Remote) Project() *datafiles.Project {
	p := datafiles.NewProject("remote")
	for n, d := range r.Snapshot.Datasources {
		p.Datasources[n] = d
	}
	for n, pp := range r.Snapshot.Pipes {
		p.Pipes[n] = pp
	}
	if r.Deployed != nil {
		for n, pp := range r.Deployed.Pipes {
			if p.Pipes[n] == nil && p.Datasources[n] == nil && pp.Kind() != datafiles.PipeMaterialization {
				p.Pipes[n] = pp
			}
		}
	}
	return p
}
