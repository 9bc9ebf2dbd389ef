package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/plan"
)

// deployProject makes the target hold the project before the demo streams
// into it: the demo's one deploy call. It plans the project against the
// workspace and applies the plan through the application layer, as `perch
// plan` and `perch apply` would, recording the deployment. It refuses a plan
// that destroys data, except dropping the backup table a previous rebuild
// kept for revert.
func deployProject(ctx context.Context, e *env, c *workspace.Client, p *datafiles.Project) error {
	a := newApp(e, p.Root)
	prep, err := a.Plan(ctx, c, p)
	if err != nil {
		return fmt.Errorf("deploy: %w", err)
	}
	pl := prep.Plan
	if len(pl.Errors) > 0 {
		return fmt.Errorf("deploy %s: the plan has errors:\n  %s", p.Root, strings.Join(pl.Errors, "\n  "))
	}
	if pl.Empty() {
		fmt.Fprintf(e.stdout, "deploy: %s is in sync with %s\n", c.Database(), p.Root)
		return nil
	}
	// The only data the demo drops on its own is the backup a previous
	// rebuild kept for revert (`t__old`), which every deploy drops.
	var destroys, backups []string
	for _, ch := range pl.Changes {
		switch {
		case ch.Method == plan.MethodCleanup:
			backups = append(backups, ch.Resource)
		case app.Destroys(ch):
			destroys = append(destroys, ch.Resource)
		}
	}
	if len(destroys) > 0 {
		return fmt.Errorf("deploy %s: the plan destroys data (%s); review it with `perch plan %s` and apply it yourself", p.Root, strings.Join(destroys, ", "), p.Root)
	}
	if len(backups) > 0 {
		fmt.Fprintf(e.stdout, "deploy: dropping the backup kept by the previous deploy: %s\n", strings.Join(backups, ", "))
	}
	res, err := a.Apply(ctx, c, prep, app.ApplyOptions{Approval: app.Approval{Backups: true}, Message: "perch demo"})
	if err != nil {
		return fmt.Errorf("deploy %s: %w", p.Root, err)
	}
	fmt.Fprintf(e.stdout, "deploy: applied %s to %s (deployment %s)\n", strings.Join(res.Applied, ", "), c.Database(), res.DeploymentID)
	return nil
}
