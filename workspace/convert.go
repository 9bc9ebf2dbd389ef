package workspace

import (
	"strconv"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/workspace/compare"
)

// Where `perch pull` writes each kind of resource, as in Tinybird projects.
const (
	DatasourcesDir      = "datasources"
	MaterializationsDir = "materializations"
	PipesDir            = "pipes"
)

// convert builds the datafile models of every resource.
func (s *Snapshot) convert() {
	s.Datasources = map[string]*datafiles.Datasource{}
	s.Pipes = map[string]*datafiles.Pipe{}
	for _, o := range s.Objects {
		if o.Internal {
			continue
		}
		switch o.Kind {
		case KindTable:
			s.Datasources[o.Name] = o.Datasource(s.Database)
		case KindMaterializedView, KindView:
			s.Pipes[o.Name] = o.Pipe()
		}
	}
}

// Datasource converts a live table to the datafile model, in the form a
// person would write: no database prefixes, no server-added settings, the
// primary key only when it differs from the sorting key.
func (o *Object) Datasource(database string) *datafiles.Datasource {
	ds := &datafiles.Datasource{Name: o.Name, File: DatasourcesDir + "/" + o.Name + ".datasource"}
	for _, c := range o.Columns {
		col := datafiles.Column{Name: c.Name, Type: c.Type, Comment: c.Comment}
		if c.DefaultKind != "" {
			col.DefaultKind = strings.ToUpper(c.DefaultKind)
			col.Default = sqltext.StripDatabase(c.Default, database)
		}
		if c.Codec != "" {
			col.Codec = strings.TrimSpace(c.Codec)
			if strings.HasPrefix(strings.ToUpper(col.Codec), "CODEC(") && strings.HasSuffix(col.Codec, ")") {
				col.Codec = col.Codec[6 : len(col.Codec)-1]
			}
		}
		ds.Columns = append(ds.Columns, col)
	}
	ds.Indexes = parseIndexes(o.indexDefs, database)
	ds.Engine = o.engine(database)
	return ds
}

// engine reads the engine and its keys; engine arguments map to the
// directives of the format (ENGINE_VER, ENGINE_SIGN, ...).
func (o *Object) engine(database string) datafiles.Engine {
	e := datafiles.Engine{
		Name:         o.Engine,
		PartitionKey: sqltext.StripDatabase(o.PartitionKey, database),
		SortingKey:   sqltext.StripDatabase(o.SortingKey, database),
		SamplingKey:  sqltext.StripDatabase(o.SamplingKey, database),
		TTL:          o.TTL,
		Settings:     o.Settings,
	}
	if o.PrimaryKey != o.SortingKey && sqltext.NormalizeKey(o.PrimaryKey, database) != sqltext.NormalizeKey(o.SortingKey, database) {
		e.PrimaryKey = sqltext.StripDatabase(o.PrimaryKey, database)
	}
	head, clauses := o.engineHead, o.clauses
	if clauses == nil {
		head, clauses = splitEngine(o.EngineFull)
	}
	_, args := engineArgs(head)
	base := BaseEngine(o.Engine)
	if base != o.Engine {
		// The datafile names the engine family; replication (clusters) and
		// ClickHouse Cloud's Shared engines are how the server runs it.
		e.Name = base
		if len(args) >= 2 && isStringLiteral(args[0]) {
			args = args[2:] // keeper path and replica name
		}
	}
	if strings.HasSuffix(base, "MergeTree") && e.SortingKey == "" && clauses["ORDER BY"] != "" {
		e.SortingKey = "tuple()"
	}
	if strings.HasSuffix(base, "MergeTree") && clauses["ORDER BY"] == "" && len(args) >= 3 {
		args = nil // the old MergeTree(date, key, granularity) syntax: keys come from system.tables
	}
	arg := func(i int) string {
		if i < len(args) {
			return sqltext.StripDatabase(args[i], database)
		}
		return ""
	}
	switch base {
	case "ReplacingMergeTree":
		e.Ver, e.IsDeleted = arg(0), arg(1)
	case "CollapsingMergeTree":
		e.Sign = arg(0)
	case "VersionedCollapsingMergeTree":
		e.Sign, e.Version = arg(0), arg(1)
	case "SummingMergeTree":
		e.SummingColumns = sqltext.UnwrapKey(arg(0))
	case "Join":
		e.JoinStrictness, e.JoinType = arg(0), arg(1)
		if len(args) > 2 {
			e.KeyColumns = strings.Join(args[2:], ", ")
		}
	}
	return e
}

// BaseEngine names the engine family of a replicated or shared engine:
// ReplicatedReplacingMergeTree and SharedReplacingMergeTree are
// ReplacingMergeTree (compare.EngineFamily).
func BaseEngine(name string) string { return compare.EngineFamily(name) }

func isStringLiteral(s string) bool {
	return len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\''
}

// parseIndexes reads "INDEX name expr TYPE type GRANULARITY n" definitions.
func parseIndexes(defs []string, database string) []datafiles.Index {
	var out []datafiles.Index
	for _, d := range defs {
		toks := sqltext.Tokens(d)
		if len(toks) < 4 {
			continue
		}
		name, _ := toks[1].Name(d)
		idx := datafiles.Index{Name: name}
		depths := sqltext.Depths(d, toks)
		typeAt, granAt := -1, -1
		for i, t := range toks {
			if depths[i] == 0 && t.IsWord(d, "TYPE") && typeAt < 0 {
				typeAt = i
			}
			if depths[i] == 0 && t.IsWord(d, "GRANULARITY") {
				granAt = i
			}
		}
		if typeAt < 2 {
			continue
		}
		idx.Expr = sqltext.StripDatabase(strings.TrimSpace(d[toks[1].End:toks[typeAt].Start]), database)
		if granAt > typeAt {
			idx.Type = strings.TrimSpace(d[toks[typeAt].End:toks[granAt].Start])
			idx.Granularity, _ = strconv.Atoi(strings.TrimSpace(d[toks[granAt].End:]))
		} else {
			idx.Type = strings.TrimSpace(d[toks[typeAt].End:])
		}
		out = append(out, idx)
	}
	return out
}

// Pipe converts a live view to the datafile model: a materialized view is
// a pipe with one materialized node writing to its TO table, a plain view
// a pipe with one plain node. The node is named after the view. A
// materialized view with an inner table (no TO) becomes a plain node with
// a DESCRIPTION saying so, since the format cannot express it.
func (o *Object) Pipe() *datafiles.Pipe {
	n := &datafiles.Node{Name: o.Name, SQL: sqltext.Layout(o.Query)}
	dir := PipesDir
	p := &datafiles.Pipe{Name: o.Name, Nodes: []*datafiles.Node{n}}
	switch {
	case o.Kind == KindMaterializedView && o.To != "":
		n.Type = datafiles.NodeMaterialized
		n.Datasource = o.To
		dir = MaterializationsDir
	case o.Kind == KindMaterializedView:
		// The format has no materialized node without a target data source.
		p.Description = "Materialized view with an inner table (ENGINE = " + o.EngineFull + "). " +
			"perch manages materialized views that write TO a data source: recreate it with one to manage it here."
		dir = MaterializationsDir
	}
	p.File = dir + "/" + o.Name + ".pipe"
	return p
}
