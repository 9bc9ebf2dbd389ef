package workspace

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/perchdata/perch/workspace/engine"
)

// DefaultPreviewLimit is the row limit of a preview when none is given.
const DefaultPreviewLimit = 1000

// DefaultPreviewTimeout is the max_execution_time of a preview when none is given.
const DefaultPreviewTimeout = 30 * time.Second

// PreviewOptions bound a preview and receive its progress.
type PreviewOptions struct {
	// Limit is the most rows returned (DefaultPreviewLimit when 0); more
	// rows mark the result Truncated.
	Limit int
	// MaxExecutionTime stops the query on the server (DefaultPreviewTimeout when 0).
	MaxExecutionTime time.Duration
	// MaxRowsToRead and MaxBytesToRead, when set, stop a query that would
	// read more (an error, not a truncation).
	MaxRowsToRead  uint64
	MaxBytesToRead uint64
	// QueryID names the query on the server; generated when empty.
	QueryID string
	// OnColumns is called once with the result's columns, before any row.
	OnColumns func([]PreviewColumn)
	// OnRows is called with each batch of rendered rows as they stream in.
	OnRows func(rows [][]string)
	// OnProgress is called on every progress packet from the server.
	OnProgress func(PreviewProgress)
	// Write lifts readonly=2 and the server-side limits (perch sql
	// --write): the statement may change data and runs to completion
	// unless ctx ends; at most Limit rows of its result are read.
	Write bool
}

// PreviewColumn is a result column.
type PreviewColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// PreviewProgress is how much a preview has read so far.
type PreviewProgress struct {
	RowsRead  uint64        `json:"rows_read"`
	BytesRead uint64        `json:"bytes_read"`
	TotalRows uint64        `json:"total_rows_to_read,omitempty"`
	Rows      int           `json:"rows"` // result rows received
	Elapsed   time.Duration `json:"elapsed"`
}

// PreviewResult is the outcome of a preview.
type PreviewResult struct {
	QueryID string          `json:"query_id"`
	SQL     string          `json:"sql"`
	Columns []PreviewColumn `json:"columns"`
	// Rows are the values rendered for people (NULL, dates, [arrays]).
	Rows [][]string `json:"rows"`
	// Values are the same values as Go values, for JSON output.
	Values [][]any `json:"-"`
	// Truncated says the result had more rows than the limit.
	Truncated bool          `json:"truncated"`
	RowsRead  uint64        `json:"rows_read"`
	BytesRead uint64        `json:"bytes_read"`
	Elapsed   time.Duration `json:"elapsed"`
}

// drainGrace is how long a cut preview on an old server may run on before
// it is cancelled.
const drainGrace = 250 * time.Millisecond

// ErrPreviewCancelled is returned (wrapped) when the context ended the preview.
var ErrPreviewCancelled = errors.New("preview cancelled")

// Preview runs one SELECT read-only (readonly=2) and bounded: at most
// opts.Limit rows (result_overflow_mode = 'break', reported as
// Truncated), max_execution_time, optional read limits, a query id. Rows
// stream to the callbacks. When ctx ends, the driver cancels the query and
// a KILL QUERY on its id makes sure the server stops it.
func (c *Client) Preview(ctx context.Context, sql string, opts PreviewOptions) (*PreviewResult, error) {
	if opts.Limit <= 0 {
		opts.Limit = DefaultPreviewLimit
	}
	if opts.MaxExecutionTime <= 0 {
		opts.MaxExecutionTime = DefaultPreviewTimeout
	}
	if opts.QueryID == "" {
		opts.QueryID = newQueryID()
	}
	q, settings, err := previewQuery(c.caps, sql, opts)
	if err != nil {
		return nil, err
	}
	res, err := c.runPreview(ctx, q, settings, opts)
	if err != nil && isUnsupportedAggregate(err) && ctx.Err() == nil {
		// The driver cannot decode aggregate states: show them as placeholders,
		// under a new id (the refused query may still be winding down).
		c.killQuery(opts.QueryID)
		opts.QueryID += "-agg"
		if wrapped, werr := c.aggregateSafe(ctx, sql); werr == nil {
			if q, settings, err = previewQuery(c.caps, wrapped, opts); err == nil {
				res, err = c.runPreview(ctx, q, settings, opts)
			}
		}
	}
	if err != nil {
		return res, err
	}
	res.SQL = sql
	return res, nil
}

// previewQuery returns the statement and the per-query settings of a
// preview. Modern servers cut the result with max_result_rows and
// result_overflow_mode = 'break'. Before 19.1 the protocol cannot carry
// that string setting (and a SETTINGS clause in the query does not reach
// the result limits), so the statement is sent as written and the client
// stops reading after limit+1 rows and cancels the query (see
// runPreview): rewriting it (an outer LIMIT) would change some results,
// e.g. collapse duplicate column names. Commands are refused by the
// server under readonly=2 either way.
func previewQuery(caps Capabilities, sql string, opts PreviewOptions) (string, engine.Settings, error) {
	q := strings.TrimSpace(sql)
	for strings.HasSuffix(q, ";") {
		q = strings.TrimSpace(strings.TrimSuffix(q, ";"))
	}
	if q == "" {
		return "", nil, errors.New("preview: empty query")
	}
	if opts.Write {
		// A write cut by a limit would be half done: none applies.
		return q, engine.Settings{}, nil
	}
	settings := engine.Settings{
		"readonly":           2,
		"max_execution_time": int(opts.MaxExecutionTime.Seconds() + 0.999),
	}
	if opts.MaxRowsToRead > 0 {
		settings["max_rows_to_read"] = opts.MaxRowsToRead
	}
	if opts.MaxBytesToRead > 0 {
		settings["max_bytes_to_read"] = opts.MaxBytesToRead
	}
	if caps.StringSettings {
		settings["max_result_rows"] = opts.Limit
		settings["result_overflow_mode"] = "break"
	}
	return q, settings, nil
}

func newQueryID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "perch-preview-" + hex.EncodeToString(b[:])
}

func (c *Client) runPreview(ctx context.Context, q string, settings engine.Settings, opts PreviewOptions) (*PreviewResult, error) {
	res := &PreviewResult{QueryID: opts.QueryID}
	// Cancelled once enough rows are in when the server cannot cut the result itself.
	ctx, stopQuery := context.WithCancel(ctx)
	defer stopQuery()
	start := time.Now()
	var mu sync.Mutex
	received := 0
	qctx := engine.WithProgress(engine.WithSettings(engine.WithQueryID(ctx, opts.QueryID), settings), func(p engine.Progress) {
		mu.Lock()
		res.RowsRead += p.Rows
		res.BytesRead += p.Bytes
		pr := PreviewProgress{RowsRead: res.RowsRead, BytesRead: res.BytesRead, TotalRows: p.TotalRows, Rows: received, Elapsed: time.Since(start)}
		mu.Unlock()
		if opts.OnProgress != nil {
			opts.OnProgress(pr)
		}
	})
	stop := context.AfterFunc(ctx, func() { c.killQuery(opts.QueryID) })
	defer stop()
	serverCuts := settings["result_overflow_mode"] != nil
	rows, err := c.conn.Query(qctx, q)
	if err != nil {
		return nil, c.previewError(ctx, err)
	}
	defer rows.Close()
	types := rows.ColumnTypes()
	for _, ct := range types {
		res.Columns = append(res.Columns, PreviewColumn{Name: ct.Name(), Type: ct.DatabaseTypeName()})
	}
	if opts.OnColumns != nil {
		opts.OnColumns(res.Columns)
	}
	var batch [][]string
	flush := func() {
		if opts.OnRows != nil && len(batch) > 0 {
			opts.OnRows(batch)
		}
		batch = nil
	}
	for rows.Next() {
		if len(res.Rows) == opts.Limit {
			res.Truncated = true
			break
		}
		ptrs := make([]any, len(types))
		for i, ct := range types {
			ptrs[i] = reflect.New(ct.ScanType()).Interface()
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, c.previewError(ctx, err)
		}
		vals := make([]any, len(ptrs))
		text := make([]string, len(ptrs))
		for i, p := range ptrs {
			vals[i] = deref(reflect.ValueOf(p).Elem().Interface())
			text[i] = FormatValue(vals[i], res.Columns[i].Type)
		}
		res.Values = append(res.Values, vals)
		res.Rows = append(res.Rows, text)
		batch = append(batch, text)
		mu.Lock()
		received = len(res.Rows)
		mu.Unlock()
		if len(batch) == 100 {
			flush()
		}
	}
	flush()
	if res.Truncated && !serverCuts {
		// The server cannot cut the result: let it finish for a moment (so
		// small queries still report what they read), then cancel it; the
		// AfterFunc kills it on the server.
		t := time.AfterFunc(drainGrace, stopQuery)
		for rows.Next() {
		}
		t.Stop()
		stopQuery()
	}
	if err := rows.Err(); err != nil && !res.Truncated {
		return nil, c.previewError(ctx, err)
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// killQuery is the backstop of a cancelled preview: KILL QUERY on its id,
// on another connection, without waiting for it to finish.
func (c *Client) killQuery(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = c.conn.Cancel(ctx, id)
}

// previewError explains a failed preview.
func (c *Client) previewError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w: %v", ErrPreviewCancelled, ctx.Err())
	}
	switch engine.ErrorCode(err) {
	case 164:
		return fmt.Errorf("preview is read-only: the statement would change data or settings (readonly=2): %w", err)
	case 159:
		return fmt.Errorf("preview stopped by max_execution_time: %w", err)
	}
	return redactError(fmt.Errorf("preview: %w", err), c.secrets...)
}

// isUnsupportedAggregate reports whether the driver refused an
// AggregateFunction column it cannot decode.
func isUnsupportedAggregate(err error) bool {
	return strings.Contains(err.Error(), "AggregateFunction")
}

// aggregateSafe wraps sql so that its AggregateFunction columns read as a
// placeholder text '<AggregateFunction(...)>': DESCRIBE gives the columns.
func (c *Client) aggregateSafe(ctx context.Context, sql string) (string, error) {
	q := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(sql), ";"))
	rows, err := c.conn.Query(engine.WithSettings(ctx, engine.Settings{"readonly": 2}), "DESCRIBE ("+q+")")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var name, typ, dk, de string
		var rest []any
		n := len(rows.Columns())
		ptrs := []any{&name, &typ, &dk, &de}
		for i := 4; i < n; i++ {
			var s string
			rest = append(rest, &s)
		}
		if err := rows.Scan(append(ptrs, rest...)[:n]...); err != nil {
			return "", err
		}
		if strings.HasPrefix(typ, "AggregateFunction(") {
			cols = append(cols, QuoteString("<"+typ+">")+" AS "+QuoteIdent(name))
		} else {
			cols = append(cols, QuoteIdent(name))
		}
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	return "SELECT " + strings.Join(cols, ", ") + " FROM (" + q + ")", nil
}
