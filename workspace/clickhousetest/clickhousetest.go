// Package clickhousetest gives the integration tests of one package two real
// ClickHouse engines: a private ClickHouse server (18.16 here, over the
// native protocol) and the embedded ClickHouse 26.x engine (libchdb, in this
// process, in a private folder). Each test gets a fresh database.
//
//	var srv *clickhousetest.Server
//
//	func TestMain(m *testing.M) { os.Exit(clickhousetest.Run(m, &srv)) }
//
//	func TestX(t *testing.T) {
//		srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
//			db.Exec(t, "CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a")
//		})
//	}
//
// ForEach runs the test once per engine, as subtests named "native" and
// "embedded"; NewDatabase gives a database on the server only, for tests
// that one engine cannot run (say why in the test). Without a server binary,
// or without libchdb, that engine's tests skip with a loud message, but fail
// when the environment variable CI is "true".
package clickhousetest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/perchdata/perch/workspace/engine"
	"github.com/perchdata/perch/workspace/localserver"
)

// Server is a private ClickHouse server and an embedded engine shared by
// the tests of a package.
type Server struct {
	proc    *localserver.Process
	dir     string
	ownDir  bool
	skip    error // why no server runs (no binary), nil when it runs
	counter atomic.Int64
	prefix  string

	embedded     *engine.Embedded // the embedded engine's admin connection
	embeddedDir  string
	embeddedSkip error // why no embedded engine runs (no libchdb)
	embeddedOnce sync.Once
}

// Start launches a server in a new temporary folder. The error wraps
// localserver.ErrNoBinary when no binary is installed.
func Start(ctx context.Context) (*Server, error) {
	dir, err := os.MkdirTemp("", "perch-clickhouse-")
	if err != nil {
		return nil, fmt.Errorf("start test server: %w", err)
	}
	bin, err := localserver.FindBinary(nil)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	p, err := localserver.Launch(ctx, localserver.LaunchOptions{Dir: dir, Binary: bin})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &Server{proc: p, dir: dir, ownDir: true, prefix: fmt.Sprintf("t%d_", os.Getpid())}, nil
}

// StartServer starts a private server for one test or benchmark and stops
// it when tb ends; without a server binary it skips tb (fails it under
// CI=true). Tests that share a server use Run from TestMain instead.
func StartServer(tb testing.TB) *Server {
	tb.Helper()
	s, err := Start(context.Background())
	if errors.Is(err, localserver.ErrNoBinary) && !InCI() {
		tb.Skipf("*** SKIPPED: %v", err)
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Error(err)
		}
	})
	return s
}

// Run is TestMain's body: it starts a server into *srv, runs the tests and
// stops it (and the embedded engine, started by the first test that needs
// it). Without a server binary it still runs the tests (the ones that need
// the server skip) unless CI=true, when it fails at once.
func Run(m *testing.M, srv **Server) int {
	s, err := Start(context.Background())
	if err != nil {
		if !errors.Is(err, localserver.ErrNoBinary) || InCI() {
			fmt.Fprintf(os.Stderr, "clickhousetest: %v\n", err)
			return 1
		}
		fmt.Fprintf(os.Stderr, "\n*** clickhousetest: SKIPPING ClickHouse server integration tests: %v\n\n", err)
		s = &Server{skip: err, prefix: fmt.Sprintf("t%d_", os.Getpid())}
	}
	*srv = s
	code := m.Run()
	if err := s.Close(); err != nil {
		fmt.Fprintf(os.Stderr, "clickhousetest: %v\n", err)
	}
	return code
}

// startEmbedded opens the embedded engine in a new temporary folder, once:
// only packages whose tests use it pay for starting it. Without libchdb it
// says so loudly once and records why.
func (s *Server) startEmbedded() {
	s.embeddedOnce.Do(func() {
		dir, err := os.MkdirTemp("", "perch-chdb-")
		if err != nil {
			s.embeddedSkip = fmt.Errorf("start embedded engine: %w", err)
			return
		}
		e, err := engine.OpenEmbedded(context.Background(), dir, engine.EmbeddedOptions{})
		if err != nil {
			os.RemoveAll(dir)
			s.embeddedSkip = err
			if errors.Is(err, engine.ErrNoLibrary) {
				fmt.Fprintf(os.Stderr, "\n*** clickhousetest: SKIPPING embedded-engine integration tests: %v\n\n", err)
			}
			return
		}
		s.embedded, s.embeddedDir = e, dir
	})
}

// InCI reports whether CI=true, where a missing server fails the tests.
func InCI() bool { return strings.EqualFold(os.Getenv("CI"), "true") }

// Require skips t (or fails it under CI=true) when the server is not running.
func (s *Server) Require(t testing.TB) { s.RequireEngine(t, engine.KindNative) }

// RequireEngine skips t (or fails it under CI=true) when the engine of kind
// is not running.
func (s *Server) RequireEngine(t testing.TB, kind engine.Kind) {
	t.Helper()
	if s == nil {
		t.Fatal("clickhousetest: server not started: call clickhousetest.Run(m, &srv) from TestMain")
	}
	why := s.skip
	if kind == engine.KindEmbedded {
		s.startEmbedded()
		why = s.embeddedSkip
	}
	if why != nil {
		if InCI() {
			t.Fatalf("clickhousetest: no %s ClickHouse engine (CI=true): %v", kind, why)
		}
		t.Skipf("*** SKIPPED: no %s ClickHouse engine: %v", kind, why)
	}
}

// Engines are the engines every integration test runs on, in order.
func (s *Server) Engines() []engine.Kind {
	return []engine.Kind{engine.KindNative, engine.KindEmbedded}
}

// ForEach runs fn once per engine (see Engines), each as a subtest named
// after the engine's kind with a fresh database on it. An engine that does
// not run skips its subtest (fails it under CI=true).
func (s *Server) ForEach(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Helper()
	for _, kind := range s.Engines() {
		t.Run(string(kind), func(t *testing.T) { fn(t, s.NewDatabaseOn(t, kind)) })
	}
}

// EmbeddedDir is the embedded engine's data folder, starting the engine
// ("" when it does not run).
func (s *Server) EmbeddedDir() string {
	s.startEmbedded()
	return s.embeddedDir
}

// Addr is the native-protocol address, 127.0.0.1:port.
func (s *Server) Addr() string { return s.proc.TCPAddr() }

// HTTPPort is the server's HTTP port.
func (s *Server) HTTPPort() int { return s.proc.Ports.HTTP }

// DSN returns a clickhouse:// DSN for database db.
func (s *Server) DSN(db string) string {
	return fmt.Sprintf("clickhouse://default@%s/%s", s.Addr(), db)
}

// Close kills the server, closes the embedded engine and removes their folders.
func (s *Server) Close() error {
	if s == nil {
		return nil
	}
	if s.embedded != nil {
		s.embedded.Close()
		os.RemoveAll(s.embeddedDir)
		s.embedded = nil
	}
	if s.proc == nil {
		return nil
	}
	err := s.proc.Kill() // its data is thrown away: no need for a clean shutdown
	if s.ownDir {
		os.RemoveAll(s.dir)
	}
	if err != nil {
		return fmt.Errorf("stop test server: %w", err)
	}
	return nil
}

// Connect opens a native connection to database db on the server.
func (s *Server) Connect(db string) (engine.Conn, error) {
	conn, err := engine.OpenNative(&clickhouse.Options{
		Addr:        []string{s.Addr()},
		Auth:        clickhouse.Auth{Database: db, Username: "default"},
		DialTimeout: 5 * time.Second,
	})
	if err != nil {
		return nil, fmt.Errorf("connect to test server %s: %w", s.Addr(), err)
	}
	return conn, nil
}

// ConnectOn opens a connection to database db on the engine of kind.
func (s *Server) ConnectOn(ctx context.Context, kind engine.Kind, db string) (engine.Conn, error) {
	if kind == engine.KindNative {
		return s.Connect(db)
	}
	s.startEmbedded()
	if s.embedded == nil {
		return nil, fmt.Errorf("connect to embedded engine: %w", s.embeddedSkip)
	}
	return engine.OpenEmbedded(ctx, s.embeddedDir, engine.EmbeddedOptions{Database: db})
}

// DB is a fresh database of one test, dropped when the test ends.
type DB struct {
	// Name is the database name.
	Name string
	// Conn is a connection whose default database is Name.
	Conn engine.Conn
	// Kind is the engine the database lives on.
	Kind engine.Kind
	// DSN reaches the database: clickhouse://default@127.0.0.1:port/Name on
	// the server, chdb://FOLDER?database=Name on the embedded engine.
	DSN string
	// Addr is the server's native-protocol address, 127.0.0.1:port ("" on
	// the embedded engine).
	Addr string
}

// NewDatabase creates a fresh database on the server for t, with a
// connection to it; both are dropped and closed when t ends. It skips t
// without a server binary. Tests that run on every engine use ForEach.
func (s *Server) NewDatabase(t testing.TB) *DB { return s.NewDatabaseOn(t, engine.KindNative) }

// NewDatabaseOn creates a fresh database on the engine of kind for t, with
// a connection to it; both are dropped and closed when t ends. It skips t
// when that engine does not run (fails it under CI=true).
func (s *Server) NewDatabaseOn(t testing.TB, kind engine.Kind) *DB {
	t.Helper()
	s.RequireEngine(t, kind)
	name := fmt.Sprintf("%s%d", s.prefix, s.counter.Add(1))
	ctx := context.Background()
	admin, err := s.ConnectOn(ctx, kind, "default")
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		t.Fatalf("create database %s: %v", name, err)
	}
	conn, err := s.ConnectOn(ctx, kind, name)
	if err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.Close()
		if err := admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
		admin.Close()
	})
	db := &DB{Name: name, Conn: conn, Kind: kind}
	if kind == engine.KindNative {
		db.DSN, db.Addr = s.DSN(name), s.Addr()
	} else {
		db.DSN = "chdb://" + s.embeddedDir + "?database=" + name
	}
	return db
}

// Exec runs each statement in order, failing t on the first error.
func (d *DB) Exec(t testing.TB, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if err := d.Conn.Exec(context.Background(), q); err != nil {
			t.Fatalf("exec %q on %s: %v", q, d.Kind, err)
		}
	}
}

// QueryString runs a query returning one String-convertible value (wrap the
// expression in toString) and returns it, failing t on error.
func (d *DB) QueryString(t testing.TB, q string) string {
	t.Helper()
	var out string
	if err := d.Conn.QueryRow(context.Background(), q).Scan(&out); err != nil {
		t.Fatalf("query %q on %s: %v", q, d.Kind, err)
	}
	return out
}
