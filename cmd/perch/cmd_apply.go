package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/apply"
	"github.com/perchdata/perch/workspace/plan"
)

// applyFlags are the flags apply and revert share.
type applyFlags struct {
	autoApprove      *bool
	allowDestructive *bool
	only             multiFlag
	message          *string
}

func addApplyFlags(fs *flag.FlagSet) *applyFlags {
	a := &applyFlags{}
	a.autoApprove = fs.Bool("auto-approve", false, "apply without asking")
	a.allowDestructive = fs.Bool("allow-destructive", false, "allow changes that destroy data")
	a.message = fs.String("message", "", "message recorded with the deployment")
	fs.Var(&a.only, "only", "apply only this change (id or resource; repeatable); its dependencies are pulled in")
	return a
}

// runApply implements `perch apply [DIR | --plan FILE] [--auto-approve]
// [--allow-destructive] [--only NAME ...]`.
func runApply(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("apply", e.stderr)
	tf := addTargetFlags(fs)
	planFile := fs.String("plan", "", "apply this saved plan exactly as reviewed")
	af := addApplyFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitError
	}
	if len(pos) > 1 || (len(pos) == 1 && *planFile != "") {
		fmt.Fprintln(e.stderr, "usage: perch apply [DIR | --plan FILE] [--auto-approve] [--allow-destructive]")
		return exitError
	}
	dir := dirArg(pos)
	c, err := openWorkspace(ctx, e, dir, tf)
	if err != nil {
		fmt.Fprintf(e.stderr, "perch apply: %v\n", err)
		return exitError
	}
	defer c.Close()
	// An interrupted apply is finished (or rolled back) before planning.
	if *planFile == "" {
		acts, err := apply.Resume(ctx, c, apply.Options{OnEvent: func(ev apply.Event) { printEvent(e, ev) }})
		if err != nil {
			fmt.Fprintf(e.stderr, "perch apply: %v\n", err)
			return exitError
		}
		if len(acts) > 0 {
			fmt.Fprintln(e.stdout)
		}
	}
	var p *plan.Plan
	var files []workspace.DeployedFile
	if *planFile != "" {
		if p, err = plan.Load(*planFile); err != nil {
			fmt.Fprintf(e.stderr, "perch apply: %v\n", err)
			return exitError
		}
	} else {
		local, ok := loadProjectForPlan(e, "apply", dir)
		if !ok {
			return exitError
		}
		if p, err = plan.Compute(ctx, c, local); err != nil {
			fmt.Fprintf(e.stderr, "perch apply: %v\n", err)
			return exitError
		}
		files = plan.ProjectFiles(local)
	}
	return confirmAndApply(ctx, e, c, p, af, files, workspace.ReadProvenance(ctx, dir, e.getenv), "apply")
}

// confirmAndApply prints the plan, asks for confirmation on a terminal
// (unless --auto-approve), applies it and prints progress. who is recorded
// with the deployment.
func confirmAndApply(ctx context.Context, e *env, c *workspace.Client, p *plan.Plan, af *applyFlags, files []workspace.DeployedFile, who workspace.Provenance, cmd string) int {
	if err := plan.Render(e.stdout, p, plan.RenderOptions{}); err != nil {
		fmt.Fprintf(e.stderr, "perch %s: %v\n", cmd, err)
		return exitError
	}
	if len(p.Errors) > 0 {
		fmt.Fprintf(e.stderr, "perch %s: the plan has errors; nothing applied\n", cmd)
		return exitError
	}
	if p.Empty() {
		return exitOK
	}
	if !*af.autoApprove {
		if !e.isTerminal {
			fmt.Fprintf(e.stderr, "perch %s: not a terminal; pass --auto-approve to apply without confirmation\n", cmd)
			return exitError
		}
		fmt.Fprint(e.stdout, "\nApply these changes? Only 'yes' is accepted: ")
		line, _ := bufio.NewReader(e.stdin).ReadString('\n')
		if strings.TrimSpace(line) != "yes" {
			fmt.Fprintln(e.stdout, "Apply cancelled.")
			return exitError
		}
	}
	fmt.Fprintln(e.stdout)
	res, err := apply.Apply(ctx, c, p, apply.Options{
		Only: af.only, AllowDestructive: *af.allowDestructive, Message: *af.message,
		Author: who.Author, GitCommit: who.GitCommit, GitBranch: who.GitBranch,
		PerchVersion: buildVersion(), Files: files,
		OnEvent: func(ev apply.Event) { printEvent(e, ev) },
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "perch %s: %v\n", cmd, err)
		if errors.Is(err, apply.ErrStale) {
			fmt.Fprintf(e.stderr, "perch %s: run perch plan again\n", cmd)
		}
		if res != nil && res.Failed != "" {
			undone := "could not be fully undone"
			switch {
			case res.Incomplete:
				undone = "had passed its swap and is unfinished: run perch apply to finish it"
			case res.Undone:
				undone = "was undone"
			}
			fmt.Fprintf(e.stderr, "perch %s: deployment %s failed at %s; that change %s; the failure is recorded (perch history)\n", cmd, res.DeploymentID, res.Failed, undone)
		}
		return exitError
	}
	fmt.Fprintf(e.stdout, "\nApplied %d changes (deployment %s).\n", len(res.Applied), res.DeploymentID)
	return exitOK
}

func printEvent(e *env, ev apply.Event) {
	switch ev.Kind {
	case apply.ChangeStarted:
		fmt.Fprintf(e.stdout, "%s [%s]\n", ev.Change, ev.Message)
	case apply.StepStarted:
		fmt.Fprintf(e.stdout, "  - %s\n", ev.Message)
	case apply.RowsCopied:
		fmt.Fprintf(e.stdout, "      %d rows (%s)\n", ev.Rows, ev.Message)
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
