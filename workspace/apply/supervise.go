package apply

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/perchdata/perch/workspace/ddl"
	"github.com/perchdata/perch/workspace/journal"
)

// supervisor runs beside an apply: it keeps the lock's heartbeat, stops the
// apply when the lock is lost, and watches the active part count of every
// live table whose merges the apply stopped (on every host of a cluster),
// stopping the apply before a server would refuse inserts into it ("Too
// many parts").
type supervisor struct {
	x      *executor
	lock   *journal.Lock
	cancel context.CancelCauseFunc
	mu     sync.Mutex
	live   []string
	limits map[string]int
	wg     sync.WaitGroup
}

// PartsLimitError says the apply stopped because a table whose merges it
// had stopped neared the server's part limit.
type PartsLimitError struct {
	Table string
	// Parts is the count reached, Limit the count perch stops at, Throw
	// the server's parts_to_throw_insert.
	Parts, Limit, Throw int
}

// Error says which table neared its limit and what perch did.
func (e *PartsLimitError) Error() string {
	return fmt.Sprintf("stopped before %s refused inserts: a partition reached %d active parts with merges stopped (the server refuses inserts at %d, parts_to_throw_insert); merges are restarted. Apply again when inserts are fewer or batched larger", e.Table, e.Parts, e.Throw)
}

// supervise starts the supervisor and returns the context the apply runs
// in (cancelled, with a cause, when the lock is lost or a part count nears
// its limit) and a function that stops it.
func (x *executor) supervise(ctx context.Context, lock *journal.Lock) (context.Context, func()) {
	runCtx, cancel := context.WithCancelCause(ctx)
	s := &supervisor{x: x, lock: lock, cancel: cancel, limits: map[string]int{}}
	x.sup = s
	s.wg.Add(2)
	go s.heartbeat(runCtx)
	go s.watchParts(runCtx)
	return runCtx, func() {
		cancel(nil)
		s.wg.Wait()
	}
}

// watch sets the tables to watch: the live ones whose merges are stopped.
func (s *supervisor) watch(ms []journal.Merges) {
	var live []string
	for _, m := range ms {
		if m.Live {
			live = append(live, m.Table)
		}
	}
	s.mu.Lock()
	s.live = live
	s.mu.Unlock()
}

func (s *supervisor) watched() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.live...)
}

func (s *supervisor) heartbeat(ctx context.Context) {
	defer s.wg.Done()
	every := s.x.opts.Lease / 6
	if every <= 0 {
		every = 5 * time.Second
	}
	last := time.Now()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := s.lock.Heartbeat(ctx)
		switch {
		case err == nil:
			last = time.Now()
		case errors.Is(err, journal.ErrLost):
			s.abort(fmt.Errorf("apply: %w", err))
			return
		case time.Since(last) > s.x.opts.Lease*2/3:
			s.abort(fmt.Errorf("apply: no heartbeat reached the server for %s (%v): stopping before another process may take the lock over", time.Since(last).Round(time.Second), err))
			return
		}
	}
}

func (s *supervisor) watchParts(ctx context.Context) {
	defer s.wg.Done()
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for _, table := range s.watched() {
			throw, err := s.limit(ctx, table)
			if err != nil {
				continue
			}
			n, err := s.x.maxParts(ctx, table)
			if err != nil {
				continue
			}
			if stop := throw - s.headroom(throw); n >= stop {
				s.abort(&PartsLimitError{Table: table, Parts: n, Limit: stop, Throw: throw})
				return
			}
		}
	}
}

func (s *supervisor) headroom(throw int) int {
	if h := s.x.opts.PartsHeadroom; h > 0 {
		return h
	}
	h := throw / 10
	if h < 10 {
		h = 10
	}
	if h >= throw {
		h = throw - 1
	}
	return h
}

// abort stops the apply: the reason goes to the journal at once (a durable
// note, in case the process dies next) and becomes the cause of the run
// context's cancellation; the apply reports it (an Aborted event) when its
// step returns.
func (s *supervisor) abort(err error) {
	_ = journal.Note(context.Background(), s.x.c, s.x.id, err.Error())
	s.cancel(err)
}

var throwSetting = regexp.MustCompile(`parts_to_throw_insert\s*=\s*(\d+)`)

// limit returns the table's parts_to_throw_insert: its own setting, else
// the server's.
func (s *supervisor) limit(ctx context.Context, table string) (int, error) {
	s.mu.Lock()
	n, ok := s.limits[table]
	s.mu.Unlock()
	if ok {
		return n, nil
	}
	x := s.x
	var full, def string
	q := "SELECT engine_full FROM system.tables WHERE database = " + ddl.String(x.c.Database()) + " AND name = " + ddl.String(table)
	if err := x.c.Conn().QueryRow(ctx, q).Scan(&full); err != nil {
		return 0, err
	}
	if m := throwSetting.FindStringSubmatch(full); m != nil {
		n, _ = strconv.Atoi(m[1])
	} else {
		if err := x.c.Conn().QueryRow(ctx, "SELECT value FROM system.merge_tree_settings WHERE name = 'parts_to_throw_insert'").Scan(&def); err != nil {
			return 0, err
		}
		n, _ = strconv.Atoi(def)
	}
	if n <= 0 {
		n = 300
	}
	s.mu.Lock()
	s.limits[table] = n
	s.mu.Unlock()
	return n, nil
}

// maxParts returns the largest number of active parts in one partition of
// table, on every host of a cluster (each replica of each shard has its
// own parts, and merges are stopped on all of them).
func (x *executor) maxParts(ctx context.Context, table string) (int, error) {
	q := "SELECT toString(max(c)) FROM (SELECT count() AS c FROM system.parts WHERE database = " + ddl.String(x.c.Database()) +
		" AND table = " + ddl.String(table) + " AND active GROUP BY partition_id)"
	byHost, err := x.hostStrings(ctx, q)
	if err != nil {
		return 0, err
	}
	most := 0
	for _, vals := range byHost {
		for _, v := range vals {
			n, err := strconv.Atoi(v)
			if err != nil {
				return 0, fmt.Errorf("parts of %s: %q: %w", table, v, err)
			}
			most = max(most, n)
		}
	}
	return most, nil
}
