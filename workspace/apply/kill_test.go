package apply

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/plan"
	"github.com/perchdata/perch/workspace/stream"
)

// streamEventsFile is the events table the stream package writes (the
// example project's), partitioned by month.
const streamEventsFile = `SCHEMA >
    event_id UInt64,
    timestamp DateTime,
    session_id String,
    user_id String,
    event_type String,
    pathname String,
    referrer String,
    country String,
    device String,
    browser String,
    duration_ms UInt32,
    revenue Float64

ENGINE "MergeTree"
ENGINE_PARTITION_KEY "toYYYYMM(timestamp)"
ENGINE_SORTING_KEY "timestamp, session_id"
`

const salesFile = `SCHEMA >
    date Date,
    country String,
    orders UInt64,
    revenue Float64

ENGINE "SummingMergeTree"
ENGINE_SORTING_KEY "date, country"
`

const salesPipe = `NODE daily
SQL >
    SELECT toDate(timestamp) AS date, country, count() AS orders, sum(revenue) AS revenue
    FROM events
    WHERE event_type = 'purchase'
    GROUP BY date, country
TYPE materialized
DATASOURCE sales_daily
`

// revenuePipe reads sales_daily; its column "orders" is not a table.
const revenuePipe = `NODE e
SQL >
    SELECT country, sum(orders) AS orders FROM sales_daily GROUP BY country
TYPE endpoint
`

func streamFiles() map[string]string {
	return map[string]string{
		"datasources/events.datasource":      streamEventsFile,
		"datasources/sales_daily.datasource": salesFile,
		"pipes/sales.pipe":                   salesPipe,
		"endpoints/revenue.pipe":             revenuePipe,
	}
}

// rebuiltFiles changes the sorting key of events: a rebuild and swap.
func rebuiltFiles() map[string]string {
	f := streamFiles()
	f["datasources/events.datasource"] = strings.Replace(streamEventsFile, `"timestamp, session_id"`, `"session_id, timestamp"`, 1)
	return f
}

// writeDir writes datafiles into a new folder and returns it.
func writeDir(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func loadDir(t testing.TB, dir string) *datafiles.Project {
	t.Helper()
	p, err := datafiles.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// initialRows are inserted before each scenario, over four monthly partitions.
const initialRows = 3000

const initialInsert = "INSERT INTO events (event_id, timestamp, session_id, user_id, event_type, pathname, referrer, country, device, browser, duration_ms, revenue) " +
	"SELECT number + 1, toDateTime('2026-01-01 00:00:00') + number * 3600, concat('s', toString(number % 50)), concat('u', toString(number % 40)), " +
	"if(number % 5 = 0, 'purchase', 'pageview'), '/', '', arrayElement(['US', 'DE', 'FR'], number % 3 + 1), 'mobile', 'Chrome', 10, if(number % 5 = 0, 9., 0.) FROM numbers(3000)"

// producer streams events like a real one: ~2,000 rows/s, and a failed
// insert is resent identical (up to 3 times).
type producer struct {
	s      *stream.Streamer
	cancel context.CancelFunc
	done   chan struct{}
	tally  stream.Tally
	err    error
}

func startProducer(t *testing.T, db *clickhousetest.DB) *producer {
	t.Helper()
	conn, err := srv.ConnectOn(context.Background(), db.Kind, db.Name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := stream.New(conn, stream.Config{RowsPerSecond: 2000, BatchInterval: 200 * time.Millisecond, Retries: 3, KeepGoing: true, LateFraction: -1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &producer{s: s, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		defer conn.Close()
		p.tally, p.err = s.Run(ctx)
	}()
	t.Cleanup(p.stop)
	// Wait for the first batches, so traffic runs through the whole apply.
	for deadline := time.Now().Add(10 * time.Second); s.Tally().Batches < 2; {
		if time.Now().After(deadline) {
			t.Fatal("the producer inserted nothing")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return p
}

func (p *producer) stop() {
	p.cancel()
	<-p.done
}

// checkRows proves nothing acknowledged was lost or doubled: every
// confirmed event id is in events, rows of batches sent once are there
// exactly once, and the initial and extra rows are all there once.
func checkRows(t *testing.T, db *clickhousetest.DB, tl stream.Tally, extra uint64) {
	t.Helper()
	if got := db.QueryString(t, "SELECT toString(uniqExact(event_id)) FROM events WHERE "+tl.Predicate("event_id")); got != fmt.Sprint(tl.Rows) {
		t.Errorf("events holds %s of the %d confirmed streamed ids (%s)", got, tl.Rows, tl)
	}
	if got, want := db.QueryString(t, "SELECT toString(count()) FROM events WHERE "+tl.ExactPredicate("event_id")), fmt.Sprint(tl.Rows-tl.RetriedRows()); got != want {
		t.Errorf("events holds %s rows of the batches sent once, want %s (%s)", got, want, tl)
	}
	if got, want := db.QueryString(t, "SELECT toString(count()) FROM events WHERE event_id <= 100000"), fmt.Sprint(initialRows+extra); got != want {
		t.Errorf("events holds %s initial and extra rows, want %s", got, want)
	}
	if tl.Resends > 0 || len(tl.Failed) > 0 {
		t.Errorf("inserts failed while perch worked: %s", tl)
	}
}

// checkView proves the view's target equals a recomputation from events:
// per country the same count of purchases (each row counted once) and the
// same revenue (up to float rounding: sums of floats added in another order).
func checkView(t *testing.T, db *clickhousetest.DB) {
	t.Helper()
	if msg := viewMismatch(t, db); msg != "" {
		t.Error(msg)
	}
}

// viewMismatch is how sales_daily differs from a recomputation from events
// ("" when it does not).
func viewMismatch(t *testing.T, db *clickhousetest.DB) string {
	t.Helper()
	q := "SELECT toString(count()) FROM (SELECT country, sum(orders) AS o, sum(revenue) AS r FROM sales_daily GROUP BY country) AS v " +
		"FULL OUTER JOIN (SELECT country, count() AS o2, sum(revenue) AS r2 FROM events WHERE event_type = 'purchase' GROUP BY country) AS e USING country " +
		"WHERE o != o2 OR abs(r - r2) > 1e-6 * greatest(1, abs(r2))"
	if n := db.QueryString(t, q); n != "0" {
		mv := db.QueryString(t, "SELECT arrayStringConcat(groupArray(concat(country, '=', toString(o), '/', toString(r))), ',') FROM (SELECT country, sum(orders) AS o, sum(revenue) AS r FROM sales_daily GROUP BY country ORDER BY country)")
		re := db.QueryString(t, "SELECT arrayStringConcat(groupArray(concat(country, '=', toString(o), '/', toString(r))), ',') FROM (SELECT country, count() AS o, sum(revenue) AS r FROM events WHERE event_type = 'purchase' GROUP BY country ORDER BY country)")
		return fmt.Sprintf("sales_daily differs from a recomputation from events in %s countries:\n view %s\n recomputed %s", n, mv, re)
	}
	return ""
}

// mergesStopped reports whether merges are stopped on table: OPTIMIZE
// FINAL is then cancelled.
func mergesStopped(t *testing.T, db *clickhousetest.DB, table string) bool {
	t.Helper()
	err := db.Conn.Exec(context.Background(), "OPTIMIZE TABLE "+table+" FINAL")
	if err != nil && strings.Contains(err.Error(), "Cancelled merging") {
		return true
	}
	if err != nil {
		t.Fatalf("optimize %s: %v", table, err)
	}
	return false
}

// killPoint is where a perch apply is SIGKILLed: at the nth statement
// containing match, either before it reaches the server (lost) or just after
// (the server runs it to its end with perch already dead).
type killPoint struct {
	name  string
	match string
	nth   int
	// after: the kill is armed only after a statement containing it.
	after string
	lost  bool
	// stopped names the live table whose merges are stopped at the kill.
	stopped bool
	// journaled: the apply journal exists at the kill (status reports it).
	journaled bool
}

// killPoints covers every step of a rebuild and swap, from the journal's
// first row to its last; {db} stands for the database.
func killPoints() []killPoint {
	// Statements perch runs are tagged "/* perch deployment ID */ SQL": the
	// "*/ " prefix matches a statement, not the plan text in the journal.
	q := func(s string) string { return "`{db}`.`" + s + "`" }
	st := func(s string) string { return "*/ " + s }
	return []killPoint{
		{name: "before the journal", match: "'start', 'running'", lost: true},
		{name: "prepare ran", match: st("CREATE TABLE " + q("events__new")), journaled: true},
		{name: "stop merges ran", match: st("SYSTEM STOP MERGES " + q("events")), stopped: true, journaled: true},
		{name: "first copy ran", match: st("INSERT INTO " + q("events__new")), stopped: true, journaled: true},
		{name: "second copy lost", match: st("INSERT INTO " + q("events__new")), nth: 2, lost: true, stopped: true, journaled: true},
		{name: "drop old backup", match: `"step":"drop-old-backup"`, stopped: true, journaled: true},
		{name: "flow check", match: "_perch_scratch_", after: `"step":"check-flow-new"`, stopped: true, journaled: true},
		{name: "swap ran", match: st("RENAME TABLE " + q("events") + " TO"), journaled: true},
		{name: "swap lost", match: st("RENAME TABLE " + q("events") + " TO"), lost: true, stopped: true, journaled: true},
		{name: "drain", match: `"step":"drain"`, journaled: true},
		{name: "tail stage ran", match: st("CREATE TABLE " + q("events__stage")), journaled: true},
		{name: "tail copy ran", match: st("INSERT INTO " + q("events__stage")), journaled: true},
		{name: "tail attach ran", match: st("ALTER TABLE " + q("events") + " ATTACH PARTITION"), journaled: true},
		{name: "tail attach lost", match: st("ALTER TABLE " + q("events") + " ATTACH PARTITION"), lost: true, journaled: true},
		{name: "row check", match: `"step":"check-rows"`, journaled: true},
		{name: "flow check after the swap", match: `"step":"check-flow",`, journaled: true},
		{name: "journal done", match: "'state', 'done'"},
	}
}

// TestKillApplyAtEveryStep SIGKILLs a real `perch apply` process at every
// step of a sorting-key rebuild while a producer streams ~2,000 rows/s
// (resending failed batches identical), then checks what the issue asks:
// the next command (perch status) reports the interrupted apply and
// restores ingestion (merges restarted), the killed deployment is in the
// history as interrupted, `perch apply` finishes or rolls back and then
// applies, and no acknowledged row is lost or doubled (the view included).
// It runs on the ClickHouse server only: the embedded engine lives inside
// one process, so no second process can be killed beside it.
func TestKillApplyAtEveryStep(t *testing.T) {
	perchBinary(t)
	for _, kp := range killPoints() {
		t.Run(kp.name, func(t *testing.T) { runKill(t, kp) })
	}
}

func runKill(t *testing.T, kp killPoint) {
	ctx := context.Background()
	c, db := openTest(t)
	base := writeDir(t, streamFiles())
	if _, err := Apply(ctx, c, planFor(t, c, loadDir(t, base)), Options{}); err != nil {
		t.Fatal(err)
	}
	db.Exec(t, initialInsert)
	prod := startProducer(t, db)
	kp.match = strings.ReplaceAll(kp.match, "{db}", db.Name)
	if kp.nth == 0 {
		kp.nth = 1
	}

	dir := writeDir(t, rebuiltFiles())
	cmd, stdout, stderr := perchCmd(t, ctx, "apply", dir, "--auto-approve", "--dsn", "PLACEHOLDER")
	// A batch inserted just before the swap reaches the old table after the
	// last copy: there is always a tail to copy.
	var extra uint64
	tail := &hook{match: "RENAME TABLE `" + db.Name + "`.`events` TO", nth: 1, before: func() {
		db.Exec(t, "INSERT INTO events (event_id, timestamp, session_id, user_id, event_type, pathname, referrer, country, device, browser, duration_ms, revenue) "+
			"SELECT 50001 + number, now(), 'tail', 'tail', 'purchase', '/', '', 'US', 'mobile', 'Chrome', 1, 1. FROM numbers(100)")
		extra = 100
	}}
	tail.match = "*/ " + tail.match
	kill := &hook{match: kp.match, nth: kp.nth, drop: kp.lost, kill: true}
	hooks := []*hook{kill, tail}
	if kp.after != "" {
		kill.after = &hook{match: kp.after, nth: 1}
		hooks = append(hooks, kill.after)
	}
	if kp.match == tail.match {
		kill.before = tail.before
		hooks = []*hook{kill}
	}
	px := startKillProxy(t, srv.Addr(), func() { _ = cmd.Process.Signal(syscall.SIGKILL) }, hooks...)
	cmd.Args[len(cmd.Args)-1] = strings.Replace(db.DSN, srv.Addr(), px.Addr(), 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitErr := cmd.Wait()
	select {
	case <-px.Killed():
	default:
		t.Fatalf("perch was never killed at %q (exit %v):\n%s\n%s", kp.match, waitErr, stdout, stderr)
	}
	if testing.Verbose() {
		t.Logf("killed perch apply:\n%s%s", stdout, stderr)
	}
	if kp.stopped {
		// The statement forwarded just before the kill may still be on its
		// way to the server: poll (OPTIMIZE is harmless before it lands).
		stopped := false
		for deadline := time.Now().Add(30 * time.Second); !stopped && time.Now().Before(deadline); {
			if stopped = mergesStopped(t, db, "events"); !stopped {
				time.Sleep(50 * time.Millisecond)
			}
		}
		if !stopped {
			t.Errorf("merges on events were not stopped at the kill: the case is not the one tested")
		}
	}

	// The next command reports the interrupted apply and restores ingestion.
	out, errOut, err := runPerch(t, "status", dir, "--dsn", db.DSN)
	if err != nil {
		t.Fatalf("perch status: %v\n%s\n%s", err, out, errOut)
	}
	if testing.Verbose() {
		t.Logf("perch status:\n%s", out)
	}
	if kp.journaled && !strings.Contains(out, "was interrupted at") {
		t.Errorf("perch status does not report the interrupted apply:\n%s", out)
	}
	if !kp.journaled && !strings.Contains(out, "took over the lock") && !strings.Contains(out, "interrupted") {
		t.Errorf("perch status does not report the dead holder's lock:\n%s", out)
	}
	if mergesStopped(t, db, "events") {
		t.Errorf("merges on events are still stopped after perch status:\n%s", out)
	}
	if kp.journaled {
		if !historyHas(t, c, workspace.OutcomeInterrupted) {
			t.Errorf("the killed deployment is not in the history as interrupted")
		}
	}

	// perch apply finishes (or rolls back) the interrupted apply, then applies.
	out, errOut, err = runPerch(t, "apply", dir, "--auto-approve", "--dsn", db.DSN)
	if err != nil {
		t.Fatalf("perch apply after the kill: %v\n%s\n%s", err, out, errOut)
	}
	if testing.Verbose() {
		t.Logf("perch apply:\n%s", out)
	}
	if kp.journaled && !strings.Contains(out, "interrupted apply:") {
		t.Errorf("perch apply does not say what it did with the interrupted apply:\n%s", out)
	}
	prod.stop()
	checkRows(t, db, prod.tally, extra)
	checkView(t, db)
	if got := db.QueryString(t, "SELECT sorting_key FROM system.tables WHERE database = currentDatabase() AND name = 'events'"); got != "session_id, timestamp" {
		t.Errorf("sorting key = %q", got)
	}
	again := planFor(t, c, loadDir(t, dir))
	for _, ch := range again.Changes {
		if ch.Method != plan.MethodCleanup || ch.Destructive {
			t.Errorf("after the re-apply the plan still has %s (destructive %v):\n%s", ch.ID, ch.Destructive, render(again))
		}
	}
	if n := db.QueryString(t, "SELECT toString(count()) FROM system.tables WHERE database = currentDatabase() AND (endsWith(name, '__new') OR endsWith(name, '__stage') OR name LIKE '_perch_apply_lock%')"); n != "0" {
		t.Errorf("%s leftover tables or locks remain", n)
	}
}

func historyHas(t *testing.T, c *workspace.Client, o workspace.Outcome) bool {
	t.Helper()
	ds, err := c.History(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Outcome == o {
			return true
		}
	}
	return false
}
