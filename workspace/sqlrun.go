package workspace

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/workspace/engine"
)

// ReturnsRows reports whether a statement returns a result to show (a
// SELECT, WITH, SHOW, DESCRIBE, EXPLAIN or EXISTS), judging by its first
// word after comments and opening parentheses.
func ReturnsRows(sql string) bool {
	for _, t := range sqltext.Tokens(sql) {
		if t.IsPunct(sql, "(") {
			continue
		}
		if t.Kind != sqltext.Word {
			return false
		}
		switch strings.ToUpper(t.Text(sql)) {
		case "SELECT", "WITH", "SHOW", "DESCRIBE", "DESC", "EXPLAIN", "EXISTS":
			return true
		}
		return false
	}
	return false
}

// SQL runs one statement for `perch sql`: read-only and bounded like a
// preview, or with opts.Write a statement that may change data (a statement
// that returns no rows runs as is and reports nothing but its time).
func (c *Client) SQL(ctx context.Context, sql string, opts PreviewOptions) (*PreviewResult, error) {
	if !opts.Write || ReturnsRows(sql) {
		return c.Preview(ctx, sql, opts)
	}
	if opts.QueryID == "" {
		opts.QueryID = newQueryID()
	}
	start := time.Now()
	q, _, err := previewQuery(c.caps, sql, opts)
	if err != nil {
		return nil, err
	}
	if err := c.conn.Exec(engine.WithQueryID(ctx, opts.QueryID), q); err != nil {
		return nil, redactError(fmt.Errorf("sql: %w", err), c.secrets...)
	}
	return &PreviewResult{QueryID: opts.QueryID, SQL: sql, Elapsed: time.Since(start)}, nil
}

// IsReadOnlyRefusal reports whether err is the server refusing a statement
// under readonly=2 (code 164).
func IsReadOnlyRefusal(err error) bool { return engine.ErrorCode(err) == 164 }
