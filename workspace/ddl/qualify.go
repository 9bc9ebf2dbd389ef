package ddl

import (
	"sort"

	"github.com/perchdata/perch/datafiles/compile"
)

// qualify prefixes the unqualified table references of a view's query with
// the generator's database, on a cluster target only. An ON CLUSTER
// statement runs on each host in its default database, not in the
// connection's, so `FROM events` would read default.events there; on one
// server the connection's database already is the workspace's, and the
// query is kept as written. Table functions and WITH names are left alone;
// a query the parser cannot read is kept as written (the server reports it).
func (g Generator) qualify(query string) string {
	if g.Cluster == "" || g.Database == "" {
		return query
	}
	refs, err := compile.TableRefs(query)
	if err != nil || refs.Fallback {
		return query
	}
	lineStart := []int{0}
	for i := 0; i < len(query); i++ {
		if query[i] == '\n' {
			lineStart = append(lineStart, i+1)
		}
	}
	var at []int
	for _, r := range refs.Tables {
		if r.Database != "" || r.Func || r.Line < 1 || r.Line > len(lineStart) {
			continue
		}
		off := lineStart[r.Line-1] + r.Col - 1
		if off < 0 || off >= len(query) {
			continue
		}
		at = append(at, off)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(at)))
	prefix := Ident(g.Database) + "."
	for i, off := range at {
		if i > 0 && off == at[i-1] {
			continue
		}
		query = query[:off] + prefix + query[off:]
	}
	return query
}
