package workspace

import (
	"context"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/workspace/engine"
)

// Host is one server of a target's cluster, as system.clusters lists it.
type Host struct {
	Shard   int    `json:"shard"`
	Replica int    `json:"replica"`
	Name    string `json:"name"`    // host_name
	Address string `json:"address"` // host_address
	Port    int    `json:"port"`
}

// Addr is host:port of the host's native protocol.
func (h Host) Addr() string {
	host := h.Address
	if host == "" {
		host = h.Name
	}
	return net.JoinHostPort(host, strconv.Itoa(h.Port))
}

// String names the host as messages do: name:port (shard s, replica r).
func (h Host) String() string {
	return fmt.Sprintf("%s:%d (shard %d, replica %d)", h.Name, h.Port, h.Shard, h.Replica)
}

// HostState is what the snapshot read on one host of the cluster.
type HostState struct {
	Host
	// Up: the host answered. Error says why not.
	Up    bool   `json:"up"`
	Error string `json:"error,omitempty"`
	// Tables maps each table and view of the database to its normalized
	// DDL (sqltext.TokenKey of create_table_query).
	Tables map[string]string `json:"-"`
	// Replicas are the database's replicated tables on this host.
	Replicas []ReplicaState `json:"replicas,omitempty"`
}

// ReplicaState is one row of system.replicas.
type ReplicaState struct {
	Table string `json:"table"`
	// ReadOnly: the replica lost ZooKeeper (or never had it): it takes no
	// inserts and no DDL.
	ReadOnly bool `json:"read_only,omitempty"`
	// Delay is how far behind the freshest replica it is (absolute_delay).
	Delay time.Duration `json:"delay,omitempty"`
	// Queue is the number of replication tasks it has yet to run.
	Queue int `json:"queue,omitempty"`
	// Active and Total count the table's replicas (active in ZooKeeper).
	Active int `json:"active"`
	Total  int `json:"total"`
}

// ClusterState is every host of a target's cluster and where they disagree.
type ClusterState struct {
	Name  string      `json:"name"`
	Hosts []HostState `json:"hosts"`
	// Issues say what stops an exact change: a host down, a table missing
	// or defined differently on a host, a replica read-only.
	Issues []string `json:"issues,omitempty"`
	// Lag says which replicas are behind (they catch up by themselves).
	Lag []string `json:"lag,omitempty"`
}

// Healthy reports whether every host answered and agrees.
func (s *ClusterState) Healthy() bool { return s == nil || len(s.Issues) == 0 }

// Shards counts the cluster's shards.
func (s *ClusterState) Shards() int {
	if s == nil {
		return 0
	}
	seen := map[int]bool{}
	for _, h := range s.Hosts {
		seen[h.Shard] = true
	}
	return len(seen)
}

// Up counts the hosts that answered.
func (s *ClusterState) Up() int {
	n := 0
	for _, h := range s.Hosts {
		if h.Up {
			n++
		}
	}
	return n
}

// Hosts lists the hosts of the target's cluster from system.clusters of
// the server perch is connected to.
func (c *Client) Hosts(ctx context.Context) ([]Host, error) {
	name := c.target.Cluster
	if name == "" {
		return nil, nil
	}
	rows, err := c.conn.Query(ctx, "SELECT shard_num, replica_num, host_name, host_address, port FROM system.clusters WHERE cluster = "+
		QuoteString(name)+" ORDER BY shard_num, replica_num")
	if err != nil {
		return nil, redactError(fmt.Errorf("read the hosts of cluster %s from system.clusters: %w", name, err), c.secrets...)
	}
	defer rows.Close()
	var out []Host
	for rows.Next() {
		var (
			h           Host
			shard, repl uint32
			port        uint16
		)
		if err := rows.Scan(&shard, &repl, &h.Name, &h.Address, &port); err != nil {
			return nil, fmt.Errorf("read system.clusters: %w", err)
		}
		h.Shard, h.Replica, h.Port = int(shard), int(repl), int(port)
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read system.clusters: %w", err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("cluster %s is not in system.clusters of %s: check the target's cluster name against the server's remote_servers", name, c.target.Redacted())
	}
	return out, nil
}

// OnHost opens a connection to one host of the cluster with the target's
// user, password and database, with short timeouts (it reads state). The
// caller closes it.
func (c *Client) OnHost(ctx context.Context, h Host) (engine.Conn, error) {
	return c.dialHost(ctx, h, 3*time.Second, 30*time.Second)
}

// dialHost connects to host h with the target's options; a zero timeout
// keeps the target's own.
func (c *Client) dialHost(ctx context.Context, h Host, dial, read time.Duration) (engine.Conn, error) {
	opts, secrets, err := clientOptions(c.target)
	if err != nil {
		return nil, redactError(fmt.Errorf("connect to %s: %w", h, err), secrets...)
	}
	opts.Addr = []string{h.Addr()}
	if dial > 0 {
		opts.DialTimeout = dial
	}
	if read > 0 {
		opts.ReadTimeout = read
	}
	if opts.TLS != nil {
		o := opts.TLS.Clone()
		o.ServerName = h.Name
		opts.TLS = o
	}
	conn, err := engine.OpenNative(opts)
	if err == nil {
		err = conn.Ping(ctx)
		if err != nil {
			conn.Close()
		}
	}
	if err != nil {
		return nil, redactError(fmt.Errorf("connect to %s: %w", h, err), secrets...)
	}
	return conn, nil
}

// ClusterState reads every host of the target's cluster (concurrently):
// the database's tables with their DDL, and system.replicas. A host that
// does not answer is down, not an error: the state says so.
func (c *Client) ClusterState(ctx context.Context, database string) (*ClusterState, error) {
	hosts, err := c.Hosts(ctx)
	if err != nil || hosts == nil {
		return nil, err
	}
	if database == "" {
		database = c.database
	}
	st := &ClusterState{Name: c.target.Cluster, Hosts: make([]HostState, len(hosts))}
	var g errgroup.Group
	for i, h := range hosts {
		g.Go(func() error {
			st.Hosts[i] = c.readHost(ctx, h, database)
			return nil
		})
	}
	_ = g.Wait()
	st.compare(database)
	return st, nil
}

func (c *Client) readHost(ctx context.Context, h Host, database string) HostState {
	hs := HostState{Host: h, Tables: map[string]string{}}
	hctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	conn, err := c.OnHost(hctx, h)
	if err != nil {
		hs.Error = err.Error()
		return hs
	}
	defer conn.Close()
	if err := readHostTables(hctx, conn, database, hs.Tables); err != nil {
		hs.Error = redactError(err, c.secrets...).Error()
		return hs
	}
	if hs.Replicas, err = readReplicas(hctx, conn, database); err != nil {
		hs.Error = redactError(err, c.secrets...).Error()
		return hs
	}
	hs.Up = true
	return hs
}

func readHostTables(ctx context.Context, conn engine.Conn, database string, out map[string]string) error {
	rows, err := conn.Query(ctx, "SELECT name, create_table_query FROM system.tables WHERE database = "+QuoteString(database))
	if err != nil {
		return fmt.Errorf("read system.tables: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, ddl string
		if err := rows.Scan(&name, &ddl); err != nil {
			return fmt.Errorf("read system.tables: %w", err)
		}
		if IsPerchInternal(name) {
			continue // the deployment log, lock and journal live on the host perch talks to
		}
		out[name] = sqltext.TokenKey(ddl, database)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read system.tables: %w", err)
	}
	return readHostColumns(ctx, conn, database, out)
}

// readHostColumns appends each table's columns (name, type, default) as the
// host reports them to its key in out: an 18.16 replica caught by a
// ZooKeeper session expiry can keep the CREATE statement of a replicated
// ALTER while its columns lack the change, and the hosts must not read as
// agreeing then.
func readHostColumns(ctx context.Context, conn engine.Conn, database string, out map[string]string) error {
	rows, err := conn.Query(ctx, "SELECT table, name, type, default_kind, default_expression FROM system.columns WHERE database = "+QuoteString(database))
	if err != nil {
		return fmt.Errorf("read system.columns: %w", err)
	}
	defer rows.Close()
	cols := map[string]*strings.Builder{}
	for rows.Next() {
		var table, name, typ, kind, expr string
		if err := rows.Scan(&table, &name, &typ, &kind, &expr); err != nil {
			return fmt.Errorf("read system.columns: %w", err)
		}
		if _, ok := out[table]; !ok {
			continue
		}
		b := cols[table]
		if b == nil {
			b = &strings.Builder{}
			cols[table] = b
		}
		fmt.Fprintf(b, "\n%s %s %s %s", name, typ, kind, expr)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read system.columns: %w", err)
	}
	for table, b := range cols {
		out[table] += "\ncolumns:" + b.String()
	}
	return nil
}

func readReplicas(ctx context.Context, conn engine.Conn, database string) ([]ReplicaState, error) {
	rows, err := conn.Query(ctx, "SELECT table, is_readonly, absolute_delay, queue_size, active_replicas, total_replicas FROM system.replicas WHERE database = "+
		QuoteString(database)+" ORDER BY table")
	if err != nil {
		return nil, fmt.Errorf("read system.replicas: %w", err)
	}
	defer rows.Close()
	var out []ReplicaState
	for rows.Next() {
		var (
			r             ReplicaState
			ro            uint8
			delay         uint64
			queue         uint32
			active, total uint8
		)
		if err := rows.Scan(&r.Table, &ro, &delay, &queue, &active, &total); err != nil {
			return nil, fmt.Errorf("read system.replicas: %w", err)
		}
		r.ReadOnly, r.Delay, r.Queue, r.Active, r.Total = ro == 1, time.Duration(delay)*time.Second, int(queue), int(active), int(total)
		out = append(out, r)
	}
	return out, rows.Err()
}

// compare fills Issues and Lag: hosts down, tables missing on some hosts or
// defined differently, replicas read-only or behind.
func (s *ClusterState) compare(database string) {
	all := map[string]bool{}
	for _, h := range s.Hosts {
		if !h.Up {
			s.Issues = append(s.Issues, fmt.Sprintf("host %s is down: %s", h.Host, h.Error))
			continue
		}
		for t := range h.Tables {
			all[t] = true
		}
	}
	names := make([]string, 0, len(all))
	for t := range all {
		names = append(names, t)
	}
	sort.Strings(names)
	for _, t := range names {
		var missing []string
		ddls := map[string][]string{}
		for _, h := range s.Hosts {
			if !h.Up {
				continue
			}
			d, ok := h.Tables[t]
			if !ok {
				missing = append(missing, h.Host.String())
				continue
			}
			ddls[d] = append(ddls[d], h.Name+":"+strconv.Itoa(h.Port))
		}
		if len(missing) > 0 {
			s.Issues = append(s.Issues, fmt.Sprintf("%s.%s is missing on %s", database, t, strings.Join(missing, ", ")))
		}
		if len(ddls) > 1 {
			var groups []string
			for _, hs := range ddls {
				groups = append(groups, strings.Join(hs, ", "))
			}
			sort.Strings(groups)
			s.Issues = append(s.Issues, fmt.Sprintf("%s.%s has different definitions on the hosts: {%s}", database, t, strings.Join(groups, "} vs {")))
		}
	}
	for _, h := range s.Hosts {
		for _, r := range h.Replicas {
			switch {
			case r.ReadOnly:
				s.Issues = append(s.Issues, fmt.Sprintf("replica of %s.%s on %s is read-only (lost ZooKeeper)", database, r.Table, h.Host))
			case r.Delay > 0 || r.Queue > 0:
				s.Lag = append(s.Lag, fmt.Sprintf("replica of %s.%s on %s is %s behind with %d tasks queued", database, r.Table, h.Host, r.Delay, r.Queue))
			}
		}
	}
}
