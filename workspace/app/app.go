// Package app is perch's application layer: what the CLI (cmd/perch) and the
// terminal UI (tui/live) both do with a project and its workspace, written
// once so the two front ends cannot disagree. It classifies every resource
// (Statuses), diffs the project against the remote (Diff), prepares plans and
// reverts with who deploys which commit (Plan, Revert), enforces the
// destructive approval rule (Approval) when applying (Apply), previews nodes
// and reads the deployment history. It imports no UI package: front ends
// convert its results to their own types and print or draw them.
package app

import (
	"context"

	"github.com/perchdata/perch/workspace"
)

// App is one front end's use of a project folder: where the project is (its
// git repository says who deploys which commit), the process environment and
// the version of perch recorded with each deployment.
type App struct {
	// Dir is the project folder.
	Dir string
	// Getenv reads the environment: PERCH_AUTHOR and USER, and the values of
	// tb_secret() and tb_var() in the nodes a plan compiles (an env var
	// named as the secret, as `perch compile` reads it); nil reads nothing.
	Getenv func(string) string
	// Version is perch's version, recorded with deployments.
	Version string
	// AllowApproximateBackfill plans materialized-view changes with no exact
	// method on the server with the approximate watermark method (perch plan
	// and perch apply --allow-approximate-backfill); the default refuses them.
	AllowApproximateBackfill bool
}

// Provenance says who deploys from which commit of the project's repository
// (workspace.ReadProvenance).
func (a *App) Provenance(ctx context.Context) workspace.Provenance {
	return workspace.ReadProvenance(ctx, a.Dir, a.Getenv)
}
