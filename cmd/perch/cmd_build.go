package main

import (
	"context"
	"fmt"

	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/testrun"
)

// runBuild implements `perch build [DIR] [--json] [--target NAME | --dsn
// DSN]`: deploy the whole project into a throwaway embedded engine (or a
// scratch database on the target given), load its fixtures and run every
// endpoint and copy node with its defaults; exit 1 when one fails.
func runBuild(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("build", e.stderr)
	tf := addTargetFlags(fs)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	dir, err := parseDirArgs(fs, args, "perch build [DIR] [--json] [--target NAME | --dsn DSN]")
	if err != nil {
		return err
	}
	local, err := app.LoadProject(dir)
	if err != nil {
		return err
	}
	tenv, err := openTestEnv(ctx, e, dir, tf)
	if err != nil {
		return err
	}
	opts := app.TestOptions{}
	if !*asJSON {
		opts.OnResult = func(r *testrun.Result) {
			for _, l := range testrun.ResultLines(r, dir) {
				fmt.Fprintln(e.stdout, l)
			}
		}
	}
	rep, err := newApp(e, dir).Build(ctx, tenv, local, opts)
	if cerr := tenv.Close(); cerr != nil {
		fmt.Fprintf(e.stderr, "perch build: %v\n", cerr)
	}
	return reportRun(e, rep, err, *asJSON)
}
