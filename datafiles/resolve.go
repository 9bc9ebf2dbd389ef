package datafiles

import (
	"strconv"
	"strings"
)

// How SQL names the resources of a project.
//
// A node reads a data source or pipe by its name, and also by the names
// Tinybird gives it: a Classic `VERSION n` resource was deployed as
// name__vN, and every data source NAME has a quarantine table
// NAME_quarantine for the rows that did not fit its schema.

// QuarantineSuffix ends the name of a data source's quarantine table.
const QuarantineSuffix = "_quarantine"

// splitVersion splits name__vN into name and N.
func splitVersion(name string) (string, int, bool) {
	i := strings.LastIndex(name, "__v")
	if i <= 0 || i+3 == len(name) {
		return "", 0, false
	}
	n, err := strconv.Atoi(name[i+3:])
	if err != nil || n <= 0 || strconv.Itoa(n) != name[i+3:] {
		return "", 0, false
	}
	return name[:i], n, true
}

// LookupDatasource returns the data source a name in SQL stands for: the
// one of that name, the one an alias names (Aliases), or for name__vN the
// data source name with VERSION n. It returns nil for anything else.
func (p *Project) LookupDatasource(name string) *Datasource {
	if d, ok := p.Datasources[name]; ok {
		return d
	}
	if to, ok := p.Aliases[name]; ok {
		if d, ok := p.Datasources[to]; ok {
			return d
		}
	}
	if base, n, ok := splitVersion(name); ok {
		if d, ok := p.Datasources[base]; ok && d.Version == n {
			return d
		}
	}
	return nil
}

// LookupPipe returns the pipe a name in SQL stands for, as LookupDatasource
// does for data sources.
func (p *Project) LookupPipe(name string) *Pipe {
	if pp, ok := p.Pipes[name]; ok {
		return pp
	}
	if to, ok := p.Aliases[name]; ok {
		if pp, ok := p.Pipes[to]; ok {
			return pp
		}
	}
	if base, n, ok := splitVersion(name); ok {
		if pp, ok := p.Pipes[base]; ok && pp.Version == n {
			return pp
		}
	}
	return nil
}

// QuarantineOf returns the data source whose quarantine table a name is
// (NAME_quarantine, NAME as LookupDatasource reads it), or nil.
func (p *Project) QuarantineOf(name string) *Datasource {
	base, ok := strings.CutSuffix(name, QuarantineSuffix)
	if !ok || base == "" {
		return nil
	}
	return p.LookupDatasource(base)
}

// QuarantineDatasource is the table Tinybird keeps beside a data source for
// the rows that do not fit its schema, named after the deployed table
// (NAME_quarantine): the error columns c__error_column Array(String),
// c__error Array(String) and c__import_id Nullable(String), every column of
// the data source as Nullable(String) (the value as it arrived), and
// insertion_date DateTime.
func QuarantineDatasource(ds *Datasource) *Datasource {
	q := &Datasource{
		Name: ds.DeployedName() + QuarantineSuffix, File: ds.File, Pos: ds.Pos,
		Description: "rows of " + ds.DeployedName() + " that did not fit its schema",
		Engine: Engine{Name: "MergeTree", PartitionKey: "toYYYYMM(insertion_date)",
			SortingKey: "insertion_date", Pos: ds.Pos},
	}
	q.Columns = append(q.Columns,
		Column{Name: "c__error_column", Type: "Array(String)", Pos: ds.Pos},
		Column{Name: "c__error", Type: "Array(String)", Pos: ds.Pos},
		Column{Name: "c__import_id", Type: "Nullable(String)", Pos: ds.Pos})
	for _, c := range append(append([]Column(nil), ds.Columns...), ds.KafkaMetadataColumns()...) {
		q.Columns = append(q.Columns, Column{Name: c.Name, Type: "Nullable(String)", Pos: c.Pos})
	}
	q.Columns = append(q.Columns, Column{Name: "insertion_date", Type: "DateTime", Pos: ds.Pos})
	return q
}
