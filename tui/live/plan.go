package live

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/apply"
	"github.com/perchdata/perch/workspace/plan"
)

// Plan prepares the plan taking the remote to the local project (app.Plan,
// as `perch plan` does).
func (b *Backend) Plan(ctx context.Context) (*tui.Plan, error) {
	p := b.loaded()
	if p == nil {
		return nil, errors.New("plan: the project is not loaded")
	}
	if err := app.Check(p, b.dir); err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	c, err := b.conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	prep, err := b.App.Plan(ctx, c, p)
	if err != nil {
		return nil, b.connFailed(c, fmt.Errorf("plan: %w", err))
	}
	return b.keep(prep), nil
}

// RevertPlan prepares the plan going back to the files of deployment id
// (app.Revert, as `perch revert` does).
func (b *Backend) RevertPlan(ctx context.Context, id string) (*tui.Plan, error) {
	c, err := b.conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("revert %s: %w", id, err)
	}
	prep, err := b.App.Revert(ctx, c, id)
	if err != nil {
		return nil, b.connFailed(c, err)
	}
	return b.keep(prep), nil
}

// connFailed forgets the connection after a failure that may be the
// connection's (anything but the project's own errors), so the next call
// reconnects; it returns err.
func (b *Backend) connFailed(c *workspace.Client, err error) error {
	var pe *app.ProjectErrors
	if !errors.As(err, &pe) {
		b.dropConn(c)
	}
	return err
}

// keep remembers a prepared plan for Apply and converts it.
func (b *Backend) keep(prep *app.Prepared) *tui.Plan {
	out := convertPlan(prep.Plan, prep.Title)
	b.mu.Lock()
	b.plans[planKey(out)] = prep
	b.mu.Unlock()
	return out
}

func planKey(p *tui.Plan) string { return p.Fingerprint + "\x00" + p.Title }

func convertPlan(pl *plan.Plan, title string) *tui.Plan {
	out := &tui.Plan{Title: title, Fingerprint: pl.Fingerprint, Errors: pl.Errors}
	for _, c := range pl.Changes {
		out.Changes = append(out.Changes, convertChange(c))
	}
	return out
}

// convertChange converts one change; Action keeps the plan's vocabulary
// (create, update, replace, delete), Method says how.
func convertChange(c *plan.Change) tui.Change {
	tc := tui.Change{
		ID: c.ID, Resource: c.Resource, Kind: string(c.Kind), Action: tui.Action(c.Action),
		Method: string(c.Method), Reason: strings.Join(c.Reasons, "; "), Risk: tui.Risk(c.Risk),
		Destructive: app.Destroys(c), Notes: c.Notes, Downstream: c.Downstream, DependsOn: c.DependsOn,
	}
	if len(c.Parts) > 0 {
		tc.Reason += " (" + strings.Join(c.Parts, ", ") + ")"
	}
	if c.Drifted {
		tc.Notes = append(tc.Notes, "the live object drifted from the last deployment")
	}
	if c.EstRows > 0 || c.EstBytes > 0 {
		tc.Estimate = fmt.Sprintf("%d rows, %s", c.EstRows, workspace.HumanBytes(c.EstBytes))
	}
	for _, s := range c.Steps {
		tc.Steps = append(tc.Steps, tui.Step{Title: s.Title, SQL: strings.Join(s.SQL, ";\n"), Undo: strings.Join(s.Undo, "; "), Check: s.Check})
	}
	return tc
}

// Apply runs the staged changes with app.Apply, turning its events into UI
// progress. Each destructive change runs only when the user confirmed it by
// typing its own name (req.Approved); the deployment records the prepared
// plan's files and provenance (for a revert, the reverted deployment's).
func (b *Backend) Apply(ctx context.Context, p *tui.Plan, req tui.ApplyRequest, events chan<- tui.ApplyEvent) (*tui.ApplyResult, error) {
	defer close(events)
	b.mu.Lock()
	prep := b.plans[planKey(p)]
	b.mu.Unlock()
	if prep == nil {
		return nil, errors.New("apply: this plan is no longer known; recompute it (R)")
	}
	if p := b.loaded(); prep.Revert == nil && p != nil {
		// As `perch apply` loads the project when it applies: a project
		// that broke since the plan was computed is refused.
		if err := app.Check(p, b.dir); err != nil {
			return &tui.ApplyResult{Next: "fix the errors (perch check), then recompute the plan (R)"}, fmt.Errorf("apply: %w", err)
		}
	}
	c, err := b.conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("apply: %w", err)
	}
	res, err := b.App.Apply(ctx, c, prep, app.ApplyOptions{
		Only: req.Staged, Approval: app.Approval{Names: req.Approved},
		Message: "perch TUI: " + titleOr(p.Title, "apply"),
		OnEvent: func(ev apply.Event) { events <- convertEvent(ev) },
	})
	out := &tui.ApplyResult{}
	if res != nil {
		out.DeploymentID = res.DeploymentID
		if res.Undone {
			out.Undone = []string{"the steps of " + res.Failed + " that had run were undone"}
		}
	}
	if err != nil {
		switch {
		case errors.Is(err, apply.ErrDestructive):
			out.Next = "confirm each destructive change by typing its name, or unstage it"
		case res != nil && res.Failed != "" && !res.Undone:
			out.Next = "the change passed its commit point: fix the cause and apply again (steps are retried, not undone)"
		default:
			out.Next = "read the error, press R to recompute the plan against the current remote, and apply again"
		}
	}
	return out, err
}

func titleOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func convertEvent(ev apply.Event) tui.ApplyEvent {
	out := tui.ApplyEvent{Change: ev.Change, Title: ev.Step, Rows: int64(ev.Rows), Message: ev.Message}
	switch ev.Kind {
	case apply.ChangeStarted:
		out.State, out.Title = "running", "started"
	case apply.ChangeFinished:
		out.State, out.Title = "done", "finished"
	case apply.StepStarted, apply.RowsCopied, apply.StepRetried:
		out.State = "running"
		if ev.Kind == apply.StepRetried {
			out.Message = "retry: " + ev.Message
		}
	case apply.StepFinished:
		out.State = "done"
	case apply.CheckPassed:
		out.State, out.Check = "done", "passed"
	case apply.StepFailed:
		out.State = "failed"
	case apply.StepUndone:
		out.State = "undone"
	}
	return out
}

// History lists the deployment log (app.History), newest first, the recent
// deployments with the changes of the plan they applied.
func (b *Backend) History(ctx context.Context) ([]tui.Deployment, error) {
	c, err := b.conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	entries, err := app.History(ctx, c, 50, 20)
	if err != nil {
		return nil, err
	}
	out := make([]tui.Deployment, 0, len(entries))
	for _, e := range entries {
		d := e.Deployment
		td := tui.Deployment{ID: d.ID, Author: d.Author, Commit: d.GitCommit, Message: d.Message, Outcome: string(d.Outcome), Time: d.Time}
		if d.Error != "" {
			td.Changes = append(td.Changes, "error: "+d.Error)
		}
		if e.PlanError != nil {
			td.Changes = append(td.Changes, "(plan unreadable: "+e.PlanError.Error()+")")
		}
		if e.Plan != nil {
			for _, ch := range e.Plan.Changes {
				td.Changes = append(td.Changes, fmt.Sprintf("%s %s: %s (%s)", ch.Action.Marker(), ch.Resource, ch.Method, ch.Risk))
			}
		}
		td.Changes = append(td.Changes, fmt.Sprintf("%d datafile(s) recorded", d.FileCount))
		out = append(out, td)
	}
	return out, nil
}
