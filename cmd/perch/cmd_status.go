package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/branch"
	"github.com/perchdata/perch/workspace/journal"
)

// statusJSON is the stable shape of `perch status --json`.
type statusJSON struct {
	Target       string                 `json:"target"`
	DSN          string                 `json:"dsn"`
	Database     string                 `json:"database"`
	Branch       string                 `json:"branch,omitempty"`
	Workspace    string                 `json:"workspace,omitempty"`
	Source       string                 `json:"source"`
	Server       string                 `json:"server_version"`
	Capabilities []string               `json:"capabilities"`
	Counts       map[string]int         `json:"counts"`
	Rows         uint64                 `json:"rows"`
	Bytes        uint64                 `json:"bytes"`
	Fingerprint  string                 `json:"fingerprint"`
	Latest       *workspace.Deployment  `json:"latest_deployment"`
	Drift        *workspace.DriftReport `json:"drift"`
	DriftSummary string                 `json:"drift_summary"`
	// Branches are the workspace's branches (perch branch ls).
	Branches []branchJSON `json:"branches"`
	// Apply is an apply running or interrupted, and what perch did about it.
	Apply *journal.Report `json:"apply,omitempty"`
	// Leftovers are the tables a rebuild left (t__old, t__new, t__stage).
	Leftovers []app.Leftover `json:"leftovers"`
	// Cluster is every host of a cluster target: up or down, where the
	// hosts disagree, which replicas lag (absent on a single server).
	Cluster *workspace.ClusterState `json:"cluster,omitempty"`
}

// runStatus implements `perch status [DIR] [--json]`: target, server
// version, capabilities, counts, the drift summary and the branches.
func runStatus(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("status", e.stderr)
	tf := addTargetFlags(fs)
	asJSON := fs.Bool("json", false, "print the status as JSON")
	dir, err := parseDirArgs(fs, args, "perch status [DIR] [--json]")
	if err != nil {
		return err
	}
	c, err := openWorkspace(ctx, e, dir, tf)
	if err != nil {
		return err
	}
	defer c.Close()
	rem, err := app.ReadRemote(ctx, c)
	if err != nil {
		return err
	}
	leftovers, err := app.Leftovers(ctx, c, rem.Snapshot)
	if err != nil {
		return err
	}
	branches, err := branch.List(ctx, c)
	if err != nil {
		return err
	}
	s, latest, drift := rem.Snapshot, rem.Latest, rem.Drift
	st := statusJSON{Target: c.Target().Name, DSN: c.Target().Redacted(), Database: c.Database(), Source: c.Target().Source,
		Branch: c.Target().Branch, Workspace: c.Target().Workspace,
		Server: c.Capabilities().Version.String(), Capabilities: c.Capabilities().Names(), Counts: map[string]int{},
		Fingerprint: s.Fingerprint(), Drift: drift, DriftSummary: drift.Summary(), Branches: branchesJSON(branches), Leftovers: leftovers}
	if !rem.Journal.Empty() {
		st.Apply = rem.Journal
	}
	st.Cluster = s.Cluster
	if st.Capabilities == nil {
		st.Capabilities = []string{}
	}
	for _, o := range s.Resources() {
		st.Counts[string(o.Kind)]++
		if o.Kind == workspace.KindTable {
			st.Rows += o.Rows
			st.Bytes += o.Bytes
		}
	}
	if latest != nil {
		l := *latest
		l.Files, l.Plan = nil, ""
		st.Latest = &l
	}
	if *asJSON {
		return writeJSON(e.stdout, st)
	}
	printStatus(e.stdout, st)
	return nil
}

func printStatus(w io.Writer, st statusJSON) {
	fmt.Fprintf(w, "target     %s (%s)\n", st.Target, st.Source)
	if st.DSN != "" {
		fmt.Fprintf(w, "server     %s, ClickHouse %s\n", st.DSN, st.Server)
	} else {
		fmt.Fprintf(w, "server     ClickHouse %s\n", st.Server)
	}
	fmt.Fprintf(w, "database   %s\n", st.Database)
	printCluster(w, st.Cluster)
	if st.Branch != "" {
		fmt.Fprintf(w, "branch     %s of workspace %s\n", st.Branch, st.Workspace)
	}
	if len(st.Capabilities) == 0 {
		fmt.Fprintln(w, "can        none of the newer features (an old server: perch uses the compatible methods)")
	} else {
		fmt.Fprintf(w, "can        %s\n", strings.Join(st.Capabilities, ", "))
	}
	fmt.Fprintf(w, "objects    %d tables, %d materialized views, %d views · %s rows, %s\n",
		st.Counts[string(workspace.KindTable)], st.Counts[string(workspace.KindMaterializedView)], st.Counts[string(workspace.KindView)],
		workspace.HumanCount(st.Rows), workspace.HumanBytes(st.Bytes))
	if st.Latest != nil {
		fmt.Fprintf(w, "deployed   %s at %s by %s\n", st.Latest.ID, st.Latest.Time.Format("2006-01-02 15:04:05 UTC"), st.Latest.Author)
	} else {
		fmt.Fprintln(w, "deployed   never (perch pull adopts an existing database)")
	}
	for i, l := range st.Apply.Lines() {
		label := ""
		if i == 0 {
			label = "apply"
		}
		fmt.Fprintf(w, "%-10s %s\n", label, l)
	}
	for i, l := range st.Leftovers {
		label := ""
		if i == 0 {
			label = "leftovers"
		}
		fmt.Fprintf(w, "%-10s %s (%s rows, of %s): %s\n", label, l.Name, workspace.HumanCount(l.Rows), l.Of, l.How)
		fmt.Fprintf(w, "%-10s   -> %s\n", "", l.Resolve)
	}
	fmt.Fprintf(w, "drift      %s\n", st.DriftSummary)
	for _, it := range st.Drift.Items {
		if it.Status == workspace.InSync {
			continue
		}
		fmt.Fprintf(w, "  %-10s %s %s\n", strings.ReplaceAll(string(it.Status), "_", " "), it.Kind, it.Name)
		for _, ch := range it.Changes {
			printDriftChange(w, ch)
		}
		if it.Error != "" {
			fmt.Fprintf(w, "             cannot compare: %s\n", it.Error)
		}
	}
	printStatusBranches(w, st.Branches)
}

// printStatusBranches lists the workspace's branches with their size.
func printStatusBranches(w io.Writer, branches []branchJSON) {
	if len(branches) == 0 {
		fmt.Fprintln(w, "branches   none (perch branch create NAME)")
		return
	}
	fmt.Fprintf(w, "branches   %d\n", len(branches))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, b := range branches {
		fmt.Fprintf(tw, "  %s\t%s\t%s from %s\t%s rows copied\t%s\t%s\n", b.Name, b.Database, b.Sample, b.From, workspace.HumanCount(b.Rows), workspace.HumanBytes(b.Bytes), b.State)
	}
	tw.Flush()
}

// printDriftChange prints one drifted field: on one line, or, when a value
// spans lines (a view's query), each value as an indented block.
func printDriftChange(w io.Writer, ch workspace.FieldChange) {
	const indent = "             "
	if !strings.Contains(ch.Local, "\n") && !strings.Contains(ch.Remote, "\n") {
		fmt.Fprintf(w, "%s%s\n", indent, ch.DriftString())
		return
	}
	name := string(ch.Field)
	if ch.Column != "" {
		name += " " + ch.Column
	}
	fmt.Fprintf(w, "%s%s:\n", indent, name)
	for _, v := range []struct{ label, text string }{{"deployed", ch.Local}, {"live", ch.Remote}} {
		fmt.Fprintf(w, "%s  %s:\n", indent, v.label)
		for _, line := range strings.Split(strings.TrimRight(v.text, "\n"), "\n") {
			fmt.Fprintf(w, "%s    %s\n", indent, line)
		}
	}
}

// printCluster prints a cluster target's hosts with their health, then
// what stops an exact change and which replicas lag.
func printCluster(w io.Writer, c *workspace.ClusterState) {
	if c == nil {
		return
	}
	health := "healthy"
	if !c.Healthy() {
		health = fmt.Sprintf("NOT HEALTHY (%d issues: plans are refused until fixed)", len(c.Issues))
	}
	fmt.Fprintf(w, "cluster    %s: %d of %d hosts up, %s\n", c.Name, c.Up(), len(c.Hosts), health)
	for _, h := range c.Hosts {
		state := "up"
		if !h.Up {
			state = "DOWN: " + h.Error
		}
		fmt.Fprintf(w, "  host     %s %s\n", h.Host, state)
	}
	for _, is := range c.Issues {
		fmt.Fprintf(w, "  issue    %s\n", is)
	}
	for _, l := range c.Lag {
		fmt.Fprintf(w, "  lag      %s\n", l)
	}
}
