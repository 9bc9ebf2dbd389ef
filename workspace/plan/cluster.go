package plan

import (
	"fmt"
	"strings"
)

// notExactOnCluster are the step kinds whose exactness rests on one
// server's view of its parts and inserts: copying by part name with merges
// stopped, a swap with a drain of that server's inserts, a tail copy, a
// watermark backfill. On a cluster each replica has its own parts, merges,
// fetches and inserts in flight, so perch refuses them there for now.
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
	all, connected := "every host of cluster "+name, "the host perch is connected to"
	if st := p.remote.Hosts; st != nil {
		var hosts []string
		for _, h := range st.Hosts {
			hosts = append(hosts, fmt.Sprintf("%s:%d", h.Name, h.Port))
		}
		p.plan.Hosts = hosts
		all = fmt.Sprintf("ON CLUSTER %s: %s", name, strings.Join(hosts, ", "))
		for _, is := range st.Issues {
			p.errorf("cluster %s: %s: an ON CLUSTER change would run on some hosts only; fix the host (or wait for it) and plan again", name, is)
		}
		for _, l := range st.Lag {
			p.plan.Warnings = append(p.plan.Warnings, "cluster "+name+": "+l+" (it catches up by itself; rows inserted on other replicas reach it late)")
		}
	}
	for _, c := range p.plan.Changes {
		for i := range c.Steps {
			s := &c.Steps[i]
			if why, ok := notExactOnCluster[s.Kind]; ok {
				p.errorf("%s: %s (%s) is not exact on cluster %s: step %s %s; each replica has its own parts, merges and inserts in flight. "+
					"Change it on a single server, or make it an in-place change (add, drop or modify a column; metadata)", c.Resource, c.Method, strings.Join(c.Parts, ", "), name, s.ID, why)
				break
			}
		}
		for i := range c.Steps {
			s := &c.Steps[i]
			s.Hosts = connected
			for _, q := range s.SQL {
				if strings.Contains(q, " ON CLUSTER ") {
					s.Hosts = all
					break
				}
			}
		}
	}
}
