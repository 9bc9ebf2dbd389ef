package apply

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clustertest"
	"github.com/perchdata/perch/workspace/engine"
	"github.com/perchdata/perch/workspace/plan"
)

// Cluster tests: a real ZooKeeper and three 18.16 servers (clustertest).
// Only the server runs clusters (the embedded engine is one process), so
// these tests do not use srv.ForEach.

const clusterEvents = `SCHEMA >
    timestamp DateTime,
    user_id String,
    value UInt64

ENGINE "MergeTree"
ENGINE_PARTITION_KEY "toYYYYMM(timestamp)"
ENGINE_SORTING_KEY "user_id, value"
`

const clusterTotals = `SCHEMA >
    user_id String,
    total UInt64

ENGINE "SummingMergeTree"
ENGINE_SORTING_KEY "user_id"
`

const clusterMat = `NODE m
SQL >
    SELECT user_id, toUInt64(sum(value)) AS total FROM events GROUP BY user_id
TYPE materialized
DATASOURCE totals
`

func clusterFiles() map[string]string {
	return map[string]string{
		"datasources/events.datasource": clusterEvents,
		"datasources/totals.datasource": clusterTotals,
	}
}

// clusterFilesWithView adds a materialized view from events into totals.
func clusterFilesWithView() map[string]string {
	f := clusterFiles()
	f["pipes/mat_totals.pipe"] = clusterMat
	return f
}

// openCluster is a perch client of db on node 0 with cluster name.
func openCluster(t testing.TB, db *clustertest.DB, name string) *workspace.Client {
	t.Helper()
	c, err := workspace.Open(context.Background(), workspace.Target{Name: "cluster", DSN: db.DSN(0), Database: db.Name, Cluster: name, Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// nodesOf are the node indexes of a test cluster.
func nodesOf(name string) []int {
	if name == clustertest.Sharded {
		return []int{0, 1, 2}
	}
	return []int{0, 1}
}

// A project deployed to a cluster target creates Replicated* tables on
// every host (ON CLUSTER, each table its own ZooKeeper path), replicates
// rows, and plans clean afterwards: the engines read back as their family.
func TestClusterDeployPlansClean(t *testing.T) {
	for _, name := range []string{clustertest.Replicated, clustertest.Sharded} {
		t.Run(name, func(t *testing.T) {
			cl := cluster.Get(t)
			db := cl.NewDatabase(t)
			c := openCluster(t, db, name)
			ctx := context.Background()
			local := writeProject(t, clusterFilesWithView())
			p := planFor(t, c, local)
			if len(p.Errors) > 0 || p.Empty() {
				t.Fatalf("want creates, got:\n%s", render(p))
			}
			for _, s := range p.Change("events").Steps {
				if !strings.HasPrefix(s.Hosts, "ON CLUSTER "+name+": ") || strings.Count(s.Hosts, "127.0.0.1:") != len(nodesOf(name)) {
					t.Errorf("step %s says it runs on %q, want every host of %s", s.ID, s.Hosts, name)
				}
			}
			if _, err := Apply(ctx, c, p, Options{}); err != nil {
				t.Fatal(err)
			}
			for _, i := range nodesOf(name) {
				got := db.QueryString(t, i, "SELECT arrayStringConcat(groupArray(concat(name, ':', engine)), ' ') FROM (SELECT name, engine FROM system.tables WHERE database = currentDatabase() AND NOT startsWith(name, '_perch') ORDER BY name)")
				if got != "events:ReplicatedMergeTree mat_totals:MaterializedView totals:ReplicatedSummingMergeTree" {
					t.Errorf("n%d tables: %s", i, got)
				}
				path := db.QueryString(t, i, "SELECT zookeeper_path FROM system.replicas WHERE database = currentDatabase() AND table = 'events'")
				want := fmt.Sprintf("/clickhouse/tables/%s/%s/events", cl.Nodes[i].Macros["shard"], db.Name)
				if path != want {
					t.Errorf("n%d zookeeper path %s, want %s", i, path, want)
				}
			}
			again := planFor(t, c, local)
			if !again.Empty() || len(again.Errors) > 0 {
				t.Fatalf("an unchanged project must plan clean on a cluster:\n%s", render(again))
			}
			db.Exec(t, 0, "INSERT INTO events SELECT now(), 'u', number FROM numbers(100)")
			db.SyncReplica(t, 1, "events")
			if got := db.QueryString(t, 1, "SELECT toString(count()) FROM events"); got != "100" {
				t.Fatalf("replica n1 has %s rows, want 100", got)
			}
			// The view fired on n0, and its rows replicate like any insert.
			db.SyncReplica(t, 1, "totals")
			if got := db.QueryString(t, 1, "SELECT toString(sum(total)) FROM totals"); got != "4950" {
				t.Fatalf("totals on n1 sums to %s, want 4950 (the view's rows, replicated)", got)
			}
		})
	}
}

// clusterWriter streams batches of 100 rows into events while a test
// changes it: in turn straight into replica n0, into replica n1, and
// through a Distributed table over the cluster. A failed insert is retried
// with the same rows (replicated tables drop a block they already have),
// so every batch lands exactly once. Batch k holds values k*100..k*100+99.
type clusterWriter struct {
	t       testing.TB
	mu      sync.Mutex
	conns   []engine.Conn
	targets []string
	acked   atomic.Int64
	retries atomic.Int64
	// failed are the batches an insert of which failed before one landed
	// (guarded by mu).
	failed []int64
	// patience is how many times a batch is tried (100 ms apart) before
	// the writer gives up; 300 unless a test needs a replica down longer.
	patience atomic.Int64
	stop     chan struct{}
	done     chan error
}

func startClusterWriter(t testing.TB, db *clustertest.DB, name string) *clusterWriter {
	t.Helper()
	dist := db.Name + "_w"
	db.Exec(t, 0, "CREATE DATABASE "+dist,
		"CREATE TABLE "+dist+".events_all (timestamp DateTime, user_id String, value UInt64) ENGINE = Distributed("+name+", "+db.Name+", events, rand())")
	t.Cleanup(func() { db.Exec(t, 0, "DROP DATABASE IF EXISTS "+dist) })
	w := &clusterWriter{t: t, conns: []engine.Conn{db.Conns[0], db.Conns[1], db.Conns[0]},
		targets: []string{db.Name + ".events", db.Name + ".events", dist + ".events_all"},
		stop:    make(chan struct{}), done: make(chan error, 1)}
	w.patience.Store(300)
	go w.run()
	return w
}

func (w *clusterWriter) run() {
	ctx := engine.WithSettings(context.Background(), engine.Settings{"insert_distributed_sync": 1})
	for k := int64(0); ; k++ {
		select {
		case <-w.stop:
			w.done <- nil
			return
		default:
		}
		i := int(k % int64(len(w.targets)))
		q := fmt.Sprintf("INSERT INTO %s (timestamp, user_id, value) SELECT toDateTime(1700000000 + %d), concat('u', toString(number %% 7)), number + %d FROM numbers(100)",
			w.targets[i], k, k*100)
		var err error
		for attempt := int64(0); attempt < w.patience.Load(); attempt++ {
			w.mu.Lock()
			conn := w.conns[i]
			w.mu.Unlock()
			if err = conn.Exec(ctx, q); err == nil {
				break
			}
			w.retries.Add(1)
			if attempt == 0 {
				w.mu.Lock()
				w.failed = append(w.failed, k)
				w.mu.Unlock()
			}
			time.Sleep(100 * time.Millisecond)
		}
		if err != nil {
			w.done <- fmt.Errorf("batch %d into %s: %w", k, w.targets[i], err)
			return
		}
		w.acked.Add(1)
		time.Sleep(5 * time.Millisecond)
	}
}

// reconnect points the writer at db's connections again (after nodes
// restarted and the test replaced them).
func (w *clusterWriter) reconnect(db *clustertest.DB) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.conns = []engine.Conn{db.Conns[0], db.Conns[1], db.Conns[0]}
}

// finish stops the writer after at least more batches and returns how many
// batches landed.
func (w *clusterWriter) finish(more int64) int64 {
	w.t.Helper()
	for start := w.acked.Load(); w.acked.Load() < start+more; {
		select {
		case err := <-w.done:
			w.t.Fatalf("writer: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	close(w.stop)
	if err := <-w.done; err != nil {
		w.t.Fatalf("writer: %v", err)
	}
	return w.acked.Load()
}

// checkExactOn is checkExact on every replica of cluster name, or
// checkExactSharded on the two-shard cluster (a replica there holds its
// shard's rows only).
func checkExactOn(t testing.TB, db *clustertest.DB, name string, batches int64) {
	t.Helper()
	if name == clustertest.Sharded {
		checkExactSharded(t, db, batches)
		return
	}
	checkExact(t, db, nodesOf(name), batches)
}

// dupBase is where the values of rows a test adds besides the writer's
// batches start; checkExact ignores them.
const dupBase = "1000000000"

// checkExact fails t unless every replica of events holds exactly the
// batches' rows: each value 0..batches*100-1 once (values from dupBase up
// are a test's own).
func checkExact(t testing.TB, db *clustertest.DB, nodes []int, batches int64) {
	t.Helper()
	want := fmt.Sprintf("%d %d %d", batches*100, batches*100, batches*100-1)
	for _, i := range nodes {
		// SYSTEM SYNC REPLICA waits for the queue it sees; a log entry not
		// pulled into the queue yet is not waited for, so poll a little.
		var got string
		for deadline := time.Now().Add(60 * time.Second); ; {
			// Bounded: after ZooKeeper restarts an 18.16 replica's SYNC can
			// block for minutes on an entry it retries; the counts decide.
			sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			if err := db.Conns[i].Exec(sctx, "SYSTEM SYNC REPLICA "+db.Name+".events"); err != nil {
				t.Logf("n%d: SYSTEM SYNC REPLICA events: %v", i, err)
			}
			cancel()
			got = db.QueryString(t, i, "SELECT concat(toString(count()), ' ', toString(uniqExact(value)), ' ', toString(max(value))) FROM events WHERE value < "+dupBase)
			if got == want || time.Now().After(deadline) {
				break
			}
			time.Sleep(500 * time.Millisecond)
		}
		if got != want {
			missing := db.QueryString(t, i, fmt.Sprintf("SELECT toString(groupArray(k)) FROM (SELECT number AS k FROM numbers(%d)) WHERE k NOT IN (SELECT DISTINCT intDiv(value, 100) FROM events WHERE value < %s)", batches, dupBase))
			t.Errorf("replica n%d: rows, distinct values, max = %s, want %s (every acknowledged row exactly once); batches missing: %s (batch k went to target k%%3: n0, n1, Distributed)", i, got, want, missing)
		}
	}
}

// Add, modify and drop a column ON CLUSTER while a writer streams into both
// replicas and through a Distributed table: each change runs on every host,
// plans clean after, and every replica holds every row exactly once.
func TestClusterAlterColumnsUnderStreaming(t *testing.T) {
	cl := cluster.Get(t)
	db := cl.NewDatabase(t)
	name := clustertest.Replicated
	c := openCluster(t, db, name)
	ctx := context.Background()
	files := clusterFiles()
	if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, files)), Options{}); err != nil {
		t.Fatal(err)
	}
	w := startClusterWriter(t, db, name)
	steps := []struct {
		name, from, to string
		destructive    bool
		columns        string // the columns of events on every host after
	}{
		{"add column", "value UInt64\n", "value UInt64,\n    n UInt32 DEFAULT 7\n", false, "timestamp DateTime, user_id String, value UInt64, n UInt32"},
		{"modify column", "n UInt32 DEFAULT 7", "n UInt32 DEFAULT 8", false, "timestamp DateTime, user_id String, value UInt64, n UInt32"},
		{"drop column", "value UInt64,\n    n UInt32 DEFAULT 8\n", "value UInt64\n", true, "timestamp DateTime, user_id String, value UInt64"},
	}
	for _, st := range steps {
		before := w.acked.Load()
		files["datasources/events.datasource"] = strings.Replace(files["datasources/events.datasource"], st.from, st.to, 1)
		local := writeProject(t, files)
		p := planFor(t, c, local)
		ch := p.Change("events")
		if len(p.Errors) > 0 || ch == nil || ch.Method != plan.MethodAlter {
			t.Fatalf("%s: want an alter in place:\n%s", st.name, render(p))
		}
		if _, err := Apply(ctx, c, p, Options{AllowDestructive: st.destructive}); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		for _, i := range nodesOf(name) {
			got := db.QueryString(t, i, "SELECT arrayStringConcat(groupArray(concat(name, ' ', type)), ', ') FROM system.columns WHERE database = currentDatabase() AND table = 'events'")
			if got != st.columns {
				t.Errorf("%s: n%d columns %s, want %s", st.name, i, got, st.columns)
			}
		}
		if again := planFor(t, c, local); !again.Empty() {
			for _, s := range ch.Steps {
				t.Logf("ran %v", s.SQL)
			}
			for _, i := range nodesOf(name) {
				t.Logf("n%d: %s", i, db.QueryString(t, i, "SELECT arrayStringConcat(groupArray(concat(name, ' ', type, ' ', default_kind, ' ', default_expression, ' ', comment)), ', ') FROM system.columns WHERE database = currentDatabase() AND table = 'events'"))
			}
			t.Fatalf("%s: plans dirty after apply:\n%s", st.name, render(again))
		}
		if w.acked.Load() == before {
			t.Logf("%s: no batch landed during the change", st.name)
		}
	}
	batches := w.finish(5)
	t.Logf("%d batches of 100 rows, %d retried inserts", batches, w.retries.Load())
	checkExact(t, db, nodesOf(name), batches)
}

// A rebuild and swap of a replicated table, twice (a new sorting key, then
// back: the second new table needs a ZooKeeper path of its own), on a
// one-shard cluster and on two shards (each shard's rows copied on one of
// its replicas), while a writer streams into both replicas of shard 1 and
// through a Distributed table and a view reads the table: every replica
// holds every row of its shard exactly once (and the Distributed table
// every row), the view's target equals a recomputation on every replica,
// merges run again on every host, and the project plans clean.
func TestClusterRebuildUnderStreaming(t *testing.T) {
	for _, name := range []string{clustertest.Replicated, clustertest.Sharded} {
		t.Run(name, func(t *testing.T) { rebuildUnderStreaming(t, name) })
	}
}

func rebuildUnderStreaming(t *testing.T, name string) {
	cl := cluster.Get(t)
	db := cl.NewDatabase(t)
	c := openCluster(t, db, name)
	ctx := context.Background()
	files := clusterFilesWithView()
	if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, files)), Options{}); err != nil {
		t.Fatal(err)
	}
	// Two identical batches stored twice (a producer that turned off
	// deduplication, or the same rows sent outside the dedup window): the
	// copy must keep both, though a replicated table drops a block whose
	// checksum it already has.
	dup := "INSERT INTO events (timestamp, user_id, value) SELECT toDateTime(1600000000), 'dup', " + dupBase + " + number FROM numbers(100)"
	dctx := engine.WithSettings(ctx, engine.Settings{"insert_deduplicate": 0})
	if err := db.Conns[0].Exec(dctx, dup); err != nil {
		t.Fatal(err)
	}
	if name == clustertest.Sharded {
		// Shard 2 gets the batch twice from the start.
		for range 2 {
			if err := db.Conns[2].Exec(dctx, dup); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The batch is alone in its partition (September 2020) and its twin
	// arrives once the first copy chunk (that partition's) is in, so the
	// next round copies the twin alone: the same block as the first one.
	var twin atomic.Bool
	var tail atomic.Uint64
	// Replication lag on the connected host around the swap: from the last
	// copy round on, n0 fetches no part of the old table for a second, so
	// the rows n1 and the Distributed table put there reach n0 only after
	// the tail has started.
	lagged := make(chan struct{}, 1)
	// The second rebuild drops the first one's backup, proven from the
	// journal (on every shard), not by --allow-destructive.
	dropped := make(chan string, 2)
	onEvent := func(e Event) {
		if e.Kind == StepStarted && e.Step == "check-flow-new" {
			db.Exec(t, 0, "SYSTEM STOP FETCHES events")
		}
		if e.Kind == StepStarted && e.Step == "drain" {
			go func() {
				time.Sleep(time.Second)
				db.Exec(t, 0, "SYSTEM START FETCHES events__old")
				lagged <- struct{}{}
			}()
		}
		if e.Kind == RowsCopied && e.Step == "tail" {
			tail.Add(e.Rows)
		}
		if e.Kind == CheckPassed && (e.Step == "drop-old-backup" || e.Change == "cleanup:events__old") {
			dropped <- e.Message
		}
		if e.Kind == RowsCopied && e.Step == "backfill" && !twin.Swap(true) {
			if err := db.Conns[0].Exec(dctx, dup); err != nil {
				t.Error(err)
			}
		}
	}
	w := startClusterWriter(t, db, name)
	paths := map[string]bool{}
	for _, key := range []string{"value, user_id", "user_id, value"} {
		for w.acked.Load() < 10 {
			time.Sleep(20 * time.Millisecond)
		}
		files["datasources/events.datasource"] = strings.Replace(clusterEvents, `ENGINE_SORTING_KEY "user_id, value"`, `ENGINE_SORTING_KEY "`+key+`"`, 1)
		local := writeProject(t, files)
		p := planFor(t, c, local)
		ch := p.Change("events")
		if len(p.Errors) > 0 || ch == nil || ch.Method != plan.MethodRebuild {
			w.finish(0)
			t.Fatalf("sorting key %s: want a rebuild of events:\n%s\n%v", key, render(p), p.Errors)
		}
		for _, st := range ch.Steps {
			if st.ID == "stop-merges" && !strings.HasPrefix(st.Hosts, "each host of cluster "+name) {
				t.Errorf("stop-merges says it runs on %q, want each host", st.Hosts)
			}
			if name == clustertest.Sharded && (st.Kind == plan.StepCopyParts || st.Kind == plan.StepCopyTail || st.Kind == plan.StepCheckRows) &&
				!strings.HasPrefix(st.Hosts, "one replica of each of the 2 shards") {
				t.Errorf("%s says it runs on %q, want one replica of each shard", st.ID, st.Hosts)
			}
		}
		before := w.acked.Load()
		if _, err := Apply(ctx, c, p, Options{AllowDestructive: true, OnEvent: onEvent}); err != nil {
			w.finish(0)
			t.Fatalf("sorting key %s: %v", key, err)
		}
		<-lagged
		if key == "user_id, value" {
			select {
			case msg := <-dropped:
				if !strings.Contains(msg, "rows were copied into events by deployment") {
					t.Errorf("the first rebuild's backup was dropped without a proof: %s", msg)
				}
				t.Logf("%s", msg)
			default:
				t.Errorf("the second rebuild did not drop the first one's backup")
			}
		}
		t.Logf("sorting key %s: %d batches landed during the rebuild, %d rows copied by the tail", key, w.acked.Load()-before, tail.Swap(0))
		for _, i := range nodesOf(name) {
			if got := db.QueryString(t, i, "SELECT sorting_key FROM system.tables WHERE database = currentDatabase() AND name = 'events'"); got != key {
				t.Errorf("n%d sorting key %q, want %q", i, got, key)
			}
			path := db.QueryString(t, i, "SELECT zookeeper_path FROM system.replicas WHERE database = currentDatabase() AND table = 'events'")
			if i == 0 {
				if paths[path] {
					t.Errorf("the second rebuild reused ZooKeeper path %s", path)
				}
				paths[path] = true
			}
		}
		if again := planFor(t, c, local); !again.Empty() || len(again.Errors) > 0 {
			// The backup events__old is dropped by the next deploy once proven.
			if ch := again.Change("events"); ch != nil || len(again.Errors) > 0 {
				t.Fatalf("sorting key %s: plans dirty after apply:\n%s", key, render(again))
			}
		}
	}
	batches := w.finish(5)
	t.Logf("%d batches of 100 rows, %d retried inserts", batches, w.retries.Load())
	checkExactOn(t, db, name, batches)
	for _, i := range nodesOf(name) {
		if got := db.QueryString(t, i, "SELECT concat(toString(count()), ' ', toString(uniqExact(value))) FROM events WHERE value >= "+dupBase); got != "200 100" {
			t.Errorf("n%d: the batch stored twice reads as rows, distinct = %s, want 200 100", i, got)
		}
		checkTotals(t, db, i)
		requireMerges(t, db, i)
	}
}

// checkTotals fails t unless the view's target totals on node i equals a
// recomputation from events there.
func checkTotals(t testing.TB, db *clustertest.DB, i int) {
	t.Helper()
	db.SyncReplica(t, i, "totals")
	recompute := "SELECT toString(count()) FROM (SELECT user_id, sum(total) AS t FROM totals GROUP BY user_id) AS v " +
		"FULL OUTER JOIN (SELECT user_id, sum(value) AS s FROM events GROUP BY user_id) AS e USING user_id WHERE t != s"
	if n := db.QueryString(t, i, recompute); n != "0" {
		t.Errorf("n%d: totals differs from a recomputation from events for %s users", i, n)
	}
}

// checkTotalsShortOfFailed is checkTotals when inserts failed under the
// writer (ZooKeeper gone): an insert into a replicated table that stored
// its block and then failed to write its view's rows is retried, and the
// retry's block is deduplicated with its views (ClickHouse does not
// re-run views for a deduplicated block), so the view's target can miss
// rows of batches the writer saw fail, and of those only. Per user, totals
// must lie between the recomputation less those batches and the
// recomputation: never more (nothing counted twice), never short of a
// batch that did not fail.
func checkTotalsShortOfFailed(t testing.TB, db *clustertest.DB, i int, w *clusterWriter) {
	t.Helper()
	db.SyncReplica(t, i, "totals")
	w.mu.Lock()
	failed := []string{"-1"}
	for _, k := range w.failed {
		failed = append(failed, fmt.Sprint(k))
	}
	w.mu.Unlock()
	q := "SELECT concat(toString(countIf(t > s OR t < s - f)), ' ', toString(sum(s - t)), ' ', toString(sum(f))) FROM " +
		"(SELECT user_id, sum(total) AS t FROM totals GROUP BY user_id) AS v FULL OUTER JOIN " +
		"(SELECT user_id, sum(value) AS s, sumIf(value, intDiv(value, 100) IN (" + strings.Join(failed, ", ") + ") AND value < " + dupBase + ") AS f FROM events GROUP BY user_id) AS e USING user_id"
	got := strings.Fields(db.QueryString(t, i, q))
	t.Logf("n%d: totals is short of a recomputation by %s (values of the rows of the %d failed batches: %s)", i, got[1], len(failed)-1, got[2])
	if got[0] != "0" {
		t.Errorf("n%d: for %s users totals is above a recomputation from events or short of it by more than the failed batches", i, got[0])
	}
}

// A rebuild of a table that is not replicated on a cluster (each host has
// rows of its own, with part names of its own) is a plan error naming the
// host and what would make it possible; apply refuses the plan.
func TestClusterRefusesRebuildOfUnreplicatedTable(t *testing.T) {
	cl := cluster.Get(t)
	db := cl.NewDatabase(t)
	name := clustertest.Sharded
	c := openCluster(t, db, name)
	ctx := context.Background()
	db.Exec(t, 0, "CREATE TABLE "+db.Name+".events ON CLUSTER "+name+" (timestamp DateTime, user_id String, value UInt64) ENGINE = MergeTree PARTITION BY toYYYYMM(timestamp) ORDER BY (user_id, value)")
	files := clusterFiles()
	if p := planFor(t, c, writeProject(t, files)); p.Change("events") != nil {
		t.Fatalf("a plain MergeTree events must match the project's:\n%s", render(p))
	}
	files["datasources/events.datasource"] = strings.Replace(clusterEvents, `ENGINE_SORTING_KEY "user_id, value"`, `ENGINE_SORTING_KEY "value, user_id"`, 1)
	p := planFor(t, c, writeProject(t, files))
	if ch := p.Change("events"); ch == nil || ch.Method != plan.MethodRebuild {
		t.Fatalf("want a rebuild of events:\n%s", render(p))
	}
	errs := strings.Join(p.Errors, "\n")
	if !strings.Contains(errs, "events: rebuild and swap") || !strings.Contains(errs, "is not exact on cluster "+name) || !strings.Contains(errs, "events is not a replicated table on 127.0.0.1:") {
		t.Fatalf("want a plan error refusing the rebuild of an unreplicated table, got:\n%s", errs)
	}
	if _, err := Apply(ctx, c, p, Options{}); err == nil || !strings.Contains(err.Error(), "the plan has errors") {
		t.Fatalf("apply of a refused plan: %v", err)
	}
	if got := db.QueryString(t, 2, "SELECT sorting_key FROM system.tables WHERE database = currentDatabase() AND name = 'events'"); got != "user_id, value" {
		t.Fatalf("n2 sorting key %q changed by a refused plan", got)
	}
}

// The rebuild of a replicated table interrupted at each of its steps (the
// apply's context cancelled as the step starts, as a killed connection or
// Ctrl-C would) under the writer, then finished as `perch apply` does
// (Resume, plan, apply): every replica holds every row once, merges run on
// every host, and the project plans clean.
func TestClusterRebuildInterruptedAtEveryStep(t *testing.T) {
	cl := cluster.Get(t)
	steps := []string{"prepare", "stop-merges", "backfill", "check-flow-new", "swap", "drain", "tail", "check-rows", "check-views"}
	// On two shards, also when the copy and the tail reach shard 2, once
	// shard 1's are journaled.
	sharded := append(steps, "backfill on shard 2", "tail on shard 2")
	for _, name := range []string{clustertest.Replicated, clustertest.Sharded} {
		list := steps
		if name == clustertest.Sharded {
			list = sharded
		}
		for _, step := range list {
			t.Run(name+"/"+step, func(t *testing.T) { rebuildInterruptedAt(t, cl, name, step) })
		}
	}
}

// rebuildInterruptedAt is one case of TestClusterRebuildInterruptedAtEveryStep:
// the apply's context is cancelled 20 ms after step starts ("S on shard 2":
// after step S plans its first rows on shard 2).
func rebuildInterruptedAt(t *testing.T, cl *clustertest.Cluster, name, step string) {
	onShard2 := strings.HasSuffix(step, " on shard 2")
	step = strings.TrimSuffix(step, " on shard 2")
	db := cl.NewDatabase(t)
	c := openCluster(t, db, name)
	ctx := context.Background()
	w, local, p := rebuildUnderWriter(t, db, c, name, 300)
	actx, cancel := context.WithCancel(ctx)
	var interrupted atomic.Bool
	_, err := Apply(actx, c, p, Options{RetryWait: 100 * time.Millisecond, OnEvent: func(e Event) {
		at := e.Kind == StepStarted && !onShard2 || e.Kind == RowsPlanned && onShard2 && strings.HasSuffix(e.Partition, "(shard 2)")
		if at && e.Step == step && !interrupted.Swap(true) {
			go func() { time.Sleep(20 * time.Millisecond); cancel() }()
		}
	}})
	cancel()
	if !interrupted.Load() {
		t.Fatalf("step %s never started", step)
	}
	t.Logf("interrupted: %v", err)
	finishRebuild(t, db, c, local, w, name, false)
}

// rebuildUnderWriter deploys the cluster project with its view through c,
// starts the writer (each batch tried patience times), waits for ten
// batches, and plans the sorting-key change of events: the local project
// and its plan, checked to be a rebuild.
func rebuildUnderWriter(t *testing.T, db *clustertest.DB, c *workspace.Client, name string, patience int64) (*clusterWriter, *datafiles.Project, *plan.Plan) {
	t.Helper()
	files := clusterFilesWithView()
	if _, err := Apply(context.Background(), c, planFor(t, c, writeProject(t, files)), Options{}); err != nil {
		t.Fatal(err)
	}
	w := startClusterWriter(t, db, name)
	w.patience.Store(patience)
	for w.acked.Load() < 10 {
		time.Sleep(20 * time.Millisecond)
	}
	files["datasources/events.datasource"] = strings.Replace(clusterEvents, `ENGINE_SORTING_KEY "user_id, value"`, `ENGINE_SORTING_KEY "value, user_id"`, 1)
	local := writeProject(t, files)
	p := planFor(t, c, local)
	if ch := p.Change("events"); len(p.Errors) > 0 || ch == nil || ch.Method != plan.MethodRebuild {
		w.finish(0)
		t.Fatalf("want a rebuild of events:\n%s\n%v", render(p), p.Errors)
	}
	return w, local, p
}

// A revert of a rebuild on a cluster (perch revert: the files of the first
// deployment, planned against the cluster) is a rebuild back, exact under
// the writer on every replica, on one shard and on two.
func TestClusterRevertRebuild(t *testing.T) {
	for _, name := range []string{clustertest.Replicated, clustertest.Sharded} {
		t.Run(name, func(t *testing.T) { revertRebuild(t, name) })
	}
}

func revertRebuild(t *testing.T, name string) {
	cl := cluster.Get(t)
	db := cl.NewDatabase(t)
	c := openCluster(t, db, name)
	ctx := context.Background()
	first, err := Apply(ctx, c, planFor(t, c, writeProject(t, clusterFilesWithView())), Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := startClusterWriter(t, db, name)
	for w.acked.Load() < 10 {
		time.Sleep(20 * time.Millisecond)
	}
	files := clusterFilesWithView()
	files["datasources/events.datasource"] = strings.Replace(clusterEvents, `ENGINE_SORTING_KEY "user_id, value"`, `ENGINE_SORTING_KEY "value, user_id"`, 1)
	if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, files)), Options{}); err != nil {
		w.finish(0)
		t.Fatal(err)
	}
	d, err := c.Get(ctx, first.DeploymentID)
	if err != nil || d == nil {
		w.finish(0)
		t.Fatalf("deployment %s: %v", first.DeploymentID, err)
	}
	old, err := plan.DeployedProject(d)
	if err != nil {
		w.finish(0)
		t.Fatal(err)
	}
	p := planFor(t, c, old)
	if ch := p.Change("events"); len(p.Errors) > 0 || ch == nil || ch.Method != plan.MethodRebuild {
		w.finish(0)
		t.Fatalf("the revert must rebuild events back:\n%s\n%v", render(p), p.Errors)
	}
	if _, err := Apply(ctx, c, p, Options{AllowDestructive: true}); err != nil {
		w.finish(0)
		t.Fatalf("revert: %v", err)
	}
	batches := w.finish(5)
	checkExactOn(t, db, name, batches)
	for _, i := range nodesOf(name) {
		if got := db.QueryString(t, i, "SELECT sorting_key FROM system.tables WHERE database = currentDatabase() AND name = 'events'"); got != "user_id, value" {
			t.Errorf("n%d sorting key %q after the revert", i, got)
		}
		checkTotals(t, db, i)
	}
	if again := planFor(t, c, old); again.Change("events") != nil || len(again.Errors) > 0 {
		t.Fatalf("plans dirty after the revert:\n%s", render(again))
	}
}

// requireMerges fails t if merges of events are still stopped on node i:
// there OPTIMIZE fails with code 236, "Cancelled merging parts", or, on a
// replicated table, never returns. 18.16 can fail an OPTIMIZE of a
// replicated table for reasons of its own ("Unknown log entry type" from
// the leader), so other errors are retried, and logged when they last.
func requireMerges(t *testing.T, db *clustertest.DB, i int) {
	t.Helper()
	var err error
	for attempt, deadline := 0, time.Now().Add(60*time.Second); attempt < 5 && time.Now().Before(deadline); attempt++ {
		// With merges stopped, an OPTIMIZE of a replicated table on 18.16
		// can wait for a merge that never runs (a plain table fails at once).
		octx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = db.Conns[i].Exec(octx, "OPTIMIZE TABLE "+db.Name+".events FINAL")
		timedOut := octx.Err() != nil
		cancel()
		if err == nil {
			return
		}
		if strings.Contains(err.Error(), "Cancelled merging parts") || timedOut {
			t.Fatalf("n%d: merges of events are still stopped: %v", i, err)
		}
		if strings.Contains(err.Error(), "Unknown log entry type: 0") {
			// 18.16: a merge of these parts is already queued (assigned
			// while merges were stopped, postponed, retried a few seconds
			// after they restart), so OPTIMIZE finds none to assign.
			attempt--
		}
		time.Sleep(time.Second)
	}
	parts := db.QueryString(t, i, "SELECT toString(groupArray(c)) FROM (SELECT count() AS c FROM system.parts WHERE database = currentDatabase() AND table = 'events' AND active GROUP BY partition_id)")
	if err != nil && strings.Contains(err.Error(), "Unknown log entry type: 0") {
		// A queued merge runs within seconds of merges restarting; 18.16
		// answers so for a replicated table whose merges are stopped too.
		t.Fatalf("n%d: merges of events look stopped: for 60 s OPTIMIZE found nothing it may merge (%v; parts per partition: %s)", i, err, parts)
	}
	t.Logf("n%d: OPTIMIZE events failed, not for stopped merges: %v (parts per partition: %s)", i, err,
		parts)
}
