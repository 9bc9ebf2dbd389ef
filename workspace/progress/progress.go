// Package progress turns the row counts of long work (the copy of a
// rebuild, a backfill, the copy of a branch) into what a person reads: rows
// done of the total, rows per second, time elapsed and time left, per
// partition and overall. It does no I/O and knows no front end: the work
// reports Updates to a Sink, a Tracker adds them up, and the CLI and the TUI
// render its Snapshot.
package progress

import (
	"sync"
	"time"
)

// Update is one report of the work on one partition of one task. Done and
// Total are absolute (not deltas): a later update replaces an earlier one.
type Update struct {
	// Time is when the work was at Done (the clock of the work, so that
	// rates and times are computed without a clock of their own).
	Time time.Time
	// Task names the work: a change's step ("events/copy"), a branch copy.
	Task string
	// Partition is the partition the rows belong to ("" for the whole
	// table when it is copied at once).
	Partition string
	// Total is the rows the partition is expected to take (0: unknown).
	Total uint64
	// Done is how many of them are done.
	Done uint64
	// Planned marks the report of a partition's expected rows before the
	// work reaches it: it counts in the totals, its clock does not start.
	Planned bool
	// Finished says the partition is done: Done is then final (a total
	// that was an estimate is corrected to it).
	Finished bool
}

// Sink receives progress. Work that moves rows calls Observe as it goes:
// once per partition up front (Planned, the Total it expects) when it
// knows the partitions, when it starts a partition (Done 0), as rows
// move, and once when the partition is finished. Implementations must be
// safe for concurrent use and must not block for long.
type Sink interface {
	Observe(Update)
}

// SinkFunc adapts a function to a Sink.
type SinkFunc func(Update)

// Observe calls f.
func (f SinkFunc) Observe(u Update) { f(u) }

// Key identifies a partition of a task.
type Key struct{ Task, Partition string }

type part struct {
	// base is the rows of earlier rounds: work may move a partition again
	// (the rows that arrived since its last copy), under the same key.
	base        uint64
	total, done uint64
	// started is when the work reached the partition; zero while planned.
	started, end time.Time
	finished     bool
}

// Tracker adds up the updates of one piece of work (an apply, a branch
// copy). It is safe for concurrent use; its zero value is ready.
type Tracker struct {
	mu    sync.Mutex
	parts map[Key]*part
	order []Key
	// start and last are the times of the first and the last update.
	start, last time.Time
}

// NewTracker returns an empty tracker.
func NewTracker() *Tracker { return &Tracker{} }

// Observe records u.
func (t *Tracker) Observe(u Update) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.parts == nil {
		t.parts = map[Key]*part{}
	}
	k := Key{u.Task, u.Partition}
	p := t.parts[k]
	if p == nil {
		p = &part{}
		t.parts[k] = p
		t.order = append(t.order, k)
	}
	if t.start.IsZero() || u.Time.Before(t.start) {
		t.start = u.Time
	}
	if u.Time.After(t.last) {
		t.last = u.Time
	}
	if p.finished && !u.Finished {
		// a new round of a finished partition: what it did stays counted
		p.base += p.done
		p.total, p.done, p.finished, p.started = 0, 0, false, time.Time{}
	}
	if u.Total > 0 {
		p.total = u.Total
	}
	if u.Planned {
		return
	}
	if p.started.IsZero() {
		p.started = u.Time
	}
	if u.Done > p.done || u.Finished {
		p.done = u.Done
	}
	if p.done > p.total && p.total > 0 {
		p.total = p.done // the estimate was low: the work read more
	}
	if u.Finished {
		p.finished, p.end = true, u.Time
		if p.done > p.total || p.total == 0 {
			p.total = p.done
		}
	}
}

// Bar is the state of a partition, a task or the whole work at a moment.
type Bar struct {
	Task, Partition string
	Done, Total     uint64
	// Rate is rows per second since the work (or the partition) started.
	Rate float64
	// Elapsed is the time since it started (until it finished).
	Elapsed time.Duration
	// ETA is the time left at Rate; Known is false when it cannot be told
	// (no total, or nothing done yet).
	ETA   time.Duration
	Known bool
	// Finished says every partition under it is done.
	Finished bool
	// Partitions and FinishedPartitions count the partitions under it.
	Partitions, FinishedPartitions int
}

// Fraction is Done / Total in [0, 1] (0 when the total is unknown, 1 when finished).
func (b Bar) Fraction() float64 {
	switch {
	case b.Finished:
		return 1
	case b.Total == 0:
		return 0
	}
	return min(1, float64(b.Done)/float64(b.Total))
}

// Snapshot is the work at a moment: overall, by task and by partition.
type Snapshot struct {
	Overall Bar
	// Tasks are the tasks in the order they started.
	Tasks []Bar
	// Partitions are every partition in the order they were first
	// reported; Running are those started and not finished.
	Partitions []Bar
	Running    []Bar
}

// Empty reports whether nothing was reported.
func (s Snapshot) Empty() bool { return s.Overall.Partitions == 0 }

// Snapshot computes the state at now (the time of the last update when now
// is zero: a finished work's summary).
func (t *Tracker) Snapshot(now time.Time) Snapshot {
	t.mu.Lock()
	defer t.mu.Unlock()
	if now.IsZero() || now.Before(t.last) {
		now = t.last
	}
	var s Snapshot
	tasks := map[string]*Bar{}
	taskStart, taskEnd := map[string]time.Time{}, map[string]time.Time{}
	var lastEnd time.Time
	var taskOrder []string
	for _, k := range t.order {
		p := t.parts[k]
		end := now
		if p.finished {
			end = p.end
		}
		from := p.started
		if from.IsZero() {
			from = end // planned: no time passed on it yet
		}
		pb := bar(p.base+p.done, p.base+p.total, from, end, p.finished)
		pb.Task, pb.Partition, pb.Partitions = k.Task, k.Partition, 1
		if p.finished {
			pb.FinishedPartitions = 1
		}
		s.Partitions = append(s.Partitions, pb)
		if !p.finished && !p.started.IsZero() {
			s.Running = append(s.Running, pb)
		}
		tb := tasks[k.Task]
		if tb == nil {
			tb = &Bar{Task: k.Task, Finished: true}
			tasks[k.Task] = tb
			taskOrder = append(taskOrder, k.Task)
		}
		if st := p.started; !st.IsZero() && (taskStart[k.Task].IsZero() || st.Before(taskStart[k.Task])) {
			taskStart[k.Task] = st
		}
		if p.end.After(taskEnd[k.Task]) {
			taskEnd[k.Task] = p.end
		}
		if p.end.After(lastEnd) {
			lastEnd = p.end
		}
		add(tb, pb)
		add(&s.Overall, pb)
	}
	s.Overall.Finished = s.Overall.Partitions > 0 && s.Overall.FinishedPartitions == s.Overall.Partitions
	for _, name := range taskOrder {
		tb := tasks[name]
		from := taskStart[name]
		if from.IsZero() {
			from = now
		}
		to := now
		if tb.Finished {
			to = taskEnd[name]
		}
		s.Tasks = append(s.Tasks, rated(*tb, from, to))
	}
	to := now
	if s.Overall.Finished {
		to = lastEnd
	}
	s.Overall = rated(s.Overall, t.start, to)
	return s
}

// add adds a partition's rows to a task's or the overall bar.
func add(to *Bar, p Bar) {
	to.Done += p.Done
	to.Total += p.Total
	to.Partitions++
	to.FinishedPartitions += p.FinishedPartitions
	if !p.Finished {
		to.Finished = false
	}
}

// rated fills the rate, elapsed time and ETA of b over [from, to].
func rated(b Bar, from, to time.Time) Bar {
	r := bar(b.Done, b.Total, from, to, b.Finished)
	b.Rate, b.Elapsed, b.ETA, b.Known = r.Rate, r.Elapsed, r.ETA, r.Known
	return b
}

// bar computes a bar of done of total rows between from and to.
func bar(done, total uint64, from, to time.Time, finished bool) Bar {
	b := Bar{Done: done, Total: total, Finished: finished}
	if to.After(from) {
		b.Elapsed = to.Sub(from)
	}
	if secs := b.Elapsed.Seconds(); secs > 0 && done > 0 {
		b.Rate = float64(done) / secs
	}
	switch {
	case finished:
		b.Known = true
	case total > 0 && done >= total:
		b.Known = true
	case total > 0 && b.Rate > 0:
		b.ETA = time.Duration(float64(total-done) / b.Rate * float64(time.Second))
		b.Known = true
	}
	return b
}
