package workspace

import (
	"strings"

	"github.com/perchdata/perch/datafiles"
)

// NormalizeDatasource returns a copy of d in the form the server would give
// back, for showing a local and a remote definition side by side without
// false differences: only what a table holds on the server is kept (no
// DESCRIPTION, TOKEN, jsonpaths, KAFKA_*/IMPORT_* settings, forward query,
// positions), database prefixes and extra spaces are removed, keys lose
// their outer parentheses, a primary key equal to the sorting key is
// dropped, MergeTree is named, server-default settings are dropped and
// types are spaced canonically. Apply it to both sides; DiffDatasource
// remains the authority on what changed (it also compares SQL by syntax tree).
func NormalizeDatasource(d *datafiles.Datasource, database string) *datafiles.Datasource {
	if d == nil {
		return nil
	}
	out := &datafiles.Datasource{Name: d.Name, File: d.File}
	for _, c := range d.Columns {
		col := datafiles.Column{Name: c.Name, Type: displayType(c.Type), Comment: c.Comment, Codec: NormalizeCodec(c.Codec)}
		if c.Default != "" {
			col.DefaultKind = strings.ToUpper(c.DefaultKind)
			if col.DefaultKind == "" {
				col.DefaultKind = "DEFAULT"
			}
			col.Default = StripDatabase(c.Default, database)
		}
		out.Columns = append(out.Columns, col)
	}
	for _, ix := range d.Indexes {
		ix.Pos = datafiles.Pos{}
		ix.Expr = StripDatabase(ix.Expr, database)
		if ix.Granularity == 0 {
			ix.Granularity = 1
		}
		out.Indexes = append(out.Indexes, ix)
	}
	e := d.Engine
	out.Engine = datafiles.Engine{
		Name:           engineName(e),
		PartitionKey:   displayKey(e.PartitionKey, database),
		SortingKey:     displayKey(e.SortingKey, database),
		SamplingKey:    displayKey(e.SamplingKey, database),
		TTL:            StripDatabase(e.TTL, database),
		Settings:       NormalizeSettings(e.Settings),
		Ver:            StripDatabase(e.Ver, database),
		IsDeleted:      StripDatabase(e.IsDeleted, database),
		Sign:           StripDatabase(e.Sign, database),
		Version:        StripDatabase(e.Version, database),
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
	return StripDatabase(unwrapKey(k), database)
}

// displayType spaces a type as the server prints it: ", " after commas
// outside quotes, no other spaces outside quotes except around "=".
func displayType(t string) string {
	t = NormalizeType(t)
	var b strings.Builder
	var quote byte
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case quote != 0:
			if c == '\\' && i+1 < len(t) {
				b.WriteByte(c)
				i++
				c = t[i]
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '`' || c == '"':
			quote = c
		case c == ',':
			b.WriteString(", ")
			continue
		case c == '=':
			b.WriteString(" = ")
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
