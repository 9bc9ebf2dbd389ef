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
// recording who deployed which commit. It refuses a plan with errors and
// destructive changes the approval does not cover, before touching the
// workspace.
func (a *App) Apply(ctx context.Context, c *workspace.Client, prep *Prepared, opts ApplyOptions) (*apply.Result, error) {
	p := prep.Plan
	if len(p.Errors) > 0 {
		return nil, fmt.Errorf("%w; nothing applied:\n  %s", ErrPlanErrors, strings.Join(p.Errors, "\n  "))
	}
	destroys, err := opts.Approval.Check(p, opts.Only)
	if err != nil {
		return nil, err
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
