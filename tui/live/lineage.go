package live

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/perchdata/perch/lineage"
	"github.com/perchdata/perch/lineage/render"
	"github.com/perchdata/perch/tui"
)

// Lineage builds the graph of the project (or of the snapshot) and lays it
// out with lineage/render, returning the plain lines and label positions.
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
	s := render.New(g, render.Options{Width: req.Width})
	w, h := s.Size()
	cv := s.Draw(render.Viewport{X: 0, Y: 0, W: w, H: h}, render.State{})
	d := &tui.Drawing{Lines: make([]string, 0, h)}
	for y := 0; y < h; y++ {
		d.Lines = append(d.Lines, cv.Line(y))
	}
	for _, l := range s.Labels() {
		d.Nodes = append(d.Nodes, tui.DrawNode{Name: l.Name, Kind: string(l.Kind), Row: l.Y, Col: l.X, Width: l.W,
			Changed: changed[l.Name], Upstream: g.Upstream(l.Name), Downstream: g.Downstream(l.Name)})
	}
	sort.SliceStable(d.Nodes, func(i, j int) bool {
		if d.Nodes[i].Row != d.Nodes[j].Row {
			return d.Nodes[i].Row < d.Nodes[j].Row
		}
		return d.Nodes[i].Col < d.Nodes[j].Col
	})
	return d, nil
}
