package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
)

// runPreview implements `perch preview [DIR] PIPE[.NODE] [--param k=v ...]
// [--format table|json|csv] [--limit N] [--timeout D]`: compile a node and
// run it read-only and bounded against the workspace.
func runPreview(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("preview", e.stderr)
	tf := addTargetFlags(fs)
	var params multiFlag
	fs.Var(&params, "param", "template parameter name=value (repeatable)")
	format := fs.String("format", "table", "output format: table, json or csv")
	limit := fs.Int("limit", workspace.DefaultPreviewLimit, "most rows to return")
	timeout := fs.Duration("timeout", workspace.DefaultPreviewTimeout, "max_execution_time of the query")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 1 || len(pos) > 2 {
		return usageError("perch preview [DIR] PIPE[.NODE] [--param k=v ...] [--format table|json|csv] [--limit N] [--timeout 30s]")
	}
	write, ok := resultWriters[*format]
	if !ok {
		return fmt.Errorf("--format %q: want table, json or csv", *format)
	}
	dir, target := ".", pos[0]
	if len(pos) == 2 {
		dir, target = pos[0], pos[1]
	}
	values, err := parseParams(params)
	if err != nil {
		return err
	}
	p, err := datafiles.Load(dir)
	if err != nil {
		return err
	}
	pipe, node, _ := strings.Cut(target, ".")
	req := app.PreviewRequest{Pipe: pipe, Node: node, Params: values, Getenv: e.getenv,
		Options: workspace.PreviewOptions{Limit: *limit, MaxExecutionTime: *timeout}}
	res, err := app.Compile(p, req)
	if err != nil {
		return compileError(dir, err)
	}
	c, err := openWorkspace(ctx, e, dir, tf)
	if err != nil {
		return err
	}
	defer c.Close()
	out, err := app.Run(ctx, c, res, req.Options)
	if err != nil {
		return err
	}
	if err := write(e, out); err != nil {
		return err
	}
	fmt.Fprintln(e.stderr, workspace.PreviewSummary(out))
	if out.Truncated {
		fmt.Fprintf(e.stderr, "more rows than --limit %d: the result was cut\n", *limit)
	}
	return nil
}
