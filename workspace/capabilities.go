// Package workspace is the remote side of perch: targets and connections,
// server capabilities, snapshots of a ClickHouse database, the deployment
// log, drift, read-only previews and the project-local server.
package workspace

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a ClickHouse server version such as 18.16.1 or 24.8.4.13.
type Version struct {
	Major, Minor, Patch int
	// Raw is the version string as the server reported it.
	Raw string
}

// ParseVersion parses a version() string ("18.16.1", "24.8.4.13", "25.3.1.1-lts").
func ParseVersion(s string) (Version, error) {
	v := Version{Raw: s}
	core, _, _ := strings.Cut(strings.TrimSpace(s), "-")
	parts := strings.Split(core, ".")
	if len(parts) < 2 {
		return v, fmt.Errorf("parse server version %q: want major.minor[.patch...]", s)
	}
	nums := []*int{&v.Major, &v.Minor, &v.Patch}
	for i := 0; i < len(parts) && i < len(nums); i++ {
		n, err := strconv.Atoi(parts[i])
		if err != nil {
			return v, fmt.Errorf("parse server version %q: %w", s, err)
		}
		*nums[i] = n
	}
	return v, nil
}

// AtLeast reports whether v >= major.minor.
func (v Version) AtLeast(major, minor int) bool {
	if v.Major != major {
		return v.Major > major
	}
	return v.Minor >= minor
}

// String returns the version as reported, or major.minor.patch.
func (v Version) String() string {
	if v.Raw != "" {
		return v.Raw
	}
	return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
}

// Capabilities is what a server can do, derived from its version. Every piece
// of perch that generates SQL chooses its method from these flags, so the old
// server here and modern servers elsewhere are both handled in one place.
type Capabilities struct {
	Version Version `json:"version"`
	// ExchangeTables: EXCHANGE TABLES a AND b swaps two tables atomically (20.10+, Atomic databases).
	ExchangeTables bool `json:"exchange_tables"`
	// ModifyQuery: ALTER TABLE mv MODIFY QUERY replaces a materialized view's query (23.12+ GA).
	ModifyQuery bool `json:"modify_query"`
	// IfNotExistsColumns: ADD COLUMN IF NOT EXISTS / DROP COLUMN IF EXISTS (19.x+).
	IfNotExistsColumns bool `json:"if_not_exists_columns"`
	// StringSettings: string-valued per-query settings are encoded by the native protocol (19.x+).
	StringSettings bool `json:"string_settings"`
	// AtomicDatabase: the default database engine is Atomic (20.10+).
	AtomicDatabase bool `json:"atomic_database"`
	// LowCardinality: LowCardinality types without allow_experimental_low_cardinality_type (19.1+).
	LowCardinality bool `json:"low_cardinality"`
	// RenameColumn: ALTER TABLE ... RENAME COLUMN (20.4+).
	RenameColumn bool `json:"rename_column"`
	// ModifyTTL: ALTER TABLE ... MODIFY TTL (19.6+).
	ModifyTTL bool `json:"modify_ttl"`
	// CTE: WITH name AS (subquery) (20.x+).
	CTE bool `json:"cte"`
	// LogComment: the log_comment setting tags queries in system.query_log (20.12+).
	LogComment bool `json:"log_comment"`
	// TotalRows: system.tables has total_rows / total_bytes (20.x+); else system.parts is summed.
	TotalRows bool `json:"total_rows"`
	// InsertDeduplicationToken: insert_deduplication_token for replicated backfill chunks (22.2+).
	InsertDeduplicationToken bool `json:"insert_deduplication_token"`
	// DropColumnGuard: DROP COLUMN is refused when a materialized view reads it (21.3+).
	DropColumnGuard bool `json:"drop_column_guard"`
	// ViewSourceDependencies: system.tables lists dependencies_table for views (18.x+).
	ViewSourceDependencies bool `json:"view_source_dependencies"`
	// ColumnCodecs: column CODEC(...) clauses and system.columns.compression_codec (19.1+).
	ColumnCodecs bool `json:"column_codecs"`
	// TableTTL: TTL clauses on tables and columns (19.6+).
	TableTTL bool `json:"table_ttl"`
	// ColumnPosition: system.columns.position orders columns explicitly (21.1+).
	ColumnPosition bool `json:"column_position"`
	// InsertValues: INSERT ... VALUES through the driver's Exec works (19.x+;
	// 18.16 times out, so perch inserts with INSERT ... SELECT everywhere).
	InsertValues bool `json:"insert_values"`
	// QueryID: queryID() inside a materialized view names the INSERT that
	// fired it (21.9+), which lets perch track exactly which inserts a new
	// view processed (the tracked view methods of workspace/plan).
	QueryID bool `json:"query_id"`
	// ViewsFireOnTarget: a materialized view reading the TO table of another
	// one fires for the rows that view writes. 18.16 fires such a chain only
	// for a view reading FROM the upstream view's name; 26.x only for one
	// reading FROM the target (both measured; perch assumes the change
	// happened by 20.1).
	ViewsFireOnTarget bool `json:"views_fire_on_target"`
}

// CapabilitiesFor returns the capabilities of a server of version v.
func CapabilitiesFor(v Version) Capabilities {
	return Capabilities{
		Version:                  v,
		ExchangeTables:           v.AtLeast(20, 10),
		ModifyQuery:              v.AtLeast(23, 12),
		IfNotExistsColumns:       v.AtLeast(19, 1),
		StringSettings:           v.AtLeast(19, 1),
		AtomicDatabase:           v.AtLeast(20, 10),
		LowCardinality:           v.AtLeast(19, 1),
		RenameColumn:             v.AtLeast(20, 4),
		ModifyTTL:                v.AtLeast(19, 6),
		CTE:                      v.AtLeast(20, 1),
		LogComment:               v.AtLeast(20, 12),
		TotalRows:                v.AtLeast(20, 1),
		InsertDeduplicationToken: v.AtLeast(22, 2),
		DropColumnGuard:          v.AtLeast(21, 3),
		ViewSourceDependencies:   true,
		ColumnCodecs:             v.AtLeast(19, 1),
		TableTTL:                 v.AtLeast(19, 6),
		ColumnPosition:           v.AtLeast(21, 1),
		InsertValues:             v.AtLeast(19, 1),
		QueryID:                  v.AtLeast(21, 9),
		ViewsFireOnTarget:        v.AtLeast(20, 1),
	}
}

// Names lists the capabilities that are on, for `perch status`.
func (c Capabilities) Names() []string {
	var out []string
	add := func(on bool, name string) {
		if on {
			out = append(out, name)
		}
	}
	add(c.ExchangeTables, "EXCHANGE TABLES")
	add(c.ModifyQuery, "MODIFY QUERY")
	add(c.IfNotExistsColumns, "ADD COLUMN IF NOT EXISTS")
	add(c.StringSettings, "string settings")
	add(c.AtomicDatabase, "Atomic database")
	add(c.LowCardinality, "LowCardinality")
	add(c.RenameColumn, "RENAME COLUMN")
	add(c.ModifyTTL, "MODIFY TTL")
	add(c.CTE, "WITH (CTE)")
	add(c.LogComment, "log_comment")
	add(c.TotalRows, "total_rows")
	add(c.InsertDeduplicationToken, "insert_deduplication_token")
	add(c.ColumnCodecs, "column codecs")
	add(c.TableTTL, "TTL")
	add(c.QueryID, "queryID() (exact view backfills)")
	add(c.ViewsFireOnTarget, "chained views")
	return out
}
