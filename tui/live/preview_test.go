package live

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

// TestPreviewPlacesErrorsInTheEditedSQL runs previews against the server:
// a failure is a *tui.PreviewError whose line is in the SQL the editor
// shows (not in the compiled query or the file), with the whole message;
// the parameters follow the edited text; a data source previews its rows;
// progress reaches the channel.
func TestPreviewPlacesErrorsInTheEditedSQL(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		ctx := context.Background()
		if err := db.Conn.Exec(ctx, "CREATE TABLE events (timestamp DateTime, page String, country String) ENGINE = MergeTree ORDER BY timestamp"); err != nil {
			t.Fatal(err)
		}
		if err := db.Conn.Exec(ctx, "INSERT INTO events SELECT toDateTime('2026-01-01 00:00:00') + number, if(number % 2 = 0, '/a', '/b'), 'ES' FROM system.numbers LIMIT 30"); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "datasources", "events.datasource"), strings.Replace(eventsDS, "%s", "timestamp", 1))
		// the node's SQL starts on line 5 of the file: errors must not say 5+
		writeFile(t, filepath.Join(dir, "endpoints", "top.pipe"), "DESCRIPTION >\n    top pages\n\n"+topPipe)
		b := New(dir, workspace.Selection{DSN: db.DSN}, func(string) string { return "" })
		defer b.Close()
		if _, err := b.Local(ctx); err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			name     string
			sql      string
			line     int
			contains string
		}{
			{"syntax error", "SELECT page,\n  count() AS hits\nFORM events\nGROUP BY page", 3, "Syntax error"},
			{"unknown column", "%\nSELECT page\nFROM events\nWHERE contry = {{ String(country, 'ES') }}", 4, "contry"},
			{"template error", "%\nSELECT page\nFROM events\nWHERE country = {{ String(country, 'ES' }}", 4, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := b.Preview(ctx, tui.PreviewRequest{Pipe: "top", Node: "top", SQL: tt.sql})
				var pe *tui.PreviewError
				if !errors.As(err, &pe) {
					t.Fatalf("error %T %v, want a *tui.PreviewError", err, err)
				}
				if pe.Line != tt.line || pe.Node != "" || !strings.Contains(pe.Message, tt.contains) {
					t.Fatalf("error at line %d (node %q), want line %d: %s", pe.Line, pe.Node, tt.line, pe.Message)
				}
			})
		}

		ps, err := b.Params(ctx, "top", "top", "%\nSELECT page FROM events\nWHERE country = {{ String(country, 'ES') }}\nLIMIT {{ Int32(lim, 5) }}")
		if err != nil || len(ps) != 2 || ps[1].Name != "lim" || ps[1].Default != "5" {
			t.Fatalf("params of the edited SQL: %+v %v", ps, err)
		}

		progress := make(chan tui.PreviewProgress, 64)
		res, err := b.Preview(ctx, tui.PreviewRequest{Datasource: "events", Progress: progress})
		if err != nil || len(res.Rows) != 30 || res.Columns[0].Name != "timestamp" || !strings.Contains(res.SQL, "FROM `events`") && !strings.Contains(res.SQL, "FROM events") {
			t.Fatalf("data source preview: %+v %v", res, err)
		}
		if len(progress) == 0 {
			t.Error("no progress reached the channel")
		}
		if _, err := b.Preview(ctx, tui.PreviewRequest{Datasource: "events", SQL: "SELECT nope\nFROM events"}); err == nil {
			t.Fatal("a bad data source query ran")
		} else if pe := (*tui.PreviewError)(nil); !errors.As(err, &pe) || pe.Line != 1 {
			t.Fatalf("data source query error %v", err)
		}
	})
}

func TestAggregateTypeFromPlaceholders(t *testing.T) {
	rows := [][]string{{"<AggregateFunction(uniq, String)>", "a"}, {"<AggregateFunction(uniq, String)>", "b"}}
	if got := aggregateType("String", rows, 0); got != "AggregateFunction(uniq, String)" {
		t.Errorf("placeholder column typed %q", got)
	}
	if got := aggregateType("String", rows, 1); got != "String" {
		t.Errorf("plain column typed %q", got)
	}
}
