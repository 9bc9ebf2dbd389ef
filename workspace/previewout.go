package workspace

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"
)

// maxCellWidth bounds a table cell; longer values end with "…".
const maxCellWidth = 48

// WritePreviewTable prints a result as an aligned text table with the
// column types under the names.
func WritePreviewTable(w io.Writer, r *PreviewResult) error {
	cells := make([][]string, 0, len(r.Rows)+2)
	names := make([]string, len(r.Columns))
	types := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		names[i], types[i] = c.Name, c.Type
	}
	cells = append(cells, names, types)
	cells = append(cells, r.Rows...)
	widths := make([]int, len(r.Columns))
	for _, row := range cells {
		for i, v := range row {
			widths[i] = max(widths[i], min(utf8.RuneCountInString(oneLine(v)), maxCellWidth))
		}
	}
	var b strings.Builder
	line := func(row []string) {
		for i, v := range row {
			if i > 0 {
				b.WriteString("  ")
			}
			v = clip(oneLine(v), maxCellWidth)
			b.WriteString(v)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(v)))
			}
		}
		b.WriteByte('\n')
	}
	line(names)
	line(types)
	rule := make([]string, len(widths))
	for i, n := range widths {
		rule[i] = strings.Repeat("─", n)
	}
	line(rule)
	for _, row := range r.Rows {
		line(row)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func oneLine(s string) string {
	if !strings.ContainsAny(s, "\n\t\r") {
		return s
	}
	return strings.NewReplacer("\n", `\n`, "\t", `\t`, "\r", `\r`).Replace(s)
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// WritePreviewCSV prints a header of column names, then the rendered rows.
func WritePreviewCSV(w io.Writer, r *PreviewResult) error {
	cw := csv.NewWriter(w)
	names := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		names[i] = c.Name
	}
	if err := cw.Write(names); err != nil {
		return err
	}
	if err := cw.WriteAll(r.Rows); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// previewJSON is the stable JSON shape of `perch preview --format json`.
type previewJSON struct {
	QueryID   string          `json:"query_id"`
	Columns   []PreviewColumn `json:"columns"`
	Rows      [][]*string     `json:"rows"`
	Truncated bool            `json:"truncated"`
	RowsRead  uint64          `json:"rows_read"`
	BytesRead uint64          `json:"bytes_read"`
	ElapsedMS int64           `json:"elapsed_ms"`
}

// WritePreviewJSON prints the result as one JSON object: columns (name,
// type), rows as rendered strings (null for NULL), truncated, rows_read,
// bytes_read and elapsed_ms.
func WritePreviewJSON(w io.Writer, r *PreviewResult) error {
	rows := make([][]*string, len(r.Rows))
	for i, row := range r.Rows {
		rows[i] = make([]*string, len(row))
		for j := range row {
			rows[i][j] = r.cell(i, j)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(previewJSON{QueryID: r.QueryID, Columns: r.Columns, Rows: rows, Truncated: r.Truncated,
		RowsRead: r.RowsRead, BytesRead: r.BytesRead, ElapsedMS: r.Elapsed.Milliseconds()})
}

// cell is the rendered value of row i, column j, or nil for NULL.
func (r *PreviewResult) cell(i, j int) *string {
	if i < len(r.Values) && j < len(r.Values[i]) && r.Values[i][j] == nil {
		return nil
	}
	return &r.Rows[i][j]
}

// WritePreviewNDJSON prints one JSON object per row, keyed by column name,
// the values rendered as strings (null for NULL), in column order.
func WritePreviewNDJSON(w io.Writer, r *PreviewResult) error {
	names := make([][]byte, len(r.Columns))
	for i, c := range r.Columns {
		b, err := json.Marshal(c.Name)
		if err != nil {
			return err
		}
		names[i] = b
	}
	var b bytes.Buffer
	for i, row := range r.Rows {
		b.Reset()
		b.WriteByte('{')
		for j := range row {
			if j > 0 {
				b.WriteByte(',')
			}
			if j < len(names) {
				b.Write(names[j])
			} else {
				fmt.Fprintf(&b, "\"%d\"", j)
			}
			b.WriteByte(':')
			v, err := json.Marshal(r.cell(i, j))
			if err != nil {
				return err
			}
			b.Write(v)
		}
		b.WriteString("}\n")
		if _, err := w.Write(b.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// WritePreviewTSV prints a header of column names, then the rendered rows,
// tab-separated, with tabs, newlines and backslashes in values escaped as
// ClickHouse's TabSeparated format does (\t, \n, \\); what a spreadsheet
// takes from the clipboard.
func WritePreviewTSV(w io.Writer, r *PreviewResult) error {
	esc := strings.NewReplacer("\\", `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`)
	var b strings.Builder
	line := func(vals []string) {
		for i, v := range vals {
			if i > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(esc.Replace(v))
		}
		b.WriteByte('\n')
	}
	names := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		names[i] = c.Name
	}
	line(names)
	for _, row := range r.Rows {
		line(row)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ExportFormats are the formats ExportPreview writes, by file extension.
var ExportFormats = map[string]func(io.Writer, *PreviewResult) error{
	".csv":    WritePreviewCSV,
	".tsv":    WritePreviewTSV,
	".json":   WritePreviewJSON,
	".ndjson": WritePreviewNDJSON,
	".jsonl":  WritePreviewNDJSON,
}

// ExportPreview writes r to the file at path in the format its extension
// names (.csv, .tsv, .json, .ndjson or .jsonl), creating its folder; the
// file is written whole or not at all (a temporary file renamed).
func ExportPreview(path string, r *PreviewResult) error {
	write, ok := ExportFormats[strings.ToLower(filepath.Ext(path))]
	if !ok {
		return fmt.Errorf("export %s: unknown format %q: use .csv, .tsv, .json or .ndjson", path, filepath.Ext(path))
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	defer os.Remove(f.Name())
	if err := write(f, r); err != nil {
		f.Close()
		return fmt.Errorf("export %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	return nil
}

// PreviewSummary is the one-line footer of a preview: rows shown, whether
// cut, rows and bytes read, time.
func PreviewSummary(r *PreviewResult) string {
	s := fmt.Sprintf("%d rows", len(r.Rows))
	if len(r.Rows) == 1 {
		s = "1 row"
	}
	if r.Truncated {
		s += fmt.Sprintf(" (truncated at %d)", len(r.Rows))
	}
	return fmt.Sprintf("%s · read %s rows, %s in %s · query %s", s, HumanCount(r.RowsRead), HumanBytes(r.BytesRead), r.Elapsed.Round(time.Millisecond), r.QueryID)
}

// HumanBytes renders a byte count as 1.5 MiB.
func HumanBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// HumanCount renders a count as 1,234,567.
func HumanCount(n uint64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Ratio renders b/a as "0.25×" (how much of A's reading B's takes), "—"
// when a is 0.
func Ratio(b, a float64) string {
	if a == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f×", b/a)
}
