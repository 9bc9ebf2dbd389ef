package stream

import (
	"context"
	"errors"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace/clickhousetest"
)

var srv *clickhousetest.Server

func TestMain(m *testing.M) { os.Exit(clickhousetest.Run(m, &srv)) }

// eventsDDL is examples/analytics/datasources/events.datasource as a table.
const eventsDDL = `CREATE TABLE events (
    event_id UInt64, timestamp DateTime, session_id String, user_id String DEFAULT '',
    event_type String, pathname String, referrer String DEFAULT '', country String DEFAULT '',
    device String DEFAULT '', browser String DEFAULT '', duration_ms UInt32, revenue Float64
) ENGINE = MergeTree PARTITION BY toYYYYMM(timestamp) ORDER BY (timestamp, session_id)`

func queryUint(t *testing.T, db *clickhousetest.DB, q string) uint64 {
	t.Helper()
	n, err := strconv.ParseUint(db.QueryString(t, "SELECT toString(("+q+"))"), 10, 64)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// checkTally proves the table holds exactly the tally's confirmed rows, once each.
func checkTally(t *testing.T, db *clickhousetest.DB, tl Tally) {
	t.Helper()
	rows := queryUint(t, db, "SELECT count() FROM events WHERE "+tl.Predicate("event_id"))
	ids := queryUint(t, db, "SELECT uniqExact(event_id) FROM events WHERE "+tl.Predicate("event_id"))
	if rows != tl.Rows || ids != tl.Rows {
		t.Fatalf("table has %d rows with %d distinct confirmed ids, tally says %d (%s)", rows, ids, tl.Rows, tl)
	}
}

func TestStreamInsertsExactlyTheTally(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		db.Exec(t, eventsDDL)
		var mu sync.Mutex
		var seen []Batch
		s, err := New(db.Conn, Config{
			RowsPerSecond: 2000,
			// Long enough that a loaded machine (parallel test servers on two
			// cores) rarely stalls an insert past the forgiven backlog (4 batches).
			BatchInterval: 200 * time.Millisecond,
			OnBatch:       func(b Batch) { mu.Lock(); seen = append(seen, b); mu.Unlock() },
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		start := time.Now()
		tl, err := s.Run(ctx)
		elapsed := time.Since(start)
		if err != nil {
			t.Fatalf("run: %v", err)
		}
		checkTally(t, db, tl)
		if total := queryUint(t, db, "SELECT count() FROM events"); total != tl.Rows {
			t.Fatalf("table has %d rows, tally %d", total, tl.Rows)
		}
		// About the rate: the schedule's arithmetic is tested exactly in
		// schedule_test.go; here a loaded machine (parallel test servers) may
		// make inserts slower than the interval, and the stream forgives backlog.
		want := 2000 * elapsed.Seconds()
		if f := float64(tl.Rows); f < 0.5*want || f > 1.05*want {
			t.Fatalf("inserted %d rows in %v, want about %.0f", tl.Rows, elapsed, want)
		}
		if tl.Batches < 4 || uint64(len(seen)) != tl.Batches || len(tl.Failed) != 0 {
			t.Fatalf("batches: tally %d, callbacks %d, failed %d", tl.Batches, len(seen), len(tl.Failed))
		}
		// Batches are contiguous, numbered from 1, and each is identifiable by its id range.
		next := tl.FirstID
		for i, b := range seen {
			if b.Seq != uint64(i+1) || b.IDs.From != next || b.Err != nil {
				t.Fatalf("batch %d = %+v, want seq %d from id %d", i, b, i+1, next)
			}
			got := queryUint(t, db, "SELECT count() FROM events WHERE event_id >= "+strconv.FormatUint(b.IDs.From, 10)+" AND event_id < "+strconv.FormatUint(b.IDs.To, 10))
			if got != b.IDs.Len() {
				t.Fatalf("batch %d: %d rows stored, %d inserted", b.Seq, got, b.IDs.Len())
			}
			next = b.IDs.To
		}
		if next != tl.NextID {
			t.Fatalf("batches end at id %d, tally at %d", next, tl.NextID)
		}
	})
}

func TestStreamDistributions(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		db.Exec(t, eventsDDL)
		cfg, err := Config{}.withDefaults(time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Conn.Exec(context.Background(), InsertSQL(cfg, 1, 100_000)); err != nil {
			t.Fatal(err)
		}
		checks := []struct {
			name   string
			q      string
			lo, hi float64
		}{
			{"pageview share", "SELECT countIf(event_type = 'pageview') / count() FROM events", 0.74, 0.82},
			{"purchase share", "SELECT countIf(event_type = 'purchase') / count() FROM events", 0.03, 0.05},
			{"home page is the top page", "SELECT countIf(pathname = '/') / countIf(pathname = '/pricing') FROM events", 1.4, 2.0},
			{"late events", "SELECT countIf(timestamp < now() - 30) / count() FROM events", 0.006, 0.014},
			{"no future events", "SELECT countIf(timestamp > now() + 1) FROM events", 0, 0},
			{"sessions reused", "SELECT count() / uniqExact(session_id) FROM events", 250, 400},
			{"one country per user", "SELECT uniqExact(user_id, country) / uniqExact(user_id) FROM events", 1, 1},
			{"revenue only on purchases", "SELECT countIf(revenue > 0 AND event_type != 'purchase') FROM events", 0, 0},
			{"purchases cost money", "SELECT min(revenue) FROM events WHERE event_type = 'purchase'", 8.99, 8.99},
			{"time on page mean ~30s", "SELECT avg(duration_ms) FROM events WHERE event_type = 'pageview'", 28000, 32000},
			{"US is the top country", "SELECT countIf(country = 'US') / count() FROM events", 0.2, 0.45},
			{"ids unique", "SELECT uniqExact(event_id) - count() FROM events", 0, 0},
		}
		for _, c := range checks {
			s := db.QueryString(t, "SELECT toString(("+c.q+"))")
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("%s: %q: %v", c.name, s, err)
			}
			if v < c.lo || v > c.hi {
				t.Errorf("%s = %v, want %v..%v", c.name, v, c.lo, c.hi)
			}
		}
	})
}

func TestStreamStopsOnFailureWithExactTally(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) { // no events table: every insert fails
		s, err := New(db.Conn, Config{RowsPerSecond: 1000, BatchInterval: 20 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		tl, err := s.Run(ctx)
		if err == nil || errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("run error = %v, want the failed insert", err)
		}
		if tl.Rows != 0 || tl.Batches != 0 || len(tl.Failed) != 1 || tl.Failed[0].From != tl.FirstID || tl.NextID != tl.Failed[0].To {
			t.Fatalf("tally = %+v", tl)
		}
	})
}

func TestStreamKeepGoingExcludesFailedBatches(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		var mu sync.Mutex
		var failures, successes int
		created := make(chan struct{})
		s, err := New(db.Conn, Config{
			RowsPerSecond: 1000,
			BatchInterval: 20 * time.Millisecond,
			KeepGoing:     true,
			OnBatch: func(b Batch) {
				mu.Lock()
				defer mu.Unlock()
				if b.Err != nil {
					failures++
					if failures == 3 {
						close(created)
					}
				} else {
					successes++
				}
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		var tl Tally
		var runErr error
		go func() { tl, runErr = s.Run(ctx); close(done) }()
		<-created
		db.Exec(t, eventsDDL) // the table appears while the stream runs
		for deadline := time.Now().Add(5 * time.Second); ; {
			if live := s.Tally(); live.Batches >= 5 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("no successful batch after the table was created")
			}
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		<-done
		if runErr != nil {
			t.Fatal(runErr)
		}
		if len(tl.Failed) < 3 || tl.Rows == 0 || int(tl.Batches) != successes {
			t.Fatalf("tally = %s, callbacks: %d ok, %d failed", tl, successes, failures)
		}
		checkTally(t, db, tl)
	})
}

// lostAck stores an insert but reports it failed, once, on its nth call: a
// producer that timed out waiting for the answer.
type lostAck struct {
	conn  Execer
	nth   int
	calls int
}

func (l *lostAck) Exec(ctx context.Context, q string) error {
	l.calls++
	if err := l.conn.Exec(ctx, q); err != nil {
		return err
	}
	if l.calls == l.nth {
		return errors.New("timeout waiting for the answer")
	}
	return nil
}

// TestStreamResendsIdenticalBatches: with Retries, a batch whose insert
// failed is sent again identical; when the failed attempt had in fact
// stored its rows they are there twice, which the tally says (Retried), and
// every other row is there exactly once.
func TestStreamResendsIdenticalBatches(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		db.Exec(t, eventsDDL)
		la := &lostAck{conn: db.Conn, nth: 3}
		s, err := New(la, Config{RowsPerSecond: 1000, BatchInterval: 20 * time.Millisecond, Retries: 2})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		var tl Tally
		var runErr error
		go func() { tl, runErr = s.Run(ctx); close(done) }()
		for deadline := time.Now().Add(10 * time.Second); s.Tally().Batches < 5; {
			if time.Now().After(deadline) {
				t.Fatal("the stream did not insert 5 batches")
			}
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		<-done
		if runErr != nil {
			t.Fatal(runErr)
		}
		if len(tl.Retried) != 1 || tl.Resends != 1 || len(tl.Failed) != 0 {
			t.Fatalf("tally = %+v, want one retried batch", tl)
		}
		if got := queryUint(t, db, "SELECT count() FROM events WHERE "+tl.Predicate("event_id")); got != tl.Rows+tl.RetriedRows() {
			t.Errorf("%d rows, want %d (the retried batch twice)", got, tl.Rows+tl.RetriedRows())
		}
		if got := queryUint(t, db, "SELECT count() FROM events WHERE "+tl.ExactPredicate("event_id")); got != tl.Rows-tl.RetriedRows() {
			t.Errorf("%d rows sent once, want %d", got, tl.Rows-tl.RetriedRows())
		}
	})
}
