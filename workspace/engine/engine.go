// Package engine is perch's boundary to ClickHouse: one small interface,
// Conn, with two implementations. Native talks to a ClickHouse server over
// the native protocol (clickhouse-go); Embedded runs ClickHouse in-process
// from the chDB shared library (libchdb.so), loaded at run time. Both return
// the same Go types from Scan, because the embedded engine's results (the
// Native format) are decoded by clickhouse-go's own column decoders.
//
// Per-query options travel in the context (WithSettings, WithQueryID,
// WithProgress, WithProfile), so a call site reads the same on both engines:
//
//	ctx = engine.WithSettings(ctx, engine.Settings{"readonly": 2})
//	rows, err := conn.Query(ctx, "SELECT ...")
package engine

import (
	"context"
	"reflect"
	"time"
)

// Kind names an implementation of Conn.
type Kind string

// The engines perch talks to.
const (
	// KindNative is a ClickHouse server reached over the native protocol.
	KindNative Kind = "native"
	// KindEmbedded is ClickHouse running in this process from libchdb.
	KindEmbedded Kind = "embedded"
)

// Conn is a connection to a ClickHouse engine. It is safe for concurrent use:
// the native implementation pools connections, the embedded one pools
// engine sessions on one data folder.
type Conn interface {
	// Query runs a statement that returns rows.
	Query(ctx context.Context, query string) (Rows, error)
	// QueryRow runs a statement and returns its first row; errors surface
	// from Row.Scan.
	QueryRow(ctx context.Context, query string) Row
	// Exec runs a statement whose result is not read.
	Exec(ctx context.Context, query string) error
	// Cancel asks the engine to stop the query with the given id (the id
	// given with WithQueryID), without waiting for it to stop.
	Cancel(ctx context.Context, queryID string) error
	// ServerVersion is the engine's version(), e.g. "26.7.2.1".
	ServerVersion(ctx context.Context) (string, error)
	// Kind says which implementation this is.
	Kind() Kind
	// Close releases the connection.
	Close() error
}

// Rows is the result of Query, read row by row.
type Rows interface {
	// Next advances to the next row; false at the end or on error (see Err).
	Next() bool
	// Scan copies the current row into dest, with clickhouse-go's rules.
	Scan(dest ...any) error
	// Columns are the result's column names.
	Columns() []string
	// ColumnTypes are the result's columns with their ClickHouse types.
	ColumnTypes() []ColumnType
	// Err is the error that ended the iteration, if any.
	Err() error
	// Close releases the result; safe to call more than once.
	Close() error
}

// Row is the first row of a result.
type Row interface {
	// Scan copies the row into dest; sql.ErrNoRows when there is none.
	Scan(dest ...any) error
	// Err is the query's error, if any.
	Err() error
}

// ColumnType describes a result column.
type ColumnType interface {
	// Name is the column's name.
	Name() string
	// DatabaseTypeName is its ClickHouse type, e.g. "Nullable(String)".
	DatabaseTypeName() string
	// ScanType is the Go type Scan produces for it.
	ScanType() reflect.Type
	// Nullable reports a Nullable(...) column.
	Nullable() bool
}

// Progress is how much a query has read so far. The native engine reports
// deltas per progress packet; the embedded engine reports once, at the end.
type Progress struct {
	// Rows and Bytes are read since the previous report.
	Rows  uint64
	Bytes uint64
	// TotalRows is the server's estimate of rows to read, when known.
	TotalRows uint64
	// Elapsed is the time since the query started.
	Elapsed time.Duration
}

// Profile is the summary of a finished query (or of one block of it, on the
// native engine).
type Profile struct {
	// Rows is the number of result rows.
	Rows uint64
	// BytesRead is how much the query read.
	BytesRead uint64
}
