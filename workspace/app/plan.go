package app

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/plan"
)

// Prepared is a plan ready to apply, with what its deployment records.
type Prepared struct {
	Plan *plan.Plan
	// Title is empty for a plan of the project, "revert to ID" for a revert.
	Title string
	// Files are the datafiles the deployment records (nil: the plan's).
	Files []workspace.DeployedFile
	// Who deploys which commit: for a revert, the current author with the
	// commit and branch of the deployment reverted to.
	Who workspace.Provenance
	// Message is the default deployment message.
	Message string
	// Revert is the deployment reverted to; nil for a plan of the project.
	Revert *workspace.Deployment
}

// Plan prepares the plan taking the client's workspace to the local project
// (plan.Compute). A project with errors is refused with *ProjectErrors.
func (a *App) Plan(ctx context.Context, c *workspace.Client, local *datafiles.Project) (*Prepared, error) {
	if err := Check(local, a.Dir); err != nil {
		return nil, err
	}
	p, err := plan.ComputeWith(ctx, c, local, a.planOptions())
	if err != nil {
		return nil, err
	}
	return &Prepared{Plan: p, Files: plan.ProjectFiles(local), Who: a.Provenance(ctx)}, nil
}

// planOptions are the planner options of the app: its backfill choice and
// its environment, which answers tb_secret() and tb_var().
func (a *App) planOptions() plan.Options {
	return plan.Options{AllowApproximateBackfill: a.AllowApproximateBackfill, Getenv: a.Getenv}
}

// PlanFile prepares a plan saved with `perch plan --out` (plan.Load checks
// its format version), to apply exactly as reviewed.
func (a *App) PlanFile(ctx context.Context, path string) (*Prepared, error) {
	p, err := plan.Load(path)
	if err != nil {
		return nil, err
	}
	return &Prepared{Plan: p, Who: a.Provenance(ctx)}, nil
}

// Revert prepares the plan going back to the datafiles of deployment id (an
// id or a unique prefix). It refuses a deployment that recorded no files or
// whose files no longer load, and records the deployment's own commit.
func (a *App) Revert(ctx context.Context, c *workspace.Client, id string) (*Prepared, error) {
	d, err := c.Get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("revert %s: %w", id, err)
	}
	if d == nil || len(d.Files) == 0 {
		return nil, fmt.Errorf("revert %s: the deployment has no datafiles recorded", id)
	}
	old, err := plan.DeployedProject(d)
	if err != nil {
		return nil, fmt.Errorf("revert %s: %w", id, err)
	}
	if errs := old.Errors(); len(errs) > 0 {
		return nil, fmt.Errorf("revert %s: the files of deployment %s no longer load: %w", id, d.ID, &ProjectErrors{Dir: filepath.Join("deployment", d.ID), Diags: errs})
	}
	p, err := plan.ComputeWith(ctx, c, old, a.planOptions())
	if err != nil {
		return nil, fmt.Errorf("revert %s: %w", id, err)
	}
	// Who reverts is the current user; what is deployed is the old deployment's commit.
	who := a.Provenance(ctx)
	who.GitCommit, who.GitBranch = d.GitCommit, d.GitBranch
	return &Prepared{Plan: p, Title: "revert to " + d.ID, Files: d.Files, Who: who, Message: "revert to " + d.ID, Revert: d}, nil
}
