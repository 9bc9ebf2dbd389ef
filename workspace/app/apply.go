package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/apply"
)

// ApplyOptions say what to apply of a prepared plan and how.
type ApplyOptions struct {
	// Only stages a subset of changes (ids or resources; their dependencies
	// are pulled in); empty stages all.
	Only []string
	// Approval approves the destructive changes among them.
	Approval Approval
	// Message is recorded with the deployment; empty keeps the prepared one.
	Message string
	// OnEvent receives progress events (may be nil).
	OnEvent func(apply.Event)
}

// ErrPlanErrors is returned (wrapped) for a plan with errors: nothing is applied.
var ErrPlanErrors = errors.New("the plan has errors")

// Apply runs the staged changes of a prepared plan with workspace/apply,
// recording who deployed which commit. It refuses a plan with errors,
// destructive changes the approval does not cover and a --branch target
// that is not the perch branch it names, before touching the workspace.
func (a *App) Apply(ctx context.Context, c *workspace.Client, prep *Prepared, opts ApplyOptions) (*apply.Result, error) {
	p := prep.Plan
	if len(p.Errors) > 0 {
		return nil, fmt.Errorf("%w; nothing applied:\n  %s", ErrPlanErrors, strings.Join(p.Errors, "\n  "))
	}
	destroys, err := opts.Approval.Check(p, opts.Only)
	if err != nil {
		return nil, err
	}
	if err := checkPlanDatabase(p.Database, c.Database()); err != nil {
		return nil, err
	}
	// A target chosen with --branch must be the branch perch made.
	if err := c.CheckBranch(ctx); err != nil {
		return nil, fmt.Errorf("apply: %w", err)
	}
	msg := opts.Message
	if msg == "" {
		msg = prep.Message
	}
	return apply.Apply(ctx, c, p, apply.Options{
		Only: opts.Only, AllowDestructive: destroys, Message: msg,
		Author: prep.Who.Author, GitCommit: prep.Who.GitCommit, GitBranch: prep.Who.GitBranch,
		PerchVersion: a.Version, Files: prep.Files, OnEvent: opts.OnEvent,
	})
}

// checkPlanDatabase refuses a saved plan computed for another database than
// the target's, naming the branch when either is one: a plan made on a branch
// never runs on its workspace, nor the other way round.
func checkPlanDatabase(planDB, targetDB string) error {
	if planDB == "" || planDB == targetDB {
		return nil
	}
	describe := func(db string) string {
		if ws, name, ok := workspace.SplitBranchDatabase(db); ok {
			return fmt.Sprintf("%s (branch %s of %s)", db, name, ws)
		}
		return db
	}
	hint := ""
	if _, name, ok := workspace.SplitBranchDatabase(planDB); ok {
		hint = fmt.Sprintf("; to apply it to its branch, pass --branch %s", name)
	}
	return fmt.Errorf("apply: the plan is for database %s, the target is %s: nothing applied%s", describe(planDB), describe(targetDB), hint)
}
