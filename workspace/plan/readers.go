package plan

import (
	"sort"

	"github.com/perchdata/perch/datafiles/compile"
	"github.com/perchdata/perch/lineage"
)

// graph is the lineage of the local project, built once from compiled table
// references (never from words: a column named like a table is not a read).
func (p *planner) graph() *lineage.Graph {
	if p.lineage == nil {
		p.lineage = lineage.Build(p.local, lineage.Options{Database: p.remote.Database})
	}
	return p.lineage
}

// pipesReading lists the local pipes that read table directly, sorted.
func (p *planner) pipesReading(table string) []string {
	g := p.graph()
	var out []string
	for _, e := range g.Out(table) {
		if e.Kind != lineage.EdgeReads {
			continue
		}
		if n := g.Node(e.To); n != nil && n.Kind.IsPipe() {
			out = append(out, e.To)
		}
	}
	sort.Strings(out)
	return out
}

// queryTables returns the tables of the workspace a compiled query reads, in
// order of appearance, keeping those known: the first one is the table whose
// inserts fire a materialized view built from the query. References to other
// databases and table functions are left out.
func queryTables(sql, database string, known func(string) bool) []string {
	refs, err := compile.TableRefs(sql)
	if err != nil {
		return nil
	}
	tabs := append([]compile.Ref(nil), refs.Tables...)
	sort.SliceStable(tabs, func(i, j int) bool {
		if tabs[i].Line != tabs[j].Line {
			return tabs[i].Line < tabs[j].Line
		}
		return tabs[i].Col < tabs[j].Col
	})
	var out []string
	seen := map[string]bool{}
	for _, r := range tabs {
		if r.Func || (r.Database != "" && r.Database != database) {
			continue
		}
		if known(r.Name) && !seen[r.Name] {
			seen[r.Name] = true
			out = append(out, r.Name)
		}
	}
	return out
}
