package live

import (
	"context"
	"fmt"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/journal"
	"github.com/perchdata/perch/workspace/plan"
)

// Remote snapshots the target and gives every resource its status: the
// local model against the live one (or, for endpoints, which have no live
// object, against the last deployment), refined by workspace drift.
func (b *Backend) Remote(ctx context.Context, _ *tui.Local) (*tui.Remote, error) {
	c, err := b.conn(ctx)
	if err != nil {
		return nil, err
	}
	// An interrupted apply is reported, and the merges it stopped restarted.
	rep, err := journal.Settle(ctx, c, journal.SettleOptions{})
	if err != nil {
		b.dropConn(c)
		return nil, fmt.Errorf("apply journal of %s: %w", c.Database(), err)
	}
	snap, err := c.Snapshot(ctx, c.Database())
	if err != nil {
		b.dropConn(c)
		return nil, fmt.Errorf("snapshot %s: %w", c.Database(), err)
	}
	latest, err := c.Latest(ctx)
	if err != nil {
		return nil, fmt.Errorf("deployment log of %s: %w", c.Database(), err)
	}
	drift, err := workspace.ComputeDrift(latest, snap)
	if err != nil {
		return nil, err
	}
	deployed, err := plan.DeployedProject(latest)
	if err != nil {
		return nil, err
	}
	r := &tui.Remote{Target: c.Target().Name, Database: c.Database(), ServerVersion: c.Capabilities().Version.String(),
		Resources: map[string]tui.RemoteResource{}, Warnings: rep.Lines()}
	if latest != nil {
		r.DeploymentID = latest.ID
	}
	local := b.loaded()
	r.Resources = statuses(local, snap, deployed, drift)
	b.mu.Lock()
	b.snap = snap
	b.statuses = map[string]tui.Status{}
	for n, rr := range r.Resources {
		b.statuses[n] = rr.Status
	}
	b.mu.Unlock()
	return r, nil
}

// statuses compares local, live and deployed resources.
func statuses(local *datafiles.Project, snap *workspace.Snapshot, deployed *datafiles.Project, drift *workspace.DriftReport) map[string]tui.RemoteResource {
	driftOf := map[string]workspace.DriftStatus{}
	notes := map[string][]string{}
	for _, it := range drift.Items {
		driftOf[it.Name] = it.Status
		for _, ch := range it.Changes {
			notes[it.Name] = append(notes[it.Name], "drift: "+ch.String())
		}
		if it.Error != "" {
			notes[it.Name] = append(notes[it.Name], "drift not checked: "+it.Error)
		}
	}
	out := map[string]tui.RemoteResource{}
	add := func(name, kind string, live, dep, loc any) {
		rr := tui.RemoteResource{Name: name, Kind: kind, Notes: notes[name]}
		remote := live
		if remote == nil {
			remote = dep
		}
		if remote != nil {
			rr.Text = datafiles.Format(remote)
			// the deployed file itself, comments included, when it is what runs
			if remote == dep && deployed != nil {
				if src := deployed.Sources[fileOf(dep)]; src != "" {
					rr.Text = src
				}
			}
		}
		switch {
		case loc == nil && driftOf[name] == workspace.Unmanaged:
			rr.Status = tui.StatusUnmanaged
		case loc == nil:
			rr.Status = tui.StatusChanged // deployed, gone from the project: the plan drops it
		case driftOf[name] == workspace.Missing:
			rr.Status = tui.StatusDeleted
		case driftOf[name] == workspace.Drifted:
			rr.Status = tui.StatusDrifted
		case remote == nil:
			rr.Status = tui.StatusNew
		case datafiles.Equal(loc, remote):
			rr.Status = tui.StatusInSync
		default:
			rr.Status = tui.StatusChanged
		}
		if remote == nil && rr.Status == tui.StatusNew {
			return // not on the server: the explorer marks it new itself
		}
		out[name] = rr
	}
	names := map[string]string{}
	for n := range snap.Datasources {
		names[n] = "datasource"
	}
	for n, p := range snap.Pipes {
		names[n] = string(p.Kind())
	}
	if deployed != nil {
		for n := range deployed.Datasources {
			names[n] = "datasource"
		}
		for n, p := range deployed.Pipes {
			names[n] = string(p.Kind())
		}
	}
	if local != nil {
		for n := range local.Datasources {
			names[n] = "datasource"
		}
		for n, p := range local.Pipes {
			names[n] = string(p.Kind())
		}
	}
	for n, kind := range names {
		var live, dep, loc any
		if d, ok := snap.Datasources[n]; ok {
			live = d
		} else if p, ok := snap.Pipes[n]; ok {
			live = p
		}
		if deployed != nil {
			if d, ok := deployed.Datasources[n]; ok {
				dep = d
			} else if p, ok := deployed.Pipes[n]; ok {
				dep = p
			}
		}
		if local != nil {
			if d, ok := local.Datasources[n]; ok {
				loc = d
			} else if p, ok := local.Pipes[n]; ok {
				loc = p
			}
		}
		// when the live object matches the last deployment, the deployed
		// datafile is the remote definition: it keeps what the server does
		// not store (JSONPATHs, descriptions, a view's earlier nodes)
		if dep != nil && driftOf[n] == workspace.InSync {
			live = dep
		}
		add(n, kind, live, dep, loc)
	}
	return out
}

// fileOf is the datafile path of a datasource or pipe model.
func fileOf(model any) string {
	switch m := model.(type) {
	case *datafiles.Datasource:
		return m.File
	case *datafiles.Pipe:
		return m.File
	}
	return ""
}
