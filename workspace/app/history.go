package app

import (
	"context"
	"fmt"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/plan"
)

// Entry is one deployment of the log with the plan it applied.
type Entry struct {
	Deployment *workspace.Deployment
	// Plan is the plan recorded with the deployment; nil when it was not
	// read, none was recorded, or it could not be read (PlanError).
	Plan *plan.Plan
	// PlanError says why a recorded plan could not be read (a newer format, say).
	PlanError error
}

// History lists up to limit deployments (<= 0: all), newest first; the
// first withPlans of them come with their recorded plans.
func History(ctx context.Context, c *workspace.Client, limit, withPlans int) ([]Entry, error) {
	ds, err := c.History(ctx, limit)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	out := make([]Entry, 0, len(ds))
	for i, d := range ds {
		e := Entry{Deployment: d}
		if i < withPlans {
			full, err := c.Get(ctx, d.ID)
			if err != nil {
				return nil, fmt.Errorf("history: %w", err)
			}
			e.Plan, e.PlanError = recordedPlan(full)
		}
		out = append(out, e)
	}
	return out, nil
}

// Show returns one deployment (an id or a unique prefix) in full: its files
// and the plan it applied.
func Show(ctx context.Context, c *workspace.Client, id string) (*Entry, error) {
	d, err := c.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	e := &Entry{Deployment: d}
	e.Plan, e.PlanError = recordedPlan(d)
	return e, nil
}

// recordedPlan parses the plan recorded with d (plan.Parse checks the
// format version); nil, nil when none was recorded.
func recordedPlan(d *workspace.Deployment) (*plan.Plan, error) {
	if d == nil || d.Plan == "" {
		return nil, nil
	}
	p, err := plan.Parse([]byte(d.Plan))
	if err != nil {
		return nil, fmt.Errorf("the recorded plan of %s cannot be read by this perch: %w", d.ID, err)
	}
	return p, nil
}
