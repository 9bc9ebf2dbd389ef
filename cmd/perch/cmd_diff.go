package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/plan"
)

// runDiff implements `perch diff [DIR]`: for every resource the plan would
// change, a unified diff from the remote definition (as a datafile) to the
// local one. Exit 0 either way; `perch plan --detailed-exitcode` is the
// scripted check.
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
	state, snap, err := plan.Against(ctx, c)
	if err != nil {
		return err
	}
	p, err := plan.Build(local, state, plan.Options{Compile: plan.Compile})
	if err != nil {
		return err
	}
	shown := 0
	for _, ch := range p.Changes {
		name := ch.Resource
		var remote, localText, file string
		switch {
		case local.Datasources[name] != nil || snap.Datasources[name] != nil:
			file = name + ".datasource"
			if ds := local.Datasources[name]; ds != nil {
				localText, file = datafiles.FormatDatasource(ds), ds.File
			}
			if ds := snap.Datasources[name]; ds != nil {
				remote = datafiles.FormatDatasource(ds)
			}
		default:
			file = name + ".pipe"
			if pp := local.Pipes[name]; pp != nil {
				localText, file = datafiles.FormatPipe(pp), pp.File
			}
			if deployed := state.Deployed; deployed != nil && deployed.Pipes[name] != nil {
				remote = datafiles.FormatPipe(deployed.Pipes[name])
			} else if pp := snap.Pipes[name]; pp != nil {
				remote = datafiles.FormatPipe(pp)
			}
		}
		diff := plan.UnifiedDiff(remote, localText, "remote/"+filepath.ToSlash(file), "local/"+filepath.ToSlash(file))
		if diff == "" {
			continue
		}
		fmt.Fprintf(e.stdout, "# %s %s %s  [%s]\n%s\n", ch.Action.Marker(), ch.Kind, name, ch.Method, diff)
		shown++
	}
	if shown == 0 {
		fmt.Fprintln(e.stdout, "No differences.")
	}
	return nil
}
