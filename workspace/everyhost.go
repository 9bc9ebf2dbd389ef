package workspace

import (
	"context"
	"fmt"

	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/workspace/engine"
)

// HostConn is an open connection to one host of a cluster.
type HostConn struct {
	Host
	Conn engine.Conn
}

// HostConns are connections to every host of a cluster, in the order of
// system.clusters.
type HostConns []HostConn

// OpenHosts connects to every host of the target's cluster; on a single
// server it returns nil. A host that does not answer is an error naming it
// (the connections opened so far are closed).
func (c *Client) OpenHosts(ctx context.Context) (HostConns, error) {
	hosts, err := c.Hosts(ctx)
	if err != nil || hosts == nil {
		return nil, err
	}
	out := make(HostConns, 0, len(hosts))
	for _, h := range hosts {
		conn, err := c.OnHost(ctx, h)
		if err != nil {
			out.Close()
			return nil, err
		}
		out = append(out, HostConn{Host: h, Conn: conn})
	}
	return out, nil
}

// Close closes every connection.
func (hs HostConns) Close() {
	for _, h := range hs {
		h.Conn.Close()
	}
}

// Exec runs query on each host in turn, stopping at the first that fails
// (the error names it).
func (hs HostConns) Exec(ctx context.Context, query string) error {
	for _, h := range hs {
		if err := h.Conn.Exec(ctx, query); err != nil {
			return fmt.Errorf("on %s: %w", h.Host, err)
		}
	}
	return nil
}

// Strings runs query on each host and returns the first column of every
// row, per host address (Host.Addr).
func (hs HostConns) Strings(ctx context.Context, query string) (map[string][]string, error) {
	out := make(map[string][]string, len(hs))
	for _, h := range hs {
		rows, err := h.Conn.Query(ctx, query)
		if err != nil {
			return nil, fmt.Errorf("on %s: %w", h.Host, err)
		}
		var vals []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return nil, fmt.Errorf("on %s: %w", h.Host, err)
			}
			vals = append(vals, s)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("on %s: %w", h.Host, err)
		}
		out[h.Addr()] = vals
	}
	return out, nil
}

// PerHostStatement reports whether query is a statement each replica must
// run itself: `SYSTEM STOP MERGES` and `SYSTEM START MERGES` act on the
// server that runs them, and 18.16 cannot send them ON CLUSTER.
func PerHostStatement(query string) bool {
	toks := sqltext.Tokens(query)
	if len(toks) < 3 || !toks[0].IsWord(query, "SYSTEM") || !toks[2].IsWord(query, "MERGES") {
		return false
	}
	return toks[1].IsWord(query, "STOP") || toks[1].IsWord(query, "START")
}

// ExecEveryHost runs query on every host of the target's cluster in turn,
// or on the server on a single server.
func (c *Client) ExecEveryHost(ctx context.Context, query string) error {
	if c.target.Cluster == "" {
		return c.Exec(ctx, query)
	}
	hs, err := c.OpenHosts(ctx)
	if err != nil {
		return fmt.Errorf("exec %s: %w", abbreviate(query), err)
	}
	defer hs.Close()
	if err := hs.Exec(ctx, query); err != nil {
		return redactError(fmt.Errorf("exec %s: %w", abbreviate(query), err), c.secrets...)
	}
	return nil
}

// ForHost is a client of the same target and database on host h of the
// cluster (a step that must run on one replica of each shard: a rebuild's
// copy). Unlike OnHost's connection it keeps the target's timeouts, since
// a copy of a partition can run long. The caller closes it.
func (c *Client) ForHost(ctx context.Context, h Host) (*Client, error) {
	conn, err := c.dialHost(ctx, h, 0, 0)
	if err != nil {
		return nil, err
	}
	hc := &Client{target: c.target, database: c.database, secrets: c.secrets}
	if err := hc.start(ctx, conn); err != nil {
		return nil, redactError(fmt.Errorf("connect to %s: %w", h, err), c.secrets...)
	}
	return hc, nil
}
