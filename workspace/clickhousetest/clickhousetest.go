// Package clickhousetest runs a private ClickHouse server for the integration
// tests of one package and hands each test a fresh database.
//
//	var srv *clickhousetest.Server
//
//	func TestMain(m *testing.M) { os.Exit(clickhousetest.Run(m, &srv)) }
//
//	func TestX(t *testing.T) {
//		db := srv.NewDatabase(t) // skips (or fails under CI=true) without a server binary
//		db.Exec(t, "CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a")
//	}
//
// Without a server binary the tests skip with a loud message, but fail when
// the environment variable CI is "true".
package clickhousetest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/perchdata/perch/workspace/localserver"
)

// Server is a private ClickHouse server shared by the tests of a package.
type Server struct {
	proc    *localserver.Process
	dir     string
	ownDir  bool
	skip    error // why no server runs (no binary), nil when it runs
	counter atomic.Int64
	prefix  string
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

// Run is TestMain's body: it starts a server into *srv, runs the tests and
// stops the server. Without a binary it still runs the tests (the ones that
// need the server skip) unless CI=true, when it fails at once.
func Run(m *testing.M, srv **Server) int {
	s, err := Start(context.Background())
	if err != nil {
		if errors.Is(err, localserver.ErrNoBinary) && !InCI() {
			fmt.Fprintf(os.Stderr, "\n*** clickhousetest: SKIPPING ClickHouse integration tests: %v\n\n", err)
			*srv = &Server{skip: err}
			return m.Run()
		}
		fmt.Fprintf(os.Stderr, "clickhousetest: %v\n", err)
		return 1
	}
	*srv = s
	code := m.Run()
	if err := s.Close(); err != nil {
		fmt.Fprintf(os.Stderr, "clickhousetest: %v\n", err)
	}
	return code
}

// InCI reports whether CI=true, where a missing server fails the tests.
func InCI() bool { return strings.EqualFold(os.Getenv("CI"), "true") }

// Require skips t (or fails it under CI=true) when the server is not running.
func (s *Server) Require(t testing.TB) {
	t.Helper()
	if s == nil {
		t.Fatal("clickhousetest: server not started: call clickhousetest.Run(m, &srv) from TestMain")
	}
	if s.skip != nil {
		if InCI() {
			t.Fatalf("clickhousetest: no ClickHouse server (CI=true): %v", s.skip)
		}
		t.Skipf("*** SKIPPED: no ClickHouse server binary: %v", s.skip)
	}
}

// Addr is the native-protocol address, 127.0.0.1:port.
func (s *Server) Addr() string { return s.proc.TCPAddr() }

// HTTPPort is the server's HTTP port.
func (s *Server) HTTPPort() int { return s.proc.Ports.HTTP }

// DSN returns a clickhouse:// DSN for database db.
func (s *Server) DSN(db string) string {
	return fmt.Sprintf("clickhouse://default@%s/%s", s.Addr(), db)
}

// Close kills the server and removes its folder.
func (s *Server) Close() error {
	if s == nil || s.proc == nil {
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

// Connect opens a native connection to database db.
func (s *Server) Connect(db string) (driver.Conn, error) {
	conn, err := clickhouse.Open(&clickhouse.Options{
		Addr:        []string{s.Addr()},
		Auth:        clickhouse.Auth{Database: db, Username: "default"},
		DialTimeout: 5 * time.Second,
	})
	if err != nil {
		return nil, fmt.Errorf("connect to test server %s: %w", s.Addr(), err)
	}
	return conn, nil
}

// DB is a fresh database of one test, dropped when the test ends.
type DB struct {
	// Name is the database name.
	Name string
	// Conn is a connection whose default database is Name.
	Conn driver.Conn
	// DSN reaches the database: clickhouse://default@127.0.0.1:port/Name.
	DSN string
	// Addr is the native-protocol address, 127.0.0.1:port.
	Addr string
}

// NewDatabase creates a fresh database for t, with a connection to it; both
// are dropped and closed when t ends. It skips t without a server binary.
func (s *Server) NewDatabase(t testing.TB) *DB {
	t.Helper()
	s.Require(t)
	name := fmt.Sprintf("%s%d", s.prefix, s.counter.Add(1))
	admin, err := s.Connect("default")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		t.Fatalf("create database %s: %v", name, err)
	}
	conn, err := s.Connect(name)
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
	return &DB{Name: name, Conn: conn, DSN: s.DSN(name), Addr: s.Addr()}
}

// Exec runs each statement in order, failing t on the first error.
func (d *DB) Exec(t testing.TB, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if err := d.Conn.Exec(context.Background(), q); err != nil {
			t.Fatalf("exec %q: %v", q, err)
		}
	}
}

// QueryString runs a query returning one String-convertible value (wrap the
// expression in toString) and returns it, failing t on error.
func (d *DB) QueryString(t testing.TB, q string) string {
	t.Helper()
	var out string
	if err := d.Conn.QueryRow(context.Background(), q).Scan(&out); err != nil {
		t.Fatalf("query %q: %v", q, err)
	}
	return out
}
