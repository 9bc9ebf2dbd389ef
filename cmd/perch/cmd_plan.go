package main

import (
	"context"
	"fmt"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/plan"
)

// runPlan implements `perch plan [DIR] [--json] [--out FILE]
// [--detailed-exitcode] [--sql]`.
func runPlan(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("plan", e.stderr)
	tf := addTargetFlags(fs)
	asJSON := fs.Bool("json", false, "print the plan as JSON")
	out := fs.String("out", "", "save the plan to FILE (apply it with perch apply --plan FILE)")
	detailed := fs.Bool("detailed-exitcode", false, "exit 2 when changes are pending")
	showSQL := fs.Bool("sql", false, "print the SQL of every step")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitError
	}
	if len(pos) > 1 {
		fmt.Fprintln(e.stderr, "usage: perch plan [DIR] [--json] [--out FILE] [--detailed-exitcode]")
		return exitError
	}
	dir := dirArg(pos)
	local, ok := loadProjectForPlan(e, "plan", dir)
	if !ok {
		return exitError
	}
	c, err := openWorkspace(ctx, e, dir, tf)
	if err != nil {
		fmt.Fprintf(e.stderr, "perch plan: %v\n", err)
		return exitError
	}
	defer c.Close()
	prep, err := newApp(e, dir).Plan(ctx, c, local)
	if err != nil {
		fmt.Fprintf(e.stderr, "perch plan: %v\n", err)
		return exitError
	}
	p := prep.Plan
	if *out != "" {
		if err := p.Save(*out); err != nil {
			fmt.Fprintf(e.stderr, "perch plan: %v\n", err)
			return exitError
		}
	}
	if *asJSON {
		b, err := p.MarshalStable()
		if err != nil {
			fmt.Fprintf(e.stderr, "perch plan: %v\n", err)
			return exitError
		}
		e.stdout.Write(b)
	} else if err := plan.Render(e.stdout, p, plan.RenderOptions{SQL: *showSQL}); err != nil {
		fmt.Fprintf(e.stderr, "perch plan: %v\n", err)
		return exitError
	}
	if *out != "" && !*asJSON {
		fmt.Fprintf(e.stdout, "Saved the plan to %s; apply it with: perch apply --plan %s\n", *out, *out)
	}
	switch {
	case len(p.Errors) > 0:
		return exitError
	case *detailed && !p.Empty():
		return exitChanges
	}
	return exitOK
}

func dirArg(pos []string) string {
	if len(pos) > 0 {
		return pos[0]
	}
	return "."
}

// loadProjectForPlan loads a project (app.LoadProject) and prints its
// errors; ok is false when it has any (a plan of a broken project would be
// wrong).
func loadProjectForPlan(e *env, cmd, dir string) (*datafiles.Project, bool) {
	p, err := app.LoadProject(dir)
	if err != nil {
		fmt.Fprintf(e.stderr, "perch %s: %v\n", cmd, err)
		return nil, false
	}
	return p, true
}

// openWorkspace resolves the target of a project folder and connects.
func openWorkspace(ctx context.Context, e *env, dir string, tf *targetFlags) (*workspace.Client, error) {
	t, err := workspace.ResolveTarget(dir, workspace.Selection{Target: tf.Target, DSN: tf.DSN, Database: tf.Database}, e.getenv)
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
