package ddl

import (
	"fmt"
	"strings"

	"github.com/perchdata/perch/datafiles"
)

// CreateMaterializedView renders CREATE MATERIALIZED VIEW name TO target AS
// query. perch never uses POPULATE: it misses rows inserted during the create.
func (g Generator) CreateMaterializedView(name, target, query string) string {
	return "CREATE MATERIALIZED VIEW " + g.Table(name) + g.onCluster() +
		" TO " + g.Table(target) + "\nAS " + strings.TrimSpace(g.qualify(query))
}

// CreateView renders CREATE VIEW name AS query.
func (g Generator) CreateView(name, query string) string {
	return "CREATE VIEW " + g.Table(name) + g.onCluster() + "\nAS " + strings.TrimSpace(g.qualify(query))
}

// DropTable renders DROP TABLE (also used for views: every server accepts it).
func (g Generator) DropTable(name string, ifExists bool) string {
	s := "DROP TABLE "
	if ifExists {
		s += "IF EXISTS "
	}
	return s + g.Table(name) + g.onCluster()
}

func (g Generator) alter(table, action string) string {
	return "ALTER TABLE " + g.Table(table) + g.onCluster() + " " + action
}

// AddColumn renders ADD COLUMN, after a given column when after is not empty.
// IF NOT EXISTS is used where the server knows it, so a retried step is harmless.
func (g Generator) AddColumn(table string, c datafiles.Column, after string) string {
	s := "ADD COLUMN "
	if g.Caps.IfNotExistsColumns {
		s += "IF NOT EXISTS "
	}
	s += ColumnDef(c)
	if after != "" {
		s += " AFTER " + Ident(after)
	}
	return g.alter(table, s)
}

// DropColumn renders DROP COLUMN (IF EXISTS where supported).
func (g Generator) DropColumn(table, column string) string {
	s := "DROP COLUMN "
	if g.Caps.IfNotExistsColumns {
		s += "IF EXISTS "
	}
	return g.alter(table, s+Ident(column))
}

// ModifyColumn renders MODIFY COLUMN with the full new definition (type,
// default, codec, comment).
func (g Generator) ModifyColumn(table string, c datafiles.Column) string {
	return g.alter(table, "MODIFY COLUMN "+ColumnDef(c))
}

// CommentColumn renders COMMENT COLUMN.
func (g Generator) CommentColumn(table, column, comment string) string {
	return g.alter(table, "COMMENT COLUMN "+Ident(column)+" "+String(comment))
}

// AddIndex renders ADD INDEX.
func (g Generator) AddIndex(table string, ix datafiles.Index) string {
	return g.alter(table, "ADD "+IndexDef(ix))
}

// DropIndex renders DROP INDEX.
func (g Generator) DropIndex(table, name string) string {
	return g.alter(table, "DROP INDEX "+Ident(name))
}

// ModifySettings renders MODIFY SETTING k=v, ... (metadata only).
func (g Generator) ModifySettings(table, settings string) string {
	return g.alter(table, "MODIFY SETTING "+settings)
}

// ModifyTTL renders MODIFY TTL; an empty ttl removes it (REMOVE TTL). It is an
// error on servers without MODIFY TTL: the planner rebuilds instead.
// materialize_ttl_after_modify=0 keeps it from rewriting every part.
func (g Generator) ModifyTTL(table, ttl string) (string, error) {
	if !g.Caps.ModifyTTL {
		return "", fmt.Errorf("modify ttl of %s: server %s has no MODIFY TTL", table, g.Caps.Version)
	}
	if strings.TrimSpace(ttl) == "" {
		return g.alter(table, "REMOVE TTL"), nil
	}
	return g.alter(table, "MODIFY TTL "+ttl), nil
}

// ModifyQuery renders ALTER TABLE view MODIFY QUERY; an error on servers
// without it (the planner recreates the view with a watermark instead).
func (g Generator) ModifyQuery(view, query string) (string, error) {
	if !g.Caps.ModifyQuery {
		return "", fmt.Errorf("modify query of %s: server %s has no MODIFY QUERY", view, g.Caps.Version)
	}
	return g.alter(view, "MODIFY QUERY\n"+strings.TrimSpace(query)), nil
}

// Rename renders one RENAME TABLE statement for several from -> to pairs; the
// server runs them together, so `t TO t__old, t__new TO t` leaves no moment
// without a table named t.
func (g Generator) Rename(pairs ...[2]string) string {
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = g.Table(p[0]) + " TO " + g.Table(p[1])
	}
	return "RENAME TABLE " + strings.Join(parts, ", ") + g.onCluster()
}

// Swap renders the statements that put replacement in place of table and
// keep the old one as backup: EXCHANGE TABLES (atomic) then a rename of the
// old one where the server supports it, else a single two-pair RENAME.
func (g Generator) Swap(table, replacement, backup string) []string {
	if g.Caps.ExchangeTables {
		return []string{
			"EXCHANGE TABLES " + g.Table(table) + " AND " + g.Table(replacement) + g.onCluster(),
			g.Rename([2]string{replacement, backup}),
		}
	}
	return []string{g.Rename([2]string{table, backup}, [2]string{replacement, table})}
}

// StopMerges renders SYSTEM STOP MERGES: with merges stopped, a table's part
// names are a stable set of rows.
func (g Generator) StopMerges(table string) string {
	return "SYSTEM STOP MERGES " + g.Table(table)
}

// StartMerges renders SYSTEM START MERGES.
func (g Generator) StartMerges(table string) string {
	return "SYSTEM START MERGES " + g.Table(table)
}

// AttachPartitionFrom renders ALTER TABLE t ATTACH PARTITION ID 'id' FROM src:
// it moves rows without firing the views that read t.
func (g Generator) AttachPartitionFrom(table, partitionID, from string) string {
	return g.alter(table, "ATTACH PARTITION ID "+String(partitionID)+" FROM "+g.Table(from))
}

// InsertSelect renders INSERT INTO table (columns) SELECT ...
func (g Generator) InsertSelect(table string, columns []string, sel string) string {
	s := "INSERT INTO " + g.Table(table)
	if len(columns) > 0 {
		q := make([]string, len(columns))
		for i, c := range columns {
			q[i] = Ident(c)
		}
		s += " (" + strings.Join(q, ", ") + ")"
	}
	return s + "\n" + strings.TrimSpace(sel)
}

// PartsFilter renders `_part IN ('a', 'b')`, the exact chunk of a backfill.
func PartsFilter(parts []string) string {
	q := make([]string, len(parts))
	for i, p := range parts {
		q[i] = String(p)
	}
	return "_part IN (" + strings.Join(q, ", ") + ")"
}

// Tag prefixes a statement with a comment naming the deployment, for servers
// without log_comment: query_log keeps the comment in the query text.
func Tag(sql, deploymentID string) string {
	if deploymentID == "" {
		return sql
	}
	return "/* perch deployment " + strings.ReplaceAll(deploymentID, "*/", "") + " */ " + sql
}
