package branch

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/engine"
)

// TableCopy is what the copy of one landing table did.
type TableCopy struct {
	Table string `json:"table"`
	// Rows is how many rows the branch table received.
	Rows uint64 `json:"rows"`
	// RowsRead and BytesRead are what the copy read from the workspace.
	RowsRead  uint64        `json:"rows_read"`
	BytesRead uint64        `json:"bytes_read"`
	Elapsed   time.Duration `json:"elapsed"`
	QueryID   string        `json:"query_id"`
	SQL       string        `json:"sql"`
	// Defaulted are the branch's columns the workspace table lacks: they
	// take their defaults.
	Defaulted []string `json:"defaulted,omitempty"`
	// Masked are the columns rewritten on the way in.
	Masked []string `json:"masked,omitempty"`
}

// copyJob is one landing table to copy: the workspace's table and the
// branch's, with what the rows go through.
type copyJob struct {
	branchName string
	source     *workspace.Object // in the workspace database
	sourceDB   string
	dest       *workspace.Object // in the branch database
	destDB     string
	sample     Sample
	masks      []Mask
	salt       string
	timeout    time.Duration
}

// storedColumns are the columns a row holds (not MATERIALIZED, ALIAS or
// EPHEMERAL): what SELECT * returns and INSERT takes.
func storedColumns(o *workspace.Object) []workspace.LiveColumn {
	var out []workspace.LiveColumn
	for _, c := range o.Columns {
		switch strings.ToUpper(c.DefaultKind) {
		case "MATERIALIZED", "ALIAS", "EPHEMERAL":
			continue
		}
		out = append(out, c)
	}
	return out
}

// statement builds the INSERT ... SELECT of a copy job: the branch's
// stored columns that the workspace table has, each cast to the branch's
// type and masked when asked, from the workspace table filtered by the
// sample (partition is the WHERE of a last-partition sample). Select
// expressions carry no aliases, so the row hash in WHERE and ORDER BY
// always reads the workspace's own values.
func (j copyJob) statement(partition string) (sql string, tc TableCopy, err error) {
	tc.Table = j.dest.Name
	src := map[string]workspace.LiveColumn{}
	for _, c := range storedColumns(j.source) {
		src[c.Name] = c
	}
	var cols, exprs []string
	for _, c := range storedColumns(j.dest) {
		s, ok := src[c.Name]
		if !ok {
			tc.Defaulted = append(tc.Defaulted, c.Name)
			continue
		}
		expr := workspace.QuoteIdent(c.Name)
		if m, ok := maskFor(j.masks, j.dest.Name, c.Name); ok {
			if expr, err = maskExpr(m, expr, s.Type, j.salt); err != nil {
				return "", tc, fmt.Errorf("mask %s of %s: %w", m, j.dest.Name, err)
			}
			tc.Masked = append(tc.Masked, c.Name+"="+string(m.Kind))
		}
		if sqltext.NormalizeType(s.Type) != sqltext.NormalizeType(c.Type) {
			expr = "CAST(" + expr + " AS " + c.Type + ")"
		}
		cols = append(cols, workspace.QuoteIdent(c.Name))
		exprs = append(exprs, expr)
	}
	if len(cols) == 0 {
		return "", tc, fmt.Errorf("copy %s: the workspace table has none of the branch table's columns", j.dest.Name)
	}
	hash, err := rowHash(storedColumns(j.source))
	if err != nil {
		return "", tc, fmt.Errorf("copy %s: %w", j.dest.Name, err)
	}
	q := fmt.Sprintf("INSERT INTO %s.%s (%s) SELECT %s FROM %s.%s",
		workspace.QuoteIdent(j.destDB), workspace.QuoteIdent(j.dest.Name), strings.Join(cols, ", "),
		strings.Join(exprs, ", "), workspace.QuoteIdent(j.sourceDB), workspace.QuoteIdent(j.source.Name))
	var where []string
	for _, w := range []string{j.sample.filter(hash), partition} {
		if w != "" {
			where = append(where, w)
		}
	}
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	if ol := j.sample.orderLimit(hash); ol != "" {
		q += " " + ol
	}
	return q, tc, nil
}

// lastPartition is the WHERE condition selecting the newest partition of
// the workspace table (by the newest time, then date, then partition id in
// its partition's parts), "1" for an unpartitioned table and "0" for an
// empty one.
func lastPartition(ctx context.Context, c *workspace.Client, db string, o *workspace.Object) (string, error) {
	key := strings.TrimSpace(o.PartitionKey)
	if key == "" || key == "tuple()" {
		return "1", nil
	}
	q := "SELECT partition FROM system.parts WHERE active AND database = " + workspace.QuoteString(db) +
		" AND table = " + workspace.QuoteString(o.Name) + " GROUP BY partition, partition_id" +
		" ORDER BY max(max_time) DESC, max(max_date) DESC, length(partition_id) DESC, partition_id DESC LIMIT 1"
	rows, err := c.Conn().Query(ctx, q)
	if err != nil {
		return "", fmt.Errorf("last partition of %s: %w", o.Name, err)
	}
	defer rows.Close()
	if !rows.Next() {
		return "0", rows.Err()
	}
	var part string
	if err := rows.Scan(&part); err != nil {
		return "", fmt.Errorf("last partition of %s: %w", o.Name, err)
	}
	return "(" + key + ") = " + part, rows.Err()
}

// Progress is how far the copy of one table is.
type Progress struct {
	Table string
	// RowsRead and BytesRead are read from the workspace so far; TotalRows
	// is the server's estimate of the rows the copy reads.
	RowsRead, BytesRead, TotalRows uint64
	Elapsed                        time.Duration
}

// ETA is the time left at the rate so far, 0 when unknown.
func (p Progress) ETA() time.Duration {
	if p.RowsRead == 0 || p.TotalRows <= p.RowsRead {
		return 0
	}
	return time.Duration(float64(p.Elapsed) * float64(p.TotalRows-p.RowsRead) / float64(p.RowsRead))
}

// run copies the job's rows with the workspace client c: one INSERT ...
// SELECT under a query id, bounded by max_execution_time, reporting
// progress; then counts what the branch table received.
func (j copyJob) run(ctx context.Context, c *workspace.Client, onProgress func(Progress)) (TableCopy, error) {
	partition := ""
	if j.sample.Kind == SampleLastPartition {
		var err error
		if partition, err = lastPartition(ctx, c, j.sourceDB, j.source); err != nil {
			return TableCopy{Table: j.dest.Name}, err
		}
	}
	q, tc, err := j.statement(partition)
	if err != nil {
		return tc, err
	}
	tc.SQL, tc.QueryID = q, queryID(j.branchName, j.dest.Name)
	start := time.Now()
	var p Progress
	p.Table = j.dest.Name
	qctx := copyContext(ctx, tc.QueryID, j.timeout, func(rows, bytes, total uint64) {
		p.RowsRead += rows
		p.BytesRead += bytes
		if total > p.TotalRows {
			p.TotalRows = total
		}
		p.Elapsed = time.Since(start)
		if onProgress != nil {
			onProgress(p)
		}
	})
	if err := c.Conn().Exec(qctx, q); err != nil {
		return tc, fmt.Errorf("copy %s (query %s): %w\n  %s", j.dest.Name, tc.QueryID, err, q)
	}
	tc.Elapsed, tc.RowsRead, tc.BytesRead = time.Since(start), p.RowsRead, p.BytesRead
	count := "SELECT count() FROM " + workspace.QuoteIdent(j.destDB) + "." + workspace.QuoteIdent(j.dest.Name)
	if err := c.Conn().QueryRow(ctx, count).Scan(&tc.Rows); err != nil {
		return tc, fmt.Errorf("count %s in the branch: %w", j.dest.Name, err)
	}
	return tc, nil
}

// copyContext carries a copy's query id, its time bound and its progress
// callback to the engine.
func copyContext(ctx context.Context, id string, timeout time.Duration, progress func(rows, bytes, total uint64)) context.Context {
	if timeout > 0 {
		ctx = engine.WithSettings(ctx, engine.Settings{"max_execution_time": int(timeout.Seconds() + 0.999)})
	}
	ctx = engine.WithQueryID(ctx, id)
	return engine.WithProgress(ctx, func(p engine.Progress) { progress(p.Rows, p.Bytes, p.TotalRows) })
}

// queryID names a copy on the server: perch-branch-NAME-TABLE-random.
func queryID(branch, table string) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return "perch-branch-" + branch + "-" + table + "-" + hex.EncodeToString(b[:])
}
