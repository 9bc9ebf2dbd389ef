package tui

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// wideResult is a result with a time column, numbers, a NULL, an array, a
// long string and more columns than 80 columns show.
func wideResult() *PreviewResult {
	r := &PreviewResult{
		Columns: []Col{{"hour", "DateTime"}, {"page", "String"}, {"hits", "UInt64"}, {"visitors", "Nullable(UInt64)"},
			{"tags", "Array(String)"}, {"referrer", "String"}, {"country", "LowCardinality(String)"}},
		RowsRead: 5000, BytesRead: 200 << 10, Elapsed: 30 * time.Millisecond, SQL: "SELECT ...",
	}
	for i := range 12 {
		visitors := fmt.Sprint(40 + (i*37)%90)
		if i == 3 {
			visitors = "NULL"
		}
		r.Rows = append(r.Rows, []string{
			fmt.Sprintf("2026-11-25 %02d:00:00", i), []string{"/", "/pricing", "/docs"}[i%3], fmt.Sprint(100 + (i*53)%170), visitors,
			fmt.Sprintf("['a%d', 'b', 'c']", i), "https://example.com/a/very/long/referrer/path/that/goes/on?utm_source=newsletter&i=" + fmt.Sprint(i),
			[]string{"ES", "FR", "DE"}[i%3],
		})
	}
	r.Null = make([][]bool, len(r.Rows))
	r.Null[3] = []bool{false, false, false, true, false, false, false}
	return r
}

// rowsModel is a model showing wideResult in the Preview, rows focused.
func rowsModel(t *testing.T, size [2]int, b *fakeBackend) *Model {
	t.Helper()
	if b == nil {
		b = &fakeBackend{}
	}
	b.result = wideResult()
	m := newTestModel(t, b, Options{})
	m.update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
	pickNode("tab", "tab")(t, m)
	if m.preview.focus != focusResults {
		t.Fatalf("focus %d", m.preview.focus)
	}
	return m
}

// TestResultsScrollSortCopy: the cell cursor moves across columns and the
// table scrolls sideways to show it, o sorts by its column (numbers as
// numbers, NULL last), y/Y/T copy the cell, the row and every row as TSV.
func TestResultsScrollSortCopy(t *testing.T) {
	m := rowsModel(t, [2]int{80, 24}, nil)
	header := func() string {
		lines := splitFrame(plain(m.Render()))
		for i, l := range lines {
			if strings.Contains(l, "rows of run") {
				return lines[i+2] // the names, then the types
			}
		}
		return ""
	}
	if out := plain(m.Render()); !strings.Contains(out, "cols 1-5 of 7 ←→") || !strings.Contains(header(), "DateTime") || strings.Contains(header(), "LowCardinality") {
		t.Fatalf("80 columns should not show every column:\n%s", out)
	}
	press(t, m, "right", "right", "right", "right", "right", "right")
	if out := plain(m.Render()); !strings.Contains(header(), "LowCardinality(String)") || strings.Contains(header(), "DateTime") || !strings.Contains(out, "row 1/12, country") {
		t.Fatalf("the cursor's column is not shown:\n%s", out)
	}
	press(t, m, "home", "left", "left", "left", "left", "left", "left", "right", "right", "right") // visitors
	press(t, m, "o")
	col := func(c int) string {
		var vals []string
		for _, r := range m.preview.rows.table.Sorted()[:4] {
			vals = append(vals, r[c])
		}
		return strings.Join(vals, ",")
	}
	if got := col(3); got != "40,45,50,66" {
		t.Errorf("ascending by visitors: %s", got)
	}
	press(t, m, "o")
	if sorted := m.preview.rows.table.Sorted(); sorted[len(sorted)-1][3] != "NULL" || !strings.Contains(plain(m.Render()), "visitors ▼") {
		t.Errorf("descending: NULL not last or no ▼:\n%s", plain(m.Render()))
	}
	press(t, m, "home")
	first := m.preview.rows.table.Sorted()[0]
	program := drain(t, m, m.update(keyMsg("y")))
	if len(program) != 1 || !strings.Contains(m.notice, "copied the value of visitors") {
		t.Fatalf("y: %v %q", program, m.notice)
	}
	if got := copied(t, m, "y"); got != first[3] {
		t.Errorf("y copied %q, want %q", got, first[3])
	}
	if got := copied(t, m, "Y"); got != "hour\tpage\thits\tvisitors\ttags\treferrer\tcountry\n"+strings.Join(first, "\t")+"\n" {
		t.Errorf("Y copied %q", got)
	}
	all := copied(t, m, "T")
	if lines := strings.Split(strings.TrimSuffix(all, "\n"), "\n"); len(lines) != 13 || lines[1] != strings.Join(first, "\t") {
		t.Errorf("T copied %d lines (first row %q)", len(lines), lines[1])
	}
}

// copied runs the action of key k and returns the text it put on the clipboard.
func copied(t *testing.T, m *Model, k string) string {
	t.Helper()
	a, ok := m.km.Lookup(m.scope(), k, true)
	if !ok {
		t.Fatalf("%s is bound to nothing in %s", k, m.scope())
	}
	msg := m.handler(m.scope(), a.Name)()()
	c, ok := msg.(copyMsg)
	if !ok {
		t.Fatalf("%s did not copy: %T", k, msg)
	}
	return c.text
}

// TestExpandCellPopup: enter on a cell shows it whole: an array one
// element a line, a long string wrapped, NULL said so.
func TestExpandCellPopup(t *testing.T) {
	m := rowsModel(t, [2]int{80, 24}, nil)
	press(t, m, "right", "right", "right", "right", "enter") // tags
	d := m.topDialog()
	if d == nil || !strings.Contains(d.c.Title, "tags Array(String) · row 1") || strings.Join(d.c.Body[:5], "|") != "[|  'a0',|  'b',|  'c'|]" {
		t.Fatalf("popup: %+v", d)
	}
	press(t, m, "esc", "left", "down", "down", "down", "enter") // visitors of row 4: NULL
	if d := m.topDialog(); d == nil || d.c.Body[0] != "NULL (no value)" {
		t.Fatalf("NULL popup: %+v", d)
	}
	press(t, m, "enter")
	if m.topDialog() != nil {
		t.Fatal("enter does not close the popup")
	}
}

// TestExportWrittenAndReadBack: E asks for a file (prefilled), the format
// follows the extension, and the file holds the rows as shown (sorted).
func TestExportWrittenAndReadBack(t *testing.T) {
	dir := t.TempDir()
	m := rowsModel(t, [2]int{80, 24}, &fakeBackend{root: dir})
	press(t, m, "right", "right", "o", "o") // hits, descending
	press(t, m, "E")
	d := m.topDialog()
	if d == nil || d.c.Typed != filepath.Join("exports", "top_pages_node.csv") || m.scope() != "dialog input" {
		t.Fatalf("export dialog: %+v scope %s", d, m.scope())
	}
	later(m, time.Second)
	press(t, m, "enter")
	path := filepath.Join(dir, "exports", "top_pages_node.csv")
	if !strings.Contains(m.notice, "exported 12 rows to "+path) {
		t.Fatalf("notice %q", m.notice)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) != 13 || recs[0][2] != "hits" || recs[1][2] != fmt.Sprint(m.preview.rows.table.Sorted()[0][2]) {
		t.Fatalf("csv: %v %q", err, recs[:2])
	}
	// NDJSON: a name typed over the default
	press(t, m, "E")
	m.topDialog().c.Typed = ""
	later(m, 2*time.Second)
	typeName(t, m, "rows.ndjson")
	b, err := os.ReadFile(filepath.Join(dir, "rows.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	var row map[string]*string
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 12 || json.Unmarshal([]byte(lines[0]), &row) != nil || row["hits"] == nil {
		t.Fatalf("ndjson: %q", lines[:1])
	}
}

// TestGoldenRows: the rows pane scrolled sideways to the cursor and
// sorted, a cell's popup and the export dialog, at both sizes.
func TestGoldenRows(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		for _, s := range []struct {
			name string
			keys []string
		}{
			{"rows_scrolled", []string{"right", "right", "right", "right", "right", "o", "o", "down"}},
			{"rows_popup", []string{"right", "right", "right", "right", "enter"}},
			{"rows_export", []string{"E"}},
		} {
			name := fmt.Sprintf("%s_%dx%d.golden", s.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				m := rowsModel(t, size, nil)
				press(t, m, s.keys...)
				golden(t, name, plain(m.Render()))
			})
		}
	}
}
