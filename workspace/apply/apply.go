// Package apply runs a plan against a workspace: the staged changes in plan
// order (dependencies pulled in), with progress events, checks, undo of the
// completed steps of a failing change, a lock against concurrent applies
// (with its holder and a heartbeat), a refusal when the remote changed since
// planning, a durable journal of every step in the workspace (so that an
// apply killed at any point is rolled back or finished by the next one, and
// ingestion is never left degraded) and a record of every deployment
// (failed and interrupted ones too) in the deployment log.
package apply

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/ddl"
	"github.com/perchdata/perch/workspace/engine"
	"github.com/perchdata/perch/workspace/journal"
	"github.com/perchdata/perch/workspace/plan"
	"github.com/perchdata/perch/workspace/progress"
)

// ErrStale means the remote changed since the plan was computed.
var ErrStale = errors.New("the workspace changed since the plan was computed; plan again")

// ErrDestructive means the plan destroys data and --allow-destructive was not given.
var ErrDestructive = errors.New("the plan destroys data; pass --allow-destructive to apply it")

// ErrLocked means another apply holds the workspace lock (the error says
// who: a *journal.LockedError).
var ErrLocked = journal.ErrLocked

// EventKind says what an event reports.
type EventKind string

// The events apply emits.
const (
	ChangeStarted  EventKind = "change_started"
	ChangeFinished EventKind = "change_finished"
	StepStarted    EventKind = "step_started"
	StepFinished   EventKind = "step_finished"
	// RowsPlanned reports, before a copy or a backfill starts, one
	// partition it will move and the rows it expects there (Total, from
	// system.parts of the source).
	RowsPlanned EventKind = "rows_planned"
	// RowsProgress reports the rows of the source read so far (Rows) in
	// the partition being moved (Rows 0: it starts).
	RowsProgress EventKind = "rows_progress"
	// RowsCopied reports a partition moved: Rows written, Total expected.
	RowsCopied  EventKind = "rows_copied"
	CheckPassed EventKind = "check_passed"
	StepFailed  EventKind = "step_failed"
	StepRetried EventKind = "step_retried"
	StepUndone  EventKind = "step_undone"
	// Resumed reports what was done to an interrupted apply found at the start.
	Resumed EventKind = "resumed"
	// Aborted reports why the apply stopped itself (part count near the
	// server's limit, lock taken over).
	Aborted EventKind = "aborted"
)

// Event is one progress report.
type Event struct {
	Time    time.Time `json:"time"`
	Kind    EventKind `json:"kind"`
	Change  string    `json:"change,omitempty"`
	Step    string    `json:"step,omitempty"`
	Rows    uint64    `json:"rows,omitempty"`
	Message string    `json:"message,omitempty"`
	// Partition and Total are set on the row events: the partition moved
	// and the rows expected in it.
	Partition string `json:"partition,omitempty"`
	Total     uint64 `json:"total,omitempty"`
}

// Progress is the event as a progress update (false for events that move
// no rows): a task per change's resource and step ("events/copy"), Done in
// rows of the source read.
func (e Event) Progress() (progress.Update, bool) {
	_, resource, _ := strings.Cut(e.Change, ":") // change ids are "action:resource"
	if resource == "" {
		resource = e.Change
	}
	u := progress.Update{Time: e.Time, Task: resource + "/" + e.Step, Partition: e.Partition, Total: e.Total}
	switch e.Kind {
	case RowsPlanned:
		u.Planned = true
	case RowsProgress:
		u.Done = e.Rows
		if e.Total > 0 {
			u.Done = min(e.Rows, e.Total) // a read may count more than the parts held (merged meanwhile)
		}
	case RowsCopied:
		u.Done, u.Finished = e.Total, true
		if e.Total == 0 {
			u.Done = e.Rows
		}
	default:
		return progress.Update{}, false
	}
	return u, true
}

// Options tunes an apply.
type Options struct {
	// Only stages a subset of changes (ids or resource names); empty stages all.
	// The changes they depend on are pulled in.
	Only []string
	// AllowDestructive permits changes that destroy data.
	AllowDestructive bool
	// DeploymentID names the deployment; generated when empty.
	DeploymentID string
	// Author, GitCommit and GitBranch say who deployed what
	// (workspace.ReadProvenance reads them from the project's repository).
	Author       string
	Message      string
	GitCommit    string
	GitBranch    string
	PerchVersion string
	// Files are the datafiles deployed (defaults to the plan's).
	Files []workspace.DeployedFile
	// OnEvent receives progress events (may be nil).
	OnEvent func(Event)
	// Retries of a step after the commit point of its change (default 5).
	Retries int
	// RetryWait between retries (default 1s).
	RetryWait time.Duration
	// DrainTimeout bounds the wait for inserts in flight (default 5m).
	DrainTimeout time.Duration
	// ClusterDDLTimeout bounds the wait for every host of a cluster target
	// to run an ON CLUSTER statement (default workspace.DefaultClusterDDLTimeout).
	ClusterDDLTimeout time.Duration
	// Lease is how long a lock holder on another machine may go without a
	// heartbeat before its lock is taken over (default journal.DefaultLease);
	// the heartbeat runs every Lease/6.
	Lease time.Duration
	// PartsHeadroom is how far below the server's parts_to_throw_insert the
	// active parts of a partition may grow while perch holds merges stopped
	// before it aborts and restarts them (default: a tenth of the limit, at
	// least 10 parts).
	PartsHeadroom int
	// shardConn, set by tests, wraps the connection of a shard's executor
	// (eachShard) to inject faults on a host the fault proxy cannot reach.
	shardConn func(workspace.Host, engine.Conn) engine.Conn
}

// Result says what an apply did.
type Result struct {
	DeploymentID string   `json:"deployment_id"`
	Applied      []string `json:"applied"`
	Failed       string   `json:"failed,omitempty"`
	Undone       bool     `json:"undone,omitempty"`
	// Incomplete: the failing change had passed its commit point; `perch
	// apply` finishes it.
	Incomplete bool   `json:"incomplete,omitempty"`
	Error      string `json:"error,omitempty"`
	// Resumed lists what was done to interrupted applies found at the start.
	Resumed []string `json:"resumed,omitempty"`
}

// executor holds the state of one apply.
type executor struct {
	c    *workspace.Client
	p    *plan.Plan
	opts Options
	g    ddl.Generator
	id   string
	j    *journal.Journal
	sup  *supervisor
	// emitMu serializes OnEvent calls (the supervisor emits from its goroutine).
	emitMu *sync.Mutex
	// prev is the last successful deployment before this apply (nil: none).
	prev *workspace.Deployment
	// hosts are connections to every host of a cluster target (hostConns).
	hostsMu sync.Mutex
	hosts   workspace.HostConns
	// local writes statements for the connected host alone: a rebuild's
	// stage on a cluster is a local table, attached there and replicated.
	local ddl.Generator
	// shardX are the executors of a cluster's shards by host (eachShard),
	// guarded by hostsMu; shard is the shard number of a shard's executor.
	shardX map[string]*executor
	shard  string
}

func (o Options) withDefaults() Options {
	if o.Retries == 0 {
		o.Retries = 5
	}
	if o.RetryWait == 0 {
		o.RetryWait = time.Second
	}
	if o.DrainTimeout == 0 {
		o.DrainTimeout = 5 * time.Minute
	}
	if o.Lease <= 0 {
		o.Lease = journal.DefaultLease
	}
	return o
}

// Apply runs the staged changes of p against the client's database. It
// first finishes or rolls back any interrupted apply it finds (then the plan
// is stale unless nothing changed).
func Apply(ctx context.Context, c *workspace.Client, p *plan.Plan, opts Options) (*Result, error) {
	opts = opts.withDefaults()
	if opts.DeploymentID == "" {
		opts.DeploymentID = workspace.NewDeploymentID(time.Now())
	}
	res := &Result{DeploymentID: opts.DeploymentID}
	if len(p.Errors) > 0 {
		return res, fmt.Errorf("apply: the plan has errors:\n  %s", strings.Join(p.Errors, "\n  "))
	}
	if p.Database != c.Database() {
		return res, fmt.Errorf("apply: the plan is for database %s, the target is %s", p.Database, c.Database())
	}
	changes, err := Stage(p, opts.Only)
	if err != nil {
		return res, err
	}
	if !opts.AllowDestructive {
		var names []string
		for _, ch := range changes {
			if ch.Destructive {
				names = append(names, ch.Resource)
			}
		}
		if len(names) > 0 {
			return res, fmt.Errorf("apply: %w (%s)", ErrDestructive, strings.Join(names, ", "))
		}
	}
	if err := checkCluster(ctx, c); err != nil {
		return res, err
	}
	x := newExecutor(c, p, opts, opts.DeploymentID)
	defer x.closeHosts()
	lock, err := journal.Acquire(ctx, c, journal.Self(x.id), opts.Lease)
	if err != nil {
		return res, fmt.Errorf("apply: %w", err)
	}
	runCtx, stop := x.supervise(ctx, lock)
	defer func() {
		stop()
		_ = lock.Release(context.WithoutCancel(ctx))
	}()
	acts, err := x.resumeInterrupted(runCtx)
	res.Resumed = acts
	if err != nil {
		return res, fmt.Errorf("apply: finish the interrupted apply first: %w", err)
	}
	if err := x.checkFingerprint(runCtx); err != nil {
		if len(acts) > 0 {
			err = fmt.Errorf("%w (an interrupted apply was finished first: %s)", err, strings.Join(acts, "; "))
		}
		return res, err
	}
	// The deployment before this one, read under the lock: what a partial
	// apply records for the resources it did not change.
	prev, err := c.Latest(runCtx)
	if err != nil {
		return res, fmt.Errorf("apply: %w", err)
	}
	x.prev = prev
	if err := x.begin(runCtx, changes); err != nil {
		return res, fmt.Errorf("apply: %w", err)
	}
	runErr := x.run(runCtx, changes, res)
	if cause := context.Cause(runCtx); runErr != nil && cause != nil && !errors.Is(cause, context.Canceled) {
		x.emit(Aborted, res.Failed, "", 0, cause.Error())
		runErr = &causedError{err: runErr, cause: cause}
	}
	endErr := x.finish(context.WithoutCancel(ctx), res, runErr)
	if endErr != nil {
		if runErr != nil {
			return res, fmt.Errorf("%w (and recording the outcome: %v)", runErr, endErr)
		}
		return res, endErr
	}
	return res, runErr
}

// causedError is a failure whose cause (why the apply stopped itself) is
// told once, and found by errors.As/Is through either.
type causedError struct{ err, cause error }

func (e *causedError) Error() string {
	if strings.Contains(e.err.Error(), e.cause.Error()) {
		return e.err.Error()
	}
	return e.cause.Error() + ": " + e.err.Error()
}

func (e *causedError) Unwrap() []error { return []error{e.err, e.cause} }

func newExecutor(c *workspace.Client, p *plan.Plan, opts Options, id string) *executor {
	return &executor{c: c, p: p, opts: opts, id: id, emitMu: &sync.Mutex{},
		g:     ddl.Generator{Database: c.Database(), Cluster: c.Cluster(), Caps: c.Capabilities(), Replication: c.Replication()},
		local: ddl.Generator{Database: c.Database(), Caps: c.Capabilities()}}
}

// Stage returns the changes to run: the chosen ones plus what they depend
// on, in plan order.
func Stage(p *plan.Plan, only []string) ([]*plan.Change, error) {
	if len(only) == 0 {
		return p.Changes, nil
	}
	want := map[string]bool{}
	var visit func(id string) error
	visit = func(id string) error {
		c := p.Change(id)
		if c == nil {
			return fmt.Errorf("apply: no change %q in the plan", id)
		}
		if want[c.ID] {
			return nil
		}
		want[c.ID] = true
		for _, d := range c.DependsOn {
			if err := visit(d); err != nil {
				return err
			}
		}
		return nil
	}
	for _, id := range only {
		if err := visit(id); err != nil {
			return nil, err
		}
	}
	var out []*plan.Change
	for _, c := range p.Changes {
		if want[c.ID] {
			out = append(out, c)
		}
	}
	return out, nil
}

func (x *executor) emit(kind EventKind, change, step string, rows uint64, msg string) {
	x.emitEvent(Event{Kind: kind, Change: change, Step: step, Rows: rows, Message: msg})
}

// emitRows reports a row event of one partition.
func (x *executor) emitRows(kind EventKind, change, step, partition string, rows, total uint64) {
	if partition != "" {
		partition += x.onShard()
	}
	msg := ""
	if kind == RowsCopied {
		msg = "partition " + partition
	}
	x.emitEvent(Event{Kind: kind, Change: change, Step: step, Rows: rows, Partition: partition, Total: total, Message: msg})
}

func (x *executor) emitEvent(ev Event) {
	if x.opts.OnEvent == nil {
		return
	}
	if x.emitMu != nil {
		x.emitMu.Lock()
		defer x.emitMu.Unlock()
	}
	ev.Time = time.Now()
	x.opts.OnEvent(ev)
}

// progressEvery is the least time between two RowsProgress events of a statement.
const progressEvery = 250 * time.Millisecond

// execRows runs a statement that moves the rows of one partition,
// reporting the rows it has read so far (RowsProgress) from the server's
// progress packets, at most every progressEvery.
func (x *executor) execRows(ctx context.Context, sql, change, step, partition string, total uint64) error {
	x.emitRows(RowsProgress, change, step, partition, 0, total)
	if x.opts.OnEvent == nil {
		return x.exec(ctx, sql)
	}
	var (
		mu   sync.Mutex
		read uint64
		last time.Time
	)
	pctx := engine.WithProgress(ctx, func(p engine.Progress) {
		mu.Lock()
		read += p.Rows
		now, n := time.Now(), read
		due := now.Sub(last) >= progressEvery
		if due {
			last = now
		}
		mu.Unlock()
		if due && n > 0 {
			x.emitRows(RowsProgress, change, step, partition, n, total)
		}
	})
	return x.exec(pctx, sql)
}

// tagged returns the context and statement tagged with the deployment id:
// a leading SQL comment always (system.processes shows it, so whoever finds
// an interrupted apply can wait for its statements), plus log_comment where
// the server has it.
func (x *executor) tagged(ctx context.Context, sql string) (context.Context, string) {
	caps := x.c.Capabilities()
	if !caps.LowCardinality {
		// Old servers create LowCardinality columns behind this flag.
		ctx = engine.WithSettings(ctx, engine.Settings{"allow_experimental_low_cardinality_type": 1})
	}
	if caps.LogComment {
		ctx = engine.WithSettings(ctx, engine.Settings{"log_comment": "perch deployment " + x.id})
	}
	return ctx, ddl.Tag(sql, x.id)
}

// exec runs one statement, tagged.
func (x *executor) exec(ctx context.Context, sql string) error {
	if x.c.Cluster() != "" && workspace.PerHostStatement(sql) {
		return x.everyHost(ctx, sql)
	}
	tctx, q := x.tagged(ctx, sql)
	if x.c.Cluster() != "" && strings.Contains(sql, " ON CLUSTER ") {
		if _, err := x.c.ExecOnCluster(tctx, q, x.opts.ClusterDDLTimeout); err != nil {
			return fmt.Errorf("%s: %w", firstLine(sql), err)
		}
		return nil
	}
	if err := x.c.Conn().Exec(tctx, q); err != nil {
		return fmt.Errorf("%s: %w", firstLine(sql), err)
	}
	return nil
}

// execRetry runs an idempotent statement (undo, unlock), retrying a few
// times: after a cut connection the pool may hand out dead connections
// before it dials a fresh one.
func (x *executor) execRetry(ctx context.Context, sql string) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if err = x.exec(ctx, sql); err == nil {
			return nil
		}
		if serr := sleep(ctx, 200*time.Millisecond); serr != nil {
			return err
		}
	}
	return err
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " ..."
	}
	if len(s) > 160 {
		s = s[:160] + "..."
	}
	return s
}

// run executes the changes in order, stopping at the first failure.
func (x *executor) run(ctx context.Context, changes []*plan.Change, res *Result) error {
	for _, ch := range changes {
		x.emit(ChangeStarted, ch.ID, "", 0, string(ch.Method))
		if err := x.runChange(ctx, ch, 0, res); err != nil {
			res.Failed = ch.ID
			res.Error = err.Error()
			return fmt.Errorf("apply %s: %w", ch.ID, err)
		}
		res.Applied = append(res.Applied, ch.ID)
		if err := x.changeDone(ctx, ch); err != nil {
			res.Failed, res.Error = ch.ID, err.Error()
			return fmt.Errorf("apply %s: %w", ch.ID, err)
		}
		x.emit(ChangeFinished, ch.ID, "", 0, "")
	}
	return nil
}

// runChange runs the steps of one change from step index from (0, or the
// step an interrupted apply was at). Before its commit step a failure
// undoes the completed steps in reverse; after it, steps are retried (the
// change can only go forward: undoing a swap would strand new rows).
func (x *executor) runChange(ctx context.Context, ch *plan.Change, from int, res *Result) error {
	st := x.state()
	e := x.j.Entry()
	committed := e.Committed
	var done []plan.Step
	if from == 0 && !committed {
		e.Change, e.Step, e.StepDone, e.Created = ch.ID, "", false, nil
	}
	for i := from; i < len(ch.Steps); i++ {
		s := ch.Steps[i]
		if err := x.stepStarted(ctx, ch, s); err != nil {
			// The journal could not record the step (a cancelled or broken
			// connection): as for a failed step, undo before the commit
			// point, or leave it for the next perch apply to finish.
			x.emit(StepFailed, ch.ID, s.ID, 0, err.Error())
			if !committed {
				res.Undone = x.rollback(context.WithoutCancel(ctx), ch, done)
			} else {
				res.Incomplete = true
			}
			return fmt.Errorf("step %s: %w", s.ID, err)
		}
		x.emit(StepStarted, ch.ID, s.ID, 0, s.Title)
		err := x.runStep(ctx, ch, s, st)
		for attempt := 1; err != nil && committed && attempt <= x.opts.Retries && ctx.Err() == nil; attempt++ {
			x.emit(StepRetried, ch.ID, s.ID, 0, err.Error())
			if sleep(ctx, x.opts.RetryWait) != nil {
				break
			}
			err = x.runStep(ctx, ch, s, st)
		}
		if err != nil && x.ranDespite(ctx, ch, s, st, err) {
			err = nil
		}
		if err != nil && s.Commit && st.w.Progress[s.ID] > 0 {
			// Part of the commit step ran: the change can only go forward now.
			committed = true
			for attempt := 1; err != nil && attempt <= x.opts.Retries && ctx.Err() == nil; attempt++ {
				x.emit(StepRetried, ch.ID, s.ID, 0, err.Error())
				if sleep(ctx, x.opts.RetryWait) != nil {
					break
				}
				err = x.runStep(ctx, ch, s, st)
			}
		}
		if err != nil {
			x.emit(StepFailed, ch.ID, s.ID, 0, err.Error())
			if !committed {
				res.Undone = x.rollback(context.WithoutCancel(ctx), ch, done)
			} else {
				res.Incomplete = true
			}
			return fmt.Errorf("step %s: %w", s.ID, err)
		}
		done = append(done, s)
		if s.Commit {
			committed = true
		}
		if err := x.stepFinished(ctx, s, st); err != nil {
			x.emit(StepFailed, ch.ID, s.ID, 0, err.Error())
			if !committed {
				res.Undone = x.rollback(context.WithoutCancel(ctx), ch, done)
			} else {
				res.Incomplete = true
			}
			return fmt.Errorf("step %s: %w", s.ID, err)
		}
		x.emit(StepFinished, ch.ID, s.ID, st.lastRows, "")
		st.lastRows = 0
	}
	return nil
}

// rollback undoes a change that has not passed its commit point: the undo
// statements of its completed steps in reverse, then every object the
// journal says it created is dropped and the merges it stopped restarted.
// It reports whether everything succeeded.
func (x *executor) rollback(ctx context.Context, ch *plan.Change, done []plan.Step) bool {
	ok := true
	for i := len(done) - 1; i >= 0; i-- {
		s := done[i]
		for _, q := range s.Undo {
			if err := x.execRetry(ctx, q); err != nil {
				ok = false
				x.emit(StepFailed, ch.ID, s.ID, 0, "undo: "+err.Error())
				continue
			}
		}
		if len(s.Undo) > 0 {
			x.emit(StepUndone, ch.ID, s.ID, 0, "")
		}
	}
	e := x.j.Entry()
	for _, name := range e.Created {
		if err := x.execRetry(ctx, x.g.DropTable(name, true)); err != nil {
			ok = false
			x.emit(StepFailed, ch.ID, "", 0, "undo: "+err.Error())
		}
	}
	if err := x.restartMerges(ctx, true); err != nil {
		ok = false
		x.emit(StepFailed, ch.ID, "", 0, "undo: "+err.Error())
	}
	e.Created, e.Swap = nil, nil
	e.Backups = dropCopies(e.Backups)
	if err := x.save(ctx); err != nil {
		ok = false
	}
	return ok
}

// dropCopies removes the records of pre-swap copies (dropped by a rollback).
func dropCopies(bs []journal.Backup) []journal.Backup {
	out := bs[:0]
	for _, b := range bs {
		if !b.Copy {
			out = append(out, b)
		}
	}
	return out
}
