package apply

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/journal"
)

// eachShard runs fn once per shard of a cluster of several shards, in
// shard order: sx is an executor on one replica of that shard whose
// every-host statements and reads (merges, convergence, drains) reach the
// shard's replicas only, and sst is the shard's state, journaled in
// st.w.Shards. A rebuild's copy, tail and row check run so: each shard's
// rows are its own, with part names of its own. On a single server or a
// cluster of one shard it runs fn(x, st).
func (x *executor) eachShard(ctx context.Context, st *changeState, fn func(sx *executor, sst *changeState) error) error {
	shards, err := x.shardHosts(ctx)
	if err != nil {
		return err
	}
	if len(shards) < 2 {
		return fn(x, st)
	}
	if st.w.Shards == nil {
		st.w.Shards = map[string]*journal.Work{}
	}
	nums := make([]int, 0, len(shards))
	for n := range shards {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	for _, n := range nums {
		key := strconv.Itoa(n)
		w := st.w.Shards[key]
		if w == nil {
			w = &journal.Work{Host: shards[n][0].Addr()}
			st.w.Shards[key] = w
			if err := x.save(ctx); err != nil {
				return err
			}
		}
		sx, err := x.shardExecutor(ctx, key, shards[n], w.Host)
		if err != nil {
			return fmt.Errorf("shard %d: %w", n, err)
		}
		sst := newChangeState(w)
		sst.tail = st.tail
		err = fn(sx, sst)
		st.lastRows += sst.lastRows
		if err != nil {
			return fmt.Errorf("shard %d (on %s): %w", n, w.Host, err)
		}
	}
	return nil
}

// shardHosts groups the connections to every host of a cluster target by
// shard number; nil on a single server.
func (x *executor) shardHosts(ctx context.Context) (map[int]workspace.HostConns, error) {
	hs, err := x.hostConns(ctx)
	if err != nil || hs == nil {
		return nil, err
	}
	out := map[int]workspace.HostConns{}
	for _, h := range hs {
		out[h.Shard] = append(out[h.Shard], h)
	}
	return out, nil
}

// shardExecutor is the executor of one shard (see eachShard): connected to
// host, one of replicas, with replicas as its hosts. It is opened once per
// apply and closed with the executor's host connections.
func (x *executor) shardExecutor(ctx context.Context, key string, replicas workspace.HostConns, host string) (*executor, error) {
	x.hostsMu.Lock()
	defer x.hostsMu.Unlock()
	if sx := x.shardX[host]; sx != nil {
		return sx, nil
	}
	var h *workspace.HostConn
	for i := range replicas {
		if replicas[i].Addr() == host {
			h = &replicas[i]
		}
	}
	if h == nil {
		return nil, fmt.Errorf("its copy runs on %s, which is no longer one of its replicas in system.clusters of cluster %s; restore the cluster's configuration and run perch apply again", host, x.c.Cluster())
	}
	c, err := x.c.ForHost(ctx, h.Host)
	if err != nil {
		return nil, err
	}
	if wrap := x.opts.shardConn; wrap != nil {
		t := x.c.Target()
		t.Database = x.c.Database()
		if c, err = workspace.NewClient(ctx, wrap(h.Host, c.Conn()), t); err != nil {
			return nil, err
		}
	}
	sx := newExecutor(c, x.p, x.opts, x.id)
	sx.j, sx.sup, sx.emitMu, sx.prev = x.j, x.sup, x.emitMu, x.prev
	sx.hosts, sx.shard = replicas, key
	if x.shardX == nil {
		x.shardX = map[string]*executor{}
	}
	x.shardX[host] = sx
	return sx, nil
}

// closeShards closes the shard executors' clients (their host connections
// are the executor's own, closed with them). The caller holds hostsMu.
func (x *executor) closeShards() {
	for _, sx := range x.shardX {
		sx.c.Close()
	}
	x.shardX = nil
}

// onShard names the executor's shard in messages: " (shard 2)", or "".
func (x *executor) onShard() string {
	if x.shard == "" {
		return ""
	}
	return " (shard " + x.shard + ")"
}
