package workspace

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n%s\nwant:\n%s", name, got, want)
	}
}

func sampleResult() *PreviewResult {
	return &PreviewResult{
		QueryID: "perch-preview-1",
		Columns: []PreviewColumn{{"day", "Date"}, {"name", "Nullable(String)"}, {"tags", "Array(String)"}, {"n", "UInt64"}},
		Rows: [][]string{
			{"2024-03-01", "NULL", "['a', 'b']", "12"},
			{"2024-03-02", "a \"quoted\", long name that goes on and on beyond the cell width", "[]", "1234567"},
			{"2024-03-03", "line\nbreak", "['é']", "0"},
		},
		Values:    [][]any{{"2024-03-01", nil, []string{"a", "b"}, 12}},
		Truncated: true, RowsRead: 1234567, BytesRead: 5 << 20, Elapsed: 42 * time.Millisecond,
	}
}

func TestPreviewOutputs(t *testing.T) {
	for _, tt := range []struct {
		name  string
		write func(*bytes.Buffer, *PreviewResult) error
	}{
		{"preview_table.golden", func(b *bytes.Buffer, r *PreviewResult) error { return WritePreviewTable(b, r) }},
		{"preview_csv.golden", func(b *bytes.Buffer, r *PreviewResult) error { return WritePreviewCSV(b, r) }},
		{"preview_json.golden", func(b *bytes.Buffer, r *PreviewResult) error { return WritePreviewJSON(b, r) }},
		{"preview_ndjson.golden", func(b *bytes.Buffer, r *PreviewResult) error { return WritePreviewNDJSON(b, r) }},
		{"preview_tsv.golden", func(b *bytes.Buffer, r *PreviewResult) error { return WritePreviewTSV(b, r) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b, sampleResult()); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, b.Bytes())
		})
	}
	if got := PreviewSummary(sampleResult()); got != "3 rows (truncated at 3) · read 1,234,567 rows, 5.0 MiB in 42ms · query perch-preview-1" {
		t.Errorf("summary = %q", got)
	}
}

// TestExportPreview writes every format to a file and reads it back: the
// rows and the NULL come back as they were.
func TestExportPreview(t *testing.T) {
	dir := t.TempDir()
	r := sampleResult()
	for ext := range ExportFormats {
		path := filepath.Join(dir, "sub", "rows"+ext)
		if err := ExportPreview(path, r); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := ExportFormats[ext](&want, r); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s: the file is not the format's output", ext)
		}
	}
	// read back: CSV rows, NDJSON objects with null for NULL
	f, err := os.Open(filepath.Join(dir, "sub", "rows.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) != 4 || recs[3][1] != "line\nbreak" || recs[2][1] != r.Rows[1][1] {
		t.Errorf("csv read back: %q %v", recs, err)
	}
	nd, _ := os.ReadFile(filepath.Join(dir, "sub", "rows.ndjson"))
	lines := strings.Split(strings.TrimSpace(string(nd)), "\n")
	var first map[string]*string
	if len(lines) != 3 || json.Unmarshal([]byte(lines[0]), &first) != nil || first["name"] != nil || *first["n"] != "12" {
		t.Errorf("ndjson read back: %q", lines)
	}
	if err := ExportPreview(filepath.Join(dir, "rows.xlsx"), r); err == nil || !strings.Contains(err.Error(), "unknown format") {
		t.Errorf("xlsx: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "sub")); len(entries) != len(ExportFormats) {
		t.Errorf("temporary files left: %v", entries)
	}
}
