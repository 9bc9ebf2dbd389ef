package plan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace/compare"
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

// TableDiff is the difference between a local data source and a live
// table (compare.Datasources), grouped the way the planner acts on it.
type TableDiff struct {
	// Changes are the field changes it is made of.
	Changes []compare.Change
	Columns []ColumnChange
	// Keys lists the engine parts that differ: engine, partition key,
	// sorting key, primary key, sampling key, ttl, settings.
	Keys           []string
	IndexesAdded   []datafiles.Index
	IndexesDropped []datafiles.Index
	// SettingsChanged holds the settings to set (k=v, ...), values as written.
	SettingsChanged string
}

// Empty reports whether the table matches (a column order alone is no
// change: the planner never reorders columns).
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

// keyParts names the engine changes in the plan; the engine and its
// arguments are one part.
var keyParts = map[compare.Field]string{
	compare.PartitionKey: "partition key", compare.SortingKey: "sorting key", compare.PrimaryKey: "primary key",
	compare.SamplingKey: "sampling key", compare.TTL: "ttl", compare.Setting: "settings",
}

// DiffTable compares a local data source with a live one (compare.Datasources).
func DiffTable(local, live *datafiles.Datasource, database string) *TableDiff {
	d := &TableDiff{Changes: compare.Datasources(local, live, database)}
	cols := map[string]int{} // column name -> index in d.Columns
	column := func(name string) *ColumnChange {
		i, ok := cols[name]
		if !ok {
			i = len(d.Columns)
			cols[name] = i
			d.Columns = append(d.Columns, ColumnChange{Name: name, Local: local.Column(name), Live: live.Column(name)})
		}
		return &d.Columns[i]
	}
	keys := map[string]bool{}
	key := func(k string) {
		if !keys[k] {
			keys[k] = true
			d.Keys = append(d.Keys, k)
		}
	}
	var set []string
	changedIndex := map[string]bool{}
	for _, ch := range d.Changes {
		switch ch.Field {
		case compare.ColumnAdded, compare.ColumnDropped:
			column(ch.Column)
		case compare.ColumnType:
			c := column(ch.Column)
			c.What = append(c.What, fmt.Sprintf("type %s -> %s", ch.Remote, ch.Local))
		case compare.ColumnDefault, compare.ColumnCodec, compare.ColumnComment:
			c := column(ch.Column)
			c.What = append(c.What, strings.TrimPrefix(string(ch.Field), "column."))
		case compare.ColumnOrder:
		case compare.Engine, compare.EngineVer, compare.EngineDeleted, compare.EngineSign, compare.EngineVersion, compare.SummingColumns, compare.JoinSpec:
			key(fmt.Sprintf("engine %s -> %s", ddl.EngineName(live.Engine), ddl.EngineName(local.Engine)))
		case compare.PrimaryKey:
			if local.Engine.PrimaryKey != "" || live.Engine.PrimaryKey != "" {
				key(keyParts[ch.Field]) // else it is the sorting key, a part already
			}
		case compare.Setting:
			key(keyParts[ch.Field])
			if ch.Local != "" {
				set = append(set, ch.Column+"="+ch.Local)
			}
		case compare.IndexAdded, compare.IndexChanged, compare.IndexDropped:
			changedIndex[ch.Column] = true
		default:
			if k, ok := keyParts[ch.Field]; ok {
				key(k)
			}
		}
	}
	d.SettingsChanged = strings.Join(set, ", ")
	for _, ix := range local.Indexes {
		if changedIndex[ix.Name] {
			d.IndexesAdded = append(d.IndexesAdded, ix)
		}
	}
	for _, ix := range live.Indexes {
		if changedIndex[ix.Name] {
			d.IndexesDropped = append(d.IndexesDropped, ix)
		}
	}
	sort.SliceStable(d.IndexesDropped, func(i, j int) bool { return d.IndexesDropped[i].Name < d.IndexesDropped[j].Name })
	return d
}

// parts renders field changes of a pipe or of metadata as plan parts:
// description, tokens, tags, cache, nodes, node X sql, node X settings.
func parts(changes []compare.Change) []string {
	var out []string
	seen := map[string]bool{}
	for _, ch := range changes {
		p := string(ch.Field)
		switch ch.Field {
		case compare.NodeSQL:
			p = "node " + ch.Column + " sql"
		case compare.NodeType, compare.NodeSettings, compare.Target:
			p = "node " + ch.Column + " settings"
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// PipeDiff compares a local pipe's metadata and SQL with the deployed one
// (compare.Pipes).
func PipeDiff(local, deployed *datafiles.Pipe) []string { return parts(compare.Pipes(local, deployed)) }

// DatasourceMetaDiff compares metadata kept only in the deployment log
// (compare.DatasourceMetadata).
func DatasourceMetaDiff(local, deployed *datafiles.Datasource) []string {
	return parts(compare.DatasourceMetadata(local, deployed))
}
