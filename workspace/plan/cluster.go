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
// rebuild on one shard of replicas (rebuildOnCluster), whose steps run on
// every host where they must.
var notExactOnCluster = map[StepKind]string{
	StepCopyParts: "copies rows by part name with merges stopped on one server",
	StepSwap:      "swaps tables and drains the inserts of one server",
	StepCopyTail:  "copies the rows that reached the old table after the swap on one server",
	StepDrain:     "waits for the inserts in flight on one server",
	StepWatermark: "recreates a view at a watermark and backfills from one server",
	StepBackfill:  "backfills a view's target from one server",
	StepWaitUntil: "waits out a watermark on one server",
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
				c.Notes = append(c.Notes, rebuildClusterNote(name))
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
			c.Steps[i].Hosts = whereRuns(&c.Steps[i], all, connected, each)
		}
	}
}

// whereRuns says where step s runs on a cluster: every host at once (ON
// CLUSTER), each host in turn (merges and drains, which 18.16 cannot send
// ON CLUSTER), or the host perch is connected to.
func whereRuns(s *Step, all, connected, each string) string {
	if s.Kind == StepDrain {
		return each
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
// target's cluster, or "" when it is: one shard whose replicas all hold the
// table as a Replicated* engine. Then the rows are copied by part name on
// the connected host with merges stopped on every replica (a replica
// fetches the others' parts, and part names are the shard's), replication
// carries the copy to the other replicas, the swap runs ON CLUSTER, the
// inserts in flight are drained on every host, and the tail is copied once
// the connected host holds every part any replica of the old table holds.
func (p *planner) rebuildOnCluster(table string) string {
	st := p.remote.Hosts
	if st == nil || len(st.Hosts) == 0 {
		return "the cluster's hosts could not be read"
	}
	shards := map[int]bool{}
	for _, h := range st.Hosts {
		shards[h.Shard] = true
		replicated := false
		for _, r := range h.Replicas {
			replicated = replicated || r.Table == table
		}
		if !replicated {
			return fmt.Sprintf("%s is not a replicated table on %s:%d, so each host has rows of its own; make it Replicated* (a cluster target writes new tables so) or change it on each server", table, h.Name, h.Port)
		}
	}
	if len(shards) > 1 {
		return fmt.Sprintf("a rebuild is exact on one shard of replicas, and this cluster has %d shards (each shard's rows would be copied on one of its replicas: not supported yet); change it on a one-shard cluster or make it an in-place change (add, drop or modify a column; metadata)", len(shards))
	}
	return ""
}

// rebuildClusterNote says how a rebuild runs on a cluster.
func rebuildClusterNote(name string) string {
	return "on cluster " + name + ": merges stop on every replica; rows are copied by part name on the connected host and replication carries them to the other replicas " +
		"(the copies are not deduplicated, so identical batches stay two); the swap is one RENAME ON CLUSTER; inserts in flight are drained on every host, " +
		"and the tail is copied once the connected host holds every part of the old table; a producer that retries, after the swap, a batch that reached the old table " +
		"is not deduplicated against it (the new table has its own ZooKeeper path)"
}
