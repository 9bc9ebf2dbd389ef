package testrun

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/ingest"
)

// maxRejectedShown bounds the bad fixture lines an error lists.
const maxRejectedShown = 10

// Fixture is one fixture file loaded.
type Fixture struct {
	// Datasource is the data source it fills; File the file, relative to
	// the project root.
	Datasource string `json:"datasource"`
	File       string `json:"file"`
	Rows       int    `json:"rows"`
}

// LoadFixtures appends every fixture of the project (p.Fixtures:
// fixtures/<datasource>.ndjson or .csv) to its data source's table with
// perch append's rules: NDJSON through each column's json path, a missing
// key taking the column's DEFAULT, all or nothing per file. Materialized
// views fire on these inserts as they do in production, so their targets
// fill. Data sources are loaded in name order; one with no fixture stays
// empty. A fixture that names no data source, or whose rows do not fit,
// is an error naming the file and its lines.
func LoadFixtures(ctx context.Context, c *workspace.Client, p *datafiles.Project) ([]Fixture, error) {
	names := make([]string, 0, len(p.Fixtures))
	for name := range p.Fixtures {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []Fixture
	for _, name := range names {
		rel := p.Fixtures[name]
		ds := p.Datasources[name]
		if ds == nil {
			return out, fmt.Errorf("%s:1:1: fixture for %s, which is not a data source of the project", rel, name)
		}
		n, err := loadFixture(ctx, c, ds, filepath.Join(p.Root, filepath.FromSlash(rel)), rel)
		if err != nil {
			return out, err
		}
		out = append(out, Fixture{Datasource: name, File: rel, Rows: n})
	}
	return out, nil
}

func loadFixture(ctx context.Context, c *workspace.Client, ds *datafiles.Datasource, path, rel string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("fixture %s: %w", rel, err)
	}
	defer f.Close()
	res, err := ingest.Append(ctx, c, ds, f, ingest.Options{Format: ingest.FormatOf(rel)})
	if errors.Is(err, ingest.ErrRejected) && res != nil {
		lines := make([]string, 0, min(len(res.Rejected), maxRejectedShown)+1)
		for i, r := range res.Rejected {
			if i == maxRejectedShown {
				lines = append(lines, fmt.Sprintf("... and %d more", len(res.Rejected)-i))
				break
			}
			lines = append(lines, fmt.Sprintf("%s:%d:1: %s", rel, r.Line, rowReason(r)))
		}
		return 0, fmt.Errorf("fixture %s: %w:\n  %s", rel, err, strings.Join(lines, "\n  "))
	}
	if err != nil {
		return 0, fmt.Errorf("fixture %s: %w", rel, err)
	}
	return res.Rows, nil
}

// rowReason is a rejected row's column and reason, without its line.
func rowReason(r ingest.RowError) string {
	if r.Column != "" {
		return "column " + r.Column + ": " + r.Msg
	}
	return r.Msg
}
