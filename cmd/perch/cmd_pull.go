package main

import (
	"context"
	"fmt"

	"github.com/perchdata/perch/workspace"
)

// runPull implements `perch pull [DIR] [--force] [--json]`: write the remote
// workspace as datafiles, so an existing database can be adopted.
func runPull(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("pull", e.stderr)
	tf := addTargetFlags(fs)
	force := fs.Bool("force", false, "overwrite local files that differ from the remote")
	asJSON := fs.Bool("json", false, "print what was written as JSON")
	dir, err := parseDirArgs(fs, args, "perch pull [DIR] [--force] [--json]")
	if err != nil {
		return err
	}
	c, err := openWorkspace(ctx, e, dir, tf)
	if err != nil {
		return err
	}
	defer c.Close()
	s, err := c.Snapshot(ctx, "")
	if err != nil {
		return err
	}
	res, err := workspace.WritePulled(dir, workspace.PullFiles(s), *force)
	if err != nil {
		return err
	}
	if *asJSON {
		if res == nil {
			res = []workspace.WriteResult{}
		}
		if err := writeJSON(e.stdout, res); err != nil {
			return err
		}
	}
	skipped := 0
	for _, r := range res {
		if r.Action == "skipped" {
			skipped++
		}
		if !*asJSON {
			fmt.Fprintf(e.stdout, "%-9s %s\n", r.Action, r.Path)
		}
	}
	if !*asJSON {
		fmt.Fprintf(e.stdout, "pulled %d resources from %s\n", len(res), c.Database())
	}
	if skipped > 0 {
		// A note, not a failure: the exit code stays 0.
		fmt.Fprintf(e.stderr, "perch pull: %d local files differ from the remote and were kept; rerun with --force to overwrite them\n", skipped)
	}
	return nil
}
