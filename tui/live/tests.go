package live

import (
	"context"
	"fmt"

	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/testrun"
)

// RunTests runs the tests of one pipe with app.Test, as `perch test PIPE`
// does, on the environment app.OpenTestEnvFor chooses for the target (a
// throwaway engine, or a scratch database in the embedded engine the TUI
// has open).
func (b *Backend) RunTests(ctx context.Context, pipe string) (*tui.TestRun, error) {
	local, err := app.LoadProject(b.dir)
	if err != nil {
		return nil, err
	}
	if _, ok := local.DataTests[pipe]; !ok {
		return nil, fmt.Errorf("no test named %s (write tests/%s.yaml)", pipe, pipe)
	}
	t, err := workspace.ResolveTarget(b.dir, b.selection, b.getenv)
	if err != nil {
		return nil, err
	}
	env, err := app.OpenTestEnvFor(ctx, t)
	if err != nil {
		return nil, err
	}
	rep, err := b.App.Test(ctx, env, local, app.TestOptions{Filter: []string{pipe}})
	if cerr := env.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if rep == nil {
		return nil, err
	}
	run := b.convertTestRun(rep)
	run.Pipe = pipe
	if err != nil && run.Error == "" {
		run.Error = err.Error()
	}
	return run, nil
}

// LastTestRun is the project's last recorded test run (app.LastTestRun).
func (b *Backend) LastTestRun(ctx context.Context) (*tui.TestRun, error) {
	rep, err := b.App.LastTestRun()
	if err != nil || rep == nil {
		return nil, err
	}
	return b.convertTestRun(rep), nil
}

// convertTestRun turns a report into the view's run: the build nodes that
// failed and every test, failures with perch test's lines.
func (b *Backend) convertTestRun(rep *testrun.Report) *tui.TestRun {
	run := &tui.TestRun{Time: rep.Time, Where: rep.Where, Passed: rep.Passed, Failed: rep.Failed, Elapsed: rep.Elapsed, Error: rep.Error}
	for _, list := range [][]*testrun.Result{rep.Build, rep.Tests} {
		for _, r := range list {
			if r.Kind == testrun.KindBuild && r.Passed {
				continue
			}
			res := tui.TestResult{Name: r.Name, Passed: r.Passed, Elapsed: r.Elapsed}
			if !r.Passed {
				res.Detail = testrun.ResultLines(r, b.dir)[1:]
			}
			run.Results = append(run.Results, res)
		}
	}
	return run
}
