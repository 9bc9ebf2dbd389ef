package apply

import (
	"context"
	"fmt"
	"time"

	"github.com/perchdata/perch/workspace/journal"
	"github.com/perchdata/perch/workspace/plan"
)

// begin writes the first rows of the apply journal, before the first step:
// the plan and files, and the changes staged.
func (x *executor) begin(ctx context.Context, changes []*plan.Change) error {
	// Scratch tables of a check a dead perch left (they hold nothing).
	if _, err := journal.DropStaleScratch(ctx, x.c, time.Hour); err != nil {
		return err
	}
	ids := make([]string, len(changes))
	for i, ch := range changes {
		ids[i] = ch.ID
	}
	var holder journal.Holder
	if x.sup != nil && x.sup.lock != nil {
		holder = x.sup.lock.Holder()
	}
	j, err := journal.Begin(ctx, x.c, journal.Start{Deployment: x.planned()}, journal.Entry{Deployment: x.id, Holder: holder, Staged: ids})
	if err != nil {
		return err
	}
	x.j = j
	return nil
}

// save appends the journal's current state; the watchdog then watches the
// live tables whose merges are stopped.
func (x *executor) save(ctx context.Context) error {
	if x.j == nil {
		return nil
	}
	if x.sup != nil {
		x.sup.watch(x.j.Entry().Merges)
	}
	return x.j.Write(ctx)
}

// state returns the run-time state of the current change over its journaled work.
func (x *executor) state() *changeState {
	if x.j == nil {
		return newChangeState(&journal.Work{})
	}
	return newChangeState(&x.j.Entry().Work)
}

// stepStarted journals a step before it runs: what it may create and the
// merges it may stop, so a crash in the middle leaves their trace.
func (x *executor) stepStarted(ctx context.Context, ch *plan.Change, s plan.Step) error {
	if x.j == nil {
		return nil
	}
	e := x.j.Entry()
	e.Change, e.Step, e.StepDone = ch.ID, s.ID, false
	for _, n := range s.Creates {
		e.AddCreated(n)
	}
	if s.StopsMerges != "" {
		e.StopMerges(s.StopsMerges, true)
	}
	switch s.Kind {
	case plan.StepCopyParts:
		e.SetBackup(journal.Backup{Table: s.Dest, Live: s.Source, Copy: true})
	case plan.StepSwap:
		e.Swap = &journal.Swap{Table: s.Table, Dest: s.Dest, Backup: s.Backup}
		out := e.Backups[:0]
		for _, b := range e.Backups {
			if b.Table != s.Dest {
				out = append(out, b)
			}
		}
		e.Backups = out
	}
	return x.save(ctx)
}

// stepFinished journals a finished step.
func (x *executor) stepFinished(ctx context.Context, s plan.Step, st *changeState) error {
	if x.j == nil {
		return nil
	}
	e := x.j.Entry()
	e.StepDone = true
	if s.Commit {
		e.Committed = true
	}
	if s.Kind == plan.StepSwap {
		x.swapped(s)
	}
	return x.save(ctx)
}

// swapped records a swap done: the change is committed, the old table is
// the backup (its merges stay stopped, it no longer receives inserts), and
// nothing created before is to be dropped any more.
func (x *executor) swapped(s plan.Step) {
	e := x.j.Entry()
	e.Committed = true
	for i, m := range e.Merges {
		if m.Table == s.Table {
			e.Merges[i] = journal.Merges{Table: s.Backup, Live: false}
		}
	}
	e.Created, e.Swap = nil, nil
	e.SetBackup(journal.Backup{Table: s.Backup, Live: s.Table, Replaced: s.EmptyDest})
}

// changeDone journals a finished change and restarts the merges it kept
// stopped on its backup.
func (x *executor) changeDone(ctx context.Context, ch *plan.Change) error {
	if x.j == nil {
		return nil
	}
	if err := x.restartMerges(ctx, false); err != nil {
		return err
	}
	e := x.j.Entry()
	e.Applied = append(e.Applied, ch.ID)
	e.Change, e.Step, e.StepDone, e.Committed = "", "", false, false
	e.Created, e.Swap, e.Work = nil, nil, journal.Work{}
	return x.save(ctx)
}

// restartMerges restarts the merges this apply stopped (only on live
// tables with liveOnly), after telling whether an attach in doubt happened
// (which needs them stopped).
func (x *executor) restartMerges(ctx context.Context, liveOnly bool) error {
	if x.j == nil {
		return nil
	}
	e := x.j.Entry()
	if st := e.Work.Stage; st != nil && st.Pending != nil && st.Pending.Verdict == "" {
		v, err := journal.Recognize(ctx, x.c, st.Pending)
		if err != nil {
			return err
		}
		st.Pending.Verdict = v
		if v == journal.VerdictAttached {
			st.Attached = append(st.Attached, st.Pending.Partition)
			st.Pending = nil
		}
	}
	if _, err := journal.RecognizeShardAttaches(ctx, x.c, e); err != nil {
		return err
	}
	for _, m := range append([]journal.Merges(nil), e.Merges...) {
		if liveOnly && !m.Live {
			continue
		}
		ok, err := x.exists(ctx, m.Table)
		if err != nil {
			return err
		}
		if ok {
			if err := x.execRetry(ctx, x.g.StartMerges(m.Table)); err != nil {
				return fmt.Errorf("restart merges on %s: %w", m.Table, err)
			}
		}
		e.StartMerges(m.Table)
	}
	return x.save(ctx)
}

// finish restores ingestion (merges stopped on live tables restarted), sets
// the journal's final status and records the deployment.
func (x *executor) finish(ctx context.Context, res *Result, runErr error) error {
	if x.j == nil {
		return nil
	}
	e := x.j.Entry()
	restoreErr := x.restartMerges(ctx, true)
	d, err := x.outcome(res, runErr)
	if err != nil {
		return err
	}
	switch {
	case runErr == nil:
		e.Status = journal.Done
	case res.Incomplete:
		e.Status, e.Error = journal.Incomplete, runErr.Error()
		d.Error += " (the change passed its swap: run `perch apply` to finish it)"
	default:
		e.Status, e.Error = journal.Failed, runErr.Error()
	}
	recErr := x.record(ctx, d)
	e.Recorded = recErr == nil
	if err := x.save(ctx); err != nil {
		return err
	}
	if restoreErr != nil {
		return restoreErr
	}
	return recErr
}

// newStage journals the stage of step s (a table like s.Table that rows are
// written to before its partitions are attached to s.Table), then creates it
// empty: a stage left by an earlier attempt is dropped first.
func (x *executor) newStage(ctx context.Context, s plan.Step, st *changeState) error {
	st.w.Stage = &journal.Stage{Stage: s.Stage, Table: s.Table}
	if err := x.save(ctx); err != nil {
		return err
	}
	create := x.g.CreateTableAs(s.Stage, s.Table)
	if s.CreateStage != "" {
		create = s.CreateStage
	}
	for _, q := range []string{x.local.DropTable(s.Stage, true), create} {
		if err := x.exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
