package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/perchdata/perch/tui/component"
)

// TestRun is a run of the project's tests (perch test): the last one
// recorded, or one the Preview view started for a pipe.
type TestRun struct {
	Time time.Time
	// Where is the engine the tests ran on; Pipe the pipe whose tests ran
	// ("" for the whole project).
	Where, Pipe    string
	Passed, Failed int
	Elapsed        time.Duration
	Results        []TestResult
	// Error is what stopped the run early (a deploy or fixture failure).
	Error string
}

// TestResult is one test of a run: Detail says why it failed, as perch
// test prints it.
type TestResult struct {
	Name    string
	Passed  bool
	Elapsed time.Duration
	Detail  []string
}

// Summary is "N passed, M failed", or the error that stopped the run.
func (r *TestRun) Summary() string {
	if r.Error != "" {
		return "failed: " + oneLine(r.Error)
	}
	return fmt.Sprintf("%d passed, %d failed", r.Passed, r.Failed)
}

// testRunMsg says a test run ended (or the last one was read): the root
// keeps it for every view.
type testRunMsg struct{ run *TestRun }

// loadLastTest reads the last recorded test run.
func loadLastTest(b Backend, ctx context.Context) tea.Cmd {
	return func() tea.Msg {
		run, err := b.LastTestRun(ctx)
		if err != nil || run == nil {
			return nil
		}
		return testRunMsg{run}
	}
}

// testsTitle is the last test run for a view's title: " · tests 14
// passed, 1 failed, 3m ago".
func (e *env) testsTitle() string {
	r := e.lastTest
	if r == nil {
		return ""
	}
	return fmt.Sprintf(" · last tests: %s, %s ago", r.Summary(), e.opt.Now().Sub(r.Time).Round(time.Second))
}

// previewTests is the Preview view's test run of the pipe on screen.
type previewTests struct {
	pipe    string
	running bool
	run     *TestRun
	err     string
}

// previewTestsMsg is the outcome of the tests the Preview view started.
type previewTestsMsg struct {
	pipe string
	run  *TestRun
	err  error
}

// runTests runs the tests of the pipe on screen in the background.
func (v *previewView) runTests() tea.Cmd {
	if v.pipe == "" {
		return emit(noticeMsg{"pick a pipe first: t runs its tests (tests/PIPE.yaml)"})
	}
	if v.tests.running {
		return nil
	}
	v.tests = previewTests{pipe: v.pipe, running: true}
	id := v.ask(paneTests)
	b, ctx, pipe := v.backend, v.ctx, v.pipe
	return run(paneTests, id, func() tea.Msg {
		r, err := b.RunTests(ctx, pipe)
		return previewTestsMsg{pipe, r, err}
	})
}

// onTests shows a finished run and hands it to the root.
func (v *previewView) onTests(msg previewTestsMsg) tea.Cmd {
	v.tests = previewTests{pipe: msg.pipe, run: msg.run}
	if msg.err != nil {
		v.tests.err = msg.err.Error()
		return nil
	}
	return emit(testRunMsg{msg.run})
}

// maxTestLines bounds the lines the test run takes in the Preview.
const maxTestLines = 12

// testLines are the tests of the pipe on screen: running, or the summary
// and each test (failures with their detail).
func (v *previewView) testLines(w int) []string {
	t := v.tests
	if t.pipe == "" || t.pipe != v.pipe {
		return nil
	}
	switch {
	case t.running:
		return []string{v.th.Info.Render(" running the tests of " + t.pipe + " (deploy, fixtures, tests)…")}
	case t.err != "":
		return component.Wrap([]string{v.th.Error.Render(" tests: " + oneLine(t.err))}, w)
	case t.run == nil:
		return nil
	}
	r := t.run
	st := v.th.Added
	if r.Failed > 0 || r.Error != "" {
		st = v.th.Error
	}
	lines := []string{st.Render(fmt.Sprintf(" tests of %s: %s in %s on %s (t runs again)", t.pipe, r.Summary(), r.Elapsed.Round(time.Millisecond), r.Where))}
	for _, res := range r.Results {
		if res.Passed {
			lines = append(lines, v.th.Muted.Render(fmt.Sprintf("   ok   %s  %s", res.Name, res.Elapsed.Round(100*time.Microsecond))))
			continue
		}
		lines = append(lines, v.th.Error.Render("   FAIL "+res.Name))
		for _, d := range res.Detail {
			lines = append(lines, v.th.Text.Render("   "+strings.TrimPrefix(d, "     ")))
		}
	}
	if len(lines) > maxTestLines {
		lines = append(lines[:maxTestLines-1], v.th.Faint.Render(fmt.Sprintf("   … %d more lines (perch test %s prints them all)", len(lines)-maxTestLines+1, t.pipe)))
	}
	return component.Wrap(lines, w)
}
