package apply

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/journal"
	"github.com/perchdata/perch/workspace/plan"
)

// Resume finishes or rolls back every interrupted apply of the workspace:
// one whose process died (its lock's holder is provably gone) or that
// stopped on an error after its commit point. A change that had not passed
// its swap is rolled back (the tables it created dropped, merges
// restarted); one that had is finished forward (the tail of rows that
// reached the backup copied, checks run). It returns what it did, in
// words; nothing when no apply was interrupted. `perch apply` runs it before
// planning, and Apply runs it before its own changes.
func Resume(ctx context.Context, c *workspace.Client, opts Options) ([]string, error) {
	opts = opts.withDefaults()
	entries, err := journal.Unfinished(ctx, c)
	if err != nil || len(entries) == 0 {
		return nil, err
	}
	id := "resume-" + workspace.NewDeploymentID(time.Now())
	x := newExecutor(c, &plan.Plan{Database: c.Database()}, opts, id)
	defer x.closeHosts()
	lock, err := journal.Acquire(ctx, c, journal.Self(id), opts.Lease)
	if err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	runCtx, stop := x.supervise(ctx, lock)
	defer func() {
		stop()
		_ = lock.Release(context.WithoutCancel(ctx))
	}()
	return x.resumeInterrupted(runCtx)
}

// resumeInterrupted resolves the unfinished entries of the journal; the
// caller holds the lock, so their holders are gone.
func (x *executor) resumeInterrupted(ctx context.Context) ([]string, error) {
	entries, err := journal.Unfinished(ctx, x.c)
	if err != nil {
		return nil, err
	}
	var acts []string
	for _, e := range entries {
		if e.Deployment == x.id {
			continue
		}
		a, err := x.resolve(ctx, e)
		acts = append(acts, a...)
		for _, s := range a {
			x.emit(Resumed, e.Change, e.Step, 0, s)
		}
		if err != nil {
			return acts, fmt.Errorf("deployment %s: %w", e.Deployment, err)
		}
	}
	return acts, nil
}

// resolve settles one interrupted apply and finishes or rolls back its
// current change.
func (x *executor) resolve(ctx context.Context, e *journal.Entry) ([]string, error) {
	j := journal.Resume(x.c, e)
	why := "its process is gone"
	if e.Status == journal.Incomplete {
		why = "it stopped on an error after its commit point"
	}
	acts, err := journal.SettleEntry(ctx, x.c, j, why, x.opts.DrainTimeout)
	if err != nil {
		return acts, err
	}
	start, err := journal.StartOf(ctx, x.c, e.Deployment)
	if err != nil {
		return acts, err
	}
	p, err := plan.Parse([]byte(start.Deployment.Plan))
	if err != nil {
		return acts, fmt.Errorf("read the plan of deployment %s: %w", e.Deployment, err)
	}
	sub := newExecutor(x.c, p, x.opts, e.Deployment)
	sub.j, sub.sup, sub.emitMu = j, x.sup, x.emitMu
	defer sub.closeHosts()
	e = j.Entry()
	ch := p.Change(e.Change)
	var what string
	switch {
	case ch == nil:
		what = fmt.Sprintf("closed deployment %s (no change was in progress)", e.Deployment)
	default:
		idx := stepIndex(ch, e.Step)
		if idx >= 0 && !e.StepDone && e.Swap != nil && (!e.Committed || ch.Steps[idx].EmptyDest) {
			swapped, err := sub.reconcileSwap(ctx, ch.Steps[idx], sub.state())
			if err != nil {
				return acts, err
			}
			if swapped {
				sub.swapped(ch.Steps[idx])
				e.StepDone = true
				if err := sub.save(ctx); err != nil {
					return acts, err
				}
			}
		}
		if e.Committed {
			from := idx
			if e.StepDone || from < 0 {
				from++
			}
			res := &Result{}
			if err := sub.runChange(ctx, ch, from, res); err != nil {
				e.Status, e.Error = journal.Incomplete, err.Error()
				_ = sub.save(context.WithoutCancel(ctx))
				return acts, fmt.Errorf("finish %s: %w", ch.ID, err)
			}
			if err := sub.changeDone(ctx, ch); err != nil {
				return acts, err
			}
			what = fmt.Sprintf("finished %s of deployment %s (it had passed its swap)", ch.ID, e.Deployment)
		} else {
			var done []plan.Step
			for i, s := range ch.Steps {
				if i < idx || (i == idx && e.StepDone) {
					done = append(done, s)
				}
			}
			dropped := strings.Join(e.Created, ", ")
			if !sub.rollback(ctx, ch, done) {
				return acts, fmt.Errorf("roll back %s: some undo statements failed", ch.ID)
			}
			what = fmt.Sprintf("rolled back %s of deployment %s (it had not reached its swap)", ch.ID, e.Deployment)
			if dropped != "" {
				what += ": dropped " + dropped
			}
			e.Change, e.Step, e.StepDone, e.Work = "", "", false, journal.Work{}
		}
	}
	acts = append(acts, what)
	e.Status, e.Resolution = journal.Resolved, what
	if err := sub.save(ctx); err != nil {
		return acts, err
	}
	if len(e.Applied) == len(e.Staged) && len(e.Staged) > 0 {
		// Every staged change ran: the deployment is recorded as done, under
		// a new id (the interrupted one stays in the history as interrupted).
		st := start.Deployment
		sub.opts.Author, sub.opts.GitCommit, sub.opts.GitBranch, sub.opts.PerchVersion = st.Author, st.GitCommit, st.GitBranch, st.PerchVersion
		sub.opts.Message = strings.TrimSpace("finishes interrupted deployment " + e.Deployment + ". " + st.Message)
		sub.opts.Files = st.Files
		if sub.prev, err = x.c.Latest(ctx); err != nil {
			return acts, err
		}
		d, err := sub.outcome(&Result{Applied: e.Applied}, nil)
		if err != nil {
			return acts, err
		}
		d.ID = workspace.NewDeploymentID(time.Now())
		if err := sub.record(ctx, d); err != nil {
			return acts, err
		}
		acts = append(acts, "every change of deployment "+e.Deployment+" is applied: recorded as deployment "+d.ID)
	}
	return acts, nil
}

func stepIndex(ch *plan.Change, id string) int {
	for i, s := range ch.Steps {
		if s.ID == id {
			return i
		}
	}
	return -1
}

// IsLocked reports whether err says another apply holds the lock.
func IsLocked(err error) bool { return errors.Is(err, journal.ErrLocked) }
