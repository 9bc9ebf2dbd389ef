package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/perchdata/perch/workspace/localserver"
)

// QueryHistoryFile is where the queries run on each node are kept, under
// the project's folder (.perch/ is not in git).
const QueryHistoryFile = ".perch/query-history.json"

// MaxQueries is how many queries are kept per node (the oldest go first).
const MaxQueries = 50

// Query is one query run on a node.
type Query struct {
	SQL  string    `json:"sql"`
	Time time.Time `json:"time"`
}

// QueryHistory is the queries run on a project's nodes, by target
// ("pipe.node", or a data source), oldest first: what the SQL editor
// steps through (ctrl+up/down) across sessions.
type QueryHistory struct {
	root string
}

// NewQueryHistory returns the history of the project in root.
func NewQueryHistory(root string) *QueryHistory { return &QueryHistory{root: root} }

func (h *QueryHistory) path() string {
	return filepath.Join(h.root, filepath.FromSlash(QueryHistoryFile))
}

func (h *QueryHistory) read() (map[string][]Query, error) {
	b, err := os.ReadFile(h.path())
	if errors.Is(err, fs.ErrNotExist) {
		return map[string][]Query{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("query history: %w", err)
	}
	all := map[string][]Query{}
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, fmt.Errorf("query history %s: %w", h.path(), err)
	}
	return all, nil
}

// List returns the queries of target, oldest first.
func (h *QueryHistory) List(target string) ([]Query, error) {
	all, err := h.read()
	if err != nil {
		return nil, err
	}
	return all[target], nil
}

// Add appends sql to target's queries at time at, unless it repeats the
// last one; only the last MaxQueries are kept. The file is replaced whole
// (a temporary file renamed), so a crash never leaves half of it.
func (h *QueryHistory) Add(target, sql string, at time.Time) error {
	all, err := h.read()
	if err != nil {
		return err
	}
	qs := all[target]
	if n := len(qs); n > 0 && qs[n-1].SQL == sql {
		return nil
	}
	qs = append(qs, Query{SQL: sql, Time: at})
	if len(qs) > MaxQueries {
		qs = qs[len(qs)-MaxQueries:]
	}
	all[target] = qs
	b, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		return fmt.Errorf("query history: %w", err)
	}
	dir := filepath.Dir(h.path())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("query history: %w", err)
	}
	if err := localserver.EnsureGitignored(h.root); err != nil {
		return fmt.Errorf("query history: %w", err)
	}
	f, err := os.CreateTemp(dir, ".query-history.*")
	if err != nil {
		return fmt.Errorf("query history: %w", err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("query history: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("query history: %w", err)
	}
	if err := os.Rename(f.Name(), h.path()); err != nil {
		return fmt.Errorf("query history: %w", err)
	}
	return nil
}
