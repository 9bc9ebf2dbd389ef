package live

import (
	"context"

	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/workspace/app"
)

// Remote reads the target (app.ReadRemote) and gives every resource its
// status (app.Statuses).
func (b *Backend) Remote(ctx context.Context, _ *tui.Local) (*tui.Remote, error) {
	c, err := b.conn(ctx)
	if err != nil {
		return nil, err
	}
	rem, err := app.ReadRemote(ctx, c)
	if err != nil {
		b.dropConn(c)
		return nil, err
	}
	r := &tui.Remote{Target: c.Target().Name, Database: c.Database(), Branch: c.Target().Branch, ServerVersion: c.Capabilities().Version.String(),
		Resources: map[string]tui.RemoteResource{}, Warnings: rem.Journal.Lines()}
	if rem.Latest != nil {
		r.DeploymentID = rem.Latest.ID
	}
	if cs := rem.Snapshot.Cluster; cs != nil {
		r.Cluster, r.HostsUp, r.Hosts, r.ClusterIssue = cs.Name, cs.Up(), len(cs.Hosts), !cs.Healthy()
		for _, is := range cs.Issues {
			r.Warnings = append(r.Warnings, "cluster "+cs.Name+": "+is)
		}
	}
	statuses := map[string]tui.Status{}
	for _, st := range app.Statuses(b.loaded(), rem) {
		if st.State == app.New {
			continue // not on the server: the explorer marks it new itself
		}
		s := convertState(st.State)
		statuses[st.Name] = s
		r.Resources[st.Name] = tui.RemoteResource{Name: st.Name, Kind: st.Kind, Status: s, Text: st.RemoteText, Notes: st.Notes}
	}
	b.mu.Lock()
	b.snap = rem.Snapshot
	b.remoteProject = rem.Project()
	b.statuses = statuses
	b.mu.Unlock()
	return r, nil
}

// convertState maps the application's resource states to the Explorer's.
func convertState(s app.State) tui.Status {
	switch s {
	case app.InSync:
		return tui.StatusInSync
	case app.New:
		return tui.StatusNew
	case app.Changed:
		return tui.StatusChanged
	case app.Removed:
		return tui.StatusRemoved
	case app.Missing:
		return tui.StatusDeleted
	case app.Drifted:
		return tui.StatusDrifted
	case app.Unmanaged:
		return tui.StatusUnmanaged
	}
	return tui.StatusUnknown
}
