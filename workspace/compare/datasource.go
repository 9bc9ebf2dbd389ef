package compare

import (
	"fmt"
	"sort"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/sqltext"
)

// Datasources compares what a table on the server holds: columns, engine,
// keys, TTL, settings and indexes. Directives the server does not keep
// (DESCRIPTION, TOKEN, jsonpaths, KAFKA_*...) are not compared (see
// DatasourceMetadata). database is the workspace database, stripped from
// references. Changes come in order: columns (local order, then dropped
// ones in remote order), column order, engine, keys, TTL, settings (by
// name), indexes.
func Datasources(local, remote *datafiles.Datasource, database string) []Change {
	out := columns(local.Columns, remote.Columns, database)
	out = append(out, engine(local.Engine, remote.Engine, database)...)
	return append(out, indexes(local.Indexes, remote.Indexes, database)...)
}

// DatasourceMetadata compares what only the deployment log keeps of a data
// source: description, tokens and tags.
func DatasourceMetadata(local, deployed *datafiles.Datasource) []Change {
	return metadata(local.Description, deployed.Description, local.Tokens, deployed.Tokens, local.Tags, deployed.Tags)
}

func metadata(ld, rd string, lt, rt []datafiles.Token, lg, rg []string) []Change {
	var out []Change
	if l, r := strings.TrimSpace(ld), strings.TrimSpace(rd); l != r {
		out = append(out, Change{Field: Description, Local: l, Remote: r})
	}
	if l, r := fmt.Sprint(lt), fmt.Sprint(rt); l != r {
		out = append(out, Change{Field: Tokens, Local: l, Remote: r})
	}
	if l, r := strings.Join(lg, ","), strings.Join(rg, ","); l != r {
		out = append(out, Change{Field: Tags, Local: l, Remote: r})
	}
	return out
}

func columns(local, remote []datafiles.Column, database string) []Change {
	var out []Change
	rcols := map[string]*datafiles.Column{}
	for i := range remote {
		rcols[remote[i].Name] = &remote[i]
	}
	lcols := map[string]bool{}
	var lorder, rorder []string
	for _, lc := range local {
		lcols[lc.Name] = true
		rc := rcols[lc.Name]
		if rc == nil {
			out = append(out, Change{Field: ColumnAdded, Column: lc.Name, Local: lc.Type})
			continue
		}
		lorder = append(lorder, lc.Name)
		out = append(out, column(lc, *rc, database)...)
	}
	for _, rc := range remote {
		if !lcols[rc.Name] {
			out = append(out, Change{Field: ColumnDropped, Column: rc.Name, Remote: rc.Type})
		} else {
			rorder = append(rorder, rc.Name)
		}
	}
	if l, r := strings.Join(lorder, ", "), strings.Join(rorder, ", "); l != r {
		out = append(out, Change{Field: ColumnOrder, Local: l, Remote: r})
	}
	return out
}

// column compares two definitions of one column.
func column(l, r datafiles.Column, database string) []Change {
	var out []Change
	add := func(f Field, lv, rv string) {
		out = append(out, Change{Field: f, Column: l.Name, Local: lv, Remote: rv})
	}
	if sqltext.NormalizeType(l.Type) != sqltext.NormalizeType(r.Type) {
		add(ColumnType, l.Type, r.Type)
	}
	if DefaultKind(l) != DefaultKind(r) || !same(l.Default, r.Default, database, func(e, db string) string { return sqltext.NormalizeDefault(e, l.Type, db) }) {
		add(ColumnDefault, defaultText(l), defaultText(r))
	}
	if l.Codec != r.Codec && sqltext.NormalizeCodec(l.Codec, l.Type) != sqltext.NormalizeCodec(r.Codec, r.Type) {
		add(ColumnCodec, l.Codec, r.Codec)
	}
	if l.Comment != r.Comment {
		add(ColumnComment, l.Comment, r.Comment)
	}
	return out
}

// DefaultKind is the kind of a column's default in upper case (DEFAULT,
// MATERIALIZED, ALIAS, EPHEMERAL), "" without one.
func DefaultKind(c datafiles.Column) string {
	if c.Default == "" {
		return ""
	}
	if c.DefaultKind == "" {
		return "DEFAULT"
	}
	return strings.ToUpper(c.DefaultKind)
}

func defaultText(c datafiles.Column) string {
	if c.Default == "" {
		return ""
	}
	return DefaultKind(c) + " " + c.Default
}

// EngineName is the engine's name, MergeTree when not given.
func EngineName(e datafiles.Engine) string {
	if e.Name == "" {
		return "MergeTree"
	}
	return e.Name
}

// EngineFamily names the engine family of a replicated or shared engine:
// ReplicatedReplacingMergeTree and SharedReplacingMergeTree are
// ReplacingMergeTree; other names are their own family.
func EngineFamily(name string) string {
	for _, p := range []string{"Replicated", "Shared"} {
		if rest, ok := strings.CutPrefix(name, p); ok && strings.HasSuffix(rest, "MergeTree") {
			return rest
		}
	}
	return name
}

// same reports whether two texts have one key by norm; texts with the
// same tokens (sqltext.TokenKey) parse to the same tree, so they skip the
// parser.
func same(a, b, database string, norm func(string, string) string) bool {
	if a == b || sqltext.TokenKey(a, database) == sqltext.TokenKey(b, database) {
		return true
	}
	return norm(a, database) == norm(b, database)
}

func engine(l, r datafiles.Engine, database string) []Change {
	var out []Change
	cmp := func(f Field, lv, rv string, norm func(string, string) string) {
		if !same(lv, rv, database, norm) {
			out = append(out, Change{Field: f, Local: lv, Remote: rv})
		}
	}
	if EngineName(l) != EngineName(r) {
		out = append(out, Change{Field: Engine, Local: EngineName(l), Remote: EngineName(r)})
	}
	out = append(out, engineParams(l, r, database)...)
	cmp(PartitionKey, l.PartitionKey, r.PartitionKey, sqltext.NormalizeKey)
	cmp(SortingKey, l.SortingKey, r.SortingKey, sqltext.NormalizeKey)
	// the primary key is the sorting key unless given: a new sorting key is a new primary key too
	cmp(PrimaryKey, primaryKey(l), primaryKey(r), sqltext.NormalizeKey)
	cmp(SamplingKey, l.SamplingKey, r.SamplingKey, sqltext.NormalizeKey)
	cmp(TTL, l.TTL, r.TTL, sqltext.NormalizeTTL)
	return append(out, settings(l.Settings, r.Settings)...)
}

func primaryKey(e datafiles.Engine) string {
	if e.PrimaryKey == "" {
		return e.SortingKey
	}
	return e.PrimaryKey
}

// engineParams compares the engine arguments its family takes (ENGINE_VER
// of a ReplacingMergeTree, ENGINE_SIGN of a CollapsingMergeTree...): the
// directives an engine does not read are not part of the table.
func engineParams(l, r datafiles.Engine, database string) []Change {
	var out []Change
	cmp := func(f Field, lv, rv string, norm func(string, string) string) {
		if !same(lv, rv, database, norm) {
			out = append(out, Change{Field: f, Local: lv, Remote: rv})
		}
	}
	lf, rf := EngineFamily(EngineName(l)), EngineFamily(EngineName(r))
	if lf != rf {
		return nil // the engine change says it all
	}
	switch lf {
	case "ReplacingMergeTree":
		cmp(EngineVer, l.Ver, r.Ver, sqltext.NormalizeExpr)
		if l.Ver != "" || r.Ver != "" {
			cmp(EngineDeleted, l.IsDeleted, r.IsDeleted, sqltext.NormalizeExpr)
		}
	case "SummingMergeTree":
		cmp(SummingColumns, l.SummingColumns, r.SummingColumns, sqltext.NormalizeKey)
	case "CollapsingMergeTree":
		cmp(EngineSign, l.Sign, r.Sign, sqltext.NormalizeExpr)
	case "VersionedCollapsingMergeTree":
		cmp(EngineSign, l.Sign, r.Sign, sqltext.NormalizeExpr)
		cmp(EngineVersion, l.Version, r.Version, sqltext.NormalizeExpr)
	case "Join":
		join := func(e datafiles.Engine) string {
			return strings.TrimSpace(e.JoinStrictness + " " + e.JoinType + " " + e.KeyColumns)
		}
		key := func(e datafiles.Engine) string {
			return strings.ToUpper(e.JoinStrictness) + " " + strings.ToUpper(e.JoinType) + " " + sqltext.NormalizeKey(e.KeyColumns, database)
		}
		if key(l) != key(r) {
			out = append(out, Change{Field: JoinSpec, Local: join(l), Remote: join(r)})
		}
	}
	return out
}

// settings compares two SETTINGS lists setting by setting (the server's
// own defaults left out); a setting on one side only has an empty value on
// the other.
func settings(l, r string) []Change {
	lm, rm := settingMap(l), settingMap(r)
	names := make([]string, 0, len(lm)+len(rm))
	for n := range lm {
		names = append(names, n)
	}
	for n := range rm {
		if _, ok := lm[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var out []Change
	for _, n := range names {
		lv, rv := lm[n], rm[n]
		if sqltext.SettingValueKey(lv) != sqltext.SettingValueKey(rv) {
			out = append(out, Change{Field: Setting, Column: n, Local: lv, Remote: rv})
		}
	}
	return out
}

// settingMap maps setting names to their values; a part without a name is
// keyed by its text.
func settingMap(s string) map[string]string {
	m := map[string]string{}
	for _, st := range sqltext.ParseSettings(s) {
		switch {
		case st.Name == "":
			m[sqltext.NormalizeType(st.Value)] = st.Value
		case !sqltext.IsServerDefault(st.Name, st.Value):
			m[st.Name] = st.Value
		}
	}
	return m
}

// Granularity is an index's granularity, 1 when not given (the server's default).
func Granularity(ix datafiles.Index) int { return max(ix.Granularity, 1) }

func indexes(l, r []datafiles.Index, database string) []Change {
	var out []Change
	differ := func(a, b datafiles.Index) bool {
		return sqltext.NormalizeType(a.Type) != sqltext.NormalizeType(b.Type) || Granularity(a) != Granularity(b) ||
			!same(a.Expr, b.Expr, database, sqltext.NormalizeExpr)
	}
	text := func(i datafiles.Index) string {
		return fmt.Sprintf("%s TYPE %s GRANULARITY %d", i.Expr, i.Type, Granularity(i))
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
			out = append(out, Change{Field: IndexAdded, Column: li.Name, Local: text(li)})
		case differ(li, ri):
			out = append(out, Change{Field: IndexChanged, Column: li.Name, Local: text(li), Remote: text(ri)})
		}
	}
	for _, ri := range r {
		if !seen[ri.Name] {
			out = append(out, Change{Field: IndexDropped, Column: ri.Name, Remote: text(ri)})
		}
	}
	return out
}
