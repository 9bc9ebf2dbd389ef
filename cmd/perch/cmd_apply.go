package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/apply"
	"github.com/perchdata/perch/workspace/plan"
)

// applyFlags are the flags apply and revert share.
type applyFlags struct {
	autoApprove      *bool
	allowDestructive *bool
	only             multiFlag
	message          *string
	approximate      *bool
}

func addApplyFlags(fs *flag.FlagSet) *applyFlags {
	a := &applyFlags{}
	a.autoApprove = fs.Bool("auto-approve", false, "apply without asking")
	a.allowDestructive = fs.Bool("allow-destructive", false, "allow changes that destroy data")
	a.message = fs.String("message", "", "message recorded with the deployment")
	a.approximate = addApproximateFlag(fs)
	fs.Var(&a.only, "only", "apply only this change (id or resource; repeatable); its dependencies are pulled in")
	return a
}

// runApply implements `perch apply [DIR | --plan FILE] [--auto-approve]
// [--allow-destructive] [--only NAME ...]`.
func runApply(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("apply", e.stderr)
	tf := addTargetFlags(fs)
	planFile := fs.String("plan", "", "apply this saved plan exactly as reviewed")
	af := addApplyFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 || (len(pos) == 1 && *planFile != "") {
		return usageError("perch apply [DIR | --plan FILE] [--auto-approve] [--allow-destructive]")
	}
	dir := dirArg(pos)
	c, err := openWorkspace(ctx, e, dir, tf)
	if err != nil {
		return err
	}
	defer c.Close()
	// An interrupted apply is finished (or rolled back) before planning
	// (a saved plan is refused as stale if that changed anything).
	if *planFile == "" {
		acts, err := apply.Resume(ctx, c, apply.Options{OnEvent: func(ev apply.Event) { printEvent(e, ev) }})
		if err != nil {
			return err
		}
		if len(acts) > 0 {
			fmt.Fprintln(e.stdout)
		}
	}
	a := newApp(e, dir)
	a.AllowApproximateBackfill = *af.approximate
	var prep *app.Prepared
	if *planFile != "" {
		prep, err = a.PlanFile(ctx, *planFile)
	} else {
		var local *datafiles.Project
		if local, err = app.LoadProject(dir); err != nil {
			return err
		}
		prep, err = a.Plan(ctx, c, local)
	}
	if err != nil {
		return err
	}
	return confirmAndApply(ctx, e, c, a, prep, af)
}

// confirmAndApply prints the plan, asks for confirmation on a terminal
// (unless --auto-approve), applies it with app.Apply and prints progress.
func confirmAndApply(ctx context.Context, e *env, c *workspace.Client, a *app.App, prep *app.Prepared, af *applyFlags) error {
	p := prep.Plan
	if err := plan.Render(e.stdout, p, plan.RenderOptions{}); err != nil {
		return err
	}
	if len(p.Errors) > 0 {
		return errors.New("the plan has errors; nothing applied")
	}
	if p.Empty() {
		return nil
	}
	// Unattended, --allow-destructive approves every destructive change and
	// the previous deploy's backups are dropped as documented; on a
	// terminal each destructive change is confirmed by its own name.
	approval := app.Approval{All: *af.allowDestructive, Backups: *af.autoApprove}
	if !*af.autoApprove {
		if !e.isTerminal {
			return errors.New("not a terminal; pass --auto-approve to apply without confirmation")
		}
		destructive, err := app.Destructive(p, af.only)
		if err != nil {
			return err
		}
		if approval.All {
			destructive = nil
		}
		names, err := confirm(e.stdout, bufio.NewReader(e.stdin), destructive)
		if err != nil {
			return err
		}
		approval.Names = names
	}
	fmt.Fprintln(e.stdout)
	rows := newProgressPrinter(e.stdout, e.isTerminal)
	res, err := a.Apply(ctx, c, prep, app.ApplyOptions{
		Only: af.only, Approval: approval, Message: *af.message,
		OnEvent: func(ev apply.Event) {
			if !rows.event(ev) {
				rows.clear()
				printEvent(e, ev)
			}
		},
	})
	rows.summary(e.stdout, "step")
	if err != nil {
		var hints []string
		if errors.Is(err, apply.ErrStale) {
			hints = append(hints, "run perch plan again")
		}
		if res != nil && res.Failed != "" {
			undone := "could not be fully undone"
			switch {
			case res.Incomplete:
				undone = "had passed its swap and is unfinished: run perch apply to finish it"
			case res.Undone:
				undone = "was undone"
			}
			hints = append(hints, fmt.Sprintf("deployment %s failed at %s; that change %s; the failure is recorded (perch history)", res.DeploymentID, res.Failed, undone))
		}
		return withHints(err, hints...)
	}
	what := fmt.Sprintf("%d changes", len(res.Applied))
	if len(res.Applied) == 1 {
		what = "1 change"
	}
	fmt.Fprintf(e.stdout, "\nApplied %s (deployment %s).\n", what, res.DeploymentID)
	return nil
}

// confirm asks for 'yes', then for the resource name of every change in
// destructive, one by one; it returns the names confirmed, or, when an
// answer is not what was asked, says the apply is cancelled and returns
// errReported.
func confirm(w io.Writer, r *bufio.Reader, destructive []*plan.Change) ([]string, error) {
	answer := func(prompt string) string {
		fmt.Fprint(w, prompt)
		line, _ := r.ReadString('\n')
		return strings.TrimSpace(line)
	}
	if answer("\nApply these changes? Only 'yes' is accepted: ") != "yes" {
		fmt.Fprintln(w, "Apply cancelled.")
		return nil, errReported
	}
	if len(destructive) == 0 {
		return nil, nil
	}
	fmt.Fprintf(w, "\n%d of these changes destroy data; confirm each by typing its name:\n", len(destructive))
	var names []string
	for _, ch := range destructive {
		fmt.Fprintf(w, "  %s %s: %s (%s)\n", ch.Action.Marker(), ch.Resource, ch.Method, strings.Join(ch.Reasons, "; "))
		if answer(fmt.Sprintf("    Type %s to confirm: ", ch.Resource)) != ch.Resource {
			fmt.Fprintf(w, "Apply cancelled: %s was not confirmed.\n", ch.Resource)
			return nil, errReported
		}
		names = append(names, ch.Resource)
	}
	return names, nil
}

func printEvent(e *env, ev apply.Event) {
	switch ev.Kind {
	case apply.ChangeStarted:
		fmt.Fprintf(e.stdout, "%s [%s]\n", ev.Change, ev.Message)
	case apply.StepStarted:
		fmt.Fprintf(e.stdout, "  - %s\n", ev.Message)
	case apply.CheckPassed:
		fmt.Fprintf(e.stdout, "      ok: %s\n", ev.Message)
	case apply.StepFailed:
		fmt.Fprintf(e.stdout, "      FAILED: %s\n", ev.Message)
	case apply.StepRetried:
		fmt.Fprintf(e.stdout, "      retrying after: %s\n", ev.Message)
	case apply.StepUndone:
		fmt.Fprintf(e.stdout, "      undone: %s\n", ev.Step)
	case apply.Resumed:
		fmt.Fprintf(e.stdout, "interrupted apply: %s\n", ev.Message)
	case apply.Aborted:
		fmt.Fprintf(e.stdout, "      STOPPING: %s\n", ev.Message)
	}
}
