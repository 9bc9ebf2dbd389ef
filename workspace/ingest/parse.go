package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/perchdata/perch/datafiles"
)

// row is one input row: its line and the SQL expression of every column it
// gives (a column it does not give takes its DEFAULT).
type row struct {
	line  int
	exprs map[string]string
}

// RowError is an input row that does not fit the data source.
type RowError struct {
	Line   int    `json:"line"`
	Column string `json:"column,omitempty"`
	Msg    string `json:"error"`
}

// String is "line N: column C: reason".
func (e RowError) String() string {
	if e.Column != "" {
		return fmt.Sprintf("line %d: column %s: %s", e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}

// column is an insertable column of the data source.
type column struct {
	datafiles.Column
	path jsonPath
}

// insertable lists the columns a row can fill (not MATERIALIZED or ALIAS),
// with their JSON paths ($.name when none is given).
func insertable(ds *datafiles.Datasource) ([]column, error) {
	var out []column
	for _, c := range ds.Columns {
		if k := strings.ToUpper(c.DefaultKind); k == "MATERIALIZED" || k == "ALIAS" {
			continue
		}
		if why := unsupported(c.Type); why != "" {
			return nil, fmt.Errorf("column %s: %s", c.Name, why)
		}
		p := c.JSONPath
		if p == "" {
			p = "$." + c.Name
		}
		path, err := parsePath(p)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", c.Name, err)
		}
		out = append(out, column{Column: c, path: path})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("data source %s has no column to fill", ds.Name)
	}
	return out, nil
}

// build renders one input row through expr (a column's SQL expression, or
// missing for its DEFAULT) and appends it to rows, or its problems to bad.
func build(rows []row, bad []RowError, line int, cols []column, expr func(column) (string, bool, error)) ([]row, []RowError) {
	rw := row{line: line, exprs: map[string]string{}}
	failed := false
	for _, c := range cols {
		e, missing, err := expr(c)
		if err != nil {
			bad = append(bad, RowError{Line: line, Column: c.Name, Msg: err.Error()})
			failed = true
			continue
		}
		if !missing {
			rw.exprs[c.Name] = e
		}
	}
	switch {
	case failed:
	case len(rw.exprs) == 0:
		bad = append(bad, RowError{Line: line, Msg: "the row gives no column of the data source"})
	default:
		rows = append(rows, rw)
	}
	return rows, bad
}

// maxLine bounds one NDJSON line.
const maxLine = 64 << 20

// readNDJSON maps every line of r (a JSON object) through the columns'
// JSON paths.
func readNDJSON(r io.Reader, cols []column) ([]row, []RowError, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var rows []row
	var bad []RowError
	for line := 1; sc.Scan(); line++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.UseNumber()
		var doc any
		if err := dec.Decode(&doc); err != nil {
			bad = append(bad, RowError{Line: line, Msg: "not JSON: " + err.Error()})
			continue
		}
		if dec.More() {
			bad = append(bad, RowError{Line: line, Msg: "more than one JSON value on the line"})
			continue
		}
		obj, ok := doc.(map[string]any)
		if !ok {
			bad = append(bad, RowError{Line: line, Msg: "not a JSON object"})
			continue
		}
		rows, bad = build(rows, bad, line, cols, func(c column) (string, bool, error) {
			v, found := c.path.eval(obj)
			if !found {
				return "", true, nil
			}
			return jsonExpr(v, c.Type)
		})
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("read NDJSON: %w", err)
	}
	return rows, bad, nil
}

// readCSV maps CSV records to columns by the header (when the first record
// names columns) or else by column order.
func readCSV(r io.Reader, cols []column) ([]row, []RowError, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	byName := map[string]column{}
	for _, c := range cols {
		byName[c.Name] = c
	}
	var (
		order []column
		rows  []row
		bad   []RowError
	)
	for first := true; ; first = false {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				bad = append(bad, RowError{Line: pe.Line, Msg: pe.Err.Error()})
				continue
			}
			return nil, nil, fmt.Errorf("read CSV: %w", err)
		}
		if first {
			hdr, known, ok := header(rec, byName)
			if ok {
				order = hdr
				continue
			}
			if known > 0 {
				return nil, nil, fmt.Errorf("line %d: the header names %d known columns but not all: every field must be a column of the data source (%s)", line, known, columnNames(cols))
			}
			order = cols
		}
		if len(rec) != len(order) {
			bad = append(bad, RowError{Line: line, Msg: fmt.Sprintf("%d fields, want %d", len(rec), len(order))})
			continue
		}
		field := map[string]string{}
		for i, c := range order {
			field[c.Name] = rec[i]
		}
		rows, bad = build(rows, bad, line, order, func(c column) (string, bool, error) {
			return csvExpr(field[c.Name], c.Type)
		})
	}
	return rows, bad, nil
}

// header reports whether rec names columns only, and maps it to them;
// known counts the fields that name a column.
func header(rec []string, byName map[string]column) (out []column, known int, ok bool) {
	for _, f := range rec {
		if c, found := byName[strings.TrimSpace(f)]; found {
			out = append(out, c)
			known++
		}
	}
	return out, known, known == len(rec) && known > 0
}

func columnNames(cols []column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}
