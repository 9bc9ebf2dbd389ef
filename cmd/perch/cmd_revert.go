package main

import (
	"context"
	"fmt"
)

// runRevert implements `perch revert [DIR] ID`: plan from the files of an
// earlier deployment (app.Revert) and apply that plan with the same
// confirmation and flags as apply.
func runRevert(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("revert", e.stderr)
	tf := addTargetFlags(fs)
	af := addApplyFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 1 || len(pos) > 2 {
		return usageError("perch revert [DIR] ID [--auto-approve] [--allow-destructive]")
	}
	dir, id := ".", pos[0]
	if len(pos) == 2 {
		dir, id = pos[0], pos[1]
	}
	c, err := openWorkspace(ctx, e, dir, tf)
	if err != nil {
		return err
	}
	defer c.Close()
	a := newApp(e, dir)
	a.AllowApproximateBackfill = *af.approximate
	prep, err := a.Revert(ctx, c, id)
	if err != nil {
		return err
	}
	d := prep.Revert
	fmt.Fprintf(e.stdout, "Reverting to deployment %s (%s, %s)\n\n", d.ID, d.Time.Format("2006-01-02 15:04:05 UTC"), d.Message)
	return confirmAndApply(ctx, e, c, a, prep, af)
}
