package workspace

import (
	"fmt"
	"strconv"

	"github.com/perchdata/perch/datafiles"
)

// FieldChange is one difference between two definitions of a data source.
// Local and Remote are the texts as written (for display); they compared
// different after normalization.
type FieldChange struct {
	// Field names what differs: "column.added", "column.dropped",
	// "column.type", "column.default", "column.codec", "column.comment",
	// "column.order", "engine", "engine.partition_key", "engine.sorting_key",
	// "engine.primary_key", "engine.sampling_key", "engine.ttl",
	// "engine.settings", "engine.ver", "engine.is_deleted", "engine.sign",
	// "engine.version", "engine.summing_columns", "engine.join",
	// "index.added", "index.dropped", "index.changed".
	Field string `json:"field"`
	// Column (or index) the change is about, if any.
	Column string `json:"column,omitempty"`
	Local  string `json:"local"`
	Remote string `json:"remote"`
}

// String describes the change in one line.
func (f FieldChange) String() string {
	if f.Column != "" {
		return fmt.Sprintf("%s %s: %q -> %q", f.Field, f.Column, f.Remote, f.Local)
	}
	return fmt.Sprintf("%s: %q -> %q", f.Field, f.Remote, f.Local)
}

// DriftString describes the change as drift: Local is what perch deployed,
// Remote what is live now.
func (f FieldChange) DriftString() string {
	switch f.Field {
	case "column.added":
		return fmt.Sprintf("column %s %s was dropped on the server", f.Column, f.Local)
	case "column.dropped":
		return fmt.Sprintf("column %s %s was added on the server", f.Column, f.Remote)
	case "index.added":
		return fmt.Sprintf("index %s was dropped on the server", f.Column)
	case "index.dropped":
		return fmt.Sprintf("index %s (%s) was added on the server", f.Column, f.Remote)
	}
	name := f.Field
	if f.Column != "" {
		name += " " + f.Column
	}
	return fmt.Sprintf("%s: deployed %q, live %q", name, f.Local, f.Remote)
}

// DiffDatasource compares the server-side definition of two data sources
// (what a table on the server can hold: columns, engine, keys, TTL,
// settings, indexes) after normalization, so that the server's rewriting
// never shows as a change. Directives the server does not keep
// (DESCRIPTION, TOKEN, jsonpaths, KAFKA_*, ...) are ignored. database is
// the workspace database, stripped from references.
func DiffDatasource(local, remote *datafiles.Datasource, database string) []FieldChange {
	var out []FieldChange
	add := func(field, col, l, r string) {
		out = append(out, FieldChange{Field: field, Column: col, Local: l, Remote: r})
	}
	rcols := map[string]*datafiles.Column{}
	for i := range remote.Columns {
		rcols[remote.Columns[i].Name] = &remote.Columns[i]
	}
	lcols := map[string]bool{}
	var lorder, rorder []string
	for _, lc := range local.Columns {
		lcols[lc.Name] = true
		rc := rcols[lc.Name]
		if rc == nil {
			add("column.added", lc.Name, lc.Type, "")
			continue
		}
		lorder = append(lorder, lc.Name)
		if NormalizeType(lc.Type) != NormalizeType(rc.Type) {
			add("column.type", lc.Name, lc.Type, rc.Type)
		}
		if defaultKind(lc) != defaultKind(*rc) || NormalizeExpr(lc.Default, database) != NormalizeExpr(rc.Default, database) {
			add("column.default", lc.Name, defaultText(lc), defaultText(*rc))
		}
		if NormalizeCodec(lc.Codec) != NormalizeCodec(rc.Codec) {
			add("column.codec", lc.Name, lc.Codec, rc.Codec)
		}
		if lc.Comment != rc.Comment {
			add("column.comment", lc.Name, lc.Comment, rc.Comment)
		}
	}
	for _, rc := range remote.Columns {
		if !lcols[rc.Name] {
			add("column.dropped", rc.Name, "", rc.Type)
		} else {
			rorder = append(rorder, rc.Name)
		}
	}
	if fmt.Sprint(lorder) != fmt.Sprint(rorder) {
		add("column.order", "", fmt.Sprint(lorder), fmt.Sprint(rorder))
	}
	out = append(out, diffEngine(local.Engine, remote.Engine, database)...)
	out = append(out, diffIndexes(local.Indexes, remote.Indexes, database)...)
	return out
}

func defaultKind(c datafiles.Column) string {
	if c.Default == "" {
		return ""
	}
	if c.DefaultKind == "" {
		return "DEFAULT"
	}
	return c.DefaultKind
}

func defaultText(c datafiles.Column) string {
	if c.Default == "" {
		return ""
	}
	return defaultKind(c) + " " + c.Default
}

func engineName(e datafiles.Engine) string {
	if e.Name == "" {
		return "MergeTree"
	}
	return e.Name
}

func diffEngine(l, r datafiles.Engine, database string) []FieldChange {
	var out []FieldChange
	cmp := func(field, lv, rv string, norm func(string, string) string) {
		if norm(lv, database) != norm(rv, database) {
			out = append(out, FieldChange{Field: field, Local: lv, Remote: rv})
		}
	}
	if engineName(l) != engineName(r) {
		out = append(out, FieldChange{Field: "engine", Local: engineName(l), Remote: engineName(r)})
	}
	cmp("engine.partition_key", l.PartitionKey, r.PartitionKey, NormalizeKey)
	cmp("engine.sorting_key", l.SortingKey, r.SortingKey, NormalizeKey)
	lp, rp := l.PrimaryKey, r.PrimaryKey
	if lp == "" {
		lp = l.SortingKey
	}
	if rp == "" {
		rp = r.SortingKey
	}
	cmp("engine.primary_key", lp, rp, NormalizeKey)
	cmp("engine.sampling_key", l.SamplingKey, r.SamplingKey, NormalizeKey)
	cmp("engine.ttl", l.TTL, r.TTL, NormalizeExpr)
	if NormalizeSettings(l.Settings) != NormalizeSettings(r.Settings) {
		out = append(out, FieldChange{Field: "engine.settings", Local: l.Settings, Remote: r.Settings})
	}
	cmp("engine.ver", l.Ver, r.Ver, NormalizeExpr)
	cmp("engine.is_deleted", l.IsDeleted, r.IsDeleted, NormalizeExpr)
	cmp("engine.sign", l.Sign, r.Sign, NormalizeExpr)
	cmp("engine.version", l.Version, r.Version, NormalizeExpr)
	cmp("engine.summing_columns", l.SummingColumns, r.SummingColumns, NormalizeKey)
	lj := l.JoinStrictness + " " + l.JoinType + " " + l.KeyColumns
	rj := r.JoinStrictness + " " + r.JoinType + " " + r.KeyColumns
	cmp("engine.join", lj, rj, func(s, _ string) string { return dropSpaces(s) })
	return out
}

func diffIndexes(l, r []datafiles.Index, database string) []FieldChange {
	var out []FieldChange
	key := func(i datafiles.Index) string {
		return NormalizeExpr(i.Expr, database) + "|" + NormalizeType(i.Type) + "|" + strconv.Itoa(max(i.Granularity, 1))
	}
	text := func(i datafiles.Index) string {
		return fmt.Sprintf("%s TYPE %s GRANULARITY %d", i.Expr, i.Type, max(i.Granularity, 1))
	}
	rm := map[string]datafiles.Index{}
	for _, i := range r {
		rm[i.Name] = i
	}
	seen := map[string]bool{}
	for _, li := range l {
		seen[li.Name] = true
		ri, ok := rm[li.Name]
		switch {
		case !ok:
			out = append(out, FieldChange{Field: "index.added", Column: li.Name, Local: text(li)})
		case key(li) != key(ri):
			out = append(out, FieldChange{Field: "index.changed", Column: li.Name, Local: text(li), Remote: text(ri)})
		}
	}
	for _, ri := range r {
		if !seen[ri.Name] {
			out = append(out, FieldChange{Field: "index.dropped", Column: ri.Name, Remote: text(ri)})
		}
	}
	return out
}

// DiffPipe compares the server-side part of two views: the query of their
// materialized (or only) node and the TO target. localSQL is the local
// node compiled to runnable SQL (templates rendered, node references
// inlined); remote is the snapshot's pipe.
func DiffPipe(localSQL, localTarget string, remote *datafiles.Pipe, database string) []FieldChange {
	var out []FieldChange
	rn := remoteNode(remote)
	if rn == nil {
		return []FieldChange{{Field: "query", Local: localSQL}}
	}
	if NormalizeSQL(localSQL, database) != NormalizeSQL(rn.SQL, database) {
		out = append(out, FieldChange{Field: "query", Local: localSQL, Remote: rn.SQL})
	}
	if unqualify(localTarget, database) != unqualify(rn.Datasource, database) {
		out = append(out, FieldChange{Field: "target", Local: localTarget, Remote: rn.Datasource})
	}
	return out
}

// remoteNode is the node of a snapshot pipe that holds the view's query.
func remoteNode(p *datafiles.Pipe) *datafiles.Node {
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
