package main

import (
	"context"
	"fmt"
	"time"

	"github.com/perchdata/perch/workspace"
)

// runSQL implements `perch sql [DIR] QUERY [--format table|json|csv]
// [--write] [--limit N] [--timeout D]`: run one statement against the
// workspace, read-only and bounded like preview unless --write.
func runSQL(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("sql", e.stderr)
	tf := addTargetFlags(fs)
	format := fs.String("format", "table", "output format: table, json or csv")
	write := fs.Bool("write", false, "allow statements that change data (no readonly, no server-side limits)")
	limit := fs.Int("limit", workspace.DefaultPreviewLimit, "most rows to return")
	timeout := fs.Duration("timeout", workspace.DefaultPreviewTimeout, "max_execution_time of a read-only query")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 1 || len(pos) > 2 {
		return usageError("perch sql [DIR] QUERY [--format table|json|csv] [--write] [--limit N] [--timeout 30s]")
	}
	writeOut, ok := resultWriters[*format]
	if !ok {
		return fmt.Errorf("--format %q: want table, json or csv", *format)
	}
	dir, query := ".", pos[0]
	if len(pos) == 2 {
		dir, query = pos[0], pos[1]
	}
	c, err := openWorkspace(ctx, e, dir, tf)
	if err != nil {
		return err
	}
	defer c.Close()
	out, err := c.SQL(ctx, query, workspace.PreviewOptions{Limit: *limit, MaxExecutionTime: *timeout, Write: *write})
	if err != nil {
		if !*write && workspace.IsReadOnlyRefusal(err) {
			return withHints(err, "the statement changes data: add --write to run it")
		}
		return err
	}
	if len(out.Columns) == 0 {
		// A statement without a result (DDL, INSERT with --write).
		fmt.Fprintf(e.stderr, "ok in %s · query %s\n", out.Elapsed.Round(time.Millisecond), out.QueryID)
		return nil
	}
	if err := writeOut(e, out); err != nil {
		return err
	}
	fmt.Fprintln(e.stderr, workspace.PreviewSummary(out))
	if out.Truncated {
		fmt.Fprintf(e.stderr, "more rows than --limit %d: the result was cut\n", *limit)
	}
	return nil
}

// resultWriters render a preview or sql result by --format.
var resultWriters = map[string]func(*env, *workspace.PreviewResult) error{
	"table": func(e *env, r *workspace.PreviewResult) error { return workspace.WritePreviewTable(e.stdout, r) },
	"json":  func(e *env, r *workspace.PreviewResult) error { return workspace.WritePreviewJSON(e.stdout, r) },
	"csv":   func(e *env, r *workspace.PreviewResult) error { return workspace.WritePreviewCSV(e.stdout, r) },
}
