package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/branch"
)

const branchUsage = "perch branch create|ls|rm|compare ... (perch branch create NAME [DIR] [--from local|deployed] [--sample PCT | --rows N | --last-partition] [--mask COLUMN=hash|null|redact ...])"

// runBranch implements `perch branch create|ls|rm|compare`: isolated
// copies of the workspace with a deterministic sample of its data.
func runBranch(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageError(branchUsage)
	}
	run, ok := map[string]func(context.Context, *env, []string) error{
		"create":  branchCreate,
		"ls":      branchList,
		"rm":      branchRemove,
		"compare": branchCompare,
	}[args[0]]
	if !ok {
		return fmt.Errorf("unknown action %q (create, ls, rm or compare)", args[0])
	}
	if err := run(ctx, e, args[1:]); err != nil {
		return &subcommandError{name: args[0], err: err}
	}
	return nil
}

// branchCreate implements `perch branch create NAME [DIR] ...`.
func branchCreate(ctx context.Context, e *env, args []string) error {
	const usage = "perch branch create NAME [DIR] [--from local|deployed] [--sample PCT | --rows N | --last-partition] [--mask [TABLE.]COLUMN=hash|null|redact ...] [--timeout D] [--json]"
	fs := newFlagSet("branch create", e.stderr)
	tf := addTargetFlags(fs)
	from := fs.String("from", branch.FromLocal, "the datafiles applied to the branch: local (the working tree) or deployed (the workspace's last deployment)")
	pct := fs.String("sample", "", "copy this percentage of each landing data source, chosen by a hash of each row (default 10)")
	rows := fs.Uint64("rows", 0, "copy the N rows of each landing data source with the smallest row hashes")
	last := fs.Bool("last-partition", false, "copy the newest partition of each landing data source (as Tinybird does)")
	var masks multiFlag
	fs.Var(&masks, "mask", "rewrite a column on the way in: [TABLE.]COLUMN=hash|null|redact (repeatable)")
	timeout := fs.Duration("timeout", time.Hour, "max_execution_time of each copy query")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 1 || len(pos) > 2 {
		return usageError(usage)
	}
	sample, err := chooseSample(*pct, *rows, *last)
	if err != nil {
		return err
	}
	opts := branch.CreateOptions{Name: pos[0], From: *from, Sample: sample, Salt: e.getenv("PERCH_MASK_SALT"), Timeout: *timeout}
	for _, m := range masks {
		mk, err := branch.ParseMask(m)
		if err != nil {
			return err
		}
		opts.Masks = append(opts.Masks, mk)
	}
	dir := dirArg(pos[1:])
	if opts.From == branch.FromLocal {
		if opts.Project, err = app.LoadProject(dir); err != nil {
			return err
		}
	}
	c, err := openWorkspace(ctx, e, dir, tf)
	if err != nil {
		return err
	}
	defer c.Close()
	if !*asJSON {
		fmt.Fprintf(e.stdout, "Creating branch %s of %s from %s, %s\n", opts.Name, c.Database(), opts.From, sample)
	}
	pr := &progressPrinter{w: e.stderr, live: e.isTerminal}
	opts.OnEvent = func(ev branch.Event) {
		if !*asJSON {
			printBranchEvent(e.stdout, pr, ev)
		}
	}
	res, err := branch.Create(ctx, newApp(e, dir), c, opts)
	pr.clear()
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, res)
	}
	fmt.Fprintf(e.stdout, "\nBranch %s ready (database %s): %s rows copied in %s.\n", opts.Name, res.Record.Database, workspace.HumanCount(res.Record.Rows), res.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(e.stdout, "Use it with --branch %s (perch plan --branch %s, perch preview --branch %s ...); compare it with perch branch compare main %s; remove it with perch branch rm %s.\n",
		opts.Name, opts.Name, opts.Name, opts.Name, opts.Name)
	return nil
}

// chooseSample turns --sample, --rows and --last-partition (at most one)
// into a sample; none is a 10% sample.
func chooseSample(pct string, rows uint64, last bool) (branch.Sample, error) {
	given := 0
	for _, set := range []bool{pct != "", rows > 0, last} {
		if set {
			given++
		}
	}
	switch {
	case given > 1:
		return branch.Sample{}, fmt.Errorf("choose one of --sample, --rows and --last-partition")
	case rows > 0:
		return branch.RowSample(rows)
	case last:
		return branch.Sample{Kind: branch.SampleLastPartition}, nil
	case pct == "":
		pct = "10"
	}
	return branch.ParsePercent(pct)
}

// printBranchEvent prints one step of a branch creation; copy progress
// goes to the progress printer (a live line on a terminal, nothing else).
func printBranchEvent(w io.Writer, pr *progressPrinter, ev branch.Event) {
	switch ev.Kind {
	case branch.EventApplied:
		fmt.Fprintf(w, "  applied the project: %s\n", ev.Message)
	case branch.EventSkipped:
		fmt.Fprintf(w, "  %s: skipped, %s\n", ev.Table, ev.Message)
	case branch.EventCopyStarted, branch.EventCopyProgress:
		pr.show(progressLine(ev.Progress))
	case branch.EventCopied:
		pr.clear()
		cp := ev.Copy
		fmt.Fprintf(w, "  %s: %s rows copied (read %s rows, %s in %s; query %s)\n", cp.Table, workspace.HumanCount(cp.Rows),
			workspace.HumanCount(cp.RowsRead), workspace.HumanBytes(cp.BytesRead), cp.Elapsed.Round(time.Millisecond), cp.QueryID)
		if len(cp.Masked) > 0 {
			fmt.Fprintf(w, "      masked %s\n", strings.Join(cp.Masked, ", "))
		}
		if len(cp.Defaulted) > 0 {
			fmt.Fprintf(w, "      not in the workspace, left to their defaults: %s\n", strings.Join(cp.Defaulted, ", "))
		}
	}
}

// progressLine is a copy's progress bar: rows read of the estimate, bytes, ETA.
func progressLine(p branch.Progress) string {
	const width = 24
	filled := 0
	if p.TotalRows > 0 {
		filled = int(float64(width) * float64(min(p.RowsRead, p.TotalRows)) / float64(p.TotalRows))
	}
	line := fmt.Sprintf("  %s [%s%s] %s/%s rows read, %s", p.Table, strings.Repeat("█", filled), strings.Repeat("░", width-filled),
		workspace.HumanCount(p.RowsRead), workspace.HumanCount(p.TotalRows), workspace.HumanBytes(p.BytesRead))
	if eta := p.ETA(); eta > 0 {
		line += fmt.Sprintf(", ETA %s", eta.Round(time.Second))
	}
	return line
}

// progressPrinter redraws one progress line in place on a terminal, at
// most ten times a second; elsewhere it prints nothing.
type progressPrinter struct {
	w     io.Writer
	live  bool
	mu    sync.Mutex
	shown bool
	last  time.Time
}

func (p *progressPrinter) show(line string) {
	if !p.live {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown && time.Since(p.last) < 100*time.Millisecond {
		return
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s", line)
	p.shown, p.last = true, time.Now()
}

func (p *progressPrinter) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}

// branchList implements `perch branch ls [DIR] [--json]`.
func branchList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("branch ls", e.stderr)
	tf := addTargetFlags(fs)
	asJSON := fs.Bool("json", false, "print the branches as JSON")
	dir, err := parseDirArgs(fs, args, "perch branch ls [DIR] [--json]")
	if err != nil {
		return err
	}
	c, err := openWorkspace(ctx, e, dir, tf)
	if err != nil {
		return err
	}
	defer c.Close()
	list, err := branch.List(ctx, c)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, branchesJSON(list))
	}
	if len(list) == 0 {
		fmt.Fprintf(e.stdout, "workspace %s has no branches (perch branch create NAME makes one)\n", c.Target().WorkspaceDatabase())
		return nil
	}
	return printBranches(e.stdout, list)
}

// branchJSON is one branch in `perch branch ls --json` and `perch status --json`.
type branchJSON struct {
	Name     string    `json:"name"`
	Database string    `json:"database"`
	Created  time.Time `json:"created"`
	From     string    `json:"from"`
	Sample   string    `json:"sample"`
	Masks    []string  `json:"masks"`
	State    string    `json:"state"`
	// Rows were copied from the workspace; Bytes is the branch's size on disk.
	Rows  uint64 `json:"rows"`
	Bytes uint64 `json:"bytes"`
}

func branchesJSON(list []branch.Info) []branchJSON {
	out := make([]branchJSON, len(list))
	for i, b := range list {
		masks := b.Masks
		if masks == nil {
			masks = []string{}
		}
		out[i] = branchJSON{Name: b.Name, Database: b.Database, Created: b.Created, From: b.From, Sample: b.Sample,
			Masks: masks, State: string(b.State), Rows: b.Rows, Bytes: b.SizeBytes}
	}
	return out
}

// printBranches prints branches as an aligned table.
func printBranches(w io.Writer, list []branch.Info) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tDATABASE\tCREATED (UTC)\tFROM\tSAMPLE\tROWS\tSIZE\tSTATE")
	for _, b := range list {
		sample := b.Sample
		if len(b.Masks) > 0 {
			sample += ", masked " + strings.Join(b.Masks, " ")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", b.Name, b.Database, b.Created.Format("2006-01-02 15:04:05"), b.From, sample,
			workspace.HumanCount(b.Rows), workspace.HumanBytes(b.SizeBytes), b.State)
	}
	return tw.Flush()
}

// branchRemove implements `perch branch rm NAME [DIR]`.
func branchRemove(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("branch rm", e.stderr)
	tf := addTargetFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 1 || len(pos) > 2 {
		return usageError("perch branch rm NAME [DIR]")
	}
	dir := dirArg(pos[1:])
	c, err := openWorkspace(ctx, e, dir, tf)
	if err != nil {
		return err
	}
	defer c.Close()
	r, err := branch.Remove(ctx, newApp(e, dir), c, pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Removed branch %s (database %s, created %s, %s rows copied).\n", r.Name, r.Database, r.Created.Format("2006-01-02 15:04:05 UTC"), workspace.HumanCount(r.Rows))
	return nil
}
