package plan

import (
	"context"
	"fmt"
	"strings"

	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/ddl"
	"github.com/perchdata/perch/workspace/journal"
)

// MaxCompareRows bounds the backups ProveBackup compares row by row (when
// the apply journal has no record of them): larger ones stay unproven.
const MaxCompareRows = 20_000_000

// BackupProof says whether every row of a backup table (t__old, t__new) is
// in its live table, so that dropping it destroys nothing.
type BackupProof struct {
	Proven bool `json:"proven"`
	// Rows is the backup's row count; Missing the rows shown absent from
	// the live table (0 when unknown).
	Rows    uint64 `json:"rows"`
	Missing uint64 `json:"missing,omitempty"`
	// How says how it was proven, or why not.
	How string `json:"how"`
	// Unfinished names the deployment whose unfinished apply owns the backup.
	Unfinished string `json:"unfinished,omitempty"`
}

// ProveBackup proves that every row of backup is in live: by the apply
// journal's record of the deployment that left it (its rows were copied by
// part name and counted, or it is a copy made before a swap), else by
// comparing the two tables row by row (as multisets, the backup's columns
// converted to the live types). A backup of an unfinished apply, with
// columns or aggregate states the live table cannot show, or too large to
// compare, is not proven.
func ProveBackup(ctx context.Context, c *workspace.Client, backup, live string) (*BackupProof, error) {
	base, suffix, _ := isLeftover(backup)
	if live == "" {
		live = base
	}
	rows, err := countRows(ctx, c, backup)
	if err != nil {
		return nil, err
	}
	pr := &BackupProof{Rows: rows}
	if suffix == SuffixStage {
		pr.Proven, pr.How = true, "a staging copy of rows kept elsewhere"
		return pr, nil
	}
	all := rows
	if c.Cluster() != "" {
		// Another shard's replicas of the backup hold rows of their own.
		if all, err = countEveryShard(ctx, c, backup); err != nil {
			pr.How = err.Error()
			return pr, nil
		}
	}
	if rows == 0 && all == 0 {
		pr.Proven, pr.How = true, "empty"
		return pr, nil
	}
	entries, err := journal.Latest(ctx, c, backup)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.Status.Unfinished() {
			pr.Unfinished = e.Deployment
			pr.How = fmt.Sprintf("deployment %s, which made it, is unfinished (%s): run `perch apply` to finish it first", e.Deployment, e.Where())
			return pr, nil
		}
		for _, b := range e.Backups {
			if b.Table != backup {
				continue
			}
			if b.Shards > 1 {
				// Rows of a backup are never removed (merges keep rows), so
				// a total on every shard equal to the sum of the shards'
				// proven counts means each shard's equals its own.
				rows, pr.Rows = all, all
			}
			switch {
			case b.Copy:
				pr.Proven, pr.How = true, fmt.Sprintf("a copy of rows of %s made by deployment %s before its swap", live, e.Deployment)
			case b.Proven && b.Rows == rows:
				pr.Proven, pr.How = true, fmt.Sprintf("all %d rows were copied into %s by deployment %s (by part name, counted)", rows, live, e.Deployment)
			case b.Proven:
				pr.How = fmt.Sprintf("it has %d rows; deployment %s copied %d into %s", rows, e.Deployment, b.Rows, live)
			case b.Replaced:
				pr.How = fmt.Sprintf("the previous contents of %s: deployment %s recomputed %s from its sources, so these rows (made by the old definition) were never copied into it", live, e.Deployment, live)
			default:
				pr.How = fmt.Sprintf("deployment %s did not finish copying its rows into %s", e.Deployment, live)
			}
			return pr, nil
		}
	}
	if all != rows {
		pr.Rows = all
		pr.How = fmt.Sprintf("no record of its copy, and the hosts of cluster %s disagree on its rows (%d on the connected host, %d on one replica of each shard), while perch compares row by row on the connected host only", c.Cluster(), rows, all)
		return pr, nil
	}
	return compareBackup(ctx, c, backup, live, pr)
}

func countRows(ctx context.Context, c *workspace.Client, table string) (uint64, error) {
	var n uint64
	if err := c.Conn().QueryRow(ctx, "SELECT count() FROM "+workspace.QuoteIdent(c.Database())+"."+workspace.QuoteIdent(table)).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", table, err)
	}
	return n, nil
}

// countEveryShard counts table's rows on every shard of the client's
// cluster, one replica each (the cluster table function).
func countEveryShard(ctx context.Context, c *workspace.Client, table string) (uint64, error) {
	var n uint64
	q := "SELECT count() FROM cluster(" + workspace.QuoteString(c.Cluster()) + ", " + workspace.QuoteString(c.Database()) + ", " + workspace.QuoteString(table) + ")"
	if err := c.Conn().QueryRow(ctx, q).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s on every shard of cluster %s: %w", table, c.Cluster(), err)
	}
	return n, nil
}

// compareBackup compares backup with live row by row: every distinct row of
// the backup (converted to the live types) must appear in live at least as
// many times.
func compareBackup(ctx context.Context, c *workspace.Client, backup, live string, pr *BackupProof) (*BackupProof, error) {
	if pr.Rows > MaxCompareRows {
		pr.How = fmt.Sprintf("no record of its copy, and too large to compare row by row (%d rows)", pr.Rows)
		return pr, nil
	}
	bcols, err := liveColumns(ctx, c, backup)
	if err != nil {
		return nil, err
	}
	lcols, err := liveColumns(ctx, c, live)
	if err != nil {
		pr.How = fmt.Sprintf("no record of its copy, and %s cannot be read: %v", live, err)
		return pr, nil
	}
	var left, right, keys []string
	for _, name := range sortedKeys(bcols) {
		lt, ok := lcols[name]
		if !ok {
			pr.How = "column " + name + " exists only in the backup"
			return pr, nil
		}
		if isAggregateState(bcols[name]) || isAggregateState(lt) {
			pr.How = "no record of its copy, and it holds aggregate states, which cannot be compared row by row"
			return pr, nil
		}
		k := fmt.Sprintf("_perch_k%d", len(keys))
		keys = append(keys, k)
		expr := ddl.Ident(name)
		if sqltext.NormalizeType(bcols[name]) != sqltext.NormalizeType(lt) {
			expr = "CAST(" + expr + " AS " + lt + ")"
		}
		left = append(left, expr+" AS "+k)
		right = append(right, ddl.Ident(name)+" AS "+k)
	}
	t := func(n string) string { return workspace.QuoteIdent(c.Database()) + "." + workspace.QuoteIdent(n) }
	ks := strings.Join(keys, ", ")
	q := "SELECT count(), toUInt64(sum(_perch_n - _perch_m)) FROM (SELECT " + ks + ", count() AS _perch_n FROM (SELECT " + strings.Join(left, ", ") + " FROM " + t(backup) + ") GROUP BY " + ks +
		") AS _perch_b ANY LEFT JOIN (SELECT " + ks + ", count() AS _perch_m FROM (SELECT " + strings.Join(right, ", ") + " FROM " + t(live) + ") GROUP BY " + ks + ") AS _perch_l USING " + ks +
		" WHERE _perch_m < _perch_n"
	var groups, missing uint64
	if err := c.Conn().QueryRow(ctx, q).Scan(&groups, &missing); err != nil {
		pr.How = fmt.Sprintf("no record of its copy, and the row-by-row comparison failed: %v", err)
		return pr, nil
	}
	if groups > 0 {
		pr.Missing = missing
		pr.How = fmt.Sprintf("%d of its %d rows are not in %s (compared row by row)", missing, pr.Rows, live)
		return pr, nil
	}
	pr.Proven, pr.How = true, fmt.Sprintf("every one of its %d rows is in %s (compared row by row)", pr.Rows, live)
	return pr, nil
}
