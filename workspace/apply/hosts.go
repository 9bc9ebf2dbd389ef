package apply

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/ddl"
	"github.com/perchdata/perch/workspace/engine"
)

// hostConns is the executor's connections to every host of a cluster
// target, opened at the first statement that needs them; nil on a single
// server.
func (x *executor) hostConns(ctx context.Context) (workspace.HostConns, error) {
	if x.c.Cluster() == "" {
		return nil, nil
	}
	x.hostsMu.Lock()
	defer x.hostsMu.Unlock()
	if x.hosts == nil {
		hs, err := x.c.OpenHosts(ctx)
		if err != nil {
			return nil, fmt.Errorf("cluster %s: %w", x.c.Cluster(), err)
		}
		x.hosts = hs
	}
	return x.hosts, nil
}

// closeHosts closes the connections hostConns opened.
func (x *executor) closeHosts() {
	x.hostsMu.Lock()
	defer x.hostsMu.Unlock()
	x.hosts.Close()
	x.hosts = nil
}

// everyHost runs a statement each replica must run itself (SYSTEM
// STOP/START MERGES) on every host of the cluster in turn.
func (x *executor) everyHost(ctx context.Context, sql string) error {
	hs, err := x.hostConns(ctx)
	if err != nil {
		return err
	}
	tctx, q := x.tagged(ctx, sql)
	if err := hs.Exec(tctx, q); err != nil {
		return fmt.Errorf("%s: %w", firstLine(sql), err)
	}
	return nil
}

// hostStrings is x.strings on every host (the connected server alone on a
// single server), by host address.
func (x *executor) hostStrings(ctx context.Context, q string) (map[string][]string, error) {
	if x.c.Cluster() == "" {
		vals, err := x.strings(ctx, q)
		return map[string][]string{"": vals}, err
	}
	hs, err := x.hostConns(ctx)
	if err != nil {
		return nil, err
	}
	return hs.Strings(ctx, q)
}

// copySettings are the settings of a statement copying rows into a
// rebuild's new table: on a cluster the new table is replicated, and a
// replicated table drops a block whose checksum it already has, so two
// chunks with the same rows (a batch a producer sent twice forms two
// identical parts) would lose one; 18.16 has no insert_deduplication_token,
// so deduplication is turned off for these inserts (each chunk is counted
// before and after, so a retry never doubles one).
func (x *executor) copySettings(ctx context.Context) context.Context {
	if x.c.Cluster() == "" {
		return ctx
	}
	return engine.WithSettings(ctx, engine.Settings{"insert_deduplicate": 0})
}

// converge waits until the connected host holds every active part of table
// that any replica holds: after the swap, rows inserted on another replica
// into the old table reach the connected one by replication, and the tail
// copies from there. Merges are stopped on every replica, so the part sets
// only grow.
func (x *executor) converge(ctx context.Context, table string) error {
	if x.c.Cluster() == "" {
		return nil
	}
	q := "SELECT name FROM system.parts WHERE database = " + ddl.String(x.c.Database()) + " AND table = " + ddl.String(table) + " AND active"
	deadline := time.Now().Add(x.opts.DrainTimeout)
	for {
		local, err := x.strings(ctx, q)
		if err != nil {
			return fmt.Errorf("parts of %s: %w", table, err)
		}
		byHost, err := x.hostStrings(ctx, q)
		if err != nil {
			return fmt.Errorf("parts of %s: %w", table, err)
		}
		have := map[string]bool{}
		for _, n := range local {
			have[n] = true
		}
		var missing []string
		for host, names := range byHost {
			for _, n := range names {
				if !have[n] {
					missing = append(missing, n+" (on "+host+")")
				}
			}
		}
		if len(missing) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			sort.Strings(missing)
			return fmt.Errorf("%s: the connected host still lacks %d parts other replicas hold after %s: %s", table, len(missing), x.opts.DrainTimeout, strings.Join(missing, ", "))
		}
		if err := sleep(ctx, 100*time.Millisecond); err != nil {
			return err
		}
	}
}
