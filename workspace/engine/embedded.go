package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/perchdata/perch/datafiles/sqltext"
)

// EmbeddedOptions configure OpenEmbedded.
type EmbeddedOptions struct {
	// Database is the session's current database (USE); "" is default.
	Database string
	// CreateDatabase creates Database when it does not exist.
	CreateDatabase bool
	// Library lists the paths tried for libchdb; nil means LibraryCandidates(nil).
	Library []string
	// MaxSessions bounds the engine sessions run at once (default 16); a
	// query waits for a free one.
	MaxSessions int
}

// Embedded is ClickHouse running in this process from libchdb, on one data
// folder. It pools engine sessions: one session runs one query at a time,
// several sessions on the folder run concurrently (a writer goroutine can
// insert while a plan applies).
type Embedded struct {
	lib  *library
	path string
	opts EmbeddedOptions

	slots    chan struct{} // one token per session that may run
	mu       sync.Mutex
	idle     []*session
	all      []*session
	done     bool // closed: sessions are closed as they come back
	released bool // the folder is released
}

// session is one chdb connection.
type session struct {
	slot *cConnSlot
}

// OpenEmbedded starts (or joins, in this process) the embedded engine on
// folder path, created when missing. A folder held by another process is
// refused with ErrEngineBusy naming it; a missing library with ErrNoLibrary
// listing the paths tried.
func OpenEmbedded(ctx context.Context, path string, opts EmbeddedOptions) (*Embedded, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open embedded engine %s: %w", path, err)
	}
	if opts.Library == nil {
		opts.Library = LibraryCandidates(nil)
	}
	if opts.MaxSessions <= 0 {
		opts.MaxSessions = 16
	}
	lib, err := loadLibrary(opts.Library)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("open embedded engine %s: %w", abs, err)
	}
	if err := acquireEngine(abs); err != nil {
		return nil, err
	}
	e := &Embedded{lib: lib, path: abs, opts: opts, slots: make(chan struct{}, opts.MaxSessions)}
	if db := opts.Database; opts.CreateDatabase && db != "" && db != "default" {
		s, err := e.connectIn("")
		if err == nil {
			_, err = e.run(s, "CREATE DATABASE IF NOT EXISTS "+sqltext.QuoteIdent(db), "")
			e.lib.closeConn(s.slot)
		}
		if err != nil {
			releaseEngine()
			return nil, fmt.Errorf("open embedded engine %s: create database %s: %w", abs, db, err)
		}
	}
	s, err := e.acquire(ctx)
	if err != nil {
		releaseEngine()
		return nil, err
	}
	e.release(s)
	return e, nil
}

// Path is the engine's data folder.
func (e *Embedded) Path() string { return e.path }

// LibraryPath is the libchdb file loaded.
func (e *Embedded) LibraryPath() string { return e.lib.path }

// connect opens a new session on the folder, keeping the Go runtime's
// signal handlers.
func (e *Embedded) connect() (*session, error) { return e.connectIn(e.opts.Database) }

// connectIn opens a session whose current database is db.
func (e *Embedded) connectIn(db string) (*session, error) {
	args := []string{"clickhouse", "--path=" + e.path}
	restore := e.lib.keepSignalHandlers()
	argv, unpin := cArgv(args)
	slot := e.lib.connect(int32(len(args)), argv)
	unpin()
	restore()
	if slot == nil || slot.conn == nil {
		return nil, fmt.Errorf("open embedded engine %s: chdb_connect failed (is the folder a ClickHouse data folder of a compatible version?)", e.path)
	}
	s := &session{slot: slot}
	if db != "" && db != "default" {
		if _, err := e.run(s, "USE "+sqltext.QuoteIdent(db), ""); err != nil {
			e.lib.closeConn(slot)
			return nil, err
		}
	}
	return s, nil
}

// acquire takes an idle session or opens one, waiting while MaxSessions run.
func (e *Embedded) acquire(ctx context.Context) (*session, error) {
	select {
	case e.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	e.mu.Lock()
	if e.done {
		e.mu.Unlock()
		<-e.slots
		return nil, errors.New("embedded engine: connection closed")
	}
	if n := len(e.idle); n > 0 {
		s := e.idle[n-1]
		e.idle = e.idle[:n-1]
		e.mu.Unlock()
		return s, nil
	}
	e.mu.Unlock()
	s, err := e.connect()
	if err != nil {
		<-e.slots
		return nil, err
	}
	e.mu.Lock()
	e.all = append(e.all, s)
	e.mu.Unlock()
	return s, nil
}

// release returns a session to the pool (or closes it after Close).
func (e *Embedded) release(s *session) {
	e.mu.Lock()
	if e.done {
		e.mu.Unlock()
		e.discard(s)
		return
	}
	e.idle = append(e.idle, s)
	e.mu.Unlock()
	<-e.slots
}

// discard closes a session instead of returning it to the pool; the last
// session closed after Close releases the folder.
func (e *Embedded) discard(s *session) {
	e.mu.Lock()
	e.all = remove(e.all, s)
	last := e.done && len(e.all) == 0 && !e.released
	if last {
		e.released = true
	}
	e.mu.Unlock()
	e.lib.closeConn(s.slot)
	<-e.slots
	if last {
		releaseEngine()
	}
}

func remove(list []*session, s *session) []*session {
	for i, x := range list {
		if x == s {
			return append(list[:i], list[i+1:]...)
		}
	}
	return list
}

// result is a materialized query result copied into Go memory.
type result struct {
	data                  []byte
	rows                  uint64
	storageRows, storageB uint64
	elapsed               time.Duration
}

// run executes one statement on s and copies its result.
func (e *Embedded) run(s *session, query, format string) (*result, error) {
	if format == "" {
		format = "Native"
	}
	r := e.lib.query(s.slot.conn, query, format)
	if r == nil {
		return &result{}, nil
	}
	defer e.lib.destroyResult(r)
	return e.copyResult(r)
}

// copyResult reads a chdb_result into Go memory, or its error.
func (e *Embedded) copyResult(r *cResult) (*result, error) {
	if msg := cString(e.lib.resultError(r)); msg != "" {
		return nil, parseException(msg)
	}
	out := &result{
		rows:        e.lib.resultRows(r),
		storageRows: e.lib.storageRows(r),
		storageB:    e.lib.storageBytes(r),
		elapsed:     time.Duration(e.lib.resultElapsed(r) * float64(time.Second)),
	}
	if n := e.lib.resultLength(r); n > 0 {
		out.data = make([]byte, n)
		copy(out.data, cBytes(e.lib.resultBuffer(r), int(n)))
	}
	return out, nil
}

// Exec implements Conn.
func (e *Embedded) Exec(ctx context.Context, query string) error {
	_, err := e.exec(ctx, query)
	return err
}

// exec runs one statement with ctx's options, materialized.
func (e *Embedded) exec(ctx context.Context, query string) (*result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s, err := e.acquire(ctx)
	if err != nil {
		return nil, err
	}
	cut := false
	defer func() {
		if cut {
			// A query killed midway stays listed in system.processes (it
			// runs no more) until its session closes.
			e.discard(s)
		} else {
			e.release(s)
		}
	}()
	st, err := prepare(ctx, query)
	if err != nil {
		return nil, err
	}
	for _, set := range st.before {
		if _, err := e.run(s, set, ""); err != nil {
			return nil, fmt.Errorf("%s: %w", set, err)
		}
	}
	defer func() {
		for _, reset := range st.after {
			_, _ = e.run(s, reset, "")
		}
	}()
	start := time.Now()
	stop := e.killOnDone(ctx, st.id)
	res, err := e.run(s, st.query, "")
	stop()
	if err != nil {
		if ctx.Err() != nil {
			cut = true
			return nil, fmt.Errorf("%w: %v", ctx.Err(), err)
		}
		return nil, err
	}
	st.report(res.storageRows, res.storageB, res.rows, time.Since(start))
	return res, nil
}

// killOnDone kills the query marked id when ctx ends before the returned
// stop is called, again until it has stopped: a KILL that comes before the
// query is registered finds nothing.
func (e *Embedded) killOnDone(ctx context.Context, id string) (stop func()) {
	finished := make(chan struct{})
	after := context.AfterFunc(ctx, func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			_ = e.Cancel(context.Background(), id)
			select {
			case <-finished:
				return
			case <-t.C:
			}
		}
	})
	return func() {
		after()
		close(finished)
	}
}

// Query implements Conn: the result streams in chunks.
func (e *Embedded) Query(ctx context.Context, query string) (Rows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s, err := e.acquire(ctx)
	if err != nil {
		return nil, err
	}
	st, err := prepare(ctx, query)
	if err != nil {
		e.release(s)
		return nil, err
	}
	for _, set := range st.before {
		if _, err := e.run(s, set, ""); err != nil {
			e.release(s)
			return nil, fmt.Errorf("%s: %w", set, err)
		}
	}
	r := &embeddedRows{e: e, s: s, st: st, ctx: ctx, start: time.Now()}
	r.stopKill = e.killOnDone(ctx, st.id)
	stream := e.lib.streamQuery(s.slot.conn, st.query, "Native")
	if stream != nil {
		if msg := cString(e.lib.resultError(stream)); msg != "" {
			e.lib.destroyResult(stream)
			if !strings.Contains(msg, streamingRefused) {
				r.ended = true
				r.fail(parseException(msg))
				return nil, r.err
			}
			// Only SELECTs stream: DESCRIBE, SHOW, EXPLAIN... come whole.
			res, err := e.run(s, st.query, "")
			r.ended = true
			if err != nil {
				r.fail(err)
				return nil, r.err
			}
			r.readRows, r.readB = res.storageRows, res.storageB
			if err := r.decode(res.data); err != nil {
				r.fail(err)
				return nil, r.err
			}
			if len(r.blocks) == 0 {
				r.finish()
			}
			return r, nil
		}
	}
	r.stream = stream
	// Read the first chunk now, so that errors of the query surface from
	// Query as they do over the native protocol, and columns are known.
	if !r.fetch() && r.err != nil {
		err := r.err
		r.Close()
		return nil, err
	}
	return r, nil
}

// streamingRefused is the engine's answer to a streamed statement that is
// not a SELECT.
const streamingRefused = "Streaming query is not supported"

// QueryRow implements Conn.
func (e *Embedded) QueryRow(ctx context.Context, query string) Row {
	rows, err := e.Query(ctx, query)
	return &firstRow{rows: rows, err: err}
}

// Cancel implements Conn: KILL QUERY ... ASYNC (SYNC waits forever on the
// embedded engine) on a session of its own, matching the query by the
// marker comment its id put in front of it.
func (e *Embedded) Cancel(ctx context.Context, queryID string) error {
	if queryID == "" {
		return nil
	}
	s, err := e.acquire(ctx)
	if err != nil {
		return fmt.Errorf("cancel query %s: %w", queryID, err)
	}
	defer e.release(s)
	q := "KILL QUERY WHERE " + ProcessCondition(KindEmbedded, queryID) + " ASYNC"
	if _, err := e.run(s, q, ""); err != nil {
		return fmt.Errorf("cancel query %s: %w", queryID, err)
	}
	return nil
}

// ServerVersion implements Conn.
func (e *Embedded) ServerVersion(ctx context.Context) (string, error) {
	var v string
	if err := e.QueryRow(ctx, "SELECT version()").Scan(&v); err != nil {
		return "", err
	}
	return v, nil
}

// Kind implements Conn.
func (e *Embedded) Kind() Kind { return KindEmbedded }

// Close implements Conn: it closes the idle sessions at once and the ones
// in use when their query ends (it does not wait for them), then releases
// the folder.
func (e *Embedded) Close() error {
	e.mu.Lock()
	if e.done {
		e.mu.Unlock()
		return nil
	}
	e.done = true
	idle := e.idle
	e.idle = nil
	for _, s := range idle {
		e.all = remove(e.all, s)
	}
	last := len(e.all) == 0
	e.released = last
	e.mu.Unlock()
	for _, s := range idle {
		e.lib.closeConn(s.slot)
	}
	if last {
		releaseEngine()
	}
	return nil
}
