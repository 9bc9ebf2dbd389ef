package workspace

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
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
			if i < len(r.Values) && j < len(r.Values[i]) && r.Values[i][j] == nil {
				continue
			}
			rows[i][j] = &row[j]
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(previewJSON{QueryID: r.QueryID, Columns: r.Columns, Rows: rows, Truncated: r.Truncated,
		RowsRead: r.RowsRead, BytesRead: r.BytesRead, ElapsedMS: r.Elapsed.Milliseconds()})
}

// PreviewSummary is the one-line footer of a preview: rows shown, whether
// cut, rows and bytes read, time.
func PreviewSummary(r *PreviewResult) string {
	s := fmt.Sprintf("%d rows", len(r.Rows))
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
