// Package live implements tui.Backend over perch's application layer
// (workspace/app, which the CLI calls too) and the domain packages: it keeps
// the connection and the last results, converts them into the view data the
// UI renders, and holds no Bubble Tea state and no rule of its own.
package live

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
)

// Backend is the real tui.Backend. It keeps one client to the target,
// reopened after a failure, and the last project, snapshot and plans.
type Backend struct {
	dir       string
	selection workspace.Selection
	getenv    func(string) string
	// App is the application layer; set App.Version to record perch's version.
	App *app.App

	mu     sync.Mutex
	client *workspace.Client
	// side is the client of the other side of comparisons, to branch
	// sideName (workspace.MainBranch: the workspace).
	side     *workspace.Client
	sideName string
	project  *datafiles.Project
	snap     *workspace.Snapshot
	// remoteProject is the remote as a project, for its lineage.
	remoteProject *datafiles.Project
	statuses      map[string]tui.Status
	plans         map[string]*app.Prepared // by fingerprint + title
}

// New returns a backend for the project in dir and the chosen target.
func New(dir string, sel workspace.Selection, getenv func(string) string) *Backend {
	return &Backend{dir: dir, selection: sel, getenv: getenv, App: &app.App{Dir: dir, Getenv: getenv},
		plans: map[string]*app.Prepared{}}
}

// Close closes the connection to the target.
func (b *Backend) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.dropSide()
	if b.client == nil {
		return nil
	}
	err := b.client.Close()
	b.client = nil
	return err
}

// conn returns the client, connecting when there is none.
func (b *Backend) conn(ctx context.Context) (*workspace.Client, error) {
	b.mu.Lock()
	c, sel := b.client, b.selection
	b.mu.Unlock()
	if c != nil {
		return c, nil
	}
	t, err := workspace.ResolveTarget(b.dir, sel, b.getenv)
	if err != nil {
		return nil, err
	}
	c, err = workspace.Open(ctx, t)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.selection != sel { // switched to another branch meanwhile
		c.Close()
		return nil, fmt.Errorf("the target changed while connecting to %s: try again", t)
	}
	if b.client != nil { // another call connected meanwhile
		c.Close()
		return b.client, nil
	}
	b.client = c
	return c, nil
}

// dropConn forgets a client that failed, so the next call reconnects.
func (b *Backend) dropConn(c *workspace.Client) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.client == c && c != nil {
		c.Close()
		b.client = nil
	}
}

func (b *Backend) loaded() *datafiles.Project {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.project
}

// Local loads the project with datafiles.Load: resources, texts and the
// loader's diagnostics (the first frame needs no more).
func (b *Backend) Local(ctx context.Context) (*tui.Local, error) {
	p, err := datafiles.Load(b.dir)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", b.dir, err)
	}
	b.mu.Lock()
	b.project = p
	b.mu.Unlock()
	return convertProject(p, p.Diagnostics, false), nil
}

// Diagnose adds compile problems (template errors, cycles, unknown tables)
// and every node's parameters to the project Local loaded.
func (b *Backend) Diagnose(ctx context.Context) (*tui.Local, error) {
	p := b.loaded()
	if p == nil {
		return nil, fmt.Errorf("diagnose %s: the project is not loaded", b.dir)
	}
	diags := append(append([]datafiles.Diagnostic(nil), p.Diagnostics...), compile.ValidateEnv(p, b.getenv)...)
	return convertProject(p, diags, true), nil
}

func convertProject(p *datafiles.Project, all []datafiles.Diagnostic, params bool) *tui.Local {
	abs, err := filepath.Abs(p.Root)
	if err != nil {
		abs = p.Root
	}
	l := &tui.Local{Root: p.Root, Name: filepath.Base(abs)}
	diags := map[string][]tui.Diag{}
	for _, d := range all {
		if d.Pos.File == "" {
			l.Diags = append(l.Diags, d.String())
			continue
		}
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
			if params {
				r.Params[node.Name] = nodeParams(p, n, node.Name)
			}
		}
		l.Resources = append(l.Resources, r)
	}
	for _, n := range p.ConnectionNames() {
		c := p.Connections[n]
		l.Resources = append(l.Resources, tui.Resource{Name: n, Kind: "connection", File: c.File, Text: p.Sources[c.File], Diags: diags[c.File]})
	}
	return l
}

// nodeParams lists a node's declared parameters (those of the nodes it reads included).
func nodeParams(p *datafiles.Project, pipe, node string) []tui.Param {
	ps, err := compile.Params(p, pipe, node)
	if err != nil {
		return nil
	}
	return convertParams(ps)
}

// unquote turns a printed SQL string literal back into its text.
func unquote(s string) string {
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return s[1 : len(s)-1]
	}
	return s
}
