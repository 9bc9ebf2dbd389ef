package app

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/plan"
)

// ProjectErrors is the error of a project that loads with errors: planning
// it would be wrong (a file that does not parse would look deleted), so
// neither front end plans or applies it.
type ProjectErrors struct {
	// Dir is the project folder, prefixed to the file of each diagnostic.
	Dir string
	// Diags are the error diagnostics, files relative to Dir.
	Diags []datafiles.Diagnostic
}

// Lines are the diagnostics as file:line:col: error: message, files under Dir.
func (e *ProjectErrors) Lines() []string {
	out := make([]string, 0, len(e.Diags))
	for _, d := range e.Diags {
		if d.Pos.File != "" && e.Dir != "" {
			d.Pos.File = filepath.Join(e.Dir, d.Pos.File)
		}
		out = append(out, d.String())
	}
	return out
}

// Error names every error of the project.
func (e *ProjectErrors) Error() string {
	return fmt.Sprintf("the project has %d errors (see perch check):\n  %s", len(e.Diags), strings.Join(e.Lines(), "\n  "))
}

// LoadProject loads the project in dir. A project with errors is returned
// with a *ProjectErrors error.
func LoadProject(dir string) (*datafiles.Project, error) {
	p, err := datafiles.Load(dir)
	if err != nil {
		return nil, fmt.Errorf("load project %s: %w", dir, err)
	}
	return p, Check(p, dir)
}

// Check returns a *ProjectErrors when the project loaded from dir has
// errors, else nil.
func Check(p *datafiles.Project, dir string) error {
	if errs := p.Errors(); len(errs) > 0 {
		return &ProjectErrors{Dir: dir, Diags: errs}
	}
	return nil
}

// ErrorPlan is the plan document of a project that cannot be planned: no
// changes, the project's errors as its errors (files relative to the
// project, as the planner's errors are), for the database the target names.
// `perch plan --json` prints it so scripts read the errors where they read
// the plan.
func ErrorPlan(database string, err *ProjectErrors) *plan.Plan {
	rel := ProjectErrors{Diags: err.Diags}
	return &plan.Plan{
		FormatVersion: plan.FormatVersion, Database: database, Capabilities: workspace.Capabilities{},
		Changes: []*plan.Change{}, Errors: rel.Lines(),
	}
}
