package main

import (
	"context"
	"fmt"
	"io"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/plan"
)

// showDeployment prints one deployment: who, when, which commit, the outcome,
// the plan it applied and its files (with their text when files is set).
func showDeployment(ctx context.Context, e *env, c *workspace.Client, id string, asJSON, files bool) error {
	en, err := app.Show(ctx, c, id)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(e.stdout, en.Deployment)
	}
	return printDeployment(e.stdout, en, files)
}

// printDeployment writes the text form of one deployment.
func printDeployment(w io.Writer, en *app.Entry, files bool) error {
	d := en.Deployment
	fmt.Fprintf(w, "deployment %s\n", d.ID)
	fmt.Fprintf(w, "time       %s\n", d.Time.UTC().Format("2006-01-02 15:04:05 UTC"))
	fmt.Fprintf(w, "author     %s\n", d.Author)
	if d.GitCommit != "" {
		commit := d.GitCommit
		if d.GitBranch != "" {
			commit += " (" + d.GitBranch + ")"
		}
		fmt.Fprintf(w, "commit     %s\n", commit)
	}
	if d.Message != "" {
		fmt.Fprintf(w, "message    %s\n", d.Message)
	}
	fmt.Fprintf(w, "outcome    %s\n", d.Outcome)
	if d.Error != "" {
		fmt.Fprintf(w, "error      %s\n", d.Error)
	}
	if d.PerchVersion != "" {
		fmt.Fprintf(w, "perch      %s\n", d.PerchVersion)
	}
	switch {
	case en.PlanError != nil:
		fmt.Fprintf(w, "\n(%v)\n", en.PlanError)
	case en.Plan != nil:
		fmt.Fprintln(w)
		if err := plan.Render(w, en.Plan, plan.RenderOptions{}); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\n%d datafile(s) deployed:\n", len(d.Files))
	for _, f := range d.Files {
		if !files {
			fmt.Fprintf(w, "  %s\n", f.Path)
			continue
		}
		fmt.Fprintf(w, "\n--- %s\n%s", f.Path, f.Text)
		if len(f.Text) > 0 && f.Text[len(f.Text)-1] != '\n' {
			fmt.Fprintln(w)
		}
	}
	return nil
}
