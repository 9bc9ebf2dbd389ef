package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
)

// runHistory implements `perch history [DIR] [--json] [--limit N] [--show ID
// [--files]]`: the deployments recorded in the workspace, newest first, or one
// deployment in full.
func runHistory(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("history", e.stderr)
	tf := addTargetFlags(fs)
	asJSON := fs.Bool("json", false, "print the deployments as JSON")
	limit := fs.Int("limit", 50, "show at most this many deployments (0: all)")
	show := fs.String("show", "", "show one deployment (an id or a unique prefix): what it applied and its files")
	withFiles := fs.Bool("files", false, "with --show: print the full text of every datafile deployed")
	dir, err := parseDirArgs(fs, args, "perch history [DIR] [--json] [--limit N] [--show ID [--files]]")
	if err != nil {
		return err
	}
	c, err := openWorkspace(ctx, e, dir, tf)
	if err != nil {
		return err
	}
	defer c.Close()
	if *show != "" {
		return showDeployment(ctx, e, c, *show, *asJSON, *withFiles)
	}
	entries, err := app.History(ctx, c, *limit, 0)
	if err != nil {
		return err
	}
	ds := make([]*workspace.Deployment, 0, len(entries))
	for _, en := range entries {
		ds = append(ds, en.Deployment)
	}
	if *asJSON {
		return writeJSON(e.stdout, ds)
	}
	if len(ds) == 0 {
		fmt.Fprintf(e.stdout, "no deployments recorded in %s\n", c.Database())
		return nil
	}
	return printHistory(e.stdout, ds)
}

// printHistory prints deployments as an aligned table, one line each.
func printHistory(w io.Writer, ds []*workspace.Deployment) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTIME (UTC)\tOUTCOME\tAUTHOR\tCOMMIT\tFILES\tMESSAGE")
	for _, d := range ds {
		commit := d.GitCommit
		if len(commit) > 10 {
			commit = commit[:10]
		}
		if d.GitBranch != "" {
			commit += " (" + d.GitBranch + ")"
		}
		msg := d.Message
		if d.Outcome != workspace.OutcomeSuccess && d.Error != "" {
			msg = strings.TrimSpace(msg + " — " + d.Error)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", d.ID, d.Time.UTC().Format("2006-01-02 15:04:05"), d.Outcome, d.Author, commit, d.FileCount, historyLine(msg, 60))
	}
	return tw.Flush()
}

// historyLine returns the first line of s, cut to n runes.
func historyLine(s string, n int) string {
	s, _, _ = strings.Cut(s, "\n")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
