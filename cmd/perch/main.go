// Command perch is the terminal UI and CLI for changing Tinybird-style
// datafile pipelines on ClickHouse without fear. It only parses flags and
// wires the domain packages together; the logic lives in datafiles, lineage,
// workspace and tui.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// env is what a command may touch: its streams and the process environment.
// Tests build one with buffers.
type env struct {
	stdout io.Writer
	stderr io.Writer
	stdin  io.Reader
	getenv func(string) string
	// isTerminal reports whether stdin and stdout are a terminal (prompts, TUI).
	isTerminal bool
}

// command is one subcommand of perch. run returns nil on success; report
// prints any error and chooses the exit code.
type command struct {
	name    string
	usage   string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

// commands lists every subcommand, in the order `perch help` shows them.
func commands() []command {
	return []command{
		{"check", "perch check [DIR] [--json]", "parse and validate a project; exit 1 on any error", runCheck},
		{"fmt", "perch fmt [DIR] [--check]", "rewrite datafiles canonically (or list those that would change)", runFmt},
		{"compile", "perch compile [DIR] PIPE[.NODE] [--param k=v ...] [--placeholders]", "print a node as runnable ClickHouse SQL", runCompile},
		{"preview", "perch preview [DIR] PIPE[.NODE] [--param k=v ...] [--format table|json|csv]", "run a node read-only against the workspace", runPreview},
		{"sql", "perch sql [DIR] QUERY [--format table|json|csv] [--write]", "run SQL against the workspace, read-only and bounded unless --write", runSQL},
		{"append", "perch append [DIR] DATASOURCE FILE [--format ndjson|csv]", "append NDJSON or CSV rows to a data source", runAppend},
		{"build", "perch build [DIR] [--json] [--target NAME | --dsn DSN]", "deploy into a throwaway embedded engine, load fixtures, run every endpoint and copy node", runBuild},
		{"test", "perch test [DIR] [NAME...] [--update] [--json] [--target NAME | --dsn DSN] [--regression [--allow-changes]]", "run the project's tests (tests/*.yaml) on a throwaway engine with its fixtures", runTest},
		{"lineage", "perch lineage [DIR] [--format text|dot|mermaid|json] [--focus NAME] [--remote]", "draw the graph from data sources to endpoints", runLineage},
		{"status", "perch status [DIR]", "target, server version, capabilities, counts, drift summary", runStatus},
		{"diff", "perch diff [DIR]", "local vs remote, as unified diffs of datafiles", runDiff},
		{"plan", "perch plan [DIR] [--json] [--out FILE] [--detailed-exitcode]", "compute the change plan from remote to local", runPlan},
		{"apply", "perch apply [DIR | --plan FILE] [--auto-approve] [--allow-destructive]", "apply the plan", runApply},
		{"pull", "perch pull [DIR]", "write the remote workspace as datafiles", runPull},
		{"history", "perch history [DIR] [--json]", "list deployments", runHistory},
		{"revert", "perch revert [DIR] ID", "plan (and apply) the files of an earlier deployment", runRevert},
		{"branch", "perch branch create|ls|rm|compare ...", "isolated copies of the workspace with a deterministic sample of its data", runBranch},
		{"local", "perch local start|stop|status [DIR]", "manage the project-local ClickHouse server", runLocal},
		{"demo", "perch demo [DIR]", "start the local server, deploy the example, stream events, open the TUI", runDemo},
		{"version", "perch version", "print the version", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	e := &env{
		stdout:     os.Stdout,
		stderr:     os.Stderr,
		stdin:      os.Stdin,
		getenv:     os.Getenv,
		isTerminal: isTerminal(os.Stdin) && isTerminal(os.Stdout),
	}
	code := run(ctx, e, os.Args[1:])
	stop()
	os.Exit(code)
}

// run dispatches to a subcommand; with no subcommand (or a directory) it opens the TUI.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "help", "-h", "--help":
			printUsage(e.stdout)
			return exitOK
		}
		for _, c := range commands() {
			if c.name == args[0] {
				return report(e, c.name, c.run(ctx, e, args[1:]))
			}
		}
	}
	return report(e, "", runTUI(ctx, e, args))
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "perch: change real-time datafile pipelines on ClickHouse without fear")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "  perch [DIR] [--read-only] [--theme dark|light]")
	fmt.Fprintln(w, "      open the terminal UI")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %s\n      %s\n", c.usage, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Global flags: --target NAME, --dsn DSN, --database NAME (or PERCH_DSN), --branch NAME.")
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 error, 2 changes pending (plan --detailed-exitcode).")
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
