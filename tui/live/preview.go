package live

import (
	"context"
	"errors"
	"fmt"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
	"github.com/perchdata/perch/datafiles/template"
	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/workspace"
)

// PreviewLimit is the most rows a TUI preview returns.
const PreviewLimit = 200

// Preview compiles the node (with the edited SQL when given) and runs it
// read-only and bounded with workspace.Client.Preview.
func (b *Backend) Preview(ctx context.Context, req tui.PreviewRequest) (*tui.PreviewResult, error) {
	p := b.loaded()
	if p == nil {
		return nil, errors.New("preview: the project is not loaded")
	}
	if req.SQL != "" {
		var err error
		if p, err = withNodeSQL(p, req.Pipe, req.Node, req.SQL); err != nil {
			return nil, err
		}
	}
	res, err := compile.Compile(p, req.Pipe, req.Node, compile.Options{Mode: template.Given, Params: req.Params, Getenv: b.getenv})
	if err != nil {
		return nil, err
	}
	c, err := b.conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("preview %s.%s: %w", req.Pipe, req.Node, err)
	}
	out, err := c.Preview(ctx, res.SQL, workspace.PreviewOptions{Limit: PreviewLimit})
	if err != nil {
		return nil, err
	}
	r := &tui.PreviewResult{Rows: out.Rows, RowsRead: out.RowsRead, BytesRead: out.BytesRead, Elapsed: out.Elapsed, Truncated: out.Truncated, SQL: out.SQL}
	for _, col := range out.Columns {
		r.Columns = append(r.Columns, tui.Col{Name: col.Name, Type: col.Type})
	}
	return r, nil
}

// withNodeSQL returns a shallow copy of p in which one node has sql.
func withNodeSQL(p *datafiles.Project, pipe, node, sql string) (*datafiles.Project, error) {
	orig := p.Pipes[pipe]
	if orig == nil || orig.Node(node) == nil {
		return nil, fmt.Errorf("preview: no node %s.%s", pipe, node)
	}
	cp := *p
	cp.Pipes = make(map[string]*datafiles.Pipe, len(p.Pipes))
	for k, v := range p.Pipes {
		cp.Pipes[k] = v
	}
	np := *orig
	np.Nodes = make([]*datafiles.Node, len(orig.Nodes))
	for i, n := range orig.Nodes {
		if n.Name == node {
			nn := *n
			nn.SQL = sql
			n = &nn
		}
		np.Nodes[i] = n
	}
	cp.Pipes[pipe] = &np
	return &cp, nil
}
