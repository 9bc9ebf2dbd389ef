package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/perchdata/perch/workspace/engine"
)

// DefaultClusterDDLTimeout bounds the wait for every host to run an ON
// CLUSTER statement (distributed_ddl_task_timeout).
const DefaultClusterDDLTimeout = 60 * time.Second

// HostResult is one host's answer to an ON CLUSTER statement.
type HostResult struct {
	Host   string `json:"host"` // host:port
	Status int64  `json:"status"`
	Error  string `json:"error,omitempty"`
}

// ClusterDDLError is an ON CLUSTER statement that did not finish on every
// host: the hosts that failed (with the server's message) and the hosts
// that did not answer within the timeout. The statement stays queued in
// ZooKeeper for the latter: they run it when they come back.
type ClusterDDLError struct {
	Cluster  string
	SQL      string
	Done     []string     // hosts that ran it
	Failed   []HostResult // hosts that answered with an error
	TimedOut []string     // hosts that did not answer in time
	Err      error        // the server's error
}

func (e *ClusterDDLError) Error() string {
	var parts []string
	for _, f := range e.Failed {
		parts = append(parts, fmt.Sprintf("%s failed: %s", f.Host, f.Error))
	}
	if len(e.TimedOut) > 0 {
		parts = append(parts, "no answer in time from "+strings.Join(e.TimedOut, ", ")+" (the statement stays queued for them in ZooKeeper)")
	}
	if len(e.Done) > 0 {
		parts = append(parts, "done on "+strings.Join(e.Done, ", "))
	}
	msg := "on cluster " + e.Cluster + ": " + strings.Join(parts, "; ")
	if e.Err != nil && len(e.Failed) == 0 {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *ClusterDDLError) Unwrap() error { return e.Err }

// ExecOnCluster runs an ON CLUSTER statement and waits until every host of
// the cluster ran it (the server's own wait, bounded by timeout), reading
// the server's per-host answers. Any host failing or not answering is a
// *ClusterDDLError naming each host.
func (c *Client) ExecOnCluster(ctx context.Context, query string, timeout time.Duration) ([]HostResult, error) {
	if timeout <= 0 {
		timeout = DefaultClusterDDLTimeout
	}
	hosts, herr := c.Hosts(ctx)
	ctx = engine.WithSettings(ctx, engine.Settings{"distributed_ddl_task_timeout": signedSetting(c.caps, int64(timeout.Seconds()))})
	var res []HostResult
	rows, err := c.conn.Query(ctx, query)
	if err == nil {
		for rows.Next() {
			var (
				r            HostResult
				port         uint16
				rest1, rest2 uint64
			)
			if serr := rows.Scan(&r.Host, &port, &r.Status, &r.Error, &rest1, &rest2); serr != nil {
				err = serr
				break
			}
			r.Host = fmt.Sprintf("%s:%d", r.Host, port)
			res = append(res, r)
		}
		if err == nil {
			err = rows.Err()
		}
		rows.Close()
	}
	e := &ClusterDDLError{Cluster: c.target.Cluster, SQL: query, Err: err}
	seen := map[string]bool{}
	shardOf := map[string]int{}
	for _, h := range hosts {
		shardOf[fmt.Sprintf("%s:%d", h.Name, h.Port)] = h.Shard
		shardOf[fmt.Sprintf("%s:%d", h.Address, h.Port)] = h.Shard
	}
	doneShards := map[int]bool{}
	for _, r := range res {
		if r.Status == 0 {
			if s, ok := shardOf[r.Host]; ok {
				doneShards[s] = true
			}
		}
	}
	for _, r := range res {
		seen[r.Host] = true
		switch {
		case r.Status == 0:
			e.Done = append(e.Done, r.Host)
		case byReplication(r) && doneShards[shardOf[r.Host]] && shardOf[r.Host] != 0:
			// 18.16 runs an ALTER of a replicated table on one replica per
			// shard (the leader) and the others report this; replication
			// carries it to them.
			e.Done = append(e.Done, r.Host)
		default:
			e.Failed = append(e.Failed, r)
		}
	}
	if len(e.Failed) == 0 && (err == nil || (strings.Contains(err.Error(), replicatedShardMessage) && len(e.Done) == len(hosts))) {
		return res, nil
	}
	timedOut := err != nil && strings.Contains(err.Error(), "distributed_ddl_task_timeout")
	if herr == nil && (timedOut || (err == nil && len(res) < len(hosts))) {
		for _, h := range hosts {
			a := fmt.Sprintf("%s:%d", h.Name, h.Port)
			b := fmt.Sprintf("%s:%d", h.Address, h.Port)
			if !seen[a] && !seen[b] && !failedOn(e.Failed, a, b) {
				e.TimedOut = append(e.TimedOut, a)
			}
		}
	}
	if err != nil && !errors.Is(err, context.Canceled) && len(e.Failed) == 0 && len(e.TimedOut) == 0 {
		return res, redactError(fmt.Errorf("exec %s: %w", abbreviate(query), err), c.secrets...)
	}
	return res, redactError(fmt.Errorf("exec %s: %w", abbreviate(query), e), c.secrets...)
}

// replicatedShardMessage is 18.16's status for a host whose replicated
// table's ALTER ran on another replica of its shard (or on none of them).
const replicatedShardMessage = "Cannot enqueue replicated DDL query for a replicated shard"

func byReplication(r HostResult) bool { return strings.Contains(r.Error, replicatedShardMessage) }

func failedOn(fs []HostResult, names ...string) bool {
	for _, f := range fs {
		for _, n := range names {
			if f.Host == n {
				return true
			}
		}
	}
	return false
}

// signedSetting encodes the value of an Int64 setting. Servers without
// string settings (18.16) read a signed setting as a zig-zag varint while
// the driver writes integers as plain varints: 3 would arrive as -2 (for
// distributed_ddl_task_timeout, "wait forever"), so the value is sent
// zig-zag encoded there.
func signedSetting(caps Capabilities, v int64) any {
	if caps.StringSettings {
		return int(v)
	}
	return int(uint64(v<<1) ^ uint64(v>>63))
}
