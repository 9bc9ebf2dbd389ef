package live

import (
	"context"
	"errors"
	"fmt"

	"github.com/perchdata/perch/lineage"
	"github.com/perchdata/perch/lineage/render"
	"github.com/perchdata/perch/tui"
)

// Lineage builds the graph of the project (or of the snapshot) and lays it
// out with lineage/render for the requested width; the view draws,
// navigates and hit-tests the scene itself.
func (b *Backend) Lineage(ctx context.Context, req tui.LineageRequest) (*tui.Drawing, error) {
	b.mu.Lock()
	p, snap, remoteProject := b.project, b.snap, b.remoteProject
	changed := map[string]bool{}
	for n, s := range b.statuses {
		changed[n] = s != tui.StatusInSync && s != tui.StatusUnmanaged
	}
	b.mu.Unlock()
	opts := lineage.Options{}
	if req.Remote {
		if snap == nil {
			return nil, errors.New("remote graph: the remote is not loaded (yet)")
		}
		p = remoteProject // live objects and the deployed endpoints (app.Remote.Project)
		opts.Database = snap.Database
	}
	if p == nil {
		return nil, errors.New("lineage: the project is not loaded")
	}
	g := lineage.Build(p, opts)
	if req.Focus != "" {
		fg, err := g.Focus(req.Focus)
		if err != nil {
			return nil, fmt.Errorf("focus %s: %w", req.Focus, err)
		}
		g = fg
	}
	return &tui.Drawing{Scene: render.New(g, render.Options{Width: req.Width}), Changed: changed}, nil
}
