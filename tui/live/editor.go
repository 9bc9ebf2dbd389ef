package live

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/workspace/app"
)

// Vocabulary is the project's data sources and the last snapshot's tables
// and views with their columns, and the server's functions (the snapshot
// reads system.functions).
func (b *Backend) Vocabulary(ctx context.Context) (*tui.Vocabulary, error) {
	v := &tui.Vocabulary{Tables: map[string][]string{}}
	if p := b.loaded(); p != nil {
		for name, d := range p.Datasources {
			cols := make([]string, len(d.Columns))
			for i, c := range d.Columns {
				cols[i] = c.Name
			}
			v.Tables[name] = cols
		}
	}
	b.mu.Lock()
	snap := b.snap
	b.mu.Unlock()
	if snap != nil {
		for name, o := range snap.Objects {
			if o.Internal {
				continue
			}
			if _, ok := v.Tables[name]; ok {
				continue // the project's columns are what the editor's SQL will see
			}
			cols := make([]string, len(o.Columns))
			for i, c := range o.Columns {
				cols[i] = c.Name
			}
			v.Tables[name] = cols
		}
		for f := range snap.Functions {
			v.Functions = append(v.Functions, f)
		}
		sort.Strings(v.Functions)
	}
	return v, nil
}

// Queries lists the queries run on target (app.QueryHistory).
func (b *Backend) Queries(ctx context.Context, target string) ([]string, error) {
	qs, err := app.NewQueryHistory(b.dir).List(target)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.SQL
	}
	return out, nil
}

// AddQuery records a query run on target.
func (b *Backend) AddQuery(ctx context.Context, target, sql string) error {
	if target == "" {
		return errors.New("query history: no target")
	}
	return app.NewQueryHistory(b.dir).Add(target, sql, time.Now())
}
