package apply

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clustertest"
	"github.com/perchdata/perch/workspace/engine"
	"github.com/perchdata/perch/workspace/plan"
)

// withColumn is the cluster project with column n added to events and
// totals: two ON CLUSTER alters.
func withColumn() map[string]string {
	f := clusterFiles()
	f["datasources/events.datasource"] = strings.Replace(clusterEvents, "value UInt64\n", "value UInt64,\n    n UInt32 DEFAULT 7\n", 1)
	f["datasources/totals.datasource"] = strings.Replace(clusterTotals, "total UInt64\n", "total UInt64,\n    n UInt32 DEFAULT 7\n", 1)
	return f
}

// hasColumn reports per replica whether table has column n.
func hasColumn(t testing.TB, db *clustertest.DB, table string) []bool {
	t.Helper()
	var out []bool
	for _, i := range nodesOf(clustertest.Replicated) {
		out = append(out, db.QueryString(t, i, "SELECT toString(count()) FROM system.columns WHERE database = currentDatabase() AND table = '"+table+"' AND name = 'n'") == "1")
	}
	return out
}

// reconnect replaces the test's connection to node i after it restarted.
func reconnect(t testing.TB, cl *clustertest.Cluster, db *clustertest.DB, i int) {
	t.Helper()
	conn, err := cl.Nodes[i].Connect(db.Name)
	if err != nil {
		t.Fatal(err)
	}
	old := db.Conns[i]
	db.Conns[i] = conn
	old.Close()
}

// A replica down: the plan says so and cannot be applied, and a plan made
// while the cluster was healthy is refused before anything runs (no host
// gets the change). When the replica is back the same change applies to
// both and plans clean.
func TestClusterReplicaDownRefuses(t *testing.T) {
	cl := cluster.Get(t)
	db := cl.NewDatabase(t)
	c := openCluster(t, db, clustertest.Replicated)
	ctx := context.Background()
	if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, clusterFiles())), Options{}); err != nil {
		t.Fatal(err)
	}
	local := writeProject(t, withColumn())
	early := planFor(t, c, local)
	if len(early.Errors) > 0 || early.Empty() {
		t.Fatalf("want two alters:\n%s", render(early))
	}
	if err := cl.Nodes[1].Stop(); err != nil {
		t.Fatal(err)
	}
	p := planFor(t, c, local)
	if errs := strings.Join(p.Errors, "\n"); !strings.Contains(errs, "host 127.0.0.1:"+strings.TrimPrefix(cl.Nodes[1].Addr(), "127.0.0.1:")+" (shard 1, replica 2) is down") {
		t.Fatalf("the plan must name the host that is down, got errors:\n%s", errs)
	}
	_, err := Apply(ctx, c, early, Options{ClusterDDLTimeout: 5 * time.Second})
	if !errors.Is(err, ErrClusterUnhealthy) || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("apply with a replica down: %v, want ErrClusterUnhealthy", err)
	}
	if got := db.QueryString(t, 0, "SELECT toString(count()) FROM system.columns WHERE database = currentDatabase() AND name = 'n'"); got != "0" {
		t.Fatalf("a refused apply changed n0 (%s columns n)", got)
	}
	if err := cl.Nodes[1].Start(ctx); err != nil {
		t.Fatal(err)
	}
	reconnect(t, cl, db, 1)
	p = planFor(t, c, local)
	if len(p.Errors) > 0 {
		t.Fatalf("replica back, plan still refused:\n%s", render(p))
	}
	if _, err := Apply(ctx, c, p, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"events", "totals"} {
		if got := hasColumn(t, db, table); !got[0] || !got[1] {
			t.Fatalf("%s has column n on replicas %v, want both", table, got)
		}
	}
	if again := planFor(t, c, local); !again.Empty() {
		t.Fatalf("plans dirty after the re-apply:\n%s", render(again))
	}
}

// ZooKeeper restarted in the middle of an apply, under a streaming writer:
// the apply either finishes on every host or fails saying so; never a
// success with a host missing the change. After ZooKeeper is back, the
// re-apply converges, the project plans clean, and every replica holds
// every row exactly once.
func TestClusterZooKeeperRestartMidApply(t *testing.T) {
	cl := cluster.Get(t)
	db := cl.NewDatabase(t)
	c := openCluster(t, db, clustertest.Replicated)
	ctx := context.Background()
	if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, clusterFiles())), Options{}); err != nil {
		t.Fatal(err)
	}
	w := startClusterWriter(t, db, clustertest.Replicated)
	local := writeProject(t, withColumn())
	p := planFor(t, c, local)
	restarted := make(chan error, 1)
	stopped := false
	_, err := Apply(ctx, c, p, Options{ClusterDDLTimeout: 10 * time.Second, OnEvent: func(e Event) {
		if e.Kind == ChangeFinished && !stopped {
			stopped = true
			cl.ZooKeeper.Stop()
			go func() {
				time.Sleep(3 * time.Second)
				restarted <- cl.ZooKeeper.Start(context.Background())
			}()
		}
	}})
	if !stopped {
		t.Fatal("ZooKeeper was never stopped: no change finished")
	}
	if rerr := <-restarted; rerr != nil {
		t.Fatal(rerr)
	}
	t.Logf("apply with ZooKeeper restarted after the first change: %v", err)
	if err == nil {
		for _, table := range []string{"events", "totals"} {
			if got := hasColumn(t, db, table); !got[0] || !got[1] {
				t.Fatalf("apply succeeded but %s has column n on replicas %v", table, got)
			}
		}
	}
	// Replicas re-open their ZooKeeper sessions by themselves; re-apply
	// until the plan is clean (a plan made while a replica is still
	// read-only is refused, which is what it must be). 18.16's replicas can
	// leave an ALTER caught by the session expiry unapplied until they
	// restart ("Timeout when waiting for replica to apply ALTER"): the
	// operator's remedy, restarting the replicas, is part of the test.
	clean := func(p *plan.Plan) bool { return p.Empty() }
	for _, n := range cl.Nodes {
		if !n.Running() {
			t.Logf("node %s crashed while ZooKeeper was down (18.16's DDL worker)", n.Name)
		}
	}
	if !reapplyUntil(t, c, local, 30*time.Second, clean) {
		t.Log("restarting the replicas (18.16 resumes a stuck ALTER on restart)")
		restartReplicas(t, cl, db, w)
		if !reapplyUntil(t, c, local, 90*time.Second, clean) {
			t.Fatal("no convergence after ZooKeeper came back and the replicas restarted")
		}
	}
	for _, table := range []string{"events", "totals"} {
		if got := hasColumn(t, db, table); !got[0] || !got[1] {
			t.Fatalf("%s has column n on replicas %v after the re-apply", table, got)
		}
	}
	batches := w.finish(5)
	t.Logf("%d batches of 100 rows, %d retried inserts", batches, w.retries.Load())
	checkExact(t, db, nodesOf(clustertest.Replicated), batches)
	// 18.16's DDL worker gives up for good when it cannot reach ZooKeeper
	// (the server runs on, but no longer runs ON CLUSTER statements: perch
	// reports it as a host that does not answer in time). Restart every
	// node so the next tests get a working cluster.
	for _, n := range cl.Nodes {
		if err := n.Stop(); err != nil {
			t.Fatal(err)
		}
	}
	if err := cl.Heal(ctx); err != nil {
		t.Fatal(err)
	}
}

// The connection between perch and the host it talks to cut just after an
// ON CLUSTER ALTER was sent: perch never hears back. The apply fails and
// undoes the change on every host (the undo is ON CLUSTER too), the
// deployment log says it failed, and the re-apply puts the change on both
// replicas and plans clean.
func TestClusterHostCutMidAlter(t *testing.T) {
	cl := cluster.Get(t)
	db := cl.NewDatabase(t)
	ctx := context.Background()
	px, c := openClusterViaProxy(t, cl, db)
	if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, clusterFiles())), Options{}); err != nil {
		t.Fatal(err)
	}
	local := writeProject(t, withColumn())
	p := planFor(t, c, local)
	px.ArmOn("ADD COLUMN", true)
	_, err := Apply(ctx, c, p, Options{ClusterDDLTimeout: 10 * time.Second})
	if px.cuts.Load() != 1 {
		t.Fatalf("the proxy cut %d connections, want 1", px.cuts.Load())
	}
	t.Logf("apply with the connection cut: %v", err)
	// Whatever the outcome, every replica must agree with the other.
	for _, table := range []string{"events", "totals"} {
		deadline := time.Now().Add(20 * time.Second)
		for {
			got := hasColumn(t, db, table)
			if got[0] == got[1] {
				if err == nil && !got[0] {
					t.Fatalf("apply reported success but %s lacks column n", table)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: replicas disagree after the cut: %v", table, got)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	again := planFor(t, c, local)
	if len(again.Errors) > 0 {
		t.Fatalf("plan after the cut:\n%s", render(again))
	}
	if !again.Empty() {
		if _, err := Apply(ctx, c, again, Options{}); err != nil {
			t.Fatalf("re-apply: %v", err)
		}
	}
	for _, table := range []string{"events", "totals"} {
		if got := hasColumn(t, db, table); !got[0] || !got[1] {
			t.Fatalf("%s has column n on replicas %v after the re-apply", table, got)
		}
	}
	if final := planFor(t, c, local); !final.Empty() {
		t.Fatalf("plans dirty:\n%s", render(final))
	}
	_ = plan.MethodAlter
}

// The connection between perch and its host cut just after the rebuild's
// RENAME ... ON CLUSTER was sent, under the writer: the swap runs on every
// host from the ZooKeeper queue whether perch hears back or not. perch
// waits for the queue (a no-op ON CLUSTER statement every host must finish
// after it) before it decides whether the swap happened, so it finishes
// the change instead of undoing half of it: every replica holds every row
// once and the project plans clean.
func TestClusterHostCutMidSwap(t *testing.T) {
	cl := cluster.Get(t)
	db := cl.NewDatabase(t)
	ctx := context.Background()
	px, c := openClusterViaProxy(t, cl, db)
	w, local, p := rebuildUnderWriter(t, db, c, clustertest.Replicated, 300)
	px.ArmOn("RENAME TABLE", true)
	_, err := Apply(ctx, c, p, Options{ClusterDDLTimeout: 10 * time.Second, RetryWait: 100 * time.Millisecond})
	if px.cuts.Load() != 1 {
		w.finish(0)
		t.Fatalf("the proxy cut %d connections, want 1", px.cuts.Load())
	}
	t.Logf("apply with the connection cut at the swap: %v", err)
	if _, err := Resume(ctx, c, Options{}); err != nil {
		w.finish(0)
		t.Fatalf("resume: %v", err)
	}
	again := planFor(t, c, local)
	if len(again.Errors) > 0 {
		w.finish(0)
		t.Fatalf("plan after the cut:\n%s", render(again))
	}
	if again.Change("events") != nil {
		if _, err := Apply(ctx, c, again, Options{}); err != nil {
			w.finish(0)
			t.Fatalf("re-apply: %v", err)
		}
	}
	for _, ch := range planFor(t, c, local).Changes {
		if ch.Destructive {
			t.Errorf("after the cut the plan has a destructive change (rows perch could not prove copied): %s %s", ch.Resource, ch.Method)
		}
	}
	batches := w.finish(5)
	checkExact(t, db, nodesOf(clustertest.Replicated), batches)
}

// A replica stops while its table is being rebuilt, under the writer: the
// rebuild cannot see that replica's inserts and merges, so it stops before
// the swap and undoes what it can (the ON CLUSTER drop of the new table
// waits in ZooKeeper for the replica). Once the replica is back, the
// re-apply rebuilds the table: every replica holds every row once and
// merges run on both.
func TestClusterReplicaDownMidRebuild(t *testing.T) {
	cl := cluster.Get(t)
	db := cl.NewDatabase(t)
	c := openCluster(t, db, clustertest.Replicated)
	ctx := context.Background()
	// n1 is down for a while: the writer's batches for it wait for it.
	w, local, p := rebuildUnderWriter(t, db, c, clustertest.Replicated, 1800)
	var stopped atomic.Bool
	_, err := Apply(ctx, c, p, Options{ClusterDDLTimeout: 5 * time.Second, DrainTimeout: 10 * time.Second, OnEvent: func(e Event) {
		if e.Kind == StepStarted && e.Step == "backfill" && !stopped.Swap(true) {
			if err := cl.Nodes[1].Stop(); err != nil {
				t.Error(err)
			}
		}
	}})
	if err == nil {
		w.finish(0)
		t.Fatal("the rebuild succeeded with a replica down mid-way")
	}
	t.Logf("apply with n1 stopped: %v", err)
	if got := db.QueryString(t, 0, "SELECT sorting_key FROM system.tables WHERE database = currentDatabase() AND name = 'events'"); got != "user_id, value" {
		t.Errorf("n0 swapped (sorting key %q) although the rebuild failed before its swap", got)
	}
	if err := cl.Nodes[1].Start(ctx); err != nil {
		t.Fatal(err)
	}
	reconnect(t, cl, db, 1)
	w.reconnect(db)
	if _, err := Resume(ctx, c, Options{}); err != nil {
		w.finish(0)
		t.Fatalf("resume: %v", err)
	}
	// The drop of events__new queued for n1 runs when it is back; until
	// then the hosts disagree and the plan says so.
	var again *plan.Plan
	for deadline := time.Now().Add(60 * time.Second); ; {
		again = planFor(t, c, local)
		if len(again.Errors) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Second)
	}
	if len(again.Errors) > 0 {
		w.finish(0)
		t.Fatalf("plan with the replica back:\n%s\n%v", render(again), again.Errors)
	}
	if _, err := Apply(ctx, c, again, Options{AllowDestructive: true}); err != nil {
		w.finish(0)
		t.Fatalf("re-apply: %v", err)
	}
	batches := w.finish(5)
	checkExact(t, db, nodesOf(clustertest.Replicated), batches)
	for _, i := range nodesOf(clustertest.Replicated) {
		if got := db.QueryString(t, i, "SELECT sorting_key FROM system.tables WHERE database = currentDatabase() AND name = 'events'"); got != "value, user_id" {
			t.Errorf("n%d sorting key %q after the re-apply", i, got)
		}
		requireMerges(t, db, i)
	}
	if err := cl.Heal(ctx); err != nil {
		t.Fatal(err)
	}
}

// openClusterViaProxy is a perch client of db on the replicated cluster
// whose connection to node 0 goes through a fault proxy.
func openClusterViaProxy(t *testing.T, cl *clustertest.Cluster, db *clustertest.DB) (*proxy, *workspace.Client) {
	t.Helper()
	px := startProxy(t, cl.Nodes[0].Addr())
	tgt := workspace.Target{Name: "cluster", DSN: "clickhouse://default@" + px.Addr() + "/" + db.Name, Database: db.Name, Cluster: clustertest.Replicated, Source: "test"}
	c, err := workspace.Open(context.Background(), tgt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return px, c
}

// ZooKeeper stopped while a rebuild copies under the writer, and started
// again 3 s later. Whatever the apply says, nothing is lost or doubled:
// Resume settles the journal, and re-planning and applying (with the
// operator's remedy for 18.16, restarting replicas whose DDL worker gave
// up) finishes the change; every replica then holds every row once, with
// the new sorting key, and merges run.
func TestClusterZooKeeperRestartMidRebuild(t *testing.T) {
	cl := cluster.Get(t)
	db := cl.NewDatabase(t)
	c := openCluster(t, db, clustertest.Replicated)
	ctx := context.Background()
	// the writer waits out ZooKeeper's absence (replicated inserts fail
	// while it is gone) and the replicas' restart
	w, local, p := rebuildUnderWriter(t, db, c, clustertest.Replicated, 1800)
	restarted := make(chan error, 1)
	var stopped atomic.Bool
	_, err := Apply(ctx, c, p, Options{AllowDestructive: true, ClusterDDLTimeout: 10 * time.Second, DrainTimeout: 20 * time.Second, OnEvent: func(e Event) {
		if e.Kind == StepStarted && e.Step == "backfill" && !stopped.Swap(true) {
			cl.ZooKeeper.Stop()
			go func() {
				time.Sleep(3 * time.Second)
				restarted <- cl.ZooKeeper.Start(context.Background())
			}()
		}
	}})
	if !stopped.Load() {
		w.finish(0)
		t.Fatal("ZooKeeper was never stopped: the backfill never started")
	}
	if rerr := <-restarted; rerr != nil {
		t.Fatal(rerr)
	}
	t.Logf("apply with ZooKeeper restarted during the copy: %v", err)
	rebuilt := func(p *plan.Plan) bool { return p.Change("events") == nil && len(p.Errors) == 0 }
	if !reapplyUntil(t, c, local, 45*time.Second, rebuilt) {
		t.Log("restarting the replicas (18.16's DDL worker gives up without ZooKeeper)")
		restartReplicas(t, cl, db, w)
		c = openCluster(t, db, clustertest.Replicated)
		if !reapplyUntil(t, c, local, 120*time.Second, rebuilt) {
			w.finish(0)
			t.Fatal("the rebuild did not finish after ZooKeeper came back and the replicas restarted")
		}
	}
	batches := w.finish(5)
	t.Logf("%d batches of 100 rows, %d retried inserts", batches, w.retries.Load())
	checkExact(t, db, nodesOf(clustertest.Replicated), batches)
	for _, i := range nodesOf(clustertest.Replicated) {
		if got := db.QueryString(t, i, "SELECT sorting_key FROM system.tables WHERE database = currentDatabase() AND name = 'events'"); got != "value, user_id" {
			t.Errorf("n%d sorting key %q after the re-apply", i, got)
		}
		checkTotalsShortOfFailed(t, db, i, w)
		requireMerges(t, db, i)
	}
	for _, n := range cl.Nodes {
		if err := n.Stop(); err != nil {
			t.Fatal(err)
		}
	}
	if err := cl.Heal(ctx); err != nil {
		t.Fatal(err)
	}
}

// reapplyUntil settles the journal (Resume), plans and applies again, once
// a second, until done says the plan is what the test waits for or within
// has passed. Replicas re-open their ZooKeeper sessions by themselves, and
// a plan made while a replica is still read-only is refused, which is what
// it must be.
func reapplyUntil(t *testing.T, c *workspace.Client, local *datafiles.Project, within time.Duration, done func(*plan.Plan) bool) bool {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(within)
	for {
		if acts, err := Resume(ctx, c, Options{ClusterDDLTimeout: 15 * time.Second}); err != nil {
			t.Logf("resume: %v", err)
		} else if len(acts) > 0 {
			t.Logf("resume: %v", acts)
		}
		again := planFor(t, c, local)
		if done(again) {
			return true
		}
		if len(again.Errors) == 0 {
			if _, err := Apply(ctx, c, again, Options{AllowDestructive: true, ClusterDDLTimeout: 15 * time.Second}); err != nil {
				t.Logf("re-apply: %v", err)
			}
		} else {
			t.Logf("re-plan refused: %s", strings.Join(again.Errors, "; "))
		}
		if time.Now().After(deadline) {
			t.Logf("not there yet:\n%s", render(again))
			return false
		}
		time.Sleep(time.Second)
	}
}

// restartReplicas stops and starts the replicas of the Replicated cluster
// (18.16's remedy for a DDL worker that gave up, or an ALTER stuck after a
// ZooKeeper session expired) and points db and the writer at them again.
func restartReplicas(t *testing.T, cl *clustertest.Cluster, db *clustertest.DB, w *clusterWriter) {
	t.Helper()
	for _, i := range nodesOf(clustertest.Replicated) {
		if err := cl.Nodes[i].Stop(); err != nil {
			t.Fatal(err)
		}
		if err := cl.Nodes[i].Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		reconnect(t, cl, db, i)
	}
	w.reconnect(db)
}

// A rebuild on two shards whose connection to shard 2's replica breaks
// just after shard 2's tail attach ran there (the statement ran, its
// answer and every later statement on that host lost): the failing apply
// tells whether the attach happened on a new connection to that replica
// before it restarts merges (which would merge the attached part away),
// and `perch apply` (Resume) finishes the change without attaching twice:
// every row is there once, through the Distributed table and on every
// replica, with the view's target exact per host.
func TestClusterShardAttachAnswerLost(t *testing.T) {
	cl := cluster.Get(t)
	db := cl.NewDatabase(t)
	name := clustertest.Sharded
	c := openCluster(t, db, name)
	ctx := context.Background()
	w, local, p := rebuildUnderWriter(t, db, c, name, 300)
	rc := &recordConn{dies: true}
	// The partition the writer streams into: once merges restart there, the
	// attached part soon merges with new ones and can no longer be told.
	rc.Arm("ATTACH PARTITION ID '202311'", true)
	// A batch straight into shard 2's old table just before the swap: shard
	// 2 has a tail in that partition whatever the writer's timing.
	var extra atomic.Bool
	_, err := Apply(ctx, c, p, Options{AllowDestructive: true, RetryWait: 100 * time.Millisecond,
		OnEvent: func(e Event) {
			if e.Kind == StepStarted && e.Step == "swap" && !extra.Swap(true) {
				db.Exec(t, 2, lateShard2Batch)
			}
		},
		shardConn: func(h workspace.Host, conn engine.Conn) engine.Conn {
			if h.Shard != 2 {
				return conn
			}
			rc.Conn = conn
			return rc
		}})
	if rc.Cuts() != 1 || err == nil {
		w.finish(0)
		t.Fatalf("shard 2's attach was not cut (cuts %d, err %v)", rc.Cuts(), err)
	}
	t.Logf("apply with shard 2's connection gone after its attach ran: %v", err)
	var state string
	for _, l := range strings.Split(db.QueryString(t, 0, "SELECT state FROM _perch_apply_journal WHERE kind = 'state' ORDER BY seq DESC LIMIT 1"), "\n") {
		state += l
	}
	if !strings.Contains(state, `"attached":["202311"]},"host":"`+cl.Nodes[2].Addr()+`"`) || strings.Contains(state, `"pending"`) {
		t.Errorf("the failed apply did not journal shard 2's attach as done (told on a new connection before merges restart):\n%s", state)
	}
	finishRebuild(t, db, c, local, w, name, true)
}

// lateShard2Batch is 100 rows inserted straight into shard 2 (values from
// dupBase up, which checkExact leaves aside), in the writer's partition.
const lateShard2Batch = "INSERT INTO events (timestamp, user_id, value) SELECT toDateTime(1700000000), 'late', " + dupBase + " + number FROM numbers(100)"

// finishRebuild finishes the interrupted sorting-key change of
// rebuildUnderWriter on cluster name as `perch apply` does (Resume, plan,
// apply) and checks the result: the project plans clean, every batch of w
// is there once (checkExactOn), with late the lateShard2Batch once on n2,
// the new key on every host, the view's target exact per host, and merges
// run everywhere. It returns what Resume said it did.
func finishRebuild(t *testing.T, db *clustertest.DB, c *workspace.Client, local *datafiles.Project, w *clusterWriter, name string, late bool) []string {
	t.Helper()
	acts, err := Resume(context.Background(), c, Options{})
	if err != nil {
		w.finish(0)
		t.Fatalf("resume: %v", err)
	}
	t.Logf("resume: %v", acts)
	again := planFor(t, c, local)
	if len(again.Errors) > 0 {
		w.finish(0)
		t.Fatalf("plan after the interruption: %v", again.Errors)
	}
	if again.Change("events") != nil {
		if _, err := Apply(context.Background(), c, again, Options{AllowDestructive: true}); err != nil {
			w.finish(0)
			t.Fatalf("apply after the interruption: %v", err)
		}
	}
	if last := planFor(t, c, local); last.Change("events") != nil || len(last.Errors) > 0 {
		w.finish(0)
		t.Fatalf("plans dirty after the re-apply:\n%s", render(last))
	}
	batches := w.finish(5)
	checkExactOn(t, db, name, batches)
	if late {
		if got := db.QueryString(t, 2, "SELECT concat(toString(count()), ' ', toString(uniqExact(value))) FROM events WHERE value >= "+dupBase); got != "100 100" {
			t.Errorf("n2: the batch inserted before the swap reads as rows, distinct = %s, want 100 100", got)
		}
	}
	for _, i := range nodesOf(name) {
		if got := db.QueryString(t, i, "SELECT sorting_key FROM system.tables WHERE database = currentDatabase() AND name = 'events'"); got != "value, user_id" {
			t.Errorf("n%d sorting key %q", i, got)
		}
		checkTotals(t, db, i)
		requireMerges(t, db, i)
	}
	return acts
}

// A `perch apply` process killed on a two-shard rebuild just after shard
// 2's tail attach ran on its replica, before the journal heard of it (the
// journal write that would record the attach is the statement the kill
// drops): the journal holds shard 2's attach in doubt. The next command
// (Resume) tells, on shard 2's replica, whether it happened before it
// restarts merges, and finishes the change without attaching twice.
func TestClusterKillAfterShardAttach(t *testing.T) {
	cl := cluster.Get(t)
	db := cl.NewDatabase(t)
	name := clustertest.Sharded
	c := openCluster(t, db, name)
	ctx := context.Background()
	w, _, _ := rebuildUnderWriter(t, db, c, name, 300)
	files := clusterFilesWithView()
	files["datasources/events.datasource"] = strings.Replace(clusterEvents, `ENGINE_SORTING_KEY "user_id, value"`, `ENGINE_SORTING_KEY "value, user_id"`, 1)
	n0 := cl.Nodes[0].Addr()
	var cmd *exec.Cmd
	// Shard 2's tail attach runs on a connection to n2 of its own; the
	// journal write after it goes through n0, and is dropped.
	late := &hook{match: "RENAME TABLE `" + db.Name + "`.`events` TO", nth: 1, before: func() { db.Exec(t, 2, lateShard2Batch) }}
	kill := &hook{match: `"attached":["202311"]},"host":"` + cl.Nodes[2].Addr() + `"`, nth: 1, drop: true, kill: true}
	px := startKillProxy(t, n0, func() { _ = cmd.Process.Signal(syscall.SIGKILL) }, kill, late)
	files["perch.toml"] = "default_target = \"c\"\n[targets.c]\ndsn = \"" + strings.Replace(db.DSN(0), n0, px.Addr(), 1) + "\"\ncluster = \"" + name + "\"\n"
	dir := writeDir(t, files)
	cmd, stdout, stderr := perchCmd(t, ctx, "apply", dir, "--auto-approve")
	if err := cmd.Start(); err != nil {
		w.finish(0)
		t.Fatal(err)
	}
	waitErr := cmd.Wait()
	select {
	case <-px.Killed():
	default:
		w.finish(0)
		t.Fatalf("perch was never killed after shard 2's attach (exit %v):\n%s\n%s", waitErr, stdout, stderr)
	}
	t.Logf("killed perch apply:\n%s%s", stdout, stderr)
	acts := finishRebuild(t, db, c, loadDir(t, dir), w, name, true)
	if all := strings.Join(acts, "\n"); !strings.Contains(all, "shard 2: the attach of partition 202311 of events on "+cl.Nodes[2].Addr()+", in doubt, was attached") {
		t.Errorf("resume did not tell shard 2's attach in doubt on its replica: %v", acts)
	}
}

// The part counts of a table whose merges a rebuild stopped are watched on
// every host of the cluster: inserts straight into shard 2's replica (not
// the host perch is connected to) that near its part limit stop the
// apply, which rolls back and restarts merges everywhere.
func TestClusterPartsWatchedOnEveryHost(t *testing.T) {
	cl := cluster.Get(t)
	db := cl.NewDatabase(t)
	name := clustertest.Sharded
	c := openCluster(t, db, name)
	ctx := context.Background()
	files := clusterFiles()
	if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, files)), Options{}); err != nil {
		t.Fatal(err)
	}
	// Two parts on shard 1, so that requireMerges has parts to merge there.
	for range 2 {
		db.Exec(t, 0, "INSERT INTO events (timestamp, user_id, value) SELECT toDateTime(1700000000), 'n0', number FROM numbers(10)")
	}
	files["datasources/events.datasource"] = strings.Replace(clusterEvents, `ENGINE_SORTING_KEY "user_id, value"`, `ENGINE_SORTING_KEY "value, user_id"`, 1)
	p := planFor(t, c, writeProject(t, files))
	if ch := p.Change("events"); len(p.Errors) > 0 || ch == nil || ch.Method != plan.MethodRebuild {
		t.Fatalf("want a rebuild of events:\n%s\n%v", render(p), p.Errors)
	}
	const limit = 20 // perch stops at parts_to_throw_insert less the headroom
	var inserted atomic.Int64
	res, err := Apply(ctx, c, p, Options{PartsHeadroom: 300 - limit, OnEvent: func(e Event) {
		if e.Kind != StepStarted || e.Step != "backfill" {
			return
		}
		// Merges are stopped on every host: each insert into n2 is a part
		// there; n0 has none. Then give the supervisor time to look.
		for k := range limit {
			db.Exec(t, 2, fmt.Sprintf("INSERT INTO events (timestamp, user_id, value) SELECT toDateTime(1700000000), 'n2', %d", k))
			inserted.Add(1)
		}
		time.Sleep(2 * time.Second)
	}})
	var pl *PartsLimitError
	if !errors.As(err, &pl) || pl.Table != "events" {
		t.Fatalf("apply err = %v, want a PartsLimitError on events (parts on n2)", err)
	}
	if !res.Undone {
		t.Errorf("the apply stopped by the part watch was not rolled back")
	}
	for _, i := range nodesOf(name) {
		if got := db.QueryString(t, i, "SELECT sorting_key FROM system.tables WHERE database = currentDatabase() AND name = 'events'"); got != "user_id, value" {
			t.Errorf("n%d sorting key %q after the rollback", i, got)
		}
		requireMerges(t, db, i)
	}
	if got := db.QueryString(t, 2, "SELECT toString(count()) FROM events"); got != fmt.Sprint(inserted.Load()) {
		t.Errorf("n2 has %s rows, want the %d inserted", got, inserted.Load())
	}
	t.Logf("stopped at %d parts (limit %d): %v", pl.Parts, pl.Limit, err)
}

// The row check of a rebuild covers every replica: with replica n1's
// fetches stopped from the tail on, n1 never receives the tail's attached
// part, so the apply fails at check-rows naming what n1 lacks (after the
// swap: incomplete, nothing undone); once fetches run again `perch apply`
// finishes the change and every replica holds every row once.
func TestClusterRowCheckWaitsForReplicas(t *testing.T) {
	cl := cluster.Get(t)
	db := cl.NewDatabase(t)
	name := clustertest.Replicated
	c := openCluster(t, db, name)
	ctx := context.Background()
	w, local, p := rebuildUnderWriter(t, db, c, name, 300)
	var stopped atomic.Bool
	res, err := Apply(ctx, c, p, Options{AllowDestructive: true, DrainTimeout: 3 * time.Second, Retries: 1, RetryWait: 100 * time.Millisecond, OnEvent: func(e Event) {
		if e.Kind == StepStarted && e.Step == "tail" && !stopped.Swap(true) {
			db.Exec(t, 1, "SYSTEM STOP FETCHES events")
		}
	}})
	db.Exec(t, 1, "SYSTEM START FETCHES events")
	if err == nil || !res.Incomplete || !strings.Contains(err.Error(), "replicas still lack") || !strings.Contains(err.Error(), "(on "+cl.Nodes[1].Addr()+")") {
		w.finish(0)
		t.Fatalf("want the apply incomplete at check-rows, naming the parts n1 lacks; got incomplete %v: %v", res.Incomplete, err)
	}
	t.Logf("apply with n1's fetches stopped: %v", err)
	finishRebuild(t, db, c, local, w, name, false)
}
