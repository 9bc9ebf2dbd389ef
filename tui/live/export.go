package live

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/workspace"
)

// Export writes rows with workspace.ExportPreview (the formats of `perch
// preview --format`, plus NDJSON and TSV) to path, relative to the
// project's folder.
func (b *Backend) Export(ctx context.Context, path string, rows *tui.PreviewResult) (string, error) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(b.dir, path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("export %s: %w", path, err)
	}
	if err := workspace.ExportPreview(abs, previewResult(rows)); err != nil {
		return "", err
	}
	return abs, nil
}

// previewResult converts the UI's rows back to the workspace's, NULLs as
// nil values (which the JSON formats write as null).
func previewResult(r *tui.PreviewResult) *workspace.PreviewResult {
	out := &workspace.PreviewResult{Rows: r.Rows, SQL: r.SQL, RowsRead: r.RowsRead, BytesRead: r.BytesRead, Elapsed: r.Elapsed, Truncated: r.Truncated}
	for _, c := range r.Columns {
		out.Columns = append(out.Columns, workspace.PreviewColumn{Name: c.Name, Type: c.Type})
	}
	if r.Null != nil {
		out.Values = make([][]any, len(r.Rows))
		for i, row := range r.Rows {
			out.Values[i] = make([]any, len(row))
			for j, v := range row {
				if i < len(r.Null) && j < len(r.Null[i]) && r.Null[i][j] {
					continue
				}
				out.Values[i][j] = v
			}
		}
	}
	return out
}
