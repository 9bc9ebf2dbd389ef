// Package clustertest gives integration tests a real ClickHouse cluster: a
// ZooKeeper server and three 18.16 servers on loopback ports in a temporary
// folder, with two clusters in their remote_servers:
//
//	perch_repl    one shard of two replicas (nodes 0 and 1)
//	perch_shards  two shards: nodes 0 and 1 (replicas), node 2 (alone)
//
// and macros per node ({shard}: 01, 01, 02; {replica}: r1, r2, r1).
//
//	var cluster clustertest.Shared
//
//	func TestMain(m *testing.M) { code := m.Run(); cluster.Close(); os.Exit(code) }
//
//	func TestClusterX(t *testing.T) {
//		db := cluster.Get(t).NewDatabase(t) // on every node
//	}
//
// The cluster starts on the first Get (only the tests that need it pay for
// it). Without java, the ZooKeeper jars or a server binary the tests skip
// loudly; with CI=true they fail.
package clustertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/engine"
	"github.com/perchdata/perch/workspace/localserver"
)

// The clusters of every node's remote_servers.
const (
	// Replicated is one shard of two replicas: nodes 0 and 1.
	Replicated = "perch_repl"
	// Sharded is two shards: nodes 0 and 1 (replicas of shard 01), node 2 (shard 02).
	Sharded = "perch_shards"
)

// Node is one ClickHouse server of the cluster.
type Node struct {
	// Name is n0, n1, n2.
	Name string
	// Macros are its {shard} and {replica}.
	Macros map[string]string
	opts   localserver.LaunchOptions
	mu     sync.Mutex
	proc   *localserver.Process
}

// Addr is the native-protocol address, 127.0.0.1:port.
func (n *Node) Addr() string { return fmt.Sprintf("127.0.0.1:%d", n.opts.Ports.TCP) }

// HTTPPort is the node's HTTP port.
func (n *Node) HTTPPort() int { return n.opts.Ports.HTTP }

// DSN returns a clickhouse:// DSN for database db on this node.
func (n *Node) DSN(db string) string { return fmt.Sprintf("clickhouse://default@%s/%s", n.Addr(), db) }

// Connect opens a native connection to database db on this node.
func (n *Node) Connect(db string) (engine.Conn, error) {
	conn, err := engine.OpenNative(&clickhouse.Options{
		Addr:        []string{n.Addr()},
		Auth:        clickhouse.Auth{Database: db, Username: "default"},
		DialTimeout: 5 * time.Second,
	})
	if err != nil {
		return nil, fmt.Errorf("connect to cluster node %s (%s): %w", n.Name, n.Addr(), err)
	}
	return conn, nil
}

// Stop kills the node (its data stays for Start): a replica going down.
func (n *Node) Stop() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.proc == nil {
		return nil
	}
	err := n.proc.Kill()
	n.proc = nil
	if err != nil {
		return fmt.Errorf("stop node %s: %w", n.Name, err)
	}
	return nil
}

// Running reports whether the node's server process is alive (18.16 can
// crash when it loses ZooKeeper: its DDL worker dereferences a null session).
func (n *Node) Running() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.proc != nil && localserver.Alive(n.proc.PID)
}

// Start (re)starts the node on its ports and folder; a node whose process
// died is started again.
func (n *Node) Start(ctx context.Context) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.proc != nil && localserver.Alive(n.proc.PID) {
		return nil
	}
	if n.proc != nil {
		_ = n.proc.Kill() // reap it
		n.proc = nil
	}
	p, err := localserver.Launch(ctx, n.opts)
	if err != nil {
		return fmt.Errorf("start node %s: %w", n.Name, err)
	}
	n.proc = p
	return nil
}

// Cluster is the running cluster.
type Cluster struct {
	// ZooKeeper coordinates the replicas and ON CLUSTER DDL.
	ZooKeeper *ZooKeeper
	// Nodes are the three servers (see the package comment).
	Nodes   []*Node
	dir     string
	counter atomic.Int64
	prefix  string
}

// Start launches ZooKeeper and three servers in a new temporary folder. The
// error wraps ErrNoZooKeeper or localserver.ErrNoBinary when one is missing.
func Start(ctx context.Context) (*Cluster, error) {
	bin, err := localserver.FindBinary(nil)
	if err != nil {
		return nil, err
	}
	if _, _, err := findZooKeeper(); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "perch-cluster-")
	if err != nil {
		return nil, fmt.Errorf("start test cluster: %w", err)
	}
	ports, err := localserver.FreePortN(1 + 3*3)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	c := &Cluster{dir: dir, prefix: fmt.Sprintf("c%d_", os.Getpid())}
	zk, err := StartZooKeeper(ctx, filepath.Join(dir, "zookeeper"), ports[0])
	if err != nil {
		c.Close()
		return nil, err
	}
	c.ZooKeeper = zk
	macros := []map[string]string{{"shard": "01", "replica": "r1"}, {"shard": "01", "replica": "r2"}, {"shard": "02", "replica": "r1"}}
	var addrs []string
	for i := range macros {
		addrs = append(addrs, fmt.Sprintf("127.0.0.1:%d", ports[1+3*i]))
	}
	cfg := localserver.ClusterConfig{
		ZooKeeper: []string{zk.Addr()},
		Clusters: []localserver.ClusterDef{
			{Name: Replicated, Shards: [][]string{{addrs[0], addrs[1]}}, InternalReplication: true},
			{Name: Sharded, Shards: [][]string{{addrs[0], addrs[1]}, {addrs[2]}}, InternalReplication: true},
		},
	}
	for i, m := range macros {
		nc := cfg
		nc.Macros = m
		n := &Node{Name: fmt.Sprintf("n%d", i), Macros: m, opts: localserver.LaunchOptions{
			Dir:     filepath.Join(dir, fmt.Sprintf("n%d", i)),
			Binary:  bin,
			Ports:   localserver.Ports{TCP: ports[1+3*i], HTTP: ports[2+3*i], Interserver: ports[3+3*i]},
			Cluster: &nc,
		}}
		c.Nodes = append(c.Nodes, n)
	}
	errs := make([]error, len(c.Nodes))
	var wg sync.WaitGroup
	for i, n := range c.Nodes {
		wg.Add(1)
		go func(i int, n *Node) { defer wg.Done(); errs[i] = n.Start(ctx) }(i, n)
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		c.Close()
		return nil, err
	}
	if err := c.probe(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// probe runs one ON CLUSTER statement through every node before the tests
// do. An 18.16 server whose DDL worker could not reach ZooKeeper when it
// started (a busy machine, or ZooKeeper restarted by a test) crashes at its
// first ON CLUSTER statement, or never runs one: then every node is
// restarted, up to three times.
func (c *Cluster) probe(ctx context.Context) error {
	var err error
	for attempt := 0; attempt < 4; attempt++ {
		if _, err = c.startStopped(ctx); err != nil {
			return err
		}
		var conn engine.Conn
		if conn, err = c.Nodes[0].Connect("default"); err != nil {
			return err
		}
		pctx := engine.WithSettings(ctx, engine.Settings{"distributed_ddl_task_timeout": 2 * 20}) // 18.16 reads it zig-zag: 20s
		err = conn.Exec(pctx, "CREATE DATABASE IF NOT EXISTS perch_probe ON CLUSTER "+Sharded)
		conn.Close()
		if err == nil {
			return nil
		}
		fmt.Fprintf(os.Stderr, "clustertest: probe ON CLUSTER failed (attempt %d): %v: restarting the nodes\n", attempt+1, err)
		for _, n := range c.Nodes {
			if serr := n.Stop(); serr != nil {
				return serr
			}
		}
	}
	return fmt.Errorf("test cluster: ON CLUSTER DDL does not run on every node: %w", err)
}

// Close kills the servers and ZooKeeper and removes their folder.
func (c *Cluster) Close() error {
	if c == nil {
		return nil
	}
	var errs []error
	for _, n := range c.Nodes {
		errs = append(errs, n.Stop())
	}
	if c.ZooKeeper != nil {
		c.ZooKeeper.Stop()
	}
	if os.Getenv("PERCH_CLUSTER_KEEP") != "" {
		fmt.Fprintf(os.Stderr, "clustertest: PERCH_CLUSTER_KEEP set: logs and data left in %s\n", c.dir)
	} else {
		os.RemoveAll(c.dir)
	}
	return errors.Join(errs...)
}

// Heal starts every node that is not running (stopped by a test, or
// crashed), says which it started, and when it started one, probes ON
// CLUSTER DDL through every node (restarting them all when a DDL worker
// missed ZooKeeper), so the next test gets a cluster that runs DDL.
func (c *Cluster) Heal(ctx context.Context) error {
	started, err := c.startStopped(ctx)
	if err != nil || !started {
		return err
	}
	return c.probe(ctx)
}

// startStopped starts every node that is not running and reports whether
// it started any.
func (c *Cluster) startStopped(ctx context.Context) (bool, error) {
	var errs []error
	started := false
	for _, n := range c.Nodes {
		if !n.Running() {
			fmt.Fprintf(os.Stderr, "clustertest: node %s was not running: starting it\n", n.Name)
			errs = append(errs, n.Start(ctx))
			started = true
		}
	}
	return started, errors.Join(errs...)
}

// Replicas are the nodes of the Replicated cluster (n0, n1).
func (c *Cluster) Replicas() []*Node { return c.Nodes[:2] }

// Shared is a cluster started by the first test that needs it and closed
// by TestMain.
type Shared struct {
	once sync.Once
	c    *Cluster
	err  error
}

// Get returns the running cluster, starting it on the first call. It skips
// t loudly when java, ZooKeeper or the server binary is missing (fails it
// under CI=true), and fails t when the cluster does not start.
func (s *Shared) Get(t testing.TB) *Cluster {
	t.Helper()
	s.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		s.c, s.err = Start(ctx)
		if s.err != nil && missing(s.err) && !clickhousetest.InCI() {
			fmt.Fprintf(os.Stderr, "\n*** clustertest: SKIPPING cluster integration tests: %v\n\n", s.err)
		}
	})
	if s.err != nil {
		if missing(s.err) && !clickhousetest.InCI() {
			t.Skipf("*** SKIPPED: no test cluster: %v", s.err)
		}
		t.Fatalf("clustertest: %v", s.err)
	}
	return s.c
}

func missing(err error) bool {
	return errors.Is(err, ErrNoZooKeeper) || errors.Is(err, localserver.ErrNoBinary)
}

// Close stops the cluster if a test started it.
func (s *Shared) Close() error {
	if s.c == nil {
		return nil
	}
	return s.c.Close()
}

// DB is a fresh database of one test on every node, dropped when it ends.
type DB struct {
	// Name is the database name (the same on every node).
	Name string
	// Conns are a connection per node (Conns[i] to Nodes[i]), default
	// database Name.
	Conns []engine.Conn
	c     *Cluster
}

// NewDatabase creates database Name on every node, with a connection to
// each; all are dropped and closed when t ends. Nodes stopped by the test
// are started again first.
func (c *Cluster) NewDatabase(t testing.TB) *DB {
	t.Helper()
	ctx := context.Background()
	if err := c.Heal(ctx); err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("%s%d", c.prefix, c.counter.Add(1))
	db := &DB{Name: name, c: c}
	for _, n := range c.Nodes {
		admin, err := n.Connect("default")
		if err != nil {
			t.Fatal(err)
		}
		err = admin.Exec(ctx, "CREATE DATABASE "+name)
		admin.Close()
		if err != nil {
			t.Fatalf("create database %s on %s: %v", name, n.Name, err)
		}
		conn, err := n.Connect(name)
		if err != nil {
			t.Fatal(err)
		}
		db.Conns = append(db.Conns, conn)
	}
	t.Cleanup(func() {
		for i, n := range c.Nodes {
			db.Conns[i].Close()
			if err := n.Start(ctx); err != nil {
				t.Errorf("restart %s: %v", n.Name, err)
				continue
			}
			admin, err := n.Connect("default")
			if err != nil {
				t.Error(err)
				continue
			}
			if err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name); err != nil {
				t.Errorf("drop database %s on %s: %v", name, n.Name, err)
			}
			admin.Close()
		}
	})
	return db
}

// DSN reaches the database on node i.
func (d *DB) DSN(i int) string { return d.c.Nodes[i].DSN(d.Name) }

// Exec runs each statement on node i, failing t on the first error.
func (d *DB) Exec(t testing.TB, i int, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if err := d.Conns[i].Exec(context.Background(), q); err != nil {
			t.Fatalf("exec %q on n%d: %v", q, i, err)
		}
	}
}

// QueryString runs a query returning one String-convertible value on node
// i, failing t on error.
func (d *DB) QueryString(t testing.TB, i int, q string) string {
	t.Helper()
	var out string
	if err := d.Conns[i].QueryRow(context.Background(), q).Scan(&out); err != nil {
		t.Fatalf("query %q on n%d: %v", q, i, err)
	}
	return strings.TrimSpace(out)
}

// SyncReplica waits until node i's replica of table has fetched every part
// its log names (SYSTEM SYNC REPLICA).
func (d *DB) SyncReplica(t testing.TB, i int, table string) {
	t.Helper()
	d.Exec(t, i, "SYSTEM SYNC REPLICA "+d.Name+"."+table)
}

// StartCluster starts a cluster for one test and stops it when tb ends;
// it skips tb loudly without java, ZooKeeper or a server binary (fails it
// under CI=true). Packages with several cluster tests share one with Shared.
func StartCluster(tb testing.TB) *Cluster {
	tb.Helper()
	var s Shared
	c := s.Get(tb)
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Error(err)
		}
	})
	return c
}
