package compare

import (
	"strconv"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/sqltext"
)

// SameQuery reports whether two statements are the same once normalized
// (sqltext.NormalizeQuery); texts equal token by token skip the parser.
func SameQuery(a, b, database string) bool { return same(a, b, database, sqltext.NormalizeQuery) }

// SameViewQuery reports whether two queries of a materialized view are the
// same once the watermark filters perch writes when it recreates a view are
// stripped (StripWatermark): a view perch recreated reads back as deployed.
// The planner, drift, status and diff all decide with it.
func SameViewQuery(a, b, database string) bool {
	return SameQuery(a, b, database) || SameQuery(StripWatermark(a), StripWatermark(b), database)
}

// View compares the server-side part of a view: the query of its
// materialized (or only) node and its TO target. localSQL is the local
// node compiled to runnable SQL (templates rendered, node references
// inlined); remote is the snapshot's pipe.
func View(localSQL, localTarget string, remote *datafiles.Pipe, database string) []Change {
	rn := viewNode(remote)
	if rn == nil {
		return []Change{{Field: Query, Local: localSQL}}
	}
	var out []Change
	if !SameViewQuery(localSQL, rn.SQL, database) {
		out = append(out, Change{Field: Query, Local: localSQL, Remote: rn.SQL})
	}
	if Unqualify(localTarget, database) != Unqualify(rn.Datasource, database) {
		out = append(out, Change{Field: Target, Local: localTarget, Remote: rn.Datasource})
	}
	return out
}

// viewNode is the node of a pipe that holds a view's query.
func viewNode(p *datafiles.Pipe) *datafiles.Node {
	if p == nil || len(p.Nodes) == 0 {
		return nil
	}
	for _, n := range p.Nodes {
		if n.Type == datafiles.NodeMaterialized {
			return n
		}
	}
	return p.Output()
}

// Unqualify drops "database." from a table name of the workspace database.
func Unqualify(name, database string) string {
	if rest, ok := strings.CutPrefix(name, database+"."); ok && database != "" {
		return rest
	}
	return name
}

// Pipes compares two pipe definitions as datafiles (a local pipe and the
// deployed one): description, tokens, tags, cache, and node by node its
// name and SQL (normalized), type, materialized target and copy settings.
// Another number of nodes is one Nodes change; a node of another name at
// the same place is a NodeSQL change.
func Pipes(local, deployed *datafiles.Pipe) []Change {
	out := metadata(local.Description, deployed.Description, local.Tokens, deployed.Tokens, local.Tags, deployed.Tags)
	if local.Cache != deployed.Cache {
		out = append(out, Change{Field: Cache, Local: strconv.Itoa(local.Cache), Remote: strconv.Itoa(deployed.Cache)})
	}
	if len(local.Nodes) != len(deployed.Nodes) {
		return append(out, Change{Field: Nodes, Local: nodeNames(local), Remote: nodeNames(deployed)})
	}
	for i, n := range local.Nodes {
		o := deployed.Nodes[i]
		add := func(f Field, l, r string) { out = append(out, Change{Field: f, Column: n.Name, Local: l, Remote: r}) }
		if n.Name != o.Name || !SameQuery(n.SQL, o.SQL, "") {
			add(NodeSQL, n.SQL, o.SQL)
		}
		if n.Type != o.Type {
			add(NodeType, string(n.Type), string(o.Type))
		}
		if n.Datasource != o.Datasource {
			add(Target, n.Datasource, o.Datasource)
		}
		if l, r := copySettings(n), copySettings(o); l != r {
			add(NodeSettings, l, r)
		}
	}
	return out
}

func nodeNames(p *datafiles.Pipe) string {
	names := make([]string, len(p.Nodes))
	for i, n := range p.Nodes {
		names[i] = n.Name
	}
	return strings.Join(names, ", ")
}

func copySettings(n *datafiles.Node) string {
	return strings.TrimSpace(strings.Join([]string{n.TargetDatasource, n.CopySchedule, n.CopyMode}, " "))
}
