// Package ddl generates the ClickHouse DDL perch runs: CREATE TABLE from a
// data source, materialized and plain views, ALTERs, swaps and the helpers
// of a rebuild. Every statement is chosen from the server's capabilities, so
// the old server (18.16) and modern servers get SQL they accept, and every
// identifier is backquoted.
package ddl

import (
	"fmt"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/workspace"
)

// Generator renders statements for one database on one server (or cluster).
type Generator struct {
	// Database qualifies every table name; empty leaves names unqualified.
	Database string
	// Cluster adds ON CLUSTER to every DDL statement when not empty.
	Cluster string
	// Caps chooses between methods (EXCHANGE or RENAME, MODIFY QUERY, IF NOT EXISTS).
	Caps workspace.Capabilities
	// Replication, when enabled (cluster targets), writes MergeTree-family
	// engines as their Replicated* form with a ZooKeeper path per table.
	Replication workspace.Replication
}

// Ident backquotes an identifier (sqltext.QuoteIdent).
func Ident(name string) string { return sqltext.QuoteIdent(name) }

// String quotes a SQL string literal (sqltext.QuoteString).
func String(s string) string { return sqltext.QuoteString(s) }

// Table returns the qualified, quoted name of a table of the database.
func (g Generator) Table(name string) string {
	if g.Database == "" {
		return Ident(name)
	}
	return Ident(g.Database) + "." + Ident(name)
}

func (g Generator) onCluster() string {
	if g.Cluster == "" {
		return ""
	}
	return " ON CLUSTER " + Ident(g.Cluster)
}

// CreateTable renders CREATE TABLE for a data source under the given name
// (the data source's own name, or a rebuild's `t__new`).
func (g Generator) CreateTable(name string, ds *datafiles.Datasource) (string, error) {
	return g.CreateTableWithPath(name, name, ds)
}

// CreateTableWithPath is CreateTable with the ZooKeeper path of a
// replicated engine made for pathName instead of name: a rebuild's new
// table is renamed to the live name later, and its path must differ from
// every path in use (the live table may itself have been a `t__new` once).
func (g Generator) CreateTableWithPath(name, pathName string, ds *datafiles.Datasource) (string, error) {
	if len(ds.Columns) == 0 {
		return "", fmt.Errorf("create table %s: no columns", name)
	}
	engine, err := g.engineClause(pathName, ds.Engine)
	if err != nil {
		return "", fmt.Errorf("create table %s: %w", name, err)
	}
	var b strings.Builder
	b.WriteString("CREATE TABLE ")
	b.WriteString(g.Table(name))
	b.WriteString(g.onCluster())
	b.WriteString("\n(\n")
	var defs []string
	for _, c := range ds.Columns {
		defs = append(defs, "    "+ColumnDef(c))
	}
	for _, ix := range ds.Indexes {
		defs = append(defs, "    "+IndexDef(ix))
	}
	b.WriteString(strings.Join(defs, ",\n"))
	b.WriteString("\n)\n")
	b.WriteString(engine)
	return b.String(), nil
}

// CreateTableAs renders CREATE TABLE name AS other: same columns and engine.
func (g Generator) CreateTableAs(name, like string) string {
	return "CREATE TABLE " + g.Table(name) + g.onCluster() + " AS " + g.Table(like)
}

// ColumnDef renders one column: name, type, default, comment and codec.
func ColumnDef(c datafiles.Column) string {
	var b strings.Builder
	b.WriteString(Ident(c.Name))
	b.WriteString(" ")
	b.WriteString(c.Type)
	if c.Default != "" {
		kind := strings.ToUpper(c.DefaultKind)
		if kind == "" {
			kind = "DEFAULT"
		}
		b.WriteString(" " + kind + " " + c.Default)
	}
	if c.Comment != "" {
		b.WriteString(" COMMENT " + String(c.Comment))
	}
	if c.Codec != "" {
		b.WriteString(" CODEC(" + c.Codec + ")")
	}
	return b.String()
}

// IndexDef renders a data-skipping index as it appears in a column list.
func IndexDef(ix datafiles.Index) string {
	s := "INDEX " + Ident(ix.Name) + " " + ix.Expr + " TYPE " + ix.Type
	if ix.Granularity > 0 {
		s += fmt.Sprintf(" GRANULARITY %d", ix.Granularity)
	}
	return s
}

// mergeTreeFamily reports whether an engine takes the MergeTree clauses.
func mergeTreeFamily(name string) bool {
	return strings.HasSuffix(name, "MergeTree")
}

// EngineName returns the engine name without arguments, MergeTree when empty.
func EngineName(e datafiles.Engine) string {
	name := strings.TrimSpace(e.Name)
	if name == "" {
		return "MergeTree"
	}
	if i := strings.IndexByte(name, '('); i >= 0 {
		return strings.TrimSpace(name[:i])
	}
	return name
}

// engineCall renders the engine with its parameters, e.g. ReplacingMergeTree(ver).
func engineCall(e datafiles.Engine) (string, error) {
	name := strings.TrimSpace(e.Name)
	if strings.Contains(name, "(") {
		return name, nil // parameters given inline
	}
	base := EngineName(e)
	var args []string
	switch base {
	case "ReplacingMergeTree", "ReplicatedReplacingMergeTree":
		if e.Ver != "" {
			args = append(args, e.Ver)
			if e.IsDeleted != "" {
				args = append(args, e.IsDeleted)
			}
		}
	case "SummingMergeTree", "ReplicatedSummingMergeTree":
		if e.SummingColumns != "" {
			args = append(args, "("+e.SummingColumns+")")
		}
	case "CollapsingMergeTree", "ReplicatedCollapsingMergeTree":
		if e.Sign == "" {
			return "", fmt.Errorf("engine %s needs ENGINE_SIGN", base)
		}
		args = append(args, e.Sign)
	case "VersionedCollapsingMergeTree", "ReplicatedVersionedCollapsingMergeTree":
		if e.Sign == "" || e.Version == "" {
			return "", fmt.Errorf("engine %s needs ENGINE_SIGN and ENGINE_VERSION", base)
		}
		args = append(args, e.Sign, e.Version)
	case "Join":
		if e.JoinStrictness == "" || e.JoinType == "" || e.KeyColumns == "" {
			return "", fmt.Errorf("engine Join needs ENGINE_JOIN_STRICTNESS, ENGINE_JOIN_TYPE and ENGINE_KEY_COLUMNS")
		}
		args = append(args, e.JoinStrictness, e.JoinType, e.KeyColumns)
	}
	if mergeTreeFamily(base) || base == "Join" {
		return base + "(" + strings.Join(args, ", ") + ")", nil
	}
	return base, nil
}

// EngineClause renders ENGINE = ... with PARTITION BY, ORDER BY, PRIMARY KEY,
// SAMPLE BY, TTL and SETTINGS for the MergeTree family.
func EngineClause(e datafiles.Engine) (string, error) {
	return Generator{}.engineClause("", e)
}

// replicated turns a MergeTree-family engine call into its Replicated*
// form for table name: ReplacingMergeTree(ver) becomes
// ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/db/name', '{replica}', ver).
// Engines already replicated (or Shared), and other families, are kept.
func (g Generator) replicated(name, call string) string {
	if !g.Replication.Enabled() {
		return call
	}
	base, args, _ := strings.Cut(call, "(")
	base = strings.TrimSpace(base)
	if !mergeTreeFamily(base) || strings.HasPrefix(base, "Replicated") || strings.HasPrefix(base, "Shared") {
		return call
	}
	args = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(args), ")"))
	head := String(g.Replication.ZooKeeperPath(g.Database, name)) + ", " + String(g.Replication.Replica)
	if args != "" {
		head += ", " + args
	}
	return "Replicated" + base + "(" + head + ")"
}

func (g Generator) engineClause(name string, e datafiles.Engine) (string, error) {
	call, err := engineCall(e)
	if err != nil {
		return "", err
	}
	call = g.replicated(name, call)
	var b strings.Builder
	b.WriteString("ENGINE = " + call)
	if !mergeTreeFamily(EngineName(e)) {
		return b.String(), nil
	}
	if e.PartitionKey != "" {
		b.WriteString("\nPARTITION BY " + e.PartitionKey)
	}
	order := e.SortingKey
	if strings.TrimSpace(order) == "" {
		order = "tuple()"
	}
	b.WriteString("\nORDER BY " + wrapTuple(order))
	if e.PrimaryKey != "" {
		b.WriteString("\nPRIMARY KEY " + wrapTuple(e.PrimaryKey))
	}
	if e.SamplingKey != "" {
		b.WriteString("\nSAMPLE BY " + e.SamplingKey)
	}
	if e.TTL != "" {
		b.WriteString("\nTTL " + e.TTL)
	}
	if e.Settings != "" {
		b.WriteString("\nSETTINGS " + e.Settings)
	}
	return b.String(), nil
}

// wrapTuple parenthesizes a comma-separated key list ("a, b" -> "(a, b)").
func wrapTuple(key string) string {
	key = strings.TrimSpace(key)
	if len(sqltext.SplitTopLevel(key)) > 1 {
		return "(" + key + ")"
	}
	return key
}
