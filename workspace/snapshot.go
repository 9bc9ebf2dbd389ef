package workspace

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Snapshot reads the state of database in a fixed number of queries (one on
// system.tables, one on system.columns, one aggregate on system.parts),
// whatever the number of tables, and converts every live object to the
// datafile model.
func (c *Client) Snapshot(ctx context.Context, database string) (*Snapshot, error) {
	if database == "" {
		database = c.database
	}
	s := &Snapshot{Database: database, Capabilities: c.caps, TakenAt: time.Now().UTC(), Objects: map[string]*Object{}}
	if err := c.readTables(ctx, s); err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", database, err)
	}
	if err := c.readColumns(ctx, s); err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", database, err)
	}
	if err := c.readParts(ctx, s); err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", database, err)
	}
	s.link()
	s.convert()
	return s, nil
}

// tablesQuery lists the objects of a database; newer servers add row counts.
func tablesQuery(caps Capabilities, database string) string {
	cols := "name, engine, engine_full, create_table_query, partition_key, sorting_key, primary_key, sampling_key, dependencies_database, dependencies_table, metadata_modification_time"
	if caps.TotalRows {
		cols += ", total_rows, total_bytes"
	} else {
		cols += ", CAST(NULL AS Nullable(UInt64)), CAST(NULL AS Nullable(UInt64))"
	}
	return "SELECT " + cols + " FROM system.tables WHERE database = " + QuoteString(database) + " ORDER BY name"
}

// columnsQuery lists the columns of every table of a database in order.
func columnsQuery(caps Capabilities, database string) string {
	cols := "table, name, type, default_kind, default_expression, comment, is_in_sorting_key, is_in_partition_key"
	if caps.ColumnCodecs {
		cols += ", compression_codec"
	} else {
		cols += ", ''"
	}
	q := "SELECT " + cols + " FROM system.columns WHERE database = " + QuoteString(database)
	if caps.ColumnPosition {
		q += " ORDER BY table, position"
	}
	return q
}

// partsQuery sums the active parts of every table of a database.
func partsQuery(database string) string {
	return "SELECT table, sum(rows), sum(bytes_on_disk), count(), uniqExact(partition_id) FROM system.parts WHERE database = " +
		QuoteString(database) + " AND active GROUP BY table"
}

func (c *Client) readTables(ctx context.Context, s *Snapshot) error {
	rows, err := c.conn.Query(ctx, tablesQuery(c.caps, s.Database))
	s.Queries++
	if err != nil {
		return fmt.Errorf("read system.tables: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			o               Object
			depDB, depTable []string
			totalRows       *uint64
			totalBytes      *uint64
		)
		if err := rows.Scan(&o.Name, &o.Engine, &o.EngineFull, &o.CreateQuery, &o.PartitionKey, &o.SortingKey,
			&o.PrimaryKey, &o.SamplingKey, &depDB, &depTable, &o.Modified, &totalRows, &totalBytes); err != nil {
			return fmt.Errorf("read system.tables: %w", err)
		}
		for i, t := range depTable {
			if i < len(depDB) && depDB[i] != s.Database {
				t = depDB[i] + "." + t
			}
			o.Dependents = append(o.Dependents, t)
		}
		if totalRows != nil {
			o.Rows = *totalRows
		}
		if totalBytes != nil {
			o.Bytes = *totalBytes
		}
		parseObject(&o, s.Database)
		obj := o
		s.Objects[o.Name] = &obj
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read system.tables: %w", err)
	}
	return nil
}

func (c *Client) readColumns(ctx context.Context, s *Snapshot) error {
	rows, err := c.conn.Query(ctx, columnsQuery(c.caps, s.Database))
	s.Queries++
	if err != nil {
		return fmt.Errorf("read system.columns: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			table            string
			col              LiveColumn
			inSort, inPartit uint8
		)
		if err := rows.Scan(&table, &col.Name, &col.Type, &col.DefaultKind, &col.Default, &col.Comment, &inSort, &inPartit, &col.Codec); err != nil {
			return fmt.Errorf("read system.columns: %w", err)
		}
		col.InSorting, col.InPartition = inSort == 1, inPartit == 1
		if o := s.Objects[table]; o != nil {
			o.Columns = append(o.Columns, col)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read system.columns: %w", err)
	}
	return nil
}

func (c *Client) readParts(ctx context.Context, s *Snapshot) error {
	rows, err := c.conn.Query(ctx, partsQuery(s.Database))
	s.Queries++
	if err != nil {
		return fmt.Errorf("read system.parts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			table                             string
			nrows, nbytes, nparts, partitions uint64
		)
		if err := rows.Scan(&table, &nrows, &nbytes, &nparts, &partitions); err != nil {
			return fmt.Errorf("read system.parts: %w", err)
		}
		if o := s.Objects[table]; o != nil {
			o.Rows, o.Bytes, o.Parts, o.Partitions = nrows, nbytes, nparts, partitions
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read system.parts: %w", err)
	}
	return nil
}

// link fills the sources of materialized views from the tables' dependents
// (exact, as the server fires them) and marks internal objects.
func (s *Snapshot) link() {
	for _, o := range s.Objects {
		if IsPerchInternal(o.Name) || strings.HasPrefix(o.Name, ".inner") {
			o.Internal = true
		}
	}
	for _, name := range s.Names() {
		for _, dep := range s.Objects[name].Dependents {
			if mv := s.Objects[dep]; mv != nil && mv.Kind == KindMaterializedView && !contains(mv.Sources, name) {
				mv.Sources = append(mv.Sources, name)
			}
		}
	}
	for _, o := range s.Objects {
		sort.Strings(o.Sources)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// QuoteString returns s as a ClickHouse string literal, escaping
// backslashes, quotes and control characters.
func QuoteString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '\'':
			b.WriteString(`\'`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case 0:
			b.WriteString(`\0`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

func sortStrings(s []string) { sort.Strings(s) }
