// Package ingest appends rows from a file to a data source's table on any
// target (the native protocol on old servers, the embedded engine): NDJSON
// through the columns' `json:$.path` paths, CSV by header or column order.
// Every row is checked (by the server's own casts, read-only) before the
// first is inserted: a file with rows that do not fit loads nothing and
// names their lines; an insert that fails midway says which lines are in.
//
// Rows are sent as INSERT ... SELECT (18.16 cannot take INSERT ... VALUES
// through the driver), a batch at a time; a column a row does not give
// takes the column's DEFAULT on the server.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/engine"
)

// Format is the format of an input file.
type Format string

// The formats Append reads.
const (
	NDJSON Format = "ndjson"
	CSV    Format = "csv"
)

// FormatOf guesses the format from a file name: .csv is CSV, else NDJSON.
func FormatOf(name string) Format {
	if strings.HasSuffix(strings.ToLower(name), ".csv") {
		return CSV
	}
	return NDJSON
}

// ErrRejected is returned (wrapped) when rows do not fit: nothing was loaded.
var ErrRejected = errors.New("rows do not fit the data source; nothing was loaded")

// Options tune Append.
type Options struct {
	// Format of the input (NDJSON when empty).
	Format Format
	// BatchRows bounds the rows of one INSERT (default 1000).
	BatchRows int
	// OnBatch, when set, is called after each batch is inserted.
	OnBatch func(rows, total int)
}

// Result is what Append did.
type Result struct {
	// Rows were inserted.
	Rows int `json:"rows"`
	// Batches is the number of INSERT statements run.
	Batches int `json:"batches"`
	// Rejected are the rows that do not fit (then Rows is 0).
	Rejected []RowError `json:"rejected,omitempty"`
}

// Append reads r and appends its rows to data source ds's table in the
// client's database. With rows that do not fit it loads nothing and
// returns them in Result.Rejected with ErrRejected.
func Append(ctx context.Context, c *workspace.Client, ds *datafiles.Datasource, r io.Reader, opts Options) (*Result, error) {
	if opts.BatchRows <= 0 {
		opts.BatchRows = 1000
	}
	cols, err := insertable(ds)
	if err != nil {
		return nil, fmt.Errorf("append to %s: %w", ds.Name, err)
	}
	var rows []row
	var bad []RowError
	switch opts.Format {
	case NDJSON, "":
		rows, bad, err = readNDJSON(r, cols)
	case CSV:
		rows, bad, err = readCSV(r, cols)
	default:
		return nil, fmt.Errorf("append to %s: format %q: want ndjson or csv", ds.Name, opts.Format)
	}
	if err != nil {
		return nil, fmt.Errorf("append to %s: %w", ds.Name, err)
	}
	a := &appender{c: c, table: workspace.QuoteIdent(c.Database()) + "." + workspace.QuoteIdent(ds.Name), cols: cols}
	batches := a.batches(rows, opts.BatchRows)
	serverBad, err := a.check(ctx, batches)
	if err != nil {
		return nil, fmt.Errorf("append to %s: %w", ds.Name, err)
	}
	if bad = sortErrors(append(bad, serverBad...)); len(bad) > 0 {
		return &Result{Rejected: bad}, fmt.Errorf("append to %s: %d of %d rows: %w", ds.Name, len(bad), len(rows)+len(bad)-len(serverBad), ErrRejected)
	}
	res := &Result{}
	for _, b := range batches {
		if err := a.exec(ctx, a.insert(b)); err != nil {
			return res, fmt.Errorf("append to %s: %s; %s", ds.Name, a.loadedSoFar(res, len(rows), b), err)
		}
		res.Rows += len(b.rows)
		res.Batches++
		if opts.OnBatch != nil {
			opts.OnBatch(res.Rows, len(rows))
		}
	}
	return res, nil
}

// appender runs the statements of one Append.
type appender struct {
	c     *workspace.Client
	table string
	cols  []column
}

// batch is rows that give the same columns.
type batch struct {
	cols []string
	rows []row
}

// batches groups rows by the columns they give, in file order within a
// group, at most n rows a batch.
func (a *appender) batches(rows []row, n int) []batch {
	var out []batch
	open := map[string]int{} // column set -> index of its open batch
	for _, r := range rows {
		var names []string
		for _, c := range a.cols {
			if _, ok := r.exprs[c.Name]; ok {
				names = append(names, c.Name)
			}
		}
		key := strings.Join(names, "\x00")
		i, ok := open[key]
		if !ok || len(out[i].rows) == n {
			out = append(out, batch{cols: names})
			i = len(out) - 1
			open[key] = i
		}
		out[i].rows = append(out[i].rows, r)
	}
	return out
}

// selectSQL is the SELECT of a batch's values, one tuple per row.
func (b batch) selectSQL(rows []row) string {
	tuples := make([]string, len(rows))
	for i, r := range rows {
		vals := make([]string, len(b.cols))
		for j, c := range b.cols {
			vals[j] = r.exprs[c]
		}
		tuples[i] = "tuple(" + strings.Join(vals, ", ") + ")"
	}
	sel := make([]string, len(b.cols))
	for j := range b.cols {
		sel[j] = fmt.Sprintf("tupleElement(r, %d)", j+1)
	}
	return "SELECT " + strings.Join(sel, ", ") + " FROM (SELECT arrayJoin([" + strings.Join(tuples, ", ") + "]) AS r)"
}

// insert is the INSERT of a batch.
func (a *appender) insert(b batch) string {
	names := make([]string, len(b.cols))
	for i, c := range b.cols {
		names[i] = workspace.QuoteIdent(c)
	}
	return "INSERT INTO " + a.table + " (" + strings.Join(names, ", ") + ") " + b.selectSQL(b.rows)
}

// context gives a statement room (the literals count towards
// max_query_size) and lets old servers cast to LowCardinality.
func (a *appender) context(ctx context.Context, q string) context.Context {
	s := engine.Settings{"max_query_size": len(q) + 65536}
	if !a.c.Capabilities().LowCardinality {
		s["allow_experimental_low_cardinality_type"] = 1
	}
	return engine.WithSettings(ctx, s)
}

func (a *appender) exec(ctx context.Context, q string) error {
	return a.c.Conn().Exec(a.context(ctx, q), q)
}

// check runs every batch's SELECT read-only: the server casts each value
// to its column's type. A batch that fails is checked row by row to name
// the lines at fault.
func (a *appender) check(ctx context.Context, batches []batch) ([]RowError, error) {
	var bad []RowError
	for _, b := range batches {
		if err := a.read(ctx, b.selectSQL(b.rows)); err == nil {
			continue
		} else if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		for _, r := range b.rows {
			if err := a.read(ctx, b.selectSQL([]row{r})); err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				bad = append(bad, RowError{Line: r.line, Msg: serverMessage(err)})
			}
		}
	}
	return bad, nil
}

// read runs a SELECT read-only and reads its result to the end.
func (a *appender) read(ctx context.Context, q string) error {
	qctx := engine.WithSettings(a.context(ctx, q), engine.Settings{"readonly": 2})
	rows, err := a.c.Conn().Query(qctx, q)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	rows.Close()
	return rows.Err()
}

// loadedSoFar says which lines are in the table after a failed batch.
func (a *appender) loadedSoFar(res *Result, total int, failed batch) string {
	if res.Rows == 0 {
		return "nothing was loaded"
	}
	return fmt.Sprintf("%d of %d rows were loaded before the batch starting at line %d failed; that batch and the rest were not", res.Rows, total, failed.rows[0].line)
}

// serverMessage is the first line of a server error, without the SQL.
func serverMessage(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "\n"); i >= 0 {
		msg = msg[:i]
	}
	for _, cut := range []string{" (in query:", ": In scope "} {
		if i := strings.Index(msg, cut); i >= 0 {
			msg = msg[:i]
		}
	}
	if len(msg) > 300 {
		msg = msg[:297] + "..."
	}
	return msg
}

func sortErrors(errs []RowError) []RowError {
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
	return errs
}
