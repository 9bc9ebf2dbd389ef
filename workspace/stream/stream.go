// Package stream generates live traffic for the example project: it inserts
// realistic product-analytics events into an events table at a steady rate,
// generated on the server with INSERT ... SELECT ... FROM numbers(N), until its
// context is cancelled, and keeps an exact tally of the rows it inserted so a
// test (or the demo) can prove that a change made under ingestion lost none.
//
// The target table must have the columns of examples/analytics'
// events.datasource: event_id, timestamp, session_id, user_id, event_type,
// pathname, referrer, country, device, browser, duration_ms, revenue.
// Every row gets a unique event_id; ids of one run are contiguous from
// Config.FirstID, so `uniqExact(event_id)` over the tally's range counts what
// arrived.
package stream

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"
)

// Execer runs one statement. An engine.Conn satisfies it.
type Execer interface {
	Exec(ctx context.Context, query string) error
}

// Config says where and how fast to stream. Zero fields take the defaults
// documented on each field.
type Config struct {
	// Table is the events table, optionally database-qualified. Default "events".
	Table string
	// RowsPerSecond is the average ingestion rate. Default 200.
	RowsPerSecond float64
	// BatchInterval is the time between two inserts. Default 1s.
	BatchInterval time.Duration
	// FirstID is the event_id of the first row. Default: the start time in
	// microseconds times 1000, so runs started at different times never reuse
	// an id (unless one run inserts more than a billion rows per second).
	FirstID uint64
	// Sessions is how many sessions are active at once. Default 300.
	Sessions int
	// SessionLength is how long a session lives before its slot starts a new
	// one. Default 20m.
	SessionLength time.Duration
	// Users is how many distinct users the sessions belong to. Default 2000.
	Users int
	// LateFraction is the share of events that arrive late, with a timestamp
	// up to MaxLateness in the past (mobile clients reconnecting). Default 0.01;
	// a negative value means none.
	LateFraction float64
	// MaxLateness bounds how far in the past a late event's timestamp is. Default 2h.
	MaxLateness time.Duration
	// InsertTimeout bounds one insert. An insert in flight when the context is
	// cancelled still runs to completion (within this bound), so the tally is
	// exact. Default 30s.
	InsertTimeout time.Duration
	// OnBatch, when set, is called after every insert, failed or not.
	OnBatch func(Batch)
	// KeepGoing makes Run continue after a failed insert (the failure is
	// recorded in the tally); otherwise Run stops at the first failure.
	KeepGoing bool
	// Retries is how many times a failed insert is sent again, identical
	// (same rows, same ids), as producers do after an error or a timeout.
	// A batch confirmed after a retry is in Tally.Retried: the failed
	// attempt may have stored its rows too. Default 0.
	Retries int
}

// Batch is one insert of the stream.
type Batch struct {
	// Seq numbers the batches of a run from 1.
	Seq uint64
	// IDs are the event ids the batch inserted (or tried to).
	IDs Range
	// Took is how long the insert ran.
	Took time.Duration
	// Err is the insert's error; its rows may or may not be stored.
	Err error
	// Attempts counts the failed attempts before the last one (Config.Retries).
	Attempts int
}

func (c Config) withDefaults(now time.Time) (Config, error) {
	if c.Table == "" {
		c.Table = "events"
	}
	if c.RowsPerSecond == 0 {
		c.RowsPerSecond = 200
	}
	if c.BatchInterval == 0 {
		c.BatchInterval = time.Second
	}
	if c.FirstID == 0 {
		c.FirstID = uint64(now.UnixMicro()) * 1000
	}
	if c.Sessions == 0 {
		c.Sessions = 300
	}
	if c.SessionLength == 0 {
		c.SessionLength = 20 * time.Minute
	}
	if c.Users == 0 {
		c.Users = 2000
	}
	if c.LateFraction == 0 {
		c.LateFraction = 0.01
	}
	if c.LateFraction < 0 {
		c.LateFraction = 0
	}
	if c.MaxLateness == 0 {
		c.MaxLateness = 2 * time.Hour
	}
	if c.InsertTimeout == 0 {
		c.InsertTimeout = 30 * time.Second
	}
	switch {
	case !validTable(c.Table):
		return c, fmt.Errorf("stream config: table %q: want name or database.name of letters, digits and _", c.Table)
	case c.RowsPerSecond < 0 || math.IsNaN(c.RowsPerSecond) || math.IsInf(c.RowsPerSecond, 0):
		return c, fmt.Errorf("stream config: rows per second %v: want a positive number", c.RowsPerSecond)
	case c.BatchInterval < time.Millisecond:
		return c, fmt.Errorf("stream config: batch interval %v: want at least 1ms", c.BatchInterval)
	case c.Sessions < 0 || c.Users < 0:
		return c, fmt.Errorf("stream config: sessions %d, users %d: want positive counts", c.Sessions, c.Users)
	case c.SessionLength < time.Second || c.MaxLateness < time.Minute:
		return c, fmt.Errorf("stream config: session length %v, max lateness %v: want at least 1s and 1m", c.SessionLength, c.MaxLateness)
	case c.LateFraction > 1:
		return c, fmt.Errorf("stream config: late fraction %v: want 0..1", c.LateFraction)
	case c.Retries < 0:
		return c, fmt.Errorf("stream config: retries %d: want 0 or more", c.Retries)
	}
	return c, nil
}

// Streamer inserts generated events at a steady rate. Run it once; Tally may
// be read from other goroutines while it runs.
type Streamer struct {
	conn Execer
	cfg  Config

	mu    sync.Mutex
	tally Tally
}

// New returns a Streamer writing through conn with cfg (defaults filled in).
func New(conn Execer, cfg Config) (*Streamer, error) {
	if conn == nil {
		return nil, errors.New("stream: nil connection")
	}
	c, err := cfg.withDefaults(time.Now())
	if err != nil {
		return nil, err
	}
	return &Streamer{conn: conn, cfg: c, tally: Tally{FirstID: c.FirstID, NextID: c.FirstID}}, nil
}

// Config returns the configuration in use, defaults filled in.
func (s *Streamer) Config() Config { return s.cfg }

// Tally returns what was inserted so far.
func (s *Streamer) Tally() Tally {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tally.clone()
}

// Run streams until ctx is cancelled and returns the final tally. On
// cancellation it waits for the insert in flight, so the tally counts exactly
// the rows whose insert succeeded. It returns an error (with the tally so far)
// when an insert fails and Config.KeepGoing is false.
func (s *Streamer) Run(ctx context.Context) (Tally, error) {
	ticker := time.NewTicker(s.cfg.BatchInterval)
	defer ticker.Stop()
	sched := newSchedule(s.cfg.RowsPerSecond, s.cfg.BatchInterval, time.Now())
	for {
		select {
		case <-ctx.Done():
			return s.Tally(), nil
		case now := <-ticker.C:
			n := sched.due(now)
			if n == 0 {
				continue
			}
			if err := s.insert(ctx, n); err != nil && !s.cfg.KeepGoing {
				return s.Tally(), err
			}
		}
	}
}

// insert runs one batch of n rows and records it in the tally.
func (s *Streamer) insert(ctx context.Context, n uint64) error {
	s.mu.Lock()
	b := Batch{Seq: s.tally.Batches + uint64(len(s.tally.Failed)) + 1, IDs: Range{From: s.tally.NextID, To: s.tally.NextID + n}}
	s.mu.Unlock()

	// The insert must not be cut off by the caller's cancellation: a cancelled
	// insert may or may not have committed, which would make the tally inexact.
	start := time.Now()
	q := InsertSQL(s.cfg, b.IDs.From, n)
	var err error
	for attempt := 0; attempt <= s.cfg.Retries; attempt++ {
		ictx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.InsertTimeout)
		err = s.conn.Exec(ictx, q)
		cancel()
		if err == nil {
			break
		}
		b.Attempts++
	}
	b.Took = time.Since(start)
	if err != nil {
		b.Err = fmt.Errorf("stream batch %d (event_id %d..%d) into %s: %w", b.Seq, b.IDs.From, b.IDs.To-1, s.cfg.Table, err)
	}

	s.mu.Lock()
	s.tally.NextID = b.IDs.To
	s.tally.Resends += uint64(b.Attempts)
	if err != nil {
		s.tally.Failed = append(s.tally.Failed, b.IDs)
	} else {
		s.tally.Rows += n
		s.tally.Batches++
		if b.Attempts > 0 {
			s.tally.Retried = append(s.tally.Retried, b.IDs)
		}
	}
	s.mu.Unlock()
	if s.cfg.OnBatch != nil {
		s.cfg.OnBatch(b)
	}
	return b.Err
}
