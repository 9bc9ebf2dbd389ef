package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/plan"
)

// deployProject makes the target hold the project before the demo streams
// into it: the demo's one deploy call. It plans the project against the
// workspace, says what the plan does to what the workspace already holds
// (an earlier demo's data and deployment), and applies it through the
// application layer, as `perch plan` and `perch apply` would, recording the
// deployment. It refuses a plan that destroys data, except dropping the
// backup table a previous rebuild kept for revert. fresh, when not empty,
// is the command that starts from an empty database instead.
func deployProject(ctx context.Context, e *env, c *workspace.Client, p *datafiles.Project, fresh string) error {
	rem, err := app.ReadRemote(ctx, c)
	if err != nil {
		return fmt.Errorf("deploy: %w", err)
	}
	a := newApp(e, p.Root)
	prep, err := a.Plan(ctx, c, p)
	if err != nil {
		return fmt.Errorf("deploy: %w", err)
	}
	pl := prep.Plan
	if len(pl.Errors) > 0 {
		return fmt.Errorf("deploy %s: the plan has errors:\n  %s", p.Root, strings.Join(pl.Errors, "\n  "))
	}
	var events uint64
	if o := rem.Snapshot.Objects["events"]; o != nil {
		events = o.Rows
	}
	describeDeploy(e.stdout, c.Database(), p.Root, rem.Latest, events, pl, fresh)
	if pl.Empty() {
		return nil
	}
	// The only data the demo drops on its own is the backup a previous
	// rebuild kept for revert (`t__old`), which every deploy drops.
	var destroys []string
	for _, ch := range pl.Changes {
		if ch.Method != plan.MethodCleanup && app.Destroys(ch) {
			destroys = append(destroys, ch.Resource)
		}
	}
	if len(destroys) > 0 {
		return fmt.Errorf("deploy %s: the plan destroys data (%s); review it with `perch plan %s` and apply it yourself", p.Root, strings.Join(destroys, ", "), p.Root)
	}
	res, err := a.Apply(ctx, c, prep, app.ApplyOptions{Approval: app.Approval{Backups: true}, Message: "perch demo"})
	if err != nil {
		return fmt.Errorf("deploy %s: %w", p.Root, err)
	}
	fmt.Fprintf(e.stdout, "deploy: applied %s to %s (deployment %s)\n", strings.Join(res.Applied, ", "), c.Database(), res.DeploymentID)
	return nil
}

// describeDeploy says what the demo's deploy finds in the database (an
// earlier deployment, events already stored: they are kept) and what it is
// about to do, change by change, before it does it.
func describeDeploy(w io.Writer, db, root string, latest *workspace.Deployment, events uint64, p *plan.Plan, fresh string) {
	if latest == nil && events == 0 {
		if !p.Empty() {
			fmt.Fprintf(w, "deploy: creating %s in %s (%d changes)\n", root, db, len(p.Changes))
		}
		return
	}
	if latest != nil {
		fmt.Fprintf(w, "deploy: %s holds an earlier deployment (%s, %s, by %s)", db, latest.ID, latest.Time.UTC().Format("2006-01-02 15:04:05 UTC"), latest.Author)
	} else {
		fmt.Fprintf(w, "deploy: %s already has an events table", db)
	}
	fmt.Fprintf(w, " and %s events, which are kept; the stream adds to them\n", workspace.HumanCount(events))
	if p.Empty() {
		fmt.Fprintf(w, "deploy: %s is in sync with %s\n", db, root)
	} else {
		fmt.Fprintf(w, "deploy: bringing it to %s first:\n", root)
		for _, ch := range p.Changes {
			line := fmt.Sprintf("  %-3s %s: %s (%s", ch.Action.Marker(), ch.Resource, ch.Method, ch.Risk)
			if ch.EstRows > 0 {
				line += fmt.Sprintf(", %s rows", workspace.HumanCount(ch.EstRows))
			}
			fmt.Fprintf(w, "%s): %s\n", line, strings.Join(ch.Reasons, "; "))
		}
	}
	if fresh != "" {
		fmt.Fprintf(w, "deploy: to start from an empty database instead, stop the demo and run: %s\n", fresh)
	}
}
