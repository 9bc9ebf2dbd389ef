package workspace

import (
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/workspace/compare"
)

// NormalizeDatasource returns a copy of d in the form the server would give
// back, for showing a local and a remote definition side by side without
// false differences: only what a table holds on the server is kept (no
// DESCRIPTION, TOKEN, jsonpaths, KAFKA_*/IMPORT_* settings, forward query,
// positions), database prefixes and extra spaces are removed, keys lose
// their outer parentheses, a primary key equal to the sorting key is
// dropped, MergeTree is named, server-default settings are dropped, types
// are spaced and codecs given their default arguments as the server prints
// them. Apply it to both sides; compare.Datasources remains the authority
// on what changed (it also compares SQL by syntax tree).
func NormalizeDatasource(d *datafiles.Datasource, database string) *datafiles.Datasource {
	if d == nil {
		return nil
	}
	out := &datafiles.Datasource{Name: d.Name, File: d.File}
	for _, c := range d.Columns {
		col := datafiles.Column{Name: c.Name, Type: sqltext.FormatType(c.Type), Comment: c.Comment}
		if c.Codec != "" {
			col.Codec = sqltext.FormatType(sqltext.NormalizeCodec(c.Codec, c.Type))
		}
		if c.Default != "" {
			col.DefaultKind = compare.DefaultKind(c)
			col.Default = sqltext.StripDatabase(c.Default, database)
		}
		out.Columns = append(out.Columns, col)
	}
	for _, ix := range d.Indexes {
		ix.Pos = datafiles.Pos{}
		ix.Expr = sqltext.StripDatabase(ix.Expr, database)
		ix.Granularity = compare.Granularity(ix)
		out.Indexes = append(out.Indexes, ix)
	}
	e := d.Engine
	out.Engine = datafiles.Engine{
		Name:           compare.EngineName(e),
		PartitionKey:   displayKey(e.PartitionKey, database),
		SortingKey:     displayKey(e.SortingKey, database),
		SamplingKey:    displayKey(e.SamplingKey, database),
		TTL:            sqltext.StripDatabase(e.TTL, database),
		Settings:       sqltext.NormalizeSettings(e.Settings),
		Ver:            sqltext.StripDatabase(e.Ver, database),
		IsDeleted:      sqltext.StripDatabase(e.IsDeleted, database),
		Sign:           sqltext.StripDatabase(e.Sign, database),
		Version:        sqltext.StripDatabase(e.Version, database),
		SummingColumns: displayKey(e.SummingColumns, database),
		JoinStrictness: strings.ToUpper(e.JoinStrictness),
		JoinType:       strings.ToUpper(e.JoinType),
		KeyColumns:     displayKey(e.KeyColumns, database),
	}
	if pk := displayKey(e.PrimaryKey, database); pk != out.Engine.SortingKey {
		out.Engine.PrimaryKey = pk
	}
	if strings.HasSuffix(out.Engine.Name, "MergeTree") && out.Engine.SortingKey == "" {
		out.Engine.SortingKey = "tuple()"
	}
	return out
}

// displayKey is a key without outer parentheses, database prefixes or extra spaces.
func displayKey(k, database string) string {
	return sqltext.StripDatabase(sqltext.UnwrapKey(k), database)
}
