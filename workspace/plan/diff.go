package plan

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace/ddl"
)

// ColumnChange is one difference in a column.
type ColumnChange struct {
	Name  string
	Local *datafiles.Column // nil: dropped
	Live  *datafiles.Column // nil: added
	// What differs for a changed column: type, default, codec, comment.
	What []string
}

// TableDiff is the difference between a local data source and a live table.
type TableDiff struct {
	Columns []ColumnChange
	// Keys lists the engine parts that differ: engine, partition key,
	// sorting key, primary key, sampling key, ttl, settings.
	Keys           []string
	IndexesAdded   []datafiles.Index
	IndexesDropped []datafiles.Index
	// SettingsChanged holds the settings to set (k=v, ...).
	SettingsChanged string
}

// Empty reports whether the table matches.
func (d *TableDiff) Empty() bool {
	return len(d.Columns) == 0 && len(d.Keys) == 0 && len(d.IndexesAdded) == 0 && len(d.IndexesDropped) == 0
}

// Parts lists what differs, for the plan.
func (d *TableDiff) Parts() []string {
	var out []string
	for _, c := range d.Columns {
		switch {
		case c.Live == nil:
			out = append(out, "column "+c.Name+" added")
		case c.Local == nil:
			out = append(out, "column "+c.Name+" dropped")
		default:
			out = append(out, "column "+c.Name+" "+strings.Join(c.What, ", "))
		}
	}
	out = append(out, d.Keys...)
	for _, ix := range d.IndexesAdded {
		out = append(out, "index "+ix.Name+" added")
	}
	for _, ix := range d.IndexesDropped {
		out = append(out, "index "+ix.Name+" dropped")
	}
	return out
}

// DiffTable compares a local data source with a live one, on normalized forms.
func DiffTable(local, live *datafiles.Datasource) *TableDiff {
	d := &TableDiff{}
	for i := range local.Columns {
		lc := &local.Columns[i]
		rc := live.Column(lc.Name)
		if rc == nil {
			d.Columns = append(d.Columns, ColumnChange{Name: lc.Name, Local: lc})
			continue
		}
		var what []string
		if NormalizeType(lc.Type) != NormalizeType(rc.Type) {
			what = append(what, fmt.Sprintf("type %s -> %s", rc.Type, lc.Type))
		}
		if defaultKind(lc) != defaultKind(rc) || NormalizeDefault(lc.Default, lc.Type) != NormalizeDefault(rc.Default, rc.Type) {
			what = append(what, "default")
		}
		if NormalizeExpr(lc.Codec) != NormalizeExpr(rc.Codec) {
			what = append(what, "codec")
		}
		if lc.Comment != rc.Comment {
			what = append(what, "comment")
		}
		if len(what) > 0 {
			d.Columns = append(d.Columns, ColumnChange{Name: lc.Name, Local: lc, Live: rc, What: what})
		}
	}
	for i := range live.Columns {
		rc := &live.Columns[i]
		if local.Column(rc.Name) == nil {
			d.Columns = append(d.Columns, ColumnChange{Name: rc.Name, Live: rc})
		}
	}
	le, re := local.Engine, live.Engine
	if engineSignature(le) != engineSignature(re) {
		d.Keys = append(d.Keys, fmt.Sprintf("engine %s -> %s", engineText(re), engineText(le)))
	}
	cmp := func(name, a, b string) {
		if NormalizeKey(a) != NormalizeKey(b) {
			d.Keys = append(d.Keys, name)
		}
	}
	cmp("partition key", le.PartitionKey, re.PartitionKey)
	cmp("sorting key", le.SortingKey, re.SortingKey)
	if le.PrimaryKey != "" || re.PrimaryKey != "" {
		cmp("primary key", primaryKey(le), primaryKey(re))
	}
	cmp("sampling key", le.SamplingKey, re.SamplingKey)
	if NormalizeExpr(le.TTL) != NormalizeExpr(re.TTL) {
		d.Keys = append(d.Keys, "ttl")
	}
	if NormalizeSettings(le.Settings) != NormalizeSettings(re.Settings) {
		d.Keys = append(d.Keys, "settings")
		lm, rm := SettingsMap(le.Settings), SettingsMap(re.Settings)
		var set []string
		for _, k := range sortedKeys(lm) {
			if rm[k] != lm[k] {
				set = append(set, k+"="+lm[k])
			}
		}
		d.SettingsChanged = strings.Join(set, ", ")
	}
	liveIdx := map[string]datafiles.Index{}
	for _, ix := range live.Indexes {
		liveIdx[ix.Name] = ix
	}
	localIdx := map[string]bool{}
	for _, ix := range local.Indexes {
		localIdx[ix.Name] = true
		r, ok := liveIdx[ix.Name]
		if !ok {
			d.IndexesAdded = append(d.IndexesAdded, ix)
			continue
		}
		if NormalizeExpr(r.Expr) != NormalizeExpr(ix.Expr) || NormalizeExpr(r.Type) != NormalizeExpr(ix.Type) || granularity(r) != granularity(ix) {
			d.IndexesDropped = append(d.IndexesDropped, r)
			d.IndexesAdded = append(d.IndexesAdded, ix)
		}
	}
	for _, ix := range live.Indexes {
		if !localIdx[ix.Name] {
			d.IndexesDropped = append(d.IndexesDropped, ix)
		}
	}
	sort.SliceStable(d.IndexesDropped, func(i, j int) bool { return d.IndexesDropped[i].Name < d.IndexesDropped[j].Name })
	return d
}

func granularity(ix datafiles.Index) int {
	if ix.Granularity == 0 {
		return 1
	}
	return ix.Granularity
}

func defaultKind(c *datafiles.Column) string {
	if c.Default == "" {
		return ""
	}
	k := strings.ToUpper(c.DefaultKind)
	if k == "" {
		return "DEFAULT"
	}
	return k
}

func primaryKey(e datafiles.Engine) string {
	if e.PrimaryKey == "" {
		return e.SortingKey
	}
	return e.PrimaryKey
}

// engineSignature is the engine name with its parameters, normalized.
func engineSignature(e datafiles.Engine) string {
	e.PartitionKey, e.SortingKey, e.PrimaryKey, e.SamplingKey, e.TTL, e.Settings = "", "", "", "", "", ""
	clause, err := ddl.EngineClause(e)
	if err != nil {
		return NormalizeExpr(e.Name)
	}
	return NormalizeExpr(strings.Split(clause, "\n")[0])
}

func engineText(e datafiles.Engine) string {
	return ddl.EngineName(e)
}

// PipeDiff compares a local pipe's metadata and SQL with the deployed one.
func PipeDiff(local, deployed *datafiles.Pipe) []string {
	var out []string
	if strings.TrimSpace(local.Description) != strings.TrimSpace(deployed.Description) {
		out = append(out, "description")
	}
	if fmt.Sprint(local.Tokens) != fmt.Sprint(deployed.Tokens) {
		out = append(out, "tokens")
	}
	if strings.Join(local.Tags, ",") != strings.Join(deployed.Tags, ",") {
		out = append(out, "tags")
	}
	if local.Cache != deployed.Cache {
		out = append(out, "cache")
	}
	if len(local.Nodes) != len(deployed.Nodes) {
		out = append(out, "nodes")
		return out
	}
	for i, n := range local.Nodes {
		o := deployed.Nodes[i]
		if n.Name != o.Name || NormalizeExpr(n.SQL) != NormalizeExpr(o.SQL) {
			out = append(out, "node "+n.Name+" sql")
		}
		if n.Type != o.Type || n.CopySchedule != o.CopySchedule || n.CopyMode != o.CopyMode || n.TargetDatasource != o.TargetDatasource {
			out = append(out, "node "+n.Name+" settings")
		}
	}
	return out
}

// DatasourceMetaDiff compares metadata kept only in the deployment log.
func DatasourceMetaDiff(local, deployed *datafiles.Datasource) []string {
	var out []string
	if strings.TrimSpace(local.Description) != strings.TrimSpace(deployed.Description) {
		out = append(out, "description")
	}
	if fmt.Sprint(local.Tokens) != fmt.Sprint(deployed.Tokens) {
		out = append(out, "tokens")
	}
	if strings.Join(local.Tags, ",") != strings.Join(deployed.Tags, ",") {
		out = append(out, "tags")
	}
	return out
}

// castDefault matches the form old servers store a literal default in:
// CAST(0, 'UInt32').
var castDefault = regexp.MustCompile(`^CAST\((.*),'([^']*)'\)$`)

// NormalizeDefault normalizes a default expression; a CAST of the value to
// the column's own type is the value itself.
func NormalizeDefault(expr, typ string) string {
	n := NormalizeExpr(expr)
	if m := castDefault.FindStringSubmatch(n); m != nil && NormalizeType(m[2]) == NormalizeType(typ) {
		return m[1]
	}
	return n
}
