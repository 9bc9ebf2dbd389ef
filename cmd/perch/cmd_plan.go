package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/plan"
)

// runPlan implements `perch plan [DIR] [--json] [--out FILE]
// [--detailed-exitcode] [--sql]`.
func runPlan(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("plan", e.stderr)
	tf := addTargetFlags(fs)
	asJSON := fs.Bool("json", false, "print the plan as JSON")
	out := fs.String("out", "", "save the plan to FILE (apply it with perch apply --plan FILE)")
	detailed := fs.Bool("detailed-exitcode", false, "exit 2 when changes are pending")
	showSQL := fs.Bool("sql", false, "print the SQL of every step")
	approximate := addApproximateFlag(fs)
	dir, err := parseDirArgs(fs, args, "perch plan [DIR] [--json] [--out FILE] [--detailed-exitcode]")
	if err != nil {
		return err
	}
	local, err := app.LoadProject(dir)
	var projectErrs *app.ProjectErrors
	if errors.As(err, &projectErrs) && *asJSON {
		return printErrorPlan(e, dir, tf, projectErrs)
	}
	if err != nil {
		return err
	}
	c, err := openWorkspace(ctx, e, dir, tf)
	if err != nil {
		return err
	}
	defer c.Close()
	a := newApp(e, dir)
	a.AllowApproximateBackfill = *approximate
	prep, err := a.Plan(ctx, c, local)
	if err != nil {
		return err
	}
	p := prep.Plan
	if *out != "" {
		if err := p.Save(*out); err != nil {
			return err
		}
	}
	if *asJSON {
		b, err := p.MarshalStable()
		if err != nil {
			return err
		}
		if _, err := e.stdout.Write(b); err != nil {
			return err
		}
	} else if err := plan.Render(e.stdout, p, plan.RenderOptions{SQL: *showSQL}); err != nil {
		return err
	}
	if *out != "" && !*asJSON {
		fmt.Fprintf(e.stdout, "Saved the plan to %s; apply it with: perch apply --plan %s\n", *out, *out)
	}
	switch {
	case len(p.Errors) > 0:
		return errReported // Render and the JSON document list them
	case *detailed && !p.Empty():
		return errPending
	}
	return nil
}

// printErrorPlan prints the plan document of a project with errors (no
// changes, its errors) for the target's database, without connecting, and
// returns the errors.
func printErrorPlan(e *env, dir string, tf *targetFlags, perr *app.ProjectErrors) error {
	t, err := workspace.ResolveTarget(dir, tf.selection(), e.getenv)
	if err != nil {
		return err
	}
	b, err := app.ErrorPlan(t.Database, perr).MarshalStable()
	if err != nil {
		return err
	}
	if _, err := e.stdout.Write(b); err != nil {
		return err
	}
	return perr
}

// newApp is the application layer for the project in dir.
// addApproximateFlag adds --allow-approximate-backfill: plan materialized
// view changes that no method makes exact on the server with the event-time
// watermark method, which misses late rows (the plan states it).
func addApproximateFlag(fs *flag.FlagSet) *bool {
	return fs.Bool("allow-approximate-backfill", false, "where no exact method exists, backfill views with an event-time watermark (misses rows that arrive late)")
}

func newApp(e *env, dir string) *app.App {
	return &app.App{Dir: dir, Getenv: e.getenv, Version: buildVersion()}
}

// openWorkspace resolves the target of a project folder and connects.
func openWorkspace(ctx context.Context, e *env, dir string, tf *targetFlags) (*workspace.Client, error) {
	t, err := workspace.ResolveTarget(dir, tf.selection(), e.getenv)
	if err != nil {
		return nil, err
	}
	c, err := workspace.Open(ctx, t)
	if err != nil {
		// Open's errors say what was tried and what to do (perch local start, ports, TLS).
		return nil, fmt.Errorf("connect to %s: %w", t, err)
	}
	return c, nil
}
