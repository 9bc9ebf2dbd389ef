package main

import (
	"context"
	"fmt"
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
	a := newApp(e, dir)
	prep, err := a.Revert(ctx, c, id)
	if err != nil {
		fmt.Fprintf(e.stderr, "perch revert: %v\n", err)
		return exitError
	}
	d := prep.Revert
	fmt.Fprintf(e.stdout, "Reverting to deployment %s (%s, %s)\n\n", d.ID, d.Time.Format("2006-01-02 15:04:05 UTC"), d.Message)
	return confirmAndApply(ctx, e, c, a, prep, af, "revert")
}
