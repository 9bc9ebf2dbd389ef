package engine

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"reflect"
	"sync"
	"time"

	chproto "github.com/ClickHouse/ch-go/proto"
	"github.com/ClickHouse/clickhouse-go/v2/lib/column"
	"github.com/ClickHouse/clickhouse-go/v2/lib/proto"
)

// embeddedRows streams a query's result chunk by chunk; each chunk holds
// blocks in the Native format, decoded by clickhouse-go's column decoders.
type embeddedRows struct {
	e      *Embedded
	s      *session
	st     *statement
	ctx    context.Context
	stream *cResult
	start  time.Time

	blocks   []*proto.Block // decoded, not yet read
	block    *proto.Block
	row      int
	names    []string
	types    []ColumnType
	readRows uint64
	readB    uint64
	rows     uint64

	stopKill  func()
	err       error
	ended     bool // the stream is exhausted (or failed)
	exhausted bool // the engine said the stream ended: nothing to cancel
	closed    bool
}

// fetch decodes the next chunk into r.blocks; false at the end or on error.
func (r *embeddedRows) fetch() bool {
	for !r.ended && len(r.blocks) == 0 {
		if r.stream == nil {
			r.ended = true
			break
		}
		c := r.e.lib.streamFetch(r.s.slot.conn, r.stream)
		if c == nil {
			r.ended, r.exhausted = true, true
			break
		}
		res, err := r.e.copyResult(c)
		r.e.lib.destroyResult(c)
		if err != nil {
			r.fail(err)
			break
		}
		r.readRows += res.storageRows
		r.readB += res.storageB
		if len(res.data) == 0 {
			if res.rows == 0 {
				r.ended, r.exhausted = true, true
			}
			continue
		}
		if err := r.decode(res.data); err != nil {
			r.fail(err)
			break
		}
	}
	if len(r.blocks) == 0 {
		if r.ended {
			r.finish()
		}
		return false
	}
	return true
}

// readers are the buffered readers of decode, reused: each is as large as
// the protocol reader's own buffer.
var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 128<<10) }}

// decode appends the Native blocks of data to r.blocks.
func (r *embeddedRows) decode(data []byte) error {
	// chproto.NewReader keeps a bufio.Reader at least as large as its own
	// buffer (128 KiB), so Peek here sees where the data ends between blocks.
	br := readers.Get().(*bufio.Reader)
	defer readers.Put(br)
	br.Reset(bytes.NewReader(data))
	rd := chproto.NewReader(br)
	for {
		if _, err := br.Peek(1); err == io.EOF {
			return nil
		}
		b := proto.NewBlock()
		if err := b.Decode(rd, 0); err != nil {
			return fmt.Errorf("decode result: %w", err)
		}
		if r.names == nil {
			r.names = b.ColumnsNames()
			r.types = columnTypes(b)
		}
		if b.Rows() > 0 {
			r.blocks = append(r.blocks, b)
		}
	}
}

func (r *embeddedRows) fail(err error) {
	if r.ctx.Err() != nil {
		err = fmt.Errorf("%w: %v", r.ctx.Err(), err)
	}
	r.err = err
	r.ended = true
	r.finish()
}

// finish ends the query on the engine and hands the session back, once.
func (r *embeddedRows) finish() {
	if r.s == nil {
		return
	}
	cut := r.stream != nil && !r.exhausted
	if r.stream != nil {
		// Cancelling a stream the engine has retired crashes it; a failed
		// or abandoned one must be cancelled or it runs on.
		if !r.exhausted {
			r.e.lib.streamCancel(r.s.slot.conn, r.stream)
		}
		r.e.lib.destroyResult(r.stream)
		r.stream = nil
	}
	r.stopKill()
	for _, reset := range r.st.after {
		_, _ = r.e.run(r.s, reset, "")
	}
	if r.err == nil {
		r.st.report(r.readRows, r.readB, r.rows, time.Since(r.start))
	}
	if cut {
		// A stream cut short leaves its query listed in system.processes
		// (it runs no more) until its session closes.
		r.e.discard(r.s)
	} else {
		r.e.release(r.s)
	}
	r.s = nil
}

// Next implements Rows.
func (r *embeddedRows) Next() bool {
	if r.closed {
		return false
	}
	if r.block != nil && r.row < r.block.Rows() {
		r.row++
		r.rows++
		return true
	}
	if len(r.blocks) == 0 && !r.fetch() {
		r.block = nil
		return false
	}
	r.block, r.blocks = r.blocks[0], r.blocks[1:]
	r.row = 1
	r.rows++
	return true
}

// Scan implements Rows with clickhouse-go's column scanners.
func (r *embeddedRows) Scan(dest ...any) error {
	if r.block == nil {
		return io.EOF
	}
	if len(dest) != len(r.block.Columns) {
		return fmt.Errorf("scan: expected %d destination arguments, not %d", len(r.block.Columns), len(dest))
	}
	for i, d := range dest {
		if err := r.block.Columns[i].ScanRow(d, r.row-1); err != nil {
			return fmt.Errorf("scan column %s: %w", r.names[i], err)
		}
	}
	return nil
}

// Columns implements Rows.
func (r *embeddedRows) Columns() []string {
	r.describe()
	return r.names
}

// ColumnTypes implements Rows.
func (r *embeddedRows) ColumnTypes() []ColumnType {
	r.describe()
	return r.types
}

// describe learns the columns of an empty result, for which the Native
// format writes no block at all, from DESCRIBE on the query.
func (r *embeddedRows) describe() {
	if r.names != nil || r.err != nil {
		return
	}
	if !r.ended {
		r.fetch() // the first block, if any
		if r.names != nil {
			return
		}
	}
	// DESCRIBE only reads the query's header: it runs nothing.
	rows, err := r.e.Query(context.Background(), "DESCRIBE ("+trimStatement(r.st.rawQuery())+")")
	if err != nil {
		r.names = []string{}
		return
	}
	defer rows.Close()
	b := proto.NewBlock()
	for rows.Next() {
		var name, typ string
		vals := make([]any, len(rows.Columns()))
		vals[0], vals[1] = &name, &typ
		for i := 2; i < len(vals); i++ {
			vals[i] = new(string)
		}
		if rows.Scan(vals...) != nil || b.AddColumn(name, column.Type(typ)) != nil {
			r.names = []string{}
			return
		}
	}
	r.names, r.types = b.ColumnsNames(), columnTypes(b)
	if r.names == nil {
		r.names = []string{}
	}
}

// Err implements Rows.
func (r *embeddedRows) Err() error { return r.err }

// Close implements Rows: a result not read to the end is cancelled.
func (r *embeddedRows) Close() error {
	if r.closed {
		return r.err
	}
	r.closed = true
	if r.s != nil && !r.ended && len(r.blocks) == 0 {
		// Often the stream ends with the next chunk (QueryRow, small
		// results): reading it spares cutting the stream, which costs the
		// session.
		r.fetch()
	}
	r.blocks, r.block = nil, nil
	r.finish()
	return r.err
}

// columnTypes describes the columns of a decoded block.
func columnTypes(b *proto.Block) []ColumnType {
	names := b.ColumnsNames()
	out := make([]ColumnType, len(b.Columns))
	for i, c := range b.Columns {
		_, nullable := c.(*column.Nullable)
		out[i] = colType{name: names[i], typ: string(c.Type()), nullable: nullable, scan: c.ScanType()}
	}
	return out
}

type colType struct {
	name, typ string
	nullable  bool
	scan      reflect.Type
}

// Name implements ColumnType.
func (c colType) Name() string { return c.name }

// DatabaseTypeName implements ColumnType.
func (c colType) DatabaseTypeName() string { return c.typ }

// ScanType implements ColumnType.
func (c colType) ScanType() reflect.Type { return c.scan }

// Nullable implements ColumnType.
func (c colType) Nullable() bool { return c.nullable }

// firstRow is QueryRow's result.
type firstRow struct {
	rows Rows
	err  error
}

// Err implements Row.
func (r *firstRow) Err() error { return r.err }

// Scan implements Row: sql.ErrNoRows when the result is empty.
func (r *firstRow) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	return r.rows.Close()
}
