package journal

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/perchdata/perch/workspace"
)

// Report is what Settle found and did.
type Report struct {
	// Running is the holder of an apply in progress (alive), with its entry
	// when it has one; Settle then changed nothing.
	Running      *Holder `json:"running,omitempty"`
	RunningEntry *Entry  `json:"running_entry,omitempty"`
	// Interrupted are the applies whose holder is gone and that are not
	// finished yet: `perch apply` finishes or rolls back each.
	Interrupted []*Entry `json:"interrupted,omitempty"`
	// Actions lists what Settle did, in words.
	Actions []string `json:"actions,omitempty"`
}

// Empty reports whether there is nothing to say.
func (r *Report) Empty() bool {
	return r == nil || (r.Running == nil && len(r.Interrupted) == 0 && len(r.Actions) == 0)
}

// Lines renders the report for people, each line ending with what to do.
func (r *Report) Lines() []string {
	if r == nil {
		return nil
	}
	var out []string
	if r.Running != nil {
		s := "an apply is running: " + r.Running.String()
		if r.RunningEntry != nil {
			s += ", at " + r.RunningEntry.Where()
		}
		out = append(out, s)
	}
	for _, e := range r.Interrupted {
		out = append(out, fmt.Sprintf("deployment %s was interrupted at %s: run `perch apply` to %s", e.Deployment, e.Where(), nextStep(e)))
	}
	out = append(out, r.Actions...)
	return out
}

// nextStep says what `perch apply` does with an interrupted entry.
func nextStep(e *Entry) string {
	switch {
	case e.Committed:
		return "finish " + e.Change + " (it passed its swap)"
	case e.Swapped:
		return "finish " + e.Change + " (the server ran its swap after perch died)"
	case e.Change != "" && len(e.Created) > 0:
		return "roll back " + e.Change + " (drop " + strings.Join(e.Created, ", ") + ")"
	}
	return "close it"
}

// SettleOptions tunes Settle.
type SettleOptions struct {
	// Lease is how long a holder on another machine may go without a
	// heartbeat (default DefaultLease).
	Lease time.Duration
	// Wait bounds the wait for statements of a dead apply still running on
	// the server (default 2m).
	Wait time.Duration
}

func (o SettleOptions) defaults() SettleOptions {
	if o.Lease <= 0 {
		o.Lease = DefaultLease
	}
	if o.Wait <= 0 {
		o.Wait = 2 * time.Minute
	}
	return o
}

// Settle finds unfinished applies and, when their holder is provably gone,
// makes the workspace safe for ingestion again: it waits for (and cancels)
// their statements still running on the server, completes a swap that
// left no table under the live name, resolves an attach in doubt, restarts
// the merges they stopped on live tables and records each in the
// deployment log as interrupted. It leaves the rest (a tail to copy, tables
// to drop) to `perch apply`, which the report says. Every perch command
// that reads the workspace runs it. An apply in progress is left alone.
func Settle(ctx context.Context, c *workspace.Client, opts SettleOptions) (*Report, error) {
	opts = opts.defaults()
	r := &Report{}
	entries, err := Unfinished(ctx, c)
	if err != nil {
		return nil, err
	}
	h, found, err := ReadHolder(ctx, c)
	if err != nil {
		return nil, err
	}
	if found {
		alive := true
		if h == nil {
			age, err := lockAge(ctx, c)
			if err != nil {
				return nil, err
			}
			alive = age <= opts.Lease
		} else {
			gone, _ := h.Gone(opts.Lease)
			alive = !gone
		}
		if alive {
			r.Running = h
			for _, e := range entries {
				if h != nil && e.Deployment == h.Deployment {
					r.RunningEntry = e
				} else {
					r.Interrupted = append(r.Interrupted, e)
				}
			}
			return r, nil
		}
	}
	if len(entries) == 0 && !found {
		return r, nil
	}
	self := Self("settle-" + workspace.NewDeploymentID(time.Now()))
	lock, err := Acquire(ctx, c, self, opts.Lease)
	if err != nil {
		if le, ok := err.(*LockedError); ok {
			r.Running = le.Holder
			return r, nil
		}
		return nil, err
	}
	defer lock.Release(context.WithoutCancel(ctx))
	if found && h != nil {
		_, why := h.Gone(opts.Lease)
		r.Actions = append(r.Actions, fmt.Sprintf("took over the lock of %s: %s", h.String(), why))
	}
	// The journal may have changed while the lock was taken.
	if entries, err = Unfinished(ctx, c); err != nil {
		return nil, err
	}
	if n, err := DropStaleScratch(ctx, c, time.Hour); err != nil {
		return nil, err
	} else if n > 0 {
		r.Actions = append(r.Actions, fmt.Sprintf("dropped %d scratch tables a dead perch left (_perch_scratch_*)", n))
	}
	for _, e := range entries {
		j := Resume(c, e)
		why := "its process is gone"
		switch {
		case e.Status == Incomplete:
			why = "it stopped on an error after its commit point: " + e.Error
		case found && h != nil && h.Deployment == e.Deployment:
			_, why = h.Gone(opts.Lease)
		}
		acts, err := SettleEntry(ctx, c, j, why, opts.Wait)
		r.Actions = append(r.Actions, acts...)
		if err != nil {
			return r, err
		}
		if j.Entry().Status.Unfinished() {
			r.Interrupted = append(r.Interrupted, j.Entry())
		}
	}
	return r, nil
}

// SettleEntry settles one interrupted apply (its holder gone, the caller
// holding the lock): see Settle. why says how the holder was found gone.
func SettleEntry(ctx context.Context, c *workspace.Client, j *Journal, why string, wait time.Duration) ([]string, error) {
	e := j.Entry()
	var acts []string
	n, err := waitStatements(ctx, c, e.Deployment, wait)
	if err != nil {
		return acts, err
	}
	if n > 0 {
		acts = append(acts, fmt.Sprintf("waited for %d statements of deployment %s still running on the server", n, e.Deployment))
	}
	if s := e.Swap; s != nil && !e.Committed {
		done, err := completeRename(ctx, c, s)
		if err != nil {
			return acts, err
		}
		if done {
			acts = append(acts, fmt.Sprintf("finished the swap of %s (the server had renamed it to %s; %s now takes its name)", s.Table, s.Backup, s.Dest))
		}
		if want := e.Work.SwapSig[e.Step]; want != "" {
			sig, err := Signature(ctx, c, s.Table)
			if err != nil {
				return acts, err
			}
			e.Swapped = sig == want
		}
		if err := j.Write(ctx); err != nil {
			return acts, err
		}
	}
	for _, t := range []*Stage{e.Work.Stage, e.Work.Cascade} {
		if t == nil || t.Pending == nil || t.Pending.Verdict != "" {
			continue
		}
		v, err := Recognize(ctx, c, t.Pending)
		if err != nil {
			return acts, err
		}
		t.Pending.Verdict = v
		if v == VerdictAttached {
			t.Attached = append(t.Attached, t.Pending.Partition)
			t.Pending = nil
		}
		if err := j.Write(ctx); err != nil {
			return acts, err
		}
	}
	seen, err := RecognizeShardAttaches(ctx, c, j.Entry())
	acts = append(acts, seen...)
	if len(seen) > 0 {
		if werr := j.Write(ctx); werr != nil && err == nil {
			err = werr
		}
	}
	if err != nil {
		return acts, err
	}
	var restarted []string
	for _, m := range append([]Merges(nil), e.Merges...) {
		if !m.Live {
			continue
		}
		ok, err := exists(ctx, c, m.Table)
		if err != nil {
			return acts, err
		}
		if ok {
			if err := c.Exec(ctx, "SYSTEM START MERGES "+lockName(c, m.Table)); err != nil {
				return acts, fmt.Errorf("restart merges on %s: %w", m.Table, err)
			}
			restarted = append(restarted, m.Table)
		}
		e.StartMerges(m.Table)
	}
	if len(restarted) > 0 {
		acts = append(acts, "restarted merges on "+strings.Join(restarted, ", ")+" (stopped by deployment "+e.Deployment+")")
		if err := j.Write(ctx); err != nil {
			return acts, err
		}
	}
	if !e.Recorded {
		if err := recordInterrupted(ctx, c, e, why); err != nil {
			return acts, err
		}
		e.Recorded = true
		if err := j.Write(ctx); err != nil {
			return acts, err
		}
		acts = append(acts, "recorded deployment "+e.Deployment+" as interrupted (perch history)")
	}
	return acts, nil
}

// recordInterrupted writes the deployment log row of an interrupted apply.
func recordInterrupted(ctx context.Context, c *workspace.Client, e *Entry, why string) error {
	st, err := StartOf(ctx, c, e.Deployment)
	if err != nil {
		return err
	}
	d := st.Deployment
	d.ID, d.Outcome, d.Time = e.Deployment, workspace.OutcomeInterrupted, time.Time{}
	d.Error = fmt.Sprintf("perch stopped at %s (%s)", e.Where(), why)
	return c.Record(ctx, &d)
}

// waitStatements waits until no statement tagged with the deployment is
// running on the server, cancelling them: a statement sent just before the
// process died may still run (and finish) after it. It returns how many it
// found.
func waitStatements(ctx context.Context, c *workspace.Client, deployment string, wait time.Duration) (int, error) {
	tag := workspace.QuoteString("%perch deployment " + deployment + " %")
	q := "SELECT query_id FROM system.processes WHERE query LIKE " + tag + " AND query NOT LIKE '%system.processes%'"
	deadline := time.Now().Add(wait)
	seen := map[string]bool{}
	for {
		rows, err := c.Conn().Query(ctx, q)
		if err != nil {
			return len(seen), fmt.Errorf("statements of deployment %s: %w", deployment, err)
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return len(seen), fmt.Errorf("statements of deployment %s: %w", deployment, err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) == 0 {
			return len(seen), nil
		}
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				_ = c.Exec(ctx, "KILL QUERY WHERE query_id = "+workspace.QuoteString(id)+" ASYNC")
			}
		}
		if time.Now().After(deadline) {
			return len(seen), fmt.Errorf("statements of deployment %s still running after %s", deployment, wait)
		}
		select {
		case <-ctx.Done():
			return len(seen), ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// completeRename finishes a two-pair RENAME that left no table under the
// live name (t renamed to the backup, the replacement not yet to t).
func completeRename(ctx context.Context, c *workspace.Client, s *Swap) (bool, error) {
	t, err := exists(ctx, c, s.Table)
	if err != nil || t {
		return false, err
	}
	d, err := exists(ctx, c, s.Dest)
	if err != nil {
		return false, err
	}
	b, err := exists(ctx, c, s.Backup)
	if err != nil {
		return false, err
	}
	if !d || !b {
		return false, fmt.Errorf("swap of %s: no table %s, and %s or %s is missing too", s.Table, s.Table, s.Dest, s.Backup)
	}
	if err := c.Exec(ctx, "RENAME TABLE "+lockName(c, s.Dest)+" TO "+lockName(c, s.Table)); err != nil {
		return false, fmt.Errorf("finish the swap of %s: %w", s.Table, err)
	}
	return true, nil
}

// DropStaleScratch drops the scratch tables of view checks
// (_perch_scratch_*, Null engine: they hold nothing) older than age, which a
// perch that died during a check left. It returns how many it dropped.
func DropStaleScratch(ctx context.Context, c *workspace.Client, age time.Duration) (int, error) {
	q := "SELECT name FROM system.tables WHERE database = " + workspace.QuoteString(c.Database()) +
		" AND startsWith(name, '_perch_scratch_') AND toInt64(now()) - toInt64(metadata_modification_time) > " + fmt.Sprint(int64(age.Seconds())) +
		" ORDER BY engine = 'MaterializedView' DESC, name"
	rows, err := c.Conn().Query(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("scratch tables: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return 0, fmt.Errorf("scratch tables: %w", err)
		}
		names = append(names, n)
	}
	rows.Close()
	for _, n := range names {
		if err := c.Exec(ctx, "DROP TABLE IF EXISTS "+lockName(c, n)); err != nil {
			return 0, err
		}
	}
	return len(names), nil
}

// Signature identifies a table's definition, engine and columns: after a
// swap in doubt, the table under the live name is the replacement when its
// signature is the one journaled before the swap.
func Signature(ctx context.Context, c *workspace.Client, table string) (string, error) {
	db := workspace.QuoteString(c.Database())
	q := "SELECT concat((SELECT engine_full FROM system.tables WHERE database = " + db + " AND name = " + workspace.QuoteString(table) +
		"), '|', arrayStringConcat(groupArray(concat(name, ' ', type)), ',')) FROM system.columns WHERE database = " + db + " AND table = " + workspace.QuoteString(table)
	var sig string
	if err := c.Conn().QueryRow(ctx, q).Scan(&sig); err != nil {
		return "", fmt.Errorf("signature of %s: %w", table, err)
	}
	return sig, nil
}

// Recognize tells whether a pending attach happened: with merges stopped
// on the table, the attached part is a new part of the stage part's level
// (Attach.Level) or more holding the stage partition's rows. Parts of Before
// gone (merged) make it unknowable.
func Recognize(ctx context.Context, c *workspace.Client, a *Attach) (string, error) {
	q := "SELECT name, rows, level FROM system.parts WHERE database = " + workspace.QuoteString(c.Database()) +
		" AND table = " + workspace.QuoteString(a.Table) + " AND partition_id = " + workspace.QuoteString(a.Partition) + " AND active"
	rows, err := c.Conn().Query(ctx, q)
	if err != nil {
		return "", fmt.Errorf("parts of %s: %w", a.Table, err)
	}
	defer rows.Close()
	before := map[string]bool{}
	for _, n := range a.Before {
		before[n] = true
	}
	attached := false
	for rows.Next() {
		var name string
		var n uint64
		var level uint32
		if err := rows.Scan(&name, &n, &level); err != nil {
			return "", fmt.Errorf("parts of %s: %w", a.Table, err)
		}
		if before[name] {
			delete(before, name)
			continue
		}
		if level >= max(a.Level, 1) && n == a.Rows {
			attached = true
		}
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("parts of %s: %w", a.Table, err)
	}
	if len(before) > 0 && !attached {
		return "", fmt.Errorf("partition %s of %s was merged since the attach from %s began (server restart?): cannot tell whether it was attached; compare %s with its backup before dropping anything", a.Partition, a.Table, a.Stage, a.Table)
	}
	if attached {
		return VerdictAttached, nil
	}
	return VerdictAbsent, nil
}

// RecognizeShardAttaches settles, in e, the attaches in doubt of a rebuild
// on a cluster of several shards: each shard's stage is attached on the
// replica its copy ran on (Work.Host), so the part an attach may have added
// is looked for there, before merges restart and could merge it away. It
// says what it found; the caller writes the journal.
func RecognizeShardAttaches(ctx context.Context, c *workspace.Client, e *Entry) ([]string, error) {
	keys := make([]string, 0, len(e.Work.Shards))
	for k, w := range e.Work.Shards {
		if w != nil && w.Stage != nil && w.Stage.Pending != nil && w.Stage.Pending.Verdict == "" {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	sort.Strings(keys)
	hosts, err := c.Hosts(ctx)
	if err != nil {
		return nil, err
	}
	var acts []string
	for _, k := range keys {
		w := e.Work.Shards[k]
		var hc *workspace.Client
		for _, h := range hosts {
			if h.Addr() == w.Host && hc == nil {
				if hc, err = c.ForHost(ctx, h); err != nil {
					return acts, fmt.Errorf("shard %s: %w", k, err)
				}
			}
		}
		if hc == nil {
			return acts, fmt.Errorf("shard %s: its attach in doubt ran on %s, which is no longer a host of cluster %s: restore the cluster's configuration and run perch again", k, w.Host, c.Cluster())
		}
		t := w.Stage
		v, err := Recognize(ctx, hc, t.Pending)
		hc.Close()
		if err != nil {
			return acts, fmt.Errorf("shard %s (on %s): %w", k, w.Host, err)
		}
		acts = append(acts, fmt.Sprintf("shard %s: the attach of partition %s of %s on %s, in doubt, was %s", k, t.Pending.Partition, t.Pending.Table, w.Host, v))
		t.Pending.Verdict = v
		if v == VerdictAttached {
			t.Attached = append(t.Attached, t.Pending.Partition)
			t.Pending = nil
		}
	}
	return acts, nil
}
