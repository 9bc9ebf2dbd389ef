package apply

import (
	"context"
	"fmt"
	"sort"
	"strconv"
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
	x.closeShards()
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

// converge waits until the connected host holds the rows of every active
// part of table that any replica holds: after the swap, rows inserted on
// another replica into the old table reach the connected one by
// replication, and the tail copies from there. A part is held when the
// connected host has an active part covering its block range (the part
// itself, or a merge the connected host ran before its merges stopped that
// another replica has postponed), or active parts inside its range with as
// many rows (the other replica ran a merge the connected host postponed: a
// merge takes every part of its range). Merges are stopped on every
// replica, so the part sets only grow.
func (x *executor) converge(ctx context.Context, table string) error {
	if x.c.Cluster() == "" {
		return nil
	}
	q := partRangesQuery(x.c.Database(), table)
	missing, err := x.pollHostParts(ctx, table, func(byHost map[string][]string) ([]string, error) {
		local, err := x.strings(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("parts of %s: %w", table, err)
		}
		have := parseBlockRanges(local)
		var missing []string
		for host, parts := range byHost {
			for _, l := range parts {
				r, ok := parseBlockRange(l)
				if !ok || !r.heldBy(have) {
					missing = append(missing, r.name+" (on "+host+")")
				}
			}
		}
		return missing, nil
	})
	if err != nil || len(missing) == 0 {
		return err
	}
	return fmt.Errorf("%s: the connected host still lacks %d parts other replicas hold after %s: %s", table, len(missing), x.opts.DrainTimeout, strings.Join(missing, ", "))
}

// pollHostParts lists the active parts of table on every host (as
// partRangesQuery) every 100 ms until lacking finds none, or the drain
// timeout passes; it returns what lacking found last, sorted (nil once
// nothing lacks).
func (x *executor) pollHostParts(ctx context.Context, table string, lacking func(byHost map[string][]string) ([]string, error)) ([]string, error) {
	q := partRangesQuery(x.c.Database(), table)
	deadline := time.Now().Add(x.opts.DrainTimeout)
	for {
		byHost, err := x.hostStrings(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("parts of %s: %w", table, err)
		}
		missing, err := lacking(byHost)
		if err != nil || len(missing) == 0 {
			return nil, err
		}
		if time.Now().After(deadline) {
			sort.Strings(missing)
			return missing, nil
		}
		if err := sleep(ctx, 100*time.Millisecond); err != nil {
			return nil, err
		}
	}
}

// replicasHold waits until every replica the executor reaches (its
// shard's on a cluster of several shards) holds the rows of every active
// part of table the connected host holds now: replication carries the copy
// and the tail from there, and this is the row check of each replica. A
// part is held as in converge (the same part, a part covering its blocks,
// or parts inside its blocks with its rows); parts formed later are not
// waited for.
func (x *executor) replicasHold(ctx context.Context, table string) error {
	if x.c.Cluster() == "" {
		return nil
	}
	local, err := x.strings(ctx, partRangesQuery(x.c.Database(), table))
	if err != nil {
		return fmt.Errorf("parts of %s: %w", table, err)
	}
	want := parseBlockRanges(local)
	missing, err := x.pollHostParts(ctx, table, func(byHost map[string][]string) ([]string, error) {
		var missing []string
		for host, parts := range byHost {
			have := parseBlockRanges(parts)
			for _, r := range want {
				if !r.heldBy(have) {
					missing = append(missing, r.name+" (on "+host+")")
				}
			}
		}
		return missing, nil
	})
	if err != nil || len(missing) == 0 {
		return err
	}
	n, more := len(missing), ""
	if n > 10 {
		missing, more = missing[:10], fmt.Sprintf(" and %d more", n-10)
	}
	return fmt.Errorf("%s: after %s, replicas still lack %d parts the connected host held after the copy (replication stalled?): %s%s", table, x.opts.DrainTimeout, n, strings.Join(missing, ", "), more)
}

// partRangesQuery lists the active parts of table as parseBlockRange reads them.
func partRangesQuery(database, table string) string {
	return "SELECT concat(partition_id, ' ', toString(min_block_number), ' ', toString(max_block_number), ' ', toString(rows), ' ', name) FROM system.parts WHERE database = " +
		ddl.String(database) + " AND table = " + ddl.String(table) + " AND active"
}

// parseBlockRanges reads the lines of partRangesQuery, skipping bad ones.
func parseBlockRanges(lines []string) []blockRange {
	out := make([]blockRange, 0, len(lines))
	for _, l := range lines {
		if r, ok := parseBlockRange(l); ok {
			out = append(out, r)
		}
	}
	return out
}

// blockRange is a part's partition, block numbers and rows.
type blockRange struct {
	partition string
	min, max  int64
	rows      uint64
	name      string
}

// parseBlockRange reads "partition_id min max rows name".
func parseBlockRange(s string) (blockRange, bool) {
	f := strings.Fields(s)
	if len(f) != 5 {
		return blockRange{name: s}, false
	}
	lo, err1 := strconv.ParseInt(f[1], 10, 64)
	hi, err2 := strconv.ParseInt(f[2], 10, 64)
	n, err3 := strconv.ParseUint(f[3], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return blockRange{name: f[4]}, false
	}
	return blockRange{partition: f[0], min: lo, max: hi, rows: n, name: f[4]}, true
}

// heldBy reports whether parts hold r's rows: one of them covers r's
// blocks, or those inside r's blocks have r's rows.
func (r blockRange) heldBy(parts []blockRange) bool {
	var inside uint64
	for _, p := range parts {
		if p.partition != r.partition {
			continue
		}
		if p.min <= r.min && r.max <= p.max {
			return true
		}
		if r.min <= p.min && p.max <= r.max {
			inside += p.rows
		}
	}
	return inside == r.rows && r.rows > 0
}
