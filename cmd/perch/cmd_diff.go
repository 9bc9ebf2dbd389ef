package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/perchdata/perch/workspace/app"
)

// runDiff implements `perch diff [DIR]`: for every resource not in sync, a
// unified diff from the remote definition (the deployed datafile when the
// live object matches it, else the live object as a datafile) to the local
// file: the comparison the TUI's Explorer shows (app.Diff). Exit 0 either
// way; `perch plan --detailed-exitcode` is the scripted check.
func runDiff(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("diff", e.stderr)
	tf := addTargetFlags(fs)
	dir, err := parseDirArgs(fs, args, "perch diff [DIR]")
	if err != nil {
		return err
	}
	local, err := app.LoadProject(dir)
	if err != nil {
		return err
	}
	c, err := openWorkspace(ctx, e, dir, tf)
	if err != nil {
		return err
	}
	defer c.Close()
	rem, err := app.ReadRemote(ctx, c)
	if err != nil {
		return err
	}
	diffs := app.Diff(local, rem)
	for _, d := range diffs {
		fmt.Fprintf(e.stdout, "# %s %s %s (%s)\n", d.State.Marker(), d.Kind, d.Name, d.State)
		for _, n := range d.Notes {
			fmt.Fprintf(e.stdout, "# %s\n", n)
		}
		fmt.Fprintln(e.stdout, strings.TrimRight(d.Unified, "\n"))
		fmt.Fprintln(e.stdout)
	}
	if len(diffs) == 0 {
		fmt.Fprintln(e.stdout, "No differences.")
	}
	return nil
}
