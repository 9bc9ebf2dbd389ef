package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/apply"
	"github.com/perchdata/perch/workspace/plan"
)

// Plan computes the plan taking the remote to the local project, against
// the last deployment (as `perch plan` does).
func (b *Backend) Plan(ctx context.Context) (*tui.Plan, error) {
	p := b.loaded()
	if p == nil {
		return nil, errors.New("plan: the project is not loaded")
	}
	return b.planFor(ctx, p, "")
}

// RevertPlan plans going back to the files of deployment id.
func (b *Backend) RevertPlan(ctx context.Context, id string) (*tui.Plan, error) {
	c, err := b.conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("revert %s: %w", id, err)
	}
	d, err := c.Get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("revert %s: %w", id, err)
	}
	p, err := plan.DeployedProject(d)
	if err != nil {
		return nil, fmt.Errorf("revert %s: %w", id, err)
	}
	if p == nil {
		return nil, fmt.Errorf("revert %s: the deployment recorded no files", id)
	}
	return b.planFor(ctx, p, "revert to "+id)
}

func (b *Backend) planFor(ctx context.Context, p *datafiles.Project, title string) (*tui.Plan, error) {
	c, err := b.conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	remote, _, err := plan.Against(ctx, c)
	if err != nil {
		b.dropConn(c)
		return nil, fmt.Errorf("plan: %w", err)
	}
	pl, err := plan.Build(p, remote, plan.Options{Compile: plan.Compile})
	if err != nil {
		return nil, fmt.Errorf("plan %s: %w", p.Root, err)
	}
	if err := plan.CheckViews(ctx, c, pl); err != nil {
		return nil, fmt.Errorf("plan %s: %w", p.Root, err)
	}
	out := convertPlan(pl, title)
	b.mu.Lock()
	b.plans[planKey(out)] = pl
	b.mu.Unlock()
	return out, nil
}

func planKey(p *tui.Plan) string { return p.Fingerprint + "\x00" + p.Title }

func convertPlan(pl *plan.Plan, title string) *tui.Plan {
	out := &tui.Plan{Title: title, Fingerprint: pl.Fingerprint, Errors: pl.Errors}
	for _, c := range pl.Changes {
		out.Changes = append(out.Changes, convertChange(c))
	}
	return out
}

func convertChange(c *plan.Change) tui.Change {
	tc := tui.Change{
		ID: c.ID, Resource: c.Resource, Kind: string(c.Kind), Action: string(c.Action), Marker: c.Action.Marker(),
		Method: string(c.Method), Reason: strings.Join(c.Reasons, "; "), Risk: tui.Risk(c.Risk),
		Destructive: c.Destructive, Notes: c.Notes, Downstream: c.Downstream, DependsOn: c.DependsOn,
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

// Apply runs the staged changes with workspace/apply, turning its events
// into UI progress. Destroying data is allowed only for plans whose
// destructive changes the UI had the user confirm by typing their name.
func (b *Backend) Apply(ctx context.Context, p *tui.Plan, req tui.ApplyRequest, events chan<- tui.ApplyEvent) (*tui.ApplyResult, error) {
	defer close(events)
	staged := req.Staged
	b.mu.Lock()
	pl := b.plans[planKey(p)]
	b.mu.Unlock()
	if pl == nil {
		return nil, errors.New("apply: this plan is no longer known; recompute it (R)")
	}
	c, err := b.conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("apply: %w", err)
	}
	allow, err := approvedDestruction(pl, req)
	if err != nil {
		return &tui.ApplyResult{Next: "confirm each destructive change by typing its name, or unstage it"}, err
	}
	who := workspace.ReadProvenance(ctx, b.dir, b.getenv)
	res, err := apply.Apply(ctx, c, pl, apply.Options{
		Only: staged, AllowDestructive: allow, Message: "perch TUI: " + titleOr(p.Title, "apply"),
		Author: who.Author, GitCommit: who.GitCommit, GitBranch: who.GitBranch,
		PerchVersion: b.Version,
		OnEvent:      func(ev apply.Event) { events <- convertEvent(ev) },
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
			out.Next = "stage only safe changes, or confirm the destructive one by typing its name"
		case res != nil && res.Failed != "" && !res.Undone:
			out.Next = "the change passed its commit point: fix the cause and apply again (steps are retried, not undone)"
		default:
			out.Next = "read the error, press R to recompute the plan against the current remote, and apply again"
		}
	}
	return out, err
}

// approvedDestruction reports whether the staged changes destroy data, and
// refuses unless every destructive one was confirmed by its own name.
func approvedDestruction(pl *plan.Plan, req tui.ApplyRequest) (bool, error) {
	ok := map[string]bool{}
	for _, r := range req.Approved {
		ok[r] = true
	}
	allow := false
	for _, id := range req.Staged {
		ch := pl.Change(id)
		if ch == nil || (!ch.Destructive && ch.Risk != plan.Destroys) {
			continue
		}
		if !ok[ch.Resource] {
			return false, fmt.Errorf("apply: %s destroys data and was not confirmed by name: %w", ch.Resource, apply.ErrDestructive)
		}
		allow = true
	}
	return allow, nil
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

// History lists the deployment log, newest first, each with the changes of
// the plan it applied.
func (b *Backend) History(ctx context.Context) ([]tui.Deployment, error) {
	c, err := b.conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	ds, err := c.History(ctx, 50)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	out := make([]tui.Deployment, 0, len(ds))
	for i, d := range ds {
		td := tui.Deployment{ID: d.ID, Author: d.Author, Commit: d.GitCommit, Message: d.Message, Outcome: string(d.Outcome), Time: d.Time}
		if d.Error != "" {
			td.Changes = append(td.Changes, "error: "+d.Error)
		}
		if i < 20 { // the changes of recent deployments, from their recorded plans
			td.Changes = append(td.Changes, deployedChanges(ctx, c, d.ID)...)
		}
		td.Changes = append(td.Changes, fmt.Sprintf("%d datafile(s) recorded", d.FileCount))
		out = append(out, td)
	}
	return out, nil
}

func deployedChanges(ctx context.Context, c *workspace.Client, id string) []string {
	full, err := c.Get(ctx, id)
	if err != nil || full == nil || full.Plan == "" {
		return nil
	}
	var pl plan.Plan
	if err := json.Unmarshal([]byte(full.Plan), &pl); err != nil {
		return []string{"(plan unreadable: " + err.Error() + ")"}
	}
	var out []string
	for _, ch := range pl.Changes {
		out = append(out, fmt.Sprintf("%s %s: %s (%s)", ch.Action.Marker(), ch.Resource, ch.Method, ch.Risk))
	}
	return out
}
