package branch

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/perchdata/perch/workspace/clickhousetest"
	"time"
)

// TestConcurrentWriter: while a writer keeps appending batches of events
// to the workspace, a branch copies an exact sample of the workspace as of
// one moment: no row twice, every row the workspace's, and every sampled
// row of the batches committed before that moment (a prefix of the ids,
// since the writer appends in id order), none after.
func TestConcurrentWriter(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		w := newWorkspace(t, db, 100000)
		const batch = 2000
		var (
			next    atomic.Int64
			stop    = make(chan struct{})
			wg      sync.WaitGroup
			written = make(chan int64, 1<<16)
		)
		next.Store(100000)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				from := next.Load()
				q := "INSERT INTO events SELECT number, toDateTime('2024-01-01 00:00:00') + number * 60, concat('u', toString(number % 50)), " +
					"['fr', 'de', 'us', 'br'][number % 4 + 1], number / 7, [toString(number % 3)], NULL FROM system.numbers WHERE number >= " +
					strconv.FormatInt(from, 10) + " LIMIT " + strconv.Itoa(batch)
				if err := w.db.Conn.Exec(context.Background(), q); err != nil {
					t.Error(err)
					return
				}
				next.Add(batch)
				written <- from
			}
		}()
		// Wait (bounded) until the writer is under way.
		deadline := time.Now().Add(30 * time.Second)
		for len(written) < 2 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		pct, _ := ParsePercent("30")
		w.create(t, "live", w.dir, CreateOptions{Sample: pct})
		// Let the writer commit at least two more batches after the copy, then stop it.
		after := len(written)
		for len(written) < after+2 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		close(stop)
		wg.Wait()

		b := qi(w.db.Name + "__br_live")
		hash, err := rowHash(storedColumns(mustSnapshot(t, w.db.DSN, w.db.Name).Object("events")))
		if err != nil {
			t.Fatal(err)
		}
		rows := w.count(t, "SELECT count() FROM "+b+".events")
		if uniq := w.count(t, "SELECT uniqExact(id) FROM "+b+".events"); uniq != rows {
			t.Fatalf("%d rows but %d distinct ids: a row was copied twice", rows, uniq)
		}
		if n := w.count(t, "SELECT count() FROM "+b+".events WHERE (id, ts, user, country) NOT IN (SELECT id, ts, user, country FROM events WHERE "+pct.filter(hash)+")"); n != 0 {
			t.Errorf("%d branch rows are not sampled rows of the workspace", n)
		}
		maxID := w.count(t, "SELECT max(id) FROM "+b+".events")
		want := w.count(t, "SELECT count() FROM events WHERE id <= "+strconv.FormatUint(maxID, 10)+" AND "+pct.filter(hash))
		if rows != want {
			t.Errorf("branch has %d rows, the workspace's sample up to id %d has %d: a committed row was missed", rows, maxID, want)
		}
		later := w.count(t, "SELECT count() FROM events WHERE id > "+strconv.FormatUint(maxID, 10)+" AND "+pct.filter(hash))
		if later == 0 {
			t.Errorf("the writer committed no sampled row after the copy: the test proved nothing")
		}
		t.Logf("branch %d rows up to id %d; %d sampled rows committed later", rows, maxID, later)
	})
}
