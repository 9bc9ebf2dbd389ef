package testrun

import (
	"time"
)

// Report is one run of perch build or perch test: where it ran, what the
// build deployed and loaded, each node and test result, and the time of
// each stage.
type Report struct {
	// Where says where the run happened (a throwaway engine, or a
	// scratch database on a target).
	Where string `json:"where"`
	// Engine is the engine's kind and version.
	Engine string `json:"engine"`
	// Deployed is the number of changes applied to build the project.
	Deployed int       `json:"deployed"`
	Fixtures []Fixture `json:"fixtures"`
	// Build are the endpoint and copy nodes run with defaults.
	Build []*Result `json:"build"`
	// Tests are the results of the test files' cases, in file order.
	Tests []*Result `json:"tests"`
	// Updated are the tests whose expected_result --update rewrote.
	Updated []string `json:"updated,omitempty"`
	Passed  int      `json:"passed"`
	Failed  int      `json:"failed"`
	// Stages are the times of start, deploy, load, build and run.
	Stages  []Stage       `json:"stages"`
	Elapsed time.Duration `json:"-"`
	// ElapsedMS is Elapsed in milliseconds.
	ElapsedMS float64 `json:"elapsed_ms"`
	// Time is when the run started.
	Time time.Time `json:"time"`
	// Error is what stopped the run early (a deploy or fixture failure).
	Error string `json:"error,omitempty"`
	// Warnings are problems that did not stop the run.
	Warnings []string `json:"warnings,omitempty"`
}

// Stage is the time one stage of a run took.
type Stage struct {
	Name      string        `json:"name"`
	Elapsed   time.Duration `json:"-"`
	ElapsedMS float64       `json:"elapsed_ms"`
}

// AddStage records that stage name took d.
func (r *Report) AddStage(name string, d time.Duration) {
	r.Stages = append(r.Stages, Stage{Name: name, Elapsed: d, ElapsedMS: ms(d)})
}

// Count sets Passed and Failed from the build and test results (a build
// node that fails counts as a failed test) and the total time since Time.
func (r *Report) Count() {
	r.Passed, r.Failed = 0, 0
	for _, list := range [][]*Result{r.Build, r.Tests} {
		for _, res := range list {
			if res.Passed {
				if res.Kind != KindBuild {
					r.Passed++
				}
			} else {
				r.Failed++
			}
		}
	}
	r.Elapsed = time.Since(r.Time)
	r.ElapsedMS = ms(r.Elapsed)
}

// OK reports whether every node and test passed.
func (r *Report) OK() bool { return r.Failed == 0 }

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
