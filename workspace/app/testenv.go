package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/engine"
)

// ScratchPrefix starts the name of every scratch database perch build and
// perch test create on a target.
const ScratchPrefix = "perch_test_"

// throwawayDatabase is the database of a throwaway engine.
const throwawayDatabase = "perch_test"

// TestEnv is where perch build and perch test deploy and run: a throwaway
// embedded engine in a temporary folder, or a scratch database created on
// a target. Never a workspace's own database: Close removes the folder or
// drops the database.
type TestEnv struct {
	// Client is connected to the environment's database.
	Client *workspace.Client
	// Where says what the environment is, for output.
	Where string
	// Started is how long opening it took.
	Started time.Duration
	close   func() error
}

// Close disconnects and removes the environment (the engine's folder, or
// the scratch database).
func (e *TestEnv) Close() error {
	if e == nil || e.close == nil {
		return nil
	}
	err := e.close()
	e.close = nil
	return err
}

// OpenThrowaway starts the embedded ClickHouse engine on a new temporary
// folder with an empty database. The process must not run another
// embedded engine already (libchdb runs one folder per process): use
// OpenScratch on that engine's target then.
func OpenThrowaway(ctx context.Context) (*TestEnv, error) {
	start := time.Now()
	dir, err := os.MkdirTemp("", "perch-test-")
	if err != nil {
		return nil, fmt.Errorf("throwaway engine: %w", err)
	}
	t := workspace.Target{Name: "test", DSN: workspace.EmbeddedScheme + dir, Database: throwawayDatabase, Source: "a throwaway embedded engine"}
	c, err := workspace.Open(ctx, t)
	if err != nil {
		os.RemoveAll(dir)
		if errors.Is(err, engine.ErrNoLibrary) {
			return nil, fmt.Errorf("throwaway engine: %w\n(or run the tests on a server with --target NAME or --dsn clickhouse://...)", err)
		}
		return nil, fmt.Errorf("throwaway engine: %w", err)
	}
	return &TestEnv{Client: c, Where: "a throwaway embedded engine", Started: time.Since(start), close: func() error {
		cerr := c.Close()
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("remove throwaway engine %s: %w", dir, err)
		}
		return cerr
	}}, nil
}

// OpenScratch creates a database named ScratchPrefix plus a random suffix
// on target t's server (or embedded folder) and connects to it; Close
// drops it. The target's own database is only used to connect.
func OpenScratch(ctx context.Context, t workspace.Target) (*TestEnv, error) {
	start := time.Now()
	admin, err := workspace.Open(ctx, t)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", t, err)
	}
	name := scratchName()
	if name == t.Database {
		admin.Close()
		return nil, fmt.Errorf("scratch database %s is the target's own database", name)
	}
	create := "CREATE DATABASE " + workspace.QuoteIdent(name)
	if t.Cluster != "" {
		create += " ON CLUSTER " + workspace.QuoteIdent(t.Cluster)
	}
	if err := admin.Exec(ctx, create); err != nil {
		admin.Close()
		return nil, fmt.Errorf("create scratch database on %s: %w", t, err)
	}
	drop := func() error {
		// Dropped even when ctx has ended (Ctrl-C): a scratch database is not left behind.
		dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		q := "DROP DATABASE IF EXISTS " + workspace.QuoteIdent(name)
		if t.Cluster != "" {
			q += " ON CLUSTER " + workspace.QuoteIdent(t.Cluster)
		}
		err := admin.Exec(dctx, q)
		admin.Close()
		if err != nil {
			return fmt.Errorf("drop scratch database %s on %s: %w", name, t, err)
		}
		return nil
	}
	st := t
	st.Database = name
	c, err := workspace.Open(ctx, st)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("connect to scratch database %s: %w", name, err), drop())
	}
	return &TestEnv{Client: c, Where: fmt.Sprintf("scratch database %s on %s", name, t.Name), Started: time.Since(start), close: func() error {
		return errors.Join(c.Close(), drop())
	}}, nil
}

// scratchName is ScratchPrefix, the time and a random suffix.
func scratchName() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return ScratchPrefix + time.Now().UTC().Format("20060102150405") + "_" + hex.EncodeToString(b[:])
}

// OpenTestEnvFor is where a front end working on target t runs tests: a
// scratch database on t when t is the embedded engine (this process then
// runs it, and libchdb runs one folder per process), else a throwaway
// embedded engine; never t's own database.
func OpenTestEnvFor(ctx context.Context, t workspace.Target) (*TestEnv, error) {
	if workspace.IsEmbeddedDSN(t.DSN) {
		return OpenScratch(ctx, t)
	}
	return OpenThrowaway(ctx)
}
