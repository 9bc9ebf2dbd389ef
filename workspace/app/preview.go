package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
	"github.com/perchdata/perch/datafiles/template"
	"github.com/perchdata/perch/workspace"
)

// PreviewRequest asks to run one pipe node read-only.
type PreviewRequest struct {
	Pipe, Node string
	// SQL replaces the node's SQL when not empty (an edit not saved yet).
	SQL string
	// Params are the template parameters given.
	Params map[string]string
	// Getenv resolves {{ env() }} in templates; nil resolves nothing.
	Getenv func(string) string
	// Options bound the query (rows, time).
	Options workspace.PreviewOptions
}

// Compile renders the node of the request as one runnable SELECT, with the
// edited SQL when given; compile errors carry the file position.
func Compile(p *datafiles.Project, req PreviewRequest) (*compile.Result, error) {
	if req.SQL != "" {
		var err error
		if p, err = WithNodeSQL(p, req.Pipe, req.Node, req.SQL); err != nil {
			return nil, err
		}
	}
	return compile.Compile(p, req.Pipe, req.Node, compile.Options{Mode: template.Given, Params: req.Params, Getenv: req.Getenv})
}

// Preview compiles the node and runs it read-only and bounded on the client's workspace.
func Preview(ctx context.Context, c *workspace.Client, p *datafiles.Project, req PreviewRequest) (*workspace.PreviewResult, error) {
	res, err := Compile(p, req)
	if err != nil {
		return nil, err
	}
	return Run(ctx, c, res, req.Options)
}

// Run runs a compiled node read-only and bounded on the client's workspace.
func Run(ctx context.Context, c *workspace.Client, res *compile.Result, opts workspace.PreviewOptions) (*workspace.PreviewResult, error) {
	out, err := c.Preview(ctx, res.SQL, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", res.Node, err)
	}
	return out, nil
}

// WithNodeSQL returns a shallow copy of p in which one node has sql, with
// positions counted in that SQL (line 1 is its first line): errors in it
// then point at the editor's lines.
func WithNodeSQL(p *datafiles.Project, pipe, node, sql string) (*datafiles.Project, error) {
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
			nn.SQLPos = datafiles.Pos{File: n.SQLPos.File, Line: 1, Col: 1}
			nn.SQLLines = make([]int, strings.Count(sql, "\n")+1)
			for j := range nn.SQLLines {
				nn.SQLLines[j] = j + 1
			}
			nn.SQLIndent, nn.SQLFirstIndent = 0, 0
			n = &nn
		}
		np.Nodes[i] = n
	}
	cp.Pipes[pipe] = &np
	return &cp, nil
}
