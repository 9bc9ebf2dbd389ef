package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
)

// runPreview implements `perch preview [DIR] PIPE[.NODE] [--param k=v ...]
// [--format table|json|csv] [--limit N] [--timeout D]`: compile a node and
// run it read-only and bounded against the workspace.
func runPreview(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("preview", e.stderr)
	tf := addTargetFlags(fs)
	var params multiFlag
	fs.Var(&params, "param", "template parameter name=value (repeatable)")
	format := fs.String("format", "table", "output format: table, json or csv")
	limit := fs.Int("limit", workspace.DefaultPreviewLimit, "most rows to return")
	timeout := fs.Duration("timeout", workspace.DefaultPreviewTimeout, "max_execution_time of the query")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitError
	}
	usage := "usage: perch preview [DIR] PIPE[.NODE] [--param k=v ...] [--format table|json|csv] [--limit N] [--timeout 30s]"
	if len(pos) < 1 || len(pos) > 2 {
		fmt.Fprintln(e.stderr, usage)
		return exitError
	}
	write, ok := map[string]func(*env, *workspace.PreviewResult) error{
		"table": func(e *env, r *workspace.PreviewResult) error { return workspace.WritePreviewTable(e.stdout, r) },
		"json":  func(e *env, r *workspace.PreviewResult) error { return workspace.WritePreviewJSON(e.stdout, r) },
		"csv":   func(e *env, r *workspace.PreviewResult) error { return workspace.WritePreviewCSV(e.stdout, r) },
	}[*format]
	if !ok {
		fmt.Fprintf(e.stderr, "perch preview: --format %q: want table, json or csv\n", *format)
		return exitError
	}
	dir, target := ".", pos[0]
	if len(pos) == 2 {
		dir, target = pos[0], pos[1]
	}
	values, err := parseParams(params)
	if err != nil {
		fmt.Fprintf(e.stderr, "perch preview: %v\n", err)
		return exitError
	}
	p, err := datafiles.Load(dir)
	if err != nil {
		fmt.Fprintf(e.stderr, "perch preview: %v\n", err)
		return exitError
	}
	pipe, node, _ := strings.Cut(target, ".")
	req := app.PreviewRequest{Pipe: pipe, Node: node, Params: values, Getenv: e.getenv,
		Options: workspace.PreviewOptions{Limit: *limit, MaxExecutionTime: *timeout}}
	res, err := app.Compile(p, req)
	if err != nil {
		var ce *compile.Error
		if errors.As(err, &ce) && ce.Pos.File != "" {
			shown := ce.Pos
			shown.File = filepath.Join(dir, shown.File)
			fmt.Fprintf(e.stderr, "%s: %s\n", shown, ce.Msg)
		} else {
			fmt.Fprintf(e.stderr, "perch preview: %v\n", err)
		}
		return exitError
	}
	c, err := openWorkspace(ctx, e, dir, tf)
	if err != nil {
		fmt.Fprintf(e.stderr, "perch preview: %v\n", err)
		return exitError
	}
	defer c.Close()
	out, err := app.Run(ctx, c, res, req.Options)
	if err != nil {
		fmt.Fprintf(e.stderr, "perch %v\n", err)
		return exitError
	}
	if err := write(e, out); err != nil {
		fmt.Fprintf(e.stderr, "perch preview: %v\n", err)
		return exitError
	}
	fmt.Fprintln(e.stderr, workspace.PreviewSummary(out))
	if out.Truncated {
		fmt.Fprintf(e.stderr, "more rows than --limit %d: the result was cut\n", *limit)
	}
	return exitOK
}
