package apply

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace/plan"
	"github.com/perchdata/perch/workspace/progress"
)

// writer inserts batches continuously until stopped and counts the rows of
// the inserts that succeeded.
type writer struct {
	stop  chan struct{}
	wg    sync.WaitGroup
	rows  atomic.Uint64
	fails atomic.Uint64
}

func startWriter(t *testing.T, dbName string) *writer {
	t.Helper()
	conn, err := srv.Connect(dbName)
	if err != nil {
		t.Fatal(err)
	}
	w := &writer{stop: make(chan struct{})}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		defer conn.Close()
		for i := 0; ; i++ {
			select {
			case <-w.stop:
				return
			default:
			}
			q := fmt.Sprintf("INSERT INTO events SELECT now(), toString(number %% 13), 1 FROM numbers(%d)", 500+i%7)
			if err := conn.Exec(context.Background(), q); err != nil {
				if w.fails.Add(1) <= 3 {
					t.Logf("writer: %v", err)
				}
				time.Sleep(5 * time.Millisecond)
				continue
			}
			w.rows.Add(uint64(500 + i%7))
		}
	}()
	return w
}

func (w *writer) halt() { close(w.stop); w.wg.Wait() }

func TestZeroLossUnderStreaming(t *testing.T) {
	ctx := context.Background()
	c, db := openTest(t)
	if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, baseFiles())), Options{}); err != nil {
		t.Fatal(err)
	}
	w := startWriter(t, db.Name)
	time.Sleep(300 * time.Millisecond)

	// 1. Sorting key change: rebuild and swap while rows stream in.
	files := baseFiles()
	files["datasources/events.datasource"] = strings.Replace(eventsFile, `ENGINE_SORTING_KEY "timestamp"`, `ENGINE_SORTING_KEY "user_id, timestamp"`, 1)
	p := planFor(t, c, writeProject(t, files))
	if ch := p.Change("events"); ch == nil || ch.Method != plan.MethodRebuild {
		t.Fatalf("want a rebuild:\n%s", render(p))
	}
	var copied uint64
	var mu sync.Mutex
	tr := progress.NewTracker()
	planned := map[string]uint64{}
	if _, err := Apply(ctx, c, p, Options{OnEvent: func(e Event) {
		mu.Lock()
		defer mu.Unlock()
		if u, ok := e.Progress(); ok {
			tr.Observe(u)
		}
		switch e.Kind {
		case RowsCopied:
			copied += e.Rows
			if e.Rows != planned[e.Step+" "+e.Partition] {
				t.Errorf("%s partition %s: copied %d rows, %d were planned", e.Step, e.Partition, e.Rows, planned[e.Step+" "+e.Partition])
			}
		case RowsPlanned:
			planned[e.Step+" "+e.Partition] = e.Total
		}
	}}); err != nil {
		w.halt()
		t.Fatal(err)
	}
	if copied == 0 {
		t.Error("the rebuild copied no rows")
	}
	// the progress of the rebuild under the writer: every planned
	// partition finished, the rows done are the rows copied
	if o := tr.Snapshot(time.Time{}).Overall; !o.Finished || o.Done != copied || o.Total != copied || o.Partitions == 0 {
		t.Errorf("progress after the rebuild: %+v (copied %d)", o, copied)
	}

	// 2. View query change: 18.16 has no exact method, so the plan refuses it;
	// with --allow-approximate-backfill the watermark recreate runs (exact
	// here only because this writer's event times are now()).
	files["pipes/mat_per_user.pipe"] = strings.Replace(matFile, "sum(value)", "sum(value * 2)", 1)
	local := writeProject(t, files)
	if refused := planFor(t, c, local); len(refused.Errors) == 0 {
		w.halt()
		t.Fatalf("want the view change refused on 18.16 without --allow-approximate-backfill:\n%s", render(refused))
	}
	p2 := planWith(t, c, local, plan.Options{AllowApproximateBackfill: true})
	if ch := p2.Change("mat_per_user"); ch == nil || ch.Method != plan.MethodWatermark {
		w.halt()
		t.Fatalf("want a watermark recreate:\n%s", render(p2))
	}
	for _, ch := range p2.Changes {
		for i := range ch.Steps {
			if ch.Steps[i].Kind == plan.StepWatermark {
				ch.Steps[i].MarginSeconds = 2
			}
		}
	}
	if _, err := Apply(ctx, c, p2, Options{}); err != nil {
		w.halt()
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	w.halt()
	t.Logf("writer inserted %d rows (%d failed inserts)", w.rows.Load(), w.fails.Load())

	if got, want := db.QueryString(t, "SELECT toString(count()) FROM events"), fmt.Sprint(w.rows.Load()); got != want {
		t.Errorf("events has %s rows, the writer inserted %s", got, want)
	}
	if got := db.QueryString(t, "SELECT sorting_key FROM system.tables WHERE database = currentDatabase() AND name = 'events'"); got != "user_id, timestamp" {
		t.Errorf("sorting key = %q", got)
	}
	mv := db.QueryString(t, "SELECT arrayStringConcat(groupArray(concat(user_id, '=', toString(t))), ',') FROM (SELECT user_id, sum(total) AS t FROM per_user GROUP BY user_id ORDER BY user_id)")
	re := db.QueryString(t, "SELECT arrayStringConcat(groupArray(concat(user_id, '=', toString(t))), ',') FROM (SELECT user_id, sum(value * 2) AS t FROM events GROUP BY user_id ORDER BY user_id)")
	if mv != re {
		t.Errorf("materialized aggregates differ from recomputation:\n mv %s\n re %s", mv, re)
	}
	again := planFor(t, c, local)
	for _, ch := range again.Changes {
		if ch.Method != plan.MethodCleanup {
			t.Errorf("changes remain after apply:\n%s", render(again))
			break
		}
	}
}
