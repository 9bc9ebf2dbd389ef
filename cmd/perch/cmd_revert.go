package main

import (
	"context"
	"fmt"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/plan"
)

// runRevert implements `perch revert [DIR] ID`: plan from the files of an
// earlier deployment and apply that plan (with the same confirmation and
// flags as apply).
func runRevert(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("revert", e.stderr)
	tf := addTargetFlags(fs)
	af := addApplyFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitError
	}
	if len(pos) < 1 || len(pos) > 2 {
		fmt.Fprintln(e.stderr, "usage: perch revert [DIR] ID [--auto-approve] [--allow-destructive]")
		return exitError
	}
	dir, id := ".", pos[0]
	if len(pos) == 2 {
		dir, id = pos[0], pos[1]
	}
	c, err := openWorkspace(ctx, e, dir, tf)
	if err != nil {
		fmt.Fprintf(e.stderr, "perch revert: %v\n", err)
		return exitError
	}
	defer c.Close()
	d, err := c.Get(ctx, id)
	if err != nil {
		fmt.Fprintf(e.stderr, "perch revert: %v\n", err)
		return exitError
	}
	if d == nil || len(d.Files) == 0 {
		fmt.Fprintf(e.stderr, "perch revert: deployment %s has no datafiles recorded\n", id)
		return exitError
	}
	old, err := plan.DeployedProject(d)
	if err != nil {
		fmt.Fprintf(e.stderr, "perch revert: %v\n", err)
		return exitError
	}
	if errs := old.Errors(); len(errs) > 0 {
		fmt.Fprintf(e.stderr, "perch revert: the files of deployment %s no longer load: %v\n", id, errs[0])
		return exitError
	}
	p, err := plan.Compute(ctx, c, old)
	if err != nil {
		fmt.Fprintf(e.stderr, "perch revert: %v\n", err)
		return exitError
	}
	fmt.Fprintf(e.stdout, "Reverting to deployment %s (%s, %s)\n\n", d.ID, d.Time.Format("2006-01-02 15:04:05 UTC"), d.Message)
	if *af.message == "" {
		*af.message = "revert to " + d.ID
	}
	// Who reverts is the current user; what is deployed is the old deployment's commit.
	who := workspace.ReadProvenance(ctx, dir, e.getenv)
	who.GitCommit, who.GitBranch = d.GitCommit, d.GitBranch
	return confirmAndApply(ctx, e, c, p, af, d.Files, who, "revert")
}
