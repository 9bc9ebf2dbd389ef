package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/perchdata/perch/datafiles"
)

// PulledFile is one datafile written by `perch pull`.
type PulledFile struct {
	// Path is relative to the project root (datasources/x.datasource,
	// materializations/x.pipe, pipes/x.pipe).
	Path string `json:"path"`
	Text string `json:"text"`
	// Kind is "datasource" or "pipe".
	Kind string `json:"kind"`
}

// PullFiles renders every resource of a snapshot as a datafile with the
// canonical formatter, sorted by path: tables as .datasource files,
// materialized views as .pipe files with one materialized node, plain views
// as .pipe files with one node. perch's own objects are left out.
func PullFiles(s *Snapshot) []PulledFile {
	var out []PulledFile
	for _, ds := range s.Datasources {
		out = append(out, PulledFile{Path: ds.File, Text: datafiles.FormatDatasource(ds), Kind: "datasource"})
	}
	for _, p := range s.Pipes {
		out = append(out, PulledFile{Path: p.File, Text: datafiles.FormatPipe(p), Kind: "pipe"})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// WriteResult says what WritePulled did with one file.
type WriteResult struct {
	Path string `json:"path"`
	// Action is "created", "updated", "unchanged" or "skipped" (exists and
	// differs, without overwrite).
	Action string `json:"action"`
}

// WritePulled writes pulled files under root. An existing file with other
// content is left alone unless overwrite is set.
func WritePulled(root string, files []PulledFile, overwrite bool) ([]WriteResult, error) {
	var out []WriteResult
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f.Path))
		action := "created"
		if old, err := os.ReadFile(p); err == nil {
			switch {
			case string(old) == f.Text:
				out = append(out, WriteResult{f.Path, "unchanged"})
				continue
			case !overwrite:
				out = append(out, WriteResult{f.Path, "skipped"})
				continue
			}
			action = "updated"
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return out, fmt.Errorf("pull: %w", err)
		}
		if err := os.WriteFile(p, []byte(f.Text), 0o644); err != nil {
			return out, fmt.Errorf("pull: %w", err)
		}
		out = append(out, WriteResult{f.Path, action})
	}
	return out, nil
}
