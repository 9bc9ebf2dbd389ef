package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/testrun"
)

// runTest implements `perch test [DIR] [NAME...] [--update] [--json]
// [--target NAME | --dsn DSN] [--regression [--allow-changes]]`: build the
// project into a throwaway embedded engine (or a scratch database on the
// target given), load its fixtures and run its tests; exit 1 when one
// fails. With --regression, compare the endpoints deployed on the target
// with the local ones instead, read-only.
func runTest(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("test", e.stderr)
	tf := addTargetFlags(fs)
	update := fs.Bool("update", false, "rewrite expected_result from the actual rows of the tests whose rows differ")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	regression := fs.Bool("regression", false, "compare the endpoints deployed on the target with the local ones, read-only")
	allowChanges := fs.Bool("allow-changes", false, "with --regression: exit 0 even when answers differ")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	dir, names := splitDirNames(pos)
	if *allowChanges && !*regression {
		return usageError("perch test --allow-changes needs --regression")
	}
	local, err := app.LoadProject(dir)
	if err != nil {
		return err
	}
	a := newApp(e, dir)
	if *regression {
		if *update || len(names) > 0 {
			return usageError("perch test [DIR] --regression [--target NAME | --dsn DSN] [--allow-changes] [--json] (no NAME, no --update)")
		}
		return runRegression(ctx, e, a, dir, tf, *asJSON, *allowChanges)
	}
	tenv, err := openTestEnv(ctx, e, dir, tf)
	if err != nil {
		return err
	}
	opts := app.TestOptions{Filter: names, Update: *update}
	if !*asJSON {
		opts.OnResult = func(r *testrun.Result) { printResult(e, r, dir) }
	}
	rep, err := a.Test(ctx, tenv, local, opts)
	if cerr := tenv.Close(); cerr != nil {
		fmt.Fprintf(e.stderr, "perch test: %v\n", cerr)
	}
	return reportRun(e, rep, err, *asJSON)
}

// splitDirNames splits the positionals of test: the first is DIR when it
// is a folder, the rest (or all) are test names.
func splitDirNames(pos []string) (string, []string) {
	if len(pos) > 0 {
		if fi, err := os.Stat(pos[0]); err == nil && fi.IsDir() {
			return pos[0], pos[1:]
		}
	}
	return ".", pos
}

// openTestEnv is a scratch database on the target --target or --dsn
// names, else a throwaway embedded engine.
func openTestEnv(ctx context.Context, e *env, dir string, tf *targetFlags) (*app.TestEnv, error) {
	if tf.Target == "" && tf.DSN == "" {
		return app.OpenThrowaway(ctx)
	}
	t, err := workspace.ResolveTarget(dir, tf.selection(), e.getenv)
	if err != nil {
		return nil, err
	}
	return app.OpenScratch(ctx, t)
}

// printResult prints one node or test result as it is known; a build node
// that passes is not shown.
func printResult(e *env, r *testrun.Result, dir string) {
	if r.Kind == testrun.KindBuild && r.Passed {
		return
	}
	for _, l := range testrun.ResultLines(r, dir) {
		fmt.Fprintln(e.stdout, l)
	}
}

// reportRun prints the end of a build or test run (or the whole report as
// JSON) and picks the exit: an error, or errReported when a node or test
// failed.
func reportRun(e *env, rep *testrun.Report, err error, asJSON bool) error {
	if asJSON && rep != nil {
		if jerr := writeJSON(e.stdout, rep); jerr != nil {
			return jerr
		}
	}
	if err != nil {
		var de *app.DeployError
		if errors.As(err, &de) && de.Pos.File != "" {
			return plainError{err.Error()}
		}
		return err
	}
	if !asJSON {
		for _, w := range rep.Warnings {
			fmt.Fprintf(e.stderr, "warning: %s\n", w)
		}
		fmt.Fprintln(e.stdout, testrun.BuildLine(rep))
		for _, name := range rep.Updated {
			fmt.Fprintf(e.stdout, "updated %s\n", name)
		}
		fmt.Fprintln(e.stdout, testrun.StagesLine(rep))
		fmt.Fprintln(e.stdout, testrun.Summary(rep))
	}
	if !rep.OK() {
		return errReported
	}
	return nil
}

// runRegression compares the target's deployed endpoints with the local
// ones; exit 1 when an answer differs unless allowChanges.
func runRegression(ctx context.Context, e *env, a *app.App, dir string, tf *targetFlags, asJSON, allowChanges bool) error {
	c, err := openWorkspace(ctx, e, dir, tf)
	if err != nil {
		return err
	}
	defer c.Close()
	local, err := app.LoadProject(dir)
	if err != nil {
		return err
	}
	reg, err := a.Regression(ctx, c, local)
	if err != nil {
		return err
	}
	if asJSON {
		if err := writeJSON(e.stdout, reg); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(e.stdout, "regression on %s: the endpoints as deployed against the local project, read-only\n", reg.Where)
		for _, l := range testrun.RegressionLines(reg) {
			fmt.Fprintln(e.stdout, l)
		}
		fmt.Fprintf(e.stdout, "%d of %d endpoints answer differently (%s)\n", reg.Changed, len(reg.Endpoints), testrun.Duration(reg.Elapsed))
	}
	if reg.Changed > 0 && !allowChanges {
		if !asJSON {
			fmt.Fprintln(e.stderr, "perch test: answers differ (--allow-changes accepts them)")
		}
		return errReported
	}
	return nil
}
