package apply

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/engine"
)

// recordConn is an engine connection that records every statement perch
// sends and can fail one, as a broken connection would: before the engine
// gets it (lost) or after the engine ran it (ran, the answer lost). It is
// how the tests see the SQL apply really runs, and how they inject faults
// on the embedded engine, which has no network to cut.
type recordConn struct {
	engine.Conn
	mu    sync.Mutex
	stmts []string
	// fault, when set, is asked about each statement: fail it, and whether
	// to run it first. It is cleared after the first fault.
	fault func(q string) (fail, run bool)
	cuts  int
	// before, when set, is called with each statement before it runs.
	before func(q string)
	// dies makes the first fault the end of the connection: every later
	// statement fails too, unsent (the process that held it is gone).
	dies, dead bool
}

// errCut is the error of a statement cut by recordConn.
var errCut = errors.New("recordConn: connection cut (injected fault)")

// openRecorded opens a client on db whose statements are recorded.
func openRecorded(t testing.TB, db *clickhousetest.DB) (*workspace.Client, *recordConn) {
	t.Helper()
	ctx := context.Background()
	conn, err := srv.ConnectOn(ctx, db.Kind, db.Name)
	if err != nil {
		t.Fatal(err)
	}
	rc := &recordConn{Conn: conn}
	c, err := workspace.NewClient(ctx, rc, workspace.Target{Name: "recorded", DSN: db.DSN, Database: db.Name, Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, rc
}

// Arm makes the first statement containing match fail; run lets the engine
// run it first.
func (r *recordConn) Arm(match string, run bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fault = func(q string) (bool, bool) { return strings.Contains(q, match), run }
}

// Cuts is how many statements were failed.
func (r *recordConn) Cuts() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cuts
}

// Statements returns the statements sent so far.
func (r *recordConn) Statements() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.stmts...)
}

// record notes q and says whether to fail it and whether to run it first.
func (r *recordConn) record(q string) (fail, run bool) {
	r.mu.Lock()
	if b := r.before; b != nil {
		r.mu.Unlock()
		b(q)
		r.mu.Lock()
	}
	defer r.mu.Unlock()
	r.stmts = append(r.stmts, q)
	if r.dead {
		return true, false
	}
	if r.fault == nil {
		return false, true
	}
	if fail, run = r.fault(q); fail {
		r.fault = nil
		r.cuts++
		r.dead = r.dies
		return true, run
	}
	return false, true
}

// Exec records q and runs it, unless it is the statement to fail.
func (r *recordConn) Exec(ctx context.Context, q string) error {
	fail, run := r.record(q)
	var err error
	if run {
		err = r.Conn.Exec(ctx, q)
	}
	if fail {
		return errCut
	}
	return err
}

// Query records q and runs it, unless it is the statement to fail.
func (r *recordConn) Query(ctx context.Context, q string) (engine.Rows, error) {
	fail, run := r.record(q)
	if fail {
		if run {
			if rows, err := r.Conn.Query(ctx, q); err == nil {
				for rows.Next() {
				}
				rows.Close()
			}
		}
		return nil, errCut
	}
	return r.Conn.Query(ctx, q)
}

// QueryRow records q and runs it, unless it is the statement to fail.
func (r *recordConn) QueryRow(ctx context.Context, q string) engine.Row {
	fail, run := r.record(q)
	if fail {
		if run {
			_ = r.Conn.QueryRow(ctx, q).Scan()
		}
		return errRow{errCut}
	}
	return r.Conn.QueryRow(ctx, q)
}

// errRow is a Row whose query failed.
type errRow struct{ err error }

// Scan returns the query's error.
func (e errRow) Scan(...any) error { return e.err }

// Err returns the query's error.
func (e errRow) Err() error { return e.err }

// deployedStream is a recorded connection to db with the streaming project
// (streamFiles) deployed and its initial rows inserted.
func deployedStream(t testing.TB, db *clickhousetest.DB) (*workspace.Client, *recordConn) {
	t.Helper()
	c, rc := openRecorded(t, db)
	if _, err := Apply(context.Background(), c, planFor(t, c, loadDir(t, writeDir(t, streamFiles()))), Options{}); err != nil {
		t.Fatal(err)
	}
	db.Exec(t, initialInsert)
	return c, rc
}
