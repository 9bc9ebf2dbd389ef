package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace/plan"
	"github.com/perchdata/perch/workspace/testrun"
)

// TestOptions say what a build or test run does.
type TestOptions struct {
	// Filter keeps the tests named pipe or pipe.test (see testrun.Select).
	Filter []string
	// Update rewrites expected_result from the actual rows (--update).
	Update bool
	// OnResult receives each node and test result as it is known.
	OnResult func(*testrun.Result)
}

// DeployError is a build that could not deploy the project: where in the
// project (the datafile of the change that failed, or of the plan's error)
// and why. Nothing was tested.
type DeployError struct {
	Pos datafiles.Pos
	Msg string
}

// Error formats the error as file:line:col: deploy: message.
func (e *DeployError) Error() string {
	if e.Pos.File == "" {
		return "deploy: " + e.Msg
	}
	return e.Pos.String() + ": deploy: " + e.Msg
}

// Build deploys the whole project into the environment's empty database
// with plan and apply (as a deploy to production would run), loads its
// fixtures (testrun.LoadFixtures) and runs every endpoint and copy node
// with its parameters' defaults (testrun.RunNodes). A project with errors
// is refused with *ProjectErrors; a deploy that fails is a *DeployError.
func (a *App) Build(ctx context.Context, env *TestEnv, local *datafiles.Project, opts TestOptions) (*testrun.Report, error) {
	rep := &testrun.Report{Time: time.Now().Add(-env.Started), Where: env.Where, Engine: string(env.Client.Engine())}
	rep.AddStage("start", env.Started)
	if v, err := env.Client.Conn().ServerVersion(ctx); err == nil {
		rep.Engine += " " + v
	}
	if err := Check(local, a.Dir); err != nil {
		return nil, err
	}
	if err := a.deploy(ctx, env, local, rep); err != nil {
		return rep, err
	}
	start := time.Now()
	fixtures, err := testrun.LoadFixtures(ctx, env.Client, local)
	rep.Fixtures = fixtures
	rep.AddStage("load", time.Since(start))
	if err != nil {
		return rep, err
	}
	start = time.Now()
	rep.Build, err = testrun.RunNodes(ctx, env.Client, local, testrun.BuildNodes(local), testrun.Options{Getenv: a.Getenv, OnResult: opts.OnResult})
	rep.AddStage("build", time.Since(start))
	rep.Count()
	return rep, err
}

// deploy plans the project against the empty database and applies it.
func (a *App) deploy(ctx context.Context, env *TestEnv, local *datafiles.Project, rep *testrun.Report) error {
	start := time.Now()
	defer func() { rep.AddStage("deploy", time.Since(start)) }()
	prep, err := a.Plan(ctx, env.Client, local)
	if err != nil {
		return fmt.Errorf("deploy: %w", err)
	}
	if len(prep.Plan.Errors) > 0 {
		return &DeployError{Msg: "the plan has errors:\n  " + strings.Join(prep.Plan.Errors, "\n  ")}
	}
	res, err := a.Apply(ctx, env.Client, prep, ApplyOptions{Approval: Approval{All: true}, Message: "perch test"})
	if err != nil {
		de := &DeployError{Msg: err.Error()}
		if res != nil && res.Failed != "" {
			de.Pos = changeFile(local, prep.Plan, res.Failed)
		}
		return de
	}
	rep.Deployed = len(res.Applied)
	return nil
}

// changeFile is the datafile of the resource of change id.
func changeFile(p *datafiles.Project, pl *plan.Plan, id string) datafiles.Pos {
	for _, ch := range pl.Changes {
		if ch.ID != id {
			continue
		}
		if ds := p.Datasources[ch.Resource]; ds != nil {
			return datafiles.Pos{File: ds.File, Line: 1, Col: 1}
		}
		if pp := p.Pipes[ch.Resource]; pp != nil {
			return datafiles.Pos{File: pp.File, Line: 1, Col: 1}
		}
	}
	return datafiles.Pos{}
}

// Test reads the project's test files (tests/<pipe>.yaml) and keeps those
// opts.Filter names, builds the project into the environment (Build), runs
// the tests there and, with opts.Update, rewrites the expected_result of
// those whose rows differ. The report is recorded as the project's last
// test run (LastTestRun) for the front ends to show.
func (a *App) Test(ctx context.Context, env *TestEnv, local *datafiles.Project, opts TestOptions) (*testrun.Report, error) {
	if err := Check(local, a.Dir); err != nil {
		return nil, err
	}
	files, err := testrun.LoadFiles(local)
	if err != nil {
		return nil, err
	}
	if files, err = testrun.Select(files, opts.Filter); err != nil {
		return nil, err
	}
	rep, err := a.Build(ctx, env, local, opts)
	if err != nil {
		a.record(rep, err)
		return rep, err
	}
	start := time.Now()
	rep.Tests, err = testrun.Run(ctx, env.Client, local, files, testrun.Options{Getenv: a.Getenv, OnResult: opts.OnResult})
	rep.AddStage("run", time.Since(start))
	if err == nil && opts.Update {
		rep.Updated, err = testrun.Update(local.Root, rep.Tests)
	}
	rep.Count()
	a.record(rep, err)
	return rep, err
}

// record saves the run as the last one; a failure to save is a warning of
// the report.
func (a *App) record(rep *testrun.Report, runErr error) {
	if rep == nil || errors.Is(runErr, context.Canceled) {
		return
	}
	if runErr != nil {
		rep.Error = runErr.Error()
	}
	if err := testrun.SaveLast(a.Dir, rep); err != nil {
		rep.Warnings = append(rep.Warnings, err.Error())
	}
}

// LastTestRun is the project's last recorded test run, nil when none.
func (a *App) LastTestRun() (*testrun.Report, error) { return testrun.LoadLast(a.Dir) }
