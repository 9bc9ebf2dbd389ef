package engine

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Native is a ClickHouse server reached over the native protocol with
// clickhouse-go; it pools connections.
type Native struct {
	conn driver.Conn
}

// OpenNative opens a pool of native connections with opts. It does not dial
// until the first query (see Ping).
func OpenNative(opts *clickhouse.Options) (*Native, error) {
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return nil, err
	}
	return &Native{conn: conn}, nil
}

// Ping checks the server answers.
func (n *Native) Ping(ctx context.Context) error { return n.conn.Ping(ctx) }

// driverContext turns perch's per-query options into clickhouse-go's.
func driverContext(ctx context.Context) context.Context {
	o := fromContext(ctx)
	var opts []clickhouse.QueryOption
	if len(o.settings) > 0 {
		s := make(clickhouse.Settings, len(o.settings))
		for k, v := range o.settings {
			s[k] = v
		}
		opts = append(opts, clickhouse.WithSettings(s))
	}
	if o.queryID != "" {
		opts = append(opts, clickhouse.WithQueryID(o.queryID))
	}
	if fn := o.onProgress; fn != nil {
		opts = append(opts, clickhouse.WithProgress(func(p *clickhouse.Progress) {
			fn(Progress{Rows: p.Rows, Bytes: p.Bytes, TotalRows: p.TotalRows, Elapsed: p.Elapsed})
		}))
	}
	if fn := o.onProfile; fn != nil {
		opts = append(opts, clickhouse.WithProfileInfo(func(p *clickhouse.ProfileInfo) {
			fn(Profile{Rows: p.Rows, BytesRead: p.Bytes})
		}))
	}
	if len(opts) == 0 {
		return ctx
	}
	return clickhouse.Context(ctx, opts...)
}

// Query implements Conn.
func (n *Native) Query(ctx context.Context, query string) (Rows, error) {
	rows, err := n.conn.Query(driverContext(ctx), query)
	if err != nil {
		return nil, err
	}
	return nativeRows{rows}, nil
}

// QueryRow implements Conn.
func (n *Native) QueryRow(ctx context.Context, query string) Row {
	return n.conn.QueryRow(driverContext(ctx), query)
}

// Exec implements Conn.
func (n *Native) Exec(ctx context.Context, query string) error {
	if HasInlineData(query) {
		v, err := n.conn.ServerVersion()
		if err != nil {
			return fmt.Errorf("server version: %w", err)
		}
		if err := checkInlineData(v, query); err != nil {
			return err
		}
	}
	return n.conn.Exec(driverContext(ctx), query)
}

// Cancel implements Conn with KILL QUERY ... ASYNC on another connection of
// the pool (the driver also sends a cancel packet when a query's context ends).
func (n *Native) Cancel(ctx context.Context, queryID string) error {
	if err := n.conn.Exec(ctx, "KILL QUERY WHERE "+ProcessCondition(KindNative, queryID)+" ASYNC"); err != nil {
		return fmt.Errorf("cancel query %s: %w", queryID, err)
	}
	return nil
}

// ServerVersion implements Conn.
func (n *Native) ServerVersion(ctx context.Context) (string, error) {
	var v string
	if err := n.conn.QueryRow(ctx, "SELECT version()").Scan(&v); err != nil {
		return "", err
	}
	return v, nil
}

// Kind implements Conn.
func (n *Native) Kind() Kind { return KindNative }

// Close implements Conn.
func (n *Native) Close() error { return n.conn.Close() }

// nativeRows adapts the driver's rows to Rows.
type nativeRows struct{ driver.Rows }

// ColumnTypes implements Rows.
func (r nativeRows) ColumnTypes() []ColumnType {
	cts := r.Rows.ColumnTypes()
	out := make([]ColumnType, len(cts))
	for i, ct := range cts {
		out[i] = ct
	}
	return out
}
