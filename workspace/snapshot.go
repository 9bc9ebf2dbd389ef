package workspace

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"
)

// Snapshot reads the state of database in a fixed number of queries (one on
// system.tables, one on system.columns, one aggregate on system.parts, one on
// system.functions, run concurrently), whatever the number of tables, and
// converts every live object to the datafile model. An empty database means
// the client's.
func (c *Client) Snapshot(ctx context.Context, database string) (*Snapshot, error) {
	if database == "" {
		database = c.database
	}
	s := &Snapshot{Database: database, Capabilities: c.caps, TakenAt: time.Now().UTC(), Objects: map[string]*Object{}, Queries: 4}
	var (
		objects []*Object
		columns map[string][]LiveColumn
		parts   map[string]partStats
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { objects, err = c.readTables(gctx, database); return err })
	g.Go(func() (err error) { columns, err = c.readColumns(gctx, database); return err })
	g.Go(func() (err error) { parts, err = c.readParts(gctx, database); return err })
	g.Go(func() (err error) { s.Functions, err = c.readFunctions(gctx); return err })
	if c.target.Cluster != "" {
		g.Go(func() (err error) { s.Cluster, err = c.ClusterState(gctx, database); return err })
	}
	if err := g.Wait(); err != nil {
		return nil, redactError(fmt.Errorf("snapshot %s: %w", database, err), c.secrets...)
	}
	for _, o := range objects {
		o.Columns = columns[o.Name]
		if p, ok := parts[o.Name]; ok {
			o.Rows, o.Bytes, o.Parts, o.Partitions = p.rows, p.bytes, p.parts, p.partitions
		}
		s.Objects[o.Name] = o
	}
	s.link()
	s.convert()
	return s, nil
}

// tablesQuery lists the objects of a database; newer servers add row counts.
func tablesQuery(caps Capabilities, database string) string {
	// Not engine_full nor metadata_modification_time: on old servers each
	// re-reads every table's metadata; the engine is taken from the DDL.
	cols := "name, engine, create_table_query, partition_key, sorting_key, primary_key, sampling_key, dependencies_database, dependencies_table"
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

func (c *Client) readTables(ctx context.Context, database string) ([]*Object, error) {
	rows, err := c.conn.Query(ctx, tablesQuery(c.caps, database))
	if err != nil {
		return nil, fmt.Errorf("read system.tables: %w", err)
	}
	defer rows.Close()
	var out []*Object
	for rows.Next() {
		var (
			o               Object
			depDB, depTable []string
			totalRows       *uint64
			totalBytes      *uint64
		)
		if err := rows.Scan(&o.Name, &o.Engine, &o.CreateQuery, &o.PartitionKey, &o.SortingKey,
			&o.PrimaryKey, &o.SamplingKey, &depDB, &depTable, &totalRows, &totalBytes); err != nil {
			return nil, fmt.Errorf("read system.tables: %w", err)
		}
		for i, t := range depTable {
			if i < len(depDB) && depDB[i] != database {
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
		parseObject(&o, database)
		out = append(out, &o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read system.tables: %w", err)
	}
	return out, nil
}

func (c *Client) readColumns(ctx context.Context, database string) (map[string][]LiveColumn, error) {
	rows, err := c.conn.Query(ctx, columnsQuery(c.caps, database))
	if err != nil {
		return nil, fmt.Errorf("read system.columns: %w", err)
	}
	defer rows.Close()
	out := map[string][]LiveColumn{}
	for rows.Next() {
		var (
			table            string
			col              LiveColumn
			inSort, inPartit uint8
		)
		if err := rows.Scan(&table, &col.Name, &col.Type, &col.DefaultKind, &col.Default, &col.Comment, &inSort, &inPartit, &col.Codec); err != nil {
			return nil, fmt.Errorf("read system.columns: %w", err)
		}
		col.InSorting, col.InPartition = inSort == 1, inPartit == 1
		out[table] = append(out[table], col)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read system.columns: %w", err)
	}
	return out, nil
}

// partStats are the sums over a table's active parts.
type partStats struct{ rows, bytes, parts, partitions uint64 }

func (c *Client) readParts(ctx context.Context, database string) (map[string]partStats, error) {
	rows, err := c.conn.Query(ctx, partsQuery(database))
	if err != nil {
		return nil, fmt.Errorf("read system.parts: %w", err)
	}
	defer rows.Close()
	out := map[string]partStats{}
	for rows.Next() {
		var (
			table string
			p     partStats
		)
		if err := rows.Scan(&table, &p.rows, &p.bytes, &p.parts, &p.partitions); err != nil {
			return nil, fmt.Errorf("read system.parts: %w", err)
		}
		out[table] = p
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read system.parts: %w", err)
	}
	return out, nil
}

// functionsQuery lists the server's functions; case_insensitive exists on
// 18.16 already.
const functionsQuery = "SELECT name, is_aggregate, case_insensitive FROM system.functions"

// readFunctions maps every function of the server to whether it is an
// aggregate function; a case-insensitive one is also listed lower-cased.
func (c *Client) readFunctions(ctx context.Context) (map[string]bool, error) {
	rows, err := c.conn.Query(ctx, functionsQuery)
	if err != nil {
		return nil, fmt.Errorf("read system.functions: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var (
			name          string
			agg, caseFree uint8
		)
		if err := rows.Scan(&name, &agg, &caseFree); err != nil {
			return nil, fmt.Errorf("read system.functions: %w", err)
		}
		out[name] = agg == 1
		if caseFree == 1 {
			out[strings.ToLower(name)] = agg == 1
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read system.functions: %w", err)
	}
	return out, nil
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
		if o.Kind == KindMaterializedView && len(o.Sources) == 0 {
			// Reads a table of another database: its dependents are listed
			// there, outside this snapshot; take the tables from the query.
			o.Sources = QueryTables(o.Query, s.Database)
		}
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

func sortStrings(s []string) { sort.Strings(s) }
