package branch

import (
	"fmt"
	"sort"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/lineage"
	"github.com/perchdata/perch/workspace"
)

// Landing lists the landing data sources of a project, sorted: those no
// materialized view and no copy writes to. A branch copies their rows from
// the workspace; everything downstream is recomputed by the branch's own
// views.
func Landing(p *datafiles.Project) []string {
	g := lineage.Build(p, lineage.Options{})
	var out []string
	for _, name := range p.DatasourceNames() {
		written := false
		for _, e := range g.In(name) {
			if e.Kind == lineage.EdgeMaterializes || e.Kind == lineage.EdgeCopies {
				written = true
				break
			}
		}
		if !written {
			out = append(out, name)
		}
	}
	return out
}

// readsWorkspace lists the pipes of p that name a table of the workspace
// database ws explicitly (ws.events): in a branch they would read, or
// write, the workspace itself, so a branch of such a project is refused.
func readsWorkspace(p *datafiles.Project, ws string) []string {
	g := lineage.Build(p, lineage.Options{})
	var out []string
	for _, n := range g.Nodes {
		if n.Kind != lineage.KindExternal || !strings.HasPrefix(n.Name, ws+".") {
			continue
		}
		for _, e := range g.Out(n.Name) {
			out = append(out, fmt.Sprintf("%s reads %s", e.To, n.Name))
		}
	}
	sort.Strings(out)
	return out
}

// copyOrder orders landing tables for copying: first those no view of the
// branch fires on (a view joining them finds them complete), then the
// ones with views, each group by name.
func copyOrder(landing []string, branch *workspace.Snapshot) []string {
	out := append([]string(nil), landing...)
	fires := func(name string) bool {
		o := branch.Object(name)
		return o != nil && len(o.Dependents) > 0
	}
	sort.SliceStable(out, func(i, j int) bool {
		fi, fj := fires(out[i]), fires(out[j])
		if fi != fj {
			return !fi
		}
		return out[i] < out[j]
	})
	return out
}
