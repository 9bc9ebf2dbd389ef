package branch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/plan"
)

// The sources of a branch's datafiles (CreateOptions.From).
const (
	FromLocal    = "local"
	FromDeployed = "deployed"
)

// CreateOptions say what branch to make and how.
type CreateOptions struct {
	// Name is the branch name (workspace.ValidateBranchName).
	Name string
	// From is FromLocal (Project, the working tree; the default) or
	// FromDeployed (the files of the workspace's last deployment).
	From string
	// Project is the local project, for FromLocal.
	Project *datafiles.Project
	// Sample picks the rows copied from each landing table.
	Sample Sample
	// Masks rewrite columns on the way in; Salt prefixes hashed values.
	Masks []Mask
	Salt  string
	// Timeout bounds each copy query on the server (max_execution_time);
	// 0 leaves it unbounded.
	Timeout time.Duration
	// OnEvent receives progress (may be nil).
	OnEvent func(Event)
}

// EventKind says what an Event reports.
type EventKind int

// The events of a branch creation, in the order they come.
const (
	// EventApplied: the project was applied to the new branch database.
	EventApplied EventKind = iota
	// EventSkipped: a landing table is not copied (Message says why).
	EventSkipped
	// EventCopyStarted: the copy of Table starts (Progress.TotalRows is
	// the workspace table's row count).
	EventCopyStarted
	// EventCopyProgress: Progress of the running copy.
	EventCopyProgress
	// EventCopied: Copy is what the copy of Table did.
	EventCopied
)

// Event is one step of a branch creation.
type Event struct {
	Kind     EventKind
	Table    string
	Message  string
	Progress Progress
	Copy     *TableCopy
}

// Skipped is a landing table the branch did not copy, and why.
type Skipped struct {
	Table  string `json:"table"`
	Reason string `json:"reason"`
}

// Result is what Create made.
type Result struct {
	Record *workspace.BranchRecord `json:"branch"`
	// Deployment is the id of the deployment that built the branch's
	// objects, recorded in the branch's own log.
	Deployment string        `json:"deployment"`
	Changes    int           `json:"changes"`
	Copies     []TableCopy   `json:"copies"`
	Skipped    []Skipped     `json:"skipped"`
	Elapsed    time.Duration `json:"elapsed"`
}

// Create makes branch opts.Name of the workspace c is connected to: a new
// database on the same server (workspace.BranchDatabase), marked as perch's;
// the project applied there with plan and apply (from the working tree or
// the files last deployed to the workspace); then a sample of every landing
// data source copied from the workspace, masks applied on the way in, so
// the branch's own materialized views recompute everything downstream. The
// workspace is only read (one bounded INSERT ... SELECT per landing table,
// each with a query id), except for one entry in its deployment log. A
// creation that fails drops the branch database again.
func Create(ctx context.Context, a *app.App, c *workspace.Client, opts CreateOptions) (res *Result, err error) {
	start := time.Now()
	// "main" or "" would leave the target the workspace itself.
	if err := workspace.ValidateBranchName(opts.Name); err != nil {
		return nil, fmt.Errorf("branch create: %w", err)
	}
	t := c.Target()
	if t.Branch != "" {
		return nil, fmt.Errorf("branch create %s: the target is already branch %s: create branches of the workspace (drop --branch)", opts.Name, t.Branch)
	}
	if t.Cluster != "" {
		return nil, fmt.Errorf("branch create %s: branches of a cluster workspace (%s) are not supported yet", opts.Name, t.Cluster)
	}
	bt, err := t.WithBranch(opts.Name)
	if err != nil {
		return nil, fmt.Errorf("branch create: %w", err)
	}
	db := bt.Database
	project, from, files, err := branchProject(ctx, c, opts)
	if err != nil {
		return nil, fmt.Errorf("branch create %s: %w", opts.Name, err)
	}
	if bad := readsWorkspace(project, c.Database()); len(bad) > 0 {
		return nil, fmt.Errorf("branch create %s: the project names the workspace database, so the branch would use the workspace itself: %s", opts.Name, strings.Join(bad, "; "))
	}
	ws, err := c.Snapshot(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("branch create %s: %w", opts.Name, err)
	}
	landing := Landing(project)
	if err := checkMasks(opts.Masks, landing, ws); err != nil {
		return nil, fmt.Errorf("branch create %s: %w", opts.Name, err)
	}
	if err := refuseExisting(ctx, c, db, opts.Name); err != nil {
		return nil, err
	}

	if err := c.Exec(ctx, "CREATE DATABASE "+workspace.QuoteIdent(db)); err != nil {
		return nil, fmt.Errorf("branch create %s: %w", opts.Name, err)
	}
	defer func() {
		if err != nil {
			err = dropAfterFailure(ctx, c, db, err)
		}
	}()
	who := a.Provenance(ctx)
	rec := &workspace.BranchRecord{Name: opts.Name, Workspace: c.Database(), Database: db, Created: time.Now().UTC().Truncate(time.Second),
		From: from, Sample: opts.Sample.String(), Masks: maskStrings(opts.Masks), State: workspace.BranchCreating,
		Author: who.Author, PerchVersion: a.Version}
	if err := c.WriteBranchRecord(ctx, 1, rec); err != nil {
		return nil, err
	}

	bc, err := workspace.Open(ctx, bt)
	if err != nil {
		return nil, fmt.Errorf("branch create %s: %w", opts.Name, err)
	}
	defer bc.Close()
	res = &Result{Record: rec}
	if err := applyProject(ctx, a, bc, project, files, from, res); err != nil {
		return nil, fmt.Errorf("branch create %s: %w", opts.Name, err)
	}
	emit(opts.OnEvent, Event{Kind: EventApplied, Message: fmt.Sprintf("%d changes applied (deployment %s)", res.Changes, res.Deployment)})

	br, err := bc.Snapshot(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("branch create %s: %w", opts.Name, err)
	}
	if err := copyLanding(ctx, c, opts, db, copyOrder(landing, br), ws, br, res); err != nil {
		return nil, fmt.Errorf("branch create %s: %w", opts.Name, err)
	}

	rec.State = workspace.BranchReady
	for _, cp := range res.Copies {
		rec.Tables = append(rec.Tables, cp.Table)
		rec.TableRows = append(rec.TableRows, cp.Rows)
		rec.Rows += cp.Rows
	}
	if err := c.WriteBranchRecord(ctx, 2, rec); err != nil {
		return nil, err
	}
	res.Elapsed = time.Since(start)
	msg := fmt.Sprintf("branch %s created: database %s, from %s, %s, %d rows copied", opts.Name, db, from, rec.Sample, rec.Rows)
	if len(rec.Masks) > 0 {
		msg += ", masked " + strings.Join(rec.Masks, " ")
	}
	if err := record(ctx, a, c, workspace.OutcomeBranchCreated, msg); err != nil {
		return nil, err
	}
	return res, nil
}

// branchProject is the project a branch gets, the description of where it
// comes from, and the files its deployment records (nil: the project's).
func branchProject(ctx context.Context, c *workspace.Client, opts CreateOptions) (*datafiles.Project, string, []workspace.DeployedFile, error) {
	switch opts.From {
	case "", FromLocal:
		if opts.Project == nil {
			return nil, "", nil, errors.New("no project")
		}
		return opts.Project, FromLocal, nil, nil
	case FromDeployed:
		d, err := c.Latest(ctx)
		if err != nil {
			return nil, "", nil, err
		}
		if d == nil || len(d.Files) == 0 {
			return nil, "", nil, fmt.Errorf("--from deployed: workspace %s has no deployment with files (use --from local)", c.Database())
		}
		p, err := plan.DeployedProject(d)
		if err != nil {
			return nil, "", nil, err
		}
		if errs := p.Errors(); len(errs) > 0 {
			return nil, "", nil, fmt.Errorf("--from deployed: the files of deployment %s no longer load: %w", d.ID, &app.ProjectErrors{Diags: errs})
		}
		return p, FromDeployed + " " + d.ID, d.Files, nil
	}
	return nil, "", nil, fmt.Errorf("--from %q: want local or deployed", opts.From)
}

// refuseExisting refuses a branch database that exists already: a branch
// of the same name, or a database perch did not make.
func refuseExisting(ctx context.Context, c *workspace.Client, db, name string) error {
	dbs, err := c.BranchDatabases(ctx, c.Database())
	if err != nil {
		return err
	}
	if !slices.Contains(dbs, db) {
		return nil
	}
	r, err := c.ReadBranchRecord(ctx, db)
	if err != nil {
		return err
	}
	if r == nil {
		return fmt.Errorf("branch create %s: database %s exists and perch did not create it: choose another name", name, db)
	}
	return fmt.Errorf("branch create %s: branch %s exists (database %s, created %s): perch branch rm %s first", name, name, db, r.Created.Format("2006-01-02 15:04:05 UTC"), name)
}

// applyProject plans the project on the empty branch and applies it with
// the application layer (as perch apply would), recording the deployment
// in the branch's own log.
func applyProject(ctx context.Context, a *app.App, bc *workspace.Client, p *datafiles.Project, files []workspace.DeployedFile, from string, res *Result) error {
	prep, err := a.Plan(ctx, bc, p)
	if err != nil {
		return err
	}
	if files != nil {
		prep.Files = files
	}
	prep.Message = "branch " + bc.Target().Branch + " from " + from
	res.Changes = len(prep.Plan.Changes)
	if prep.Plan.Empty() {
		return nil
	}
	out, err := a.Apply(ctx, bc, prep, app.ApplyOptions{})
	if err != nil {
		return err
	}
	res.Deployment = out.DeploymentID
	return nil
}

// copyLanding copies the sample of each landing table, in order.
func copyLanding(ctx context.Context, c *workspace.Client, opts CreateOptions, db string, order []string, ws, br *workspace.Snapshot, res *Result) error {
	for _, name := range order {
		src, dst := ws.Object(name), br.Object(name)
		reason := ""
		switch {
		case src == nil:
			reason = "not in the workspace (new in the project): left empty"
		case src.Kind != workspace.KindTable:
			reason = fmt.Sprintf("a %s in the workspace, not a table: left empty", src.Kind)
		case src.Engine == "Null":
			reason = "a Null table in the workspace keeps no rows: left empty"
		case dst == nil || dst.Kind != workspace.KindTable:
			reason = "not a table in the branch"
		}
		if reason != "" {
			res.Skipped = append(res.Skipped, Skipped{Table: name, Reason: reason})
			emit(opts.OnEvent, Event{Kind: EventSkipped, Table: name, Message: reason})
			continue
		}
		emit(opts.OnEvent, Event{Kind: EventCopyStarted, Table: name, Progress: Progress{Table: name, TotalRows: src.Rows}})
		job := copyJob{branchName: opts.Name, source: src, sourceDB: c.Database(), dest: dst, destDB: db,
			sample: opts.Sample, masks: opts.Masks, salt: opts.Salt, timeout: opts.Timeout}
		tc, err := job.run(ctx, c, func(p Progress) { emit(opts.OnEvent, Event{Kind: EventCopyProgress, Table: name, Progress: p}) })
		if err != nil {
			return err
		}
		res.Copies = append(res.Copies, tc)
		emit(opts.OnEvent, Event{Kind: EventCopied, Table: name, Copy: &tc})
	}
	return nil
}

// checkMasks refuses a mask that names no column of a landing table in the
// workspace (a typo would leave the real column unmasked).
func checkMasks(masks []Mask, landing []string, ws *workspace.Snapshot) error {
	for _, m := range masks {
		found := false
		for _, name := range landing {
			o := ws.Object(name)
			if o == nil || (m.Table != "" && m.Table != name) {
				continue
			}
			for _, c := range storedColumns(o) {
				found = found || c.Name == m.Column
			}
		}
		if !found {
			where := "any landing table (" + strings.Join(landing, ", ") + ")"
			if m.Table != "" {
				where = "landing table " + m.Table
				if !slices.Contains(landing, m.Table) {
					where += " (not a landing table: " + strings.Join(landing, ", ") + ")"
				}
			}
			return fmt.Errorf("--mask %s: no column %s in %s of the workspace", m, m.Column, where)
		}
	}
	return nil
}

func maskStrings(masks []Mask) []string {
	out := make([]string, len(masks))
	for i, m := range masks {
		out[i] = m.String()
	}
	return out
}

func emit(f func(Event), ev Event) {
	if f != nil {
		f(ev)
	}
}

// record appends a branch entry to the workspace's deployment log, a
// second after the newest entry when that is this second (the log keeps
// seconds), so the log reads in the order things happened.
func record(ctx context.Context, a *app.App, c *workspace.Client, outcome workspace.Outcome, msg string) error {
	who := a.Provenance(ctx)
	at := time.Now().UTC().Truncate(time.Second)
	last, err := c.History(ctx, 1)
	if err != nil {
		return fmt.Errorf("record %s in the workspace log: %w", outcome, err)
	}
	if len(last) > 0 && !at.After(last[0].Time) {
		at = last[0].Time.Add(time.Second)
	}
	d := &workspace.Deployment{Time: at, Author: who.Author, GitCommit: who.GitCommit, GitBranch: who.GitBranch,
		Message: msg, Outcome: outcome, PerchVersion: a.Version, Target: c.Target().Name}
	if err := c.Record(ctx, d); err != nil {
		return fmt.Errorf("record %s in the workspace log: %w", outcome, err)
	}
	return nil
}

// dropAfterFailure drops the branch database a failed creation made (it
// holds nothing else) and returns the creation's error, with the drop's if
// that failed too.
func dropAfterFailure(ctx context.Context, c *workspace.Client, db string, cause error) error {
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := c.Exec(dctx, "DROP DATABASE IF EXISTS "+workspace.QuoteIdent(db)); err != nil {
		return fmt.Errorf("%w (and dropping the unfinished branch database %s failed: %v)", cause, db, err)
	}
	return fmt.Errorf("%w (the unfinished branch database %s was dropped)", cause, db)
}
