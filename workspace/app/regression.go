package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/plan"
	"github.com/perchdata/perch/workspace/testrun"
)

// ErrNothingDeployed is returned (wrapped) by Regression on a target perch
// never deployed to: there is nothing to compare with.
var ErrNothingDeployed = errors.New("perch never deployed to this database: nothing to compare")

// Regression compares every endpoint as last deployed on the client's
// workspace with the same endpoint in the local project, on the
// workspace's own data and read-only: each runs with its defaults and
// with the parameters of each of its tests. It changes nothing.
func (a *App) Regression(ctx context.Context, c *workspace.Client, local *datafiles.Project) (*testrun.Regression, error) {
	if err := Check(local, a.Dir); err != nil {
		return nil, err
	}
	files, err := testrun.LoadFiles(local)
	if err != nil {
		return nil, err
	}
	latest, err := c.Latest(ctx)
	if err != nil {
		return nil, fmt.Errorf("deployment log of %s: %w", c.Database(), err)
	}
	if latest == nil || len(latest.Files) == 0 {
		return nil, fmt.Errorf("regression on %s: %w", c.Database(), ErrNothingDeployed)
	}
	deployed, err := plan.DeployedProject(latest)
	if err != nil {
		return nil, fmt.Errorf("regression on %s: %w", c.Database(), err)
	}
	reg, err := testrun.RunRegression(ctx, c, deployed, local, files, testrun.Options{Getenv: a.Getenv})
	if reg != nil {
		reg.Where = fmt.Sprintf("database %s on %s (deployment %s)", c.Database(), c.Target().Name, latest.ID)
	}
	return reg, err
}
