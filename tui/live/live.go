// Package live implements tui.Backend over perch's domain packages:
// datafiles for the local project, workspace for the remote snapshot and
// lineage for the graph drawing. It converts their models into the view
// data the UI renders and holds no Bubble Tea state.
package live

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/template"
	"github.com/perchdata/perch/lineage"
	"github.com/perchdata/perch/lineage/render"
	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/workspace"
)

// ErrNotWired reports a feature whose domain API is not available yet.
var ErrNotWired = errors.New("not available in this build yet (the domain package has no API for it)")

// Backend is the real tui.Backend.
type Backend struct {
	Dir       string
	Selection workspace.Selection
	Getenv    func(string) string

	mu      sync.Mutex
	project *datafiles.Project
	snap    *workspace.Snapshot
}

// New returns a backend for the project in dir and the chosen target.
func New(dir string, sel workspace.Selection, getenv func(string) string) *Backend {
	return &Backend{Dir: dir, Selection: sel, Getenv: getenv}
}

// Local loads the project with datafiles.Load.
func (b *Backend) Local(ctx context.Context) (*tui.Local, error) {
	p, err := datafiles.Load(b.Dir)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", b.Dir, err)
	}
	b.mu.Lock()
	b.project = p
	b.mu.Unlock()
	return convertProject(p), nil
}

func convertProject(p *datafiles.Project) *tui.Local {
	abs, _ := filepath.Abs(p.Root)
	l := &tui.Local{Root: p.Root, Name: filepath.Base(abs)}
	diags := map[string][]tui.Diag{}
	for _, d := range p.Diagnostics {
		diags[d.Pos.File] = append(diags[d.Pos.File], tui.Diag{Line: d.Pos.Line, Col: d.Pos.Col, Error: d.Severity == datafiles.Error, Message: d.Message})
	}
	for _, n := range p.DatasourceNames() {
		d := p.Datasources[n]
		l.Resources = append(l.Resources, tui.Resource{Name: n, Kind: "datasource", File: d.File, Text: p.Sources[d.File], Diags: diags[d.File]})
	}
	for _, n := range p.PipeNames() {
		pp := p.Pipes[n]
		r := tui.Resource{Name: n, Kind: string(pp.Kind()), File: pp.File, Text: p.Sources[pp.File], Diags: diags[pp.File],
			NodeSQL: map[string]string{}, Params: map[string][]tui.Param{}}
		for _, node := range pp.Nodes {
			r.Nodes = append(r.Nodes, node.Name)
			r.NodeSQL[node.Name] = node.SQL
			r.Params[node.Name] = nodeParams(node.SQL)
		}
		l.Resources = append(l.Resources, r)
	}
	for _, n := range p.ConnectionNames() {
		c := p.Connections[n]
		l.Resources = append(l.Resources, tui.Resource{Name: n, Kind: "connection", File: c.File, Text: p.Sources[c.File], Diags: diags[c.File]})
	}
	return l
}

// nodeParams lists a node's declared parameters from its template.
func nodeParams(sql string) []tui.Param {
	t, err := template.Parse(sql)
	if err != nil {
		return nil
	}
	var out []tui.Param
	for _, p := range t.Params() {
		def := p.DefaultSQL
		def = strings.Trim(def, "'")
		out = append(out, tui.Param{Name: p.Name, Type: p.Type, Default: def, Description: p.Description, Required: p.Required})
	}
	return out
}

// Remote resolves the target, connects and snapshots the database; each
// resource's status compares the local model with the snapshot's.
func (b *Backend) Remote(ctx context.Context, _ *tui.Local) (*tui.Remote, error) {
	t, err := workspace.ResolveTarget(b.Dir, b.Selection, b.Getenv)
	if err != nil {
		return nil, err
	}
	c, err := workspace.Open(ctx, t)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	snap, err := c.Snapshot(ctx, c.Database())
	if err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", c.Database(), err)
	}
	b.mu.Lock()
	b.snap = snap
	p := b.project
	b.mu.Unlock()
	r := &tui.Remote{Target: t.Name, Database: c.Database(), ServerVersion: c.Capabilities().Version.String(),
		Resources: map[string]tui.RemoteResource{}}
	for name, d := range snap.Datasources {
		r.Resources[name] = remoteResource(name, "datasource", d, localModel(p, name))
	}
	for name, pp := range snap.Pipes {
		r.Resources[name] = remoteResource(name, string(pp.Kind()), pp, localModel(p, name))
	}
	return r, nil
}

func localModel(p *datafiles.Project, name string) any {
	if p == nil {
		return nil
	}
	if d, ok := p.Datasources[name]; ok {
		return d
	}
	if pp, ok := p.Pipes[name]; ok {
		return pp
	}
	return nil
}

func remoteResource(name, kind string, model, local any) tui.RemoteResource {
	rr := tui.RemoteResource{Name: name, Kind: kind, Text: datafiles.Format(model), Status: tui.StatusUnmanaged}
	if local != nil {
		rr.Status = tui.StatusChanged
		if datafiles.Equal(local, model) {
			rr.Status = tui.StatusInSync
		}
	}
	return rr
}

// Lineage builds the graph of the project (or of the snapshot) and lays it
// out with lineage/render, returning the plain lines and label positions.
func (b *Backend) Lineage(ctx context.Context, req tui.LineageRequest) (*tui.Drawing, error) {
	b.mu.Lock()
	p, snap := b.project, b.snap
	b.mu.Unlock()
	if req.Remote {
		if snap == nil {
			return nil, errors.New("remote graph: the remote is not loaded")
		}
		rp := datafiles.NewProject("remote")
		rp.Datasources, rp.Pipes = snap.Datasources, snap.Pipes
		p = rp
	}
	if p == nil {
		return nil, errors.New("lineage: the project is not loaded")
	}
	g := lineage.Build(p, lineage.Options{})
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
	d := &tui.Drawing{}
	for y := 0; y < h; y++ {
		d.Lines = append(d.Lines, cv.Line(y))
	}
	changed := b.changedSet()
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

// changedSet names the local resources that differ from the snapshot.
func (b *Backend) changedSet() map[string]bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := map[string]bool{}
	if b.project == nil || b.snap == nil {
		return out
	}
	for n, d := range b.project.Datasources {
		if r, ok := b.snap.Datasources[n]; !ok || !datafiles.Equal(d, r) {
			out[n] = true
		}
	}
	for n, pp := range b.project.Pipes {
		if r, ok := b.snap.Pipes[n]; !ok || !datafiles.Equal(pp, r) {
			out[n] = true
		}
	}
	return out
}

// Preview is not wired: the compile and preview APIs have not landed.
func (b *Backend) Preview(ctx context.Context, req tui.PreviewRequest) (*tui.PreviewResult, error) {
	return nil, fmt.Errorf("preview %s.%s: %w", req.Pipe, req.Node, ErrNotWired)
}

// Plan is not wired yet.
func (b *Backend) Plan(ctx context.Context) (*tui.Plan, error) {
	return nil, fmt.Errorf("plan: %w", ErrNotWired)
}

// Apply is not wired yet.
func (b *Backend) Apply(ctx context.Context, p *tui.Plan, staged []string, events chan<- tui.ApplyEvent) (*tui.ApplyResult, error) {
	close(events)
	return nil, fmt.Errorf("apply: %w", ErrNotWired)
}

// History is not wired yet.
func (b *Backend) History(ctx context.Context) ([]tui.Deployment, error) {
	return nil, fmt.Errorf("history: %w", ErrNotWired)
}

// RevertPlan is not wired yet.
func (b *Backend) RevertPlan(ctx context.Context, id string) (*tui.Plan, error) {
	return nil, fmt.Errorf("revert %s: %w", id, ErrNotWired)
}
