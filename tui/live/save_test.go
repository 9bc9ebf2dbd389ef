package live

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace"
)

const savePipe = `DESCRIPTION >
    Top pages

NODE top
SQL >
    %
    SELECT page, count() AS hits
    FROM events
    WHERE country = {{ String(country, 'ES') }}
    GROUP BY page

TYPE endpoint
`

// TestSaveNodeReplacesOnlyTheSQL: saving the edited SQL rewrites the
// node's block, indented as before, keeps the rest of the file byte for
// byte, and refuses what it cannot save without loss.
func TestSaveNodeReplacesOnlyTheSQL(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		file    string
		sql     string
		change  func(path string) // done after loading
		want    string
		wantErr string
	}{
		{name: "replaces the block", file: savePipe,
			sql:  "%\nSELECT page, count() AS hits\nFROM events\nWHERE country = {{ String(country, 'ES') }}\n  AND page != ''\nGROUP BY page\nLIMIT {{ Int32(limit, 10) }}",
			want: strings.Replace(savePipe, "    GROUP BY page\n", "      AND page != ''\n    GROUP BY page\n    LIMIT {{ Int32(limit, 10) }}\n", 1)},
		{name: "comment in the block", file: strings.Replace(savePipe, "    FROM events\n", "    FROM events\n# a note\n", 1),
			sql: "SELECT 1", wantErr: "comment inside the SQL"},
		{name: "changed on disk", file: savePipe, sql: "SELECT 1",
			change:  func(path string) { os.WriteFile(path, []byte(savePipe+"\n"), 0o644) },
			wantErr: "changed on disk"},
		{name: "would not read back", file: savePipe, sql: "SELECT 1\n# read as a comment", wantErr: "read back"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "endpoints", "top.pipe")
			writeFile(t, path, tt.file)
			b := New(dir, workspace.Selection{}, func(string) string { return "" })
			if _, err := b.Local(ctx); err != nil {
				t.Fatal(err)
			}
			if tt.change != nil {
				tt.change(path)
			}
			before, _ := os.ReadFile(path)
			err := b.SaveNode(ctx, "top", "top", tt.sql)
			got, _ := os.ReadFile(path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				if string(got) != string(before) {
					t.Fatalf("a refused save changed the file:\n%s", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Fatalf("saved file:\n%s\nwant:\n%s", got, tt.want)
			}
			// the saved file loads with the new SQL
			if _, err := b.Local(ctx); err != nil {
				t.Fatal(err)
			}
			if n := b.loaded().Pipes["top"].Node("top"); squeeze(n.SQL) != squeeze(tt.sql) {
				t.Fatalf("reloaded SQL %q", n.SQL)
			}
		})
	}
}
