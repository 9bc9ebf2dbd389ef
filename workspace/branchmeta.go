package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// BranchState is how far the creation of a branch got.
type BranchState string

// The states of a branch: creating until its data is copied, then ready.
const (
	BranchCreating BranchState = "creating"
	BranchReady    BranchState = "ready"
)

// BranchRecord is what perch writes into a branch database's BranchTable:
// the branch's identity (the workspace and name it was created for, which
// every later use checks) and how it was made.
type BranchRecord struct {
	Name      string    `json:"name"`
	Workspace string    `json:"workspace"`
	Database  string    `json:"database"`
	Created   time.Time `json:"created"`
	// From is "local" (the working tree) or "deployed" (the files of the
	// workspace's last deployment, with its id).
	From string `json:"from"`
	// Sample describes the rows copied: "10%", "1000 rows", "last partition".
	Sample string `json:"sample"`
	// Masks are the column masks, COLUMN=kind.
	Masks  []string    `json:"masks"`
	State  BranchState `json:"state"`
	Author string      `json:"author,omitempty"`
	// Tables are the landing tables copied, with the rows each received.
	Tables    []string `json:"tables"`
	TableRows []uint64 `json:"table_rows"`
	// Rows is the total copied from the workspace.
	Rows         uint64 `json:"rows"`
	PerchVersion string `json:"perch_version,omitempty"`
}

// branchTableDDL creates the marker table in database.
func branchTableDDL(database string) string {
	return "CREATE TABLE IF NOT EXISTS " + QuoteIdent(database) + "." + QuoteIdent(BranchTable) + ` (
    seq UInt32,
    name String,
    workspace String,
    created DateTime,
    from_files String,
    sample String,
    masks Array(String),
    state String,
    author String,
    tables Array(String),
    table_rows Array(UInt64),
    rows UInt64,
    perch_version String
) ENGINE = MergeTree() ORDER BY seq`
}

// WriteBranchRecord appends r to the marker table of branch database
// r.Database, creating the table on first use; the newest row (by seq)
// is the branch's record.
func (c *Client) WriteBranchRecord(ctx context.Context, seq uint32, r *BranchRecord) error {
	if err := c.Exec(ctx, branchTableDDL(r.Database)); err != nil {
		return fmt.Errorf("record branch %s: %w", r.Name, err)
	}
	s := func(v string) string { return QuoteString(c.scrub(v)) }
	strs := func(items []string) string {
		if len(items) == 0 {
			return "emptyArrayString()"
		}
		q := make([]string, len(items))
		for i, v := range items {
			q[i] = s(v)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	nums := func(items []uint64) string {
		if len(items) == 0 {
			return "emptyArrayUInt64()"
		}
		q := make([]string, len(items))
		for i, v := range items {
			q[i] = fmt.Sprintf("toUInt64(%d)", v)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	q := fmt.Sprintf("INSERT INTO %s.%s (seq, name, workspace, created, from_files, sample, masks, state, author, tables, table_rows, rows, perch_version) "+
		"SELECT %d, %s, %s, toDateTime(%d), %s, %s, %s, %s, %s, %s, %s, toUInt64(%d), %s",
		QuoteIdent(r.Database), QuoteIdent(BranchTable), seq, s(r.Name), s(r.Workspace), r.Created.Unix(), s(r.From), s(r.Sample),
		strs(r.Masks), s(string(r.State)), s(r.Author), strs(r.Tables), nums(r.TableRows), r.Rows, s(r.PerchVersion))
	if err := c.Exec(ctx, q); err != nil {
		return fmt.Errorf("record branch %s: %w", r.Name, err)
	}
	return nil
}

// ReadBranchRecord reads the newest record of the marker table of database;
// nil (and no error) when the database has none: perch did not create it.
func (c *Client) ReadBranchRecord(ctx context.Context, database string) (*BranchRecord, error) {
	var n uint64
	exists := "SELECT count() FROM system.tables WHERE database = " + QuoteString(database) + " AND name = " + QuoteString(BranchTable)
	if err := c.conn.QueryRow(ctx, exists).Scan(&n); err != nil {
		return nil, redactError(fmt.Errorf("read branch record of %s: %w", database, err), c.secrets...)
	}
	if n == 0 {
		return nil, nil
	}
	q := "SELECT name, workspace, created, from_files, sample, masks, state, author, tables, table_rows, rows, perch_version FROM " +
		QuoteIdent(database) + "." + QuoteIdent(BranchTable) + " ORDER BY seq DESC LIMIT 1"
	rows, err := c.conn.Query(ctx, q)
	if err != nil {
		return nil, redactError(fmt.Errorf("read branch record of %s: %w", database, err), c.secrets...)
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, rows.Err()
	}
	r := BranchRecord{Database: database}
	var state string
	if err := rows.Scan(&r.Name, &r.Workspace, &r.Created, &r.From, &r.Sample, &r.Masks, &state, &r.Author,
		&r.Tables, &r.TableRows, &r.Rows, &r.PerchVersion); err != nil {
		return nil, fmt.Errorf("read branch record of %s: %w", database, err)
	}
	r.State, r.Created = BranchState(state), r.Created.UTC()
	return &r, rows.Err()
}

// BranchDatabases lists the databases on the server named like branches of
// workspace database ws (WORKSPACE__br_NAME), sorted. Whether perch created
// each is for ReadBranchRecord to say.
func (c *Client) BranchDatabases(ctx context.Context, ws string) ([]string, error) {
	q := "SELECT name FROM system.databases WHERE startsWith(name, " + QuoteString(ws+BranchSeparator) + ") ORDER BY name"
	rows, err := c.conn.Query(ctx, q)
	if err != nil {
		return nil, redactError(fmt.Errorf("list branches of %s: %w", ws, err), c.secrets...)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("list branches of %s: %w", ws, err)
		}
		if w, _, ok := SplitBranchDatabase(name); ok && w == ws {
			out = append(out, name)
		}
	}
	return out, rows.Err()
}

// DatabaseSize sums the rows and bytes on disk of the active parts of every
// table of database.
func (c *Client) DatabaseSize(ctx context.Context, database string) (rows, bytes uint64, err error) {
	q := "SELECT sum(rows), sum(bytes_on_disk) FROM system.parts WHERE active AND database = " + QuoteString(database)
	if err := c.conn.QueryRow(ctx, q).Scan(&rows, &bytes); err != nil {
		return 0, 0, redactError(fmt.Errorf("size of %s: %w", database, err), c.secrets...)
	}
	return rows, bytes, nil
}

// ErrNotBranch is returned (wrapped) when a database that should be a perch
// branch is not one: no record, or a record of another workspace or name.
var ErrNotBranch = errors.New("not a branch perch created")

// CheckBranch verifies that a client's target chosen with --branch really
// is the perch branch it names: its database holds a branch record for the
// same workspace and name. A target that is no branch passes. Commands that
// write (apply, revert) call it first, so a branch name can never lead to
// changing a database perch did not make for that branch.
func (c *Client) CheckBranch(ctx context.Context) error {
	t := c.target
	if t.Branch == "" {
		return nil
	}
	r, err := c.ReadBranchRecord(ctx, c.database)
	if err != nil {
		return err
	}
	switch {
	case r == nil:
		return fmt.Errorf("database %s is %w (it has no %s table): refusing to use it as branch %s", c.database, ErrNotBranch, BranchTable, t.Branch)
	case r.Workspace != t.Workspace || r.Name != t.Branch:
		return fmt.Errorf("database %s is branch %s of %s, not branch %s of %s: %w", c.database, r.Name, r.Workspace, t.Branch, t.Workspace, ErrNotBranch)
	}
	return nil
}
