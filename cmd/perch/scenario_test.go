package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/plan"
)

// copyExample copies the example project's datafiles (not its Go tests) into
// a fresh folder the test may edit.
func copyExample(t *testing.T) string {
	t.Helper()
	src := filepath.Join("..", "..", "examples", "analytics")
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if strings.HasSuffix(path, ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// syncBuffer is a bytes.Buffer safe for a command writing in a goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestGuidedScenarioSortingKeyUnderLiveTraffic is the README's guided
// scenario: with the demo streaming events, change the sorting key of
// `events`, plan, apply, and prove that no streamed event was lost.
func TestGuidedScenarioSortingKeyUnderLiveTraffic(t *testing.T) {
	srv := demoServer(t)
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		dir := copyExample(t)
		target := []string{"--dsn", db.DSN}

		// 1. The demo deploys the example and streams in the background.
		var demoOut, demoErr syncBuffer
		demoEnv := &env{stdout: &demoOut, stderr: &demoErr, getenv: func(string) string { return "" }}
		demoCtx, stopDemo := context.WithCancel(context.Background())
		defer stopDemo()
		demoCode := make(chan int, 1)
		go func() {
			demoCode <- run(demoCtx, demoEnv, append([]string{"demo", dir, "--no-tui", "--rate", "500", "--interval", "100ms"}, target...))
		}()
		waitFor(t, 10*time.Second, func() bool {
			return strings.Contains(demoOut.String(), "streaming") &&
				db.QueryString(t, "SELECT toString(count() > 0) FROM system.tables WHERE database = currentDatabase() AND name = 'events'") == "1" &&
				db.QueryString(t, "SELECT toString(count() >= 500) FROM events") == "1"
		}, "the demo to stream events")

		// 2. Change the sorting key.
		file := filepath.Join(dir, "datasources", "events.datasource")
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		edited := strings.Replace(string(src), `ENGINE_SORTING_KEY "timestamp, session_id"`, `ENGINE_SORTING_KEY "event_type, pathname, timestamp"`, 1)
		if edited == string(src) {
			t.Fatal("the example's sorting key line changed: update the scenario and the README")
		}
		if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}

		// 3-4. Plan (changes pending, on events) and apply while events stream.
		applyOut := planAndApply(t, dir, target)
		if got := db.QueryString(t, "SELECT sorting_key FROM system.tables WHERE database = currentDatabase() AND name = 'events'"); got != "event_type, pathname, timestamp" {
			t.Fatalf("events sorting key after apply: %q", got)
		}
		time.Sleep(500 * time.Millisecond) // the stream goes on into the new table

		// 5. Stop the demo: it checks every streamed event is stored exactly once.
		stopDemo()
		if code := <-demoCode; code != exitOK || !strings.Contains(demoOut.String(), "no event lost") {
			t.Fatalf("demo: exit %d\nstdout:\n%s\nstderr:\n%s\nwhere the streamed ids are:\n%s\nthe apply said:\n%s", code, demoOut.String(), demoErr.String(), whereAreTheEvents(t, db, demoOut.String()), applyOut)
		}

		// 6. Nothing is left to do.
		// (The old table may be kept as events__old for revert, for a later deploy to drop.)
		pl := planLibrary(t, dir, db.DSN)
		for _, ch := range pl.Changes {
			if ch.Method != plan.MethodCleanup || ch.Resource != "events__old" {
				var b bytes.Buffer
				_ = plan.Render(&b, pl, plan.RenderOptions{})
				t.Fatalf("plan after apply: want no change but the backup cleanup, got:\n%s", b.String())
			}
		}

		// 7. The next demo (dropping that backup, if any) streams again and still loses nothing.
		var out, errb syncBuffer
		e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
		ctx, cancel := context.WithCancel(context.Background())
		exit := make(chan int, 1)
		go func() {
			exit <- run(ctx, e, append([]string{"demo", dir, "--no-tui", "--rate", "500", "--interval", "100ms"}, target...))
		}()
		waitFor(t, 30*time.Second, func() bool { return strings.Contains(out.String(), "streaming") }, "the second stream to start")
		time.Sleep(500 * time.Millisecond)
		cancel()
		if code := <-exit; code != exitOK || !strings.Contains(out.String(), "no event lost") {
			t.Fatalf("second demo: exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
		}
		if pl := planLibrary(t, dir, db.DSN); !pl.Empty() {
			var b bytes.Buffer
			_ = plan.Render(&b, pl, plan.RenderOptions{})
			t.Fatalf("plan after the second demo is not empty:\n%s", b.String())
		}
	})
}

// planAndApply runs `perch plan --detailed-exitcode` (changes pending, on
// events) and `perch apply --auto-approve`, and returns what apply printed.
func planAndApply(t *testing.T, dir string, target []string) string {
	t.Helper()
	e, out, errb := testEnv()
	code := run(context.Background(), e, append([]string{"plan", dir, "--detailed-exitcode"}, target...))
	if code != exitChanges || !strings.Contains(out.String(), "events") {
		t.Fatalf("plan: exit %d, want %d with events in it\nstdout:\n%s\nstderr:\n%s", code, exitChanges, out, errb)
	}
	e, out, errb = testEnv()
	if code := run(context.Background(), e, append([]string{"apply", dir, "--auto-approve"}, target...)); code != exitOK {
		t.Fatalf("apply: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errb)
	}
	return out.String()
}

func openLibrary(t *testing.T, dir, dsn string) *workspace.Client {
	t.Helper()
	tg, err := workspace.ResolveTarget(dir, workspace.Selection{DSN: dsn}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	c, err := workspace.Open(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func planLibrary(t *testing.T, dir, dsn string) *plan.Plan {
	t.Helper()
	p, err := datafiles.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := plan.Compute(context.Background(), openLibrary(t, dir, dsn), p)
	if err != nil {
		t.Fatal(err)
	}
	return pl
}

var idRangeRE = regexp.MustCompile(`event_id in \[(\d+), (\d+)\)`)

// whereAreTheEvents counts, in every table of the database with an event_id
// column, the rows whose id is in the stream's range: a diagnosis for a loss.
func whereAreTheEvents(t *testing.T, db *clickhousetest.DB, demoOut string) string {
	m := idRangeRE.FindStringSubmatch(demoOut)
	if m == nil {
		return "(no id range in the demo's output)"
	}
	var b strings.Builder
	rows, err := db.Conn.Query(context.Background(), "SELECT table FROM system.columns WHERE database = currentDatabase() AND name = 'event_id'")
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			return err.Error()
		}
		n := db.QueryString(t, "SELECT toString(count()) || ' rows, ' || toString(uniqExact(event_id)) || ' ids' FROM `"+table+"` WHERE event_id >= "+m[1]+" AND event_id < "+m[2])
		fmt.Fprintf(&b, "  %s: %s\n", table, n)
	}
	// The ids in no table, as offsets from the first id (batches are contiguous).
	from, _ := strconv.ParseUint(m[1], 10, 64)
	to, _ := strconv.ParseUint(m[2], 10, 64)
	q := "SELECT toString(groupArray((lo, hi))) FROM (SELECT min(o) AS lo, max(o) AS hi FROM (SELECT number AS o, intDiv(number, 50) AS g FROM numbers(" + strconv.FormatUint(to-from, 10) + ")" +
		" WHERE toUInt64(number) + toUInt64(" + m[1] + ") NOT IN (SELECT event_id FROM events)) GROUP BY g ORDER BY lo)"
	fmt.Fprintf(&b, "  missing from events (offsets from the first id, by 50): %s\n", db.QueryString(t, q))
	return b.String()
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t *testing.T, timeout time.Duration, cond func() bool, what string) {
	t.Helper()
	for deadline := time.Now().Add(timeout); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
