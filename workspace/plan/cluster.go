package plan

import (
	"fmt"
	"strings"
)

// notExactOnCluster are the step kinds whose exactness rests on one
// server's view of its parts and inserts: copying by part name with merges
// stopped, a swap with a drain of that server's inserts, a tail copy, a
// watermark backfill. On a cluster each replica has its own parts, merges,
// fetches and inserts in flight, so perch refuses them there, except in a
// rebuild of a replicated table (rebuildOnCluster), whose steps run on
// every host, or on one replica of each shard, where they must.
var notExactOnCluster = map[StepKind]string{
	StepCopyParts:       "copies rows by part name with merges stopped on one server",
	StepSwap:            "swaps tables and drains the inserts of one server",
	StepCopyTail:        "copies the rows that reached the old table after the swap on one server",
	StepDrain:           "waits for the inserts in flight on one server",
	StepWatermark:       "recreates a view at a watermark and backfills from one server",
	StepBackfill:        "backfills a view's target from one server",
	StepWaitUntil:       "waits out a watermark on one server",
	StepTrack:           "records the source's last block number on one server, whose inserts its tracker views see",
	StepTrackedBackfill: "backfills a view's target from the parts of one server, told from the blocks its trackers recorded",
}

// checkCluster applies the rules of a cluster target (remote.Cluster set):
// hosts down or disagreeing make the plan unappliable (an ON CLUSTER change
// would run on some hosts only), lagging replicas are warnings, changes
// whose method is not exact on a cluster are plan errors, and every step
// says which hosts it runs on.
func (p *planner) checkCluster() {
	name := p.remote.Cluster
	if name == "" {
		return
	}
	all, connected, each := "every host of cluster "+name, "the host perch is connected to", "every host of cluster "+name+", one by one"
	perShard := connected
	if n := p.remote.Hosts.Shards(); n > 1 {
		perShard = fmt.Sprintf("one replica of each of the %d shards of cluster %s, shard by shard", n, name)
	}
	if st := p.remote.Hosts; st != nil {
		var hosts []string
		for _, h := range st.Hosts {
			hosts = append(hosts, fmt.Sprintf("%s:%d", h.Name, h.Port))
		}
		p.plan.Hosts = hosts
		all = fmt.Sprintf("ON CLUSTER %s: %s", name, strings.Join(hosts, ", "))
		each = fmt.Sprintf("each host of cluster %s in turn: %s", name, strings.Join(hosts, ", "))
		for _, is := range st.Issues {
			p.errorf("cluster %s: %s: an ON CLUSTER change would run on some hosts only; fix the host (or wait for it) and plan again", name, is)
		}
		for _, l := range st.Lag {
			p.plan.Warnings = append(p.plan.Warnings, "cluster "+name+": "+l+" (it catches up by itself; rows inserted on other replicas reach it late)")
		}
	}
	for _, c := range p.plan.Changes {
		if c.Method == MethodRebuild {
			if why := p.rebuildOnCluster(c.Resource); why != "" {
				p.errorf("%s: %s (%s) is not exact on cluster %s: %s", c.Resource, c.Method, strings.Join(c.Parts, ", "), name, why)
			} else {
				c.Notes = append(c.Notes, rebuildClusterNote(name, p.remote.Hosts.Shards()))
			}
		}
		for i := range c.Steps {
			s := &c.Steps[i]
			if why, ok := notExactOnCluster[s.Kind]; ok && c.Method != MethodRebuild {
				p.errorf("%s: %s (%s) is not exact on cluster %s: step %s %s; each replica has its own parts, merges and inserts in flight. "+
					"Change it on a single server, or make it an in-place change (add, drop or modify a column; metadata)", c.Resource, c.Method, strings.Join(c.Parts, ", "), name, s.ID, why)
				break
			}
		}
		for i := range c.Steps {
			c.Steps[i].Hosts = whereRuns(&c.Steps[i], all, connected, each, perShard)
		}
	}
}

// whereRuns says where step s runs on a cluster: every host at once (ON
// CLUSTER), each host in turn (merges and drains, which 18.16 cannot send
// ON CLUSTER), one replica of each shard (a rebuild's copies and row
// check), or the host perch is connected to.
func whereRuns(s *Step, all, connected, each, perShard string) string {
	switch s.Kind {
	case StepDrain:
		return each
	case StepCopyParts, StepCopyTail, StepCheckRows:
		return perShard
	}
	for _, q := range s.SQL {
		if strings.Contains(q, " ON CLUSTER ") {
			return all
		}
	}
	for _, q := range s.SQL {
		if strings.HasPrefix(q, "SYSTEM STOP MERGES") {
			return each
		}
	}
	return connected
}

// rebuildOnCluster says why a rebuild and swap of table is not exact on the
// target's cluster, or "" when it is: every host holds the table as a
// Replicated* engine. Then each shard's rows are copied by part name on one
// of its replicas with merges stopped on every host (a replica fetches the
// others' parts, and part names are the shard's), replication carries the
// copy to the shard's other replicas, the swap runs ON CLUSTER, the inserts
// in flight are drained on every host, and each shard's tail is copied once
// its replica holds every part any replica of the shard's old table holds.
func (p *planner) rebuildOnCluster(table string) string {
	st := p.remote.Hosts
	if st == nil || len(st.Hosts) == 0 {
		return "the cluster's hosts could not be read"
	}
	for _, h := range st.Hosts {
		replicated := false
		for _, r := range h.Replicas {
			replicated = replicated || r.Table == table
		}
		if !replicated {
			return fmt.Sprintf("%s is not a replicated table on %s:%d, so each host has rows of its own; make it Replicated* (a cluster target writes new tables so) or change it on each server", table, h.Name, h.Port)
		}
	}
	return ""
}

// rebuildClusterNote says how a rebuild runs on a cluster of shards
// shards.
func rebuildClusterNote(name string, shards int) string {
	where := "on the connected host and replication carries them to the other replicas"
	tail := "the tail is copied once the connected host holds every part of the old table"
	if shards > 1 {
		where = fmt.Sprintf("on one replica of each of the %d shards, each shard's rows there (counted and journaled per shard), and replication carries them to the shard's other replicas", shards)
		tail = "each shard's tail is copied once its replica holds every part of the shard's old table, and the rows are checked per shard"
	}
	return "on cluster " + name + ": merges stop on every replica; rows are copied by part name " + where +
		" (the copies are not deduplicated, so identical batches stay two); the swap is one RENAME ON CLUSTER; inserts in flight are drained on every host, and " +
		tail + "; a producer that retries, after the swap, a batch that reached the old table " +
		"is not deduplicated against it (the new table has its own ZooKeeper path)"
}
