package testrun

import (
	"context"
	"errors"
	"time"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
	"github.com/perchdata/perch/datafiles/template"
	"github.com/perchdata/perch/workspace"
)

// buildRowLimit is the most rows a build reads of each node: it only
// proves the node runs.
const buildRowLimit = 10

// BuildNodes lists the nodes perch build runs: every pipe's endpoint node
// and every copy node, in pipe name order.
func BuildNodes(p *datafiles.Project) []compile.NodeRef {
	var out []compile.NodeRef
	for _, name := range p.PipeNames() {
		pipe := p.Pipes[name]
		if n := p.Published(pipe); n != nil {
			out = append(out, compile.NodeRef{Pipe: name, Node: n.Name})
			continue
		}
		for _, n := range pipe.Nodes {
			if n.Type == datafiles.NodeCopy {
				out = append(out, compile.NodeRef{Pipe: name, Node: n.Name})
			}
		}
	}
	return out
}

// RunNodes runs each node with its parameters' defaults (rendered as
// deploying renders them: a parameter with no default takes a typed
// placeholder), read-only, reading a few rows. A failure names the
// datafile position at fault: the template's error, or where in which
// node the engine's error points (else the start of the node's SQL).
func RunNodes(ctx context.Context, c *workspace.Client, p *datafiles.Project, nodes []compile.NodeRef, opts Options) ([]*Result, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	cache := compile.NewCache()
	var out []*Result
	for _, ref := range nodes {
		res := runNode(ctx, c, p, ref, opts, cache)
		if err := ctx.Err(); err != nil {
			return out, err
		}
		out = append(out, res)
		if opts.OnResult != nil {
			opts.OnResult(res)
		}
	}
	return out, nil
}

func runNode(ctx context.Context, c *workspace.Client, p *datafiles.Project, ref compile.NodeRef, opts Options, cache *compile.Cache) *Result {
	start := time.Now()
	node := p.Pipes[ref.Pipe].Node(ref.Node)
	res := &Result{Name: ref.String(), Kind: KindBuild}
	res.File, res.Line, res.Col = node.SQLPos.File, node.SQLPos.Line, node.SQLPos.Col
	comp, err := compile.Compile(p, ref.Pipe, ref.Node, compile.Options{Mode: template.Defaults, Getenv: opts.Getenv, Cache: cache})
	if err != nil {
		var ce *compile.Error
		if errors.As(err, &ce) && ce.Pos.File != "" {
			res.File, res.Line, res.Col = ce.Pos.File, ce.Pos.Line, ce.Pos.Col
			err = errors.New(ce.Msg)
		}
		res.Error = err.Error()
		res.fail("%s", res.Error)
	} else {
		res.SQL = comp.SQL
		out, err := c.Preview(ctx, comp.SQL, workspace.PreviewOptions{Limit: buildRowLimit, MaxExecutionTime: opts.Timeout})
		if err != nil {
			res.Error = err.Error()
			res.fail("%s", res.Error)
			if off, ok := workspace.ErrorOffset(err.Error(), comp.SQL); ok {
				if _, pos, ok := comp.Locate(off); ok && pos.Line > 0 {
					res.File, res.Line, res.Col = pos.File, pos.Line, pos.Col
				}
			}
		} else {
			res.Rows, res.RowsRead, res.BytesRead = len(out.Rows), out.RowsRead, out.BytesRead
		}
	}
	res.Passed = len(res.Failures) == 0
	res.Elapsed = time.Since(start)
	res.ElapsedMS = ms(res.Elapsed)
	return res
}
