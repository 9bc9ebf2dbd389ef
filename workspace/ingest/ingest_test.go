package ingest

import (
	"context"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/ddl"
)

var srv *clickhousetest.Server

func TestMain(m *testing.M) { os.Exit(clickhousetest.Run(m, &srv)) }

const eventsDatasource = "SCHEMA >\n" +
	"    `id` UInt32 `json:$.id`,\n" +
	"    `ts` DateTime `json:$.meta.ts`,\n" +
	"    `user` String `json:$.user.name`,\n" +
	"    `country` String `json:$.user.geo.country` DEFAULT 'XX',\n" +
	"    `tags` Array(String) `json:$.tags`,\n" +
	"    `item_ids` Array(UInt16) `json:$.items[:].id`,\n" +
	"    `price` Nullable(Float64) `json:$.price`,\n" +
	"    `day` Date `json:$.day` DEFAULT toDate(ts)\n\n" +
	"ENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"id\"\n"

// setup creates the events data source's table and opens a client on it.
func setup(t *testing.T, db *clickhousetest.DB) (*workspace.Client, *datafiles.Datasource) {
	t.Helper()
	ds, diags := datafiles.ParseDatasource("datasources/events.datasource", []byte(eventsDatasource))
	for _, d := range diags {
		if d.Severity == datafiles.Error {
			t.Fatal(d)
		}
	}
	ds.Name = "events"
	c, err := workspace.Open(context.Background(), workspace.Target{Name: "test", DSN: db.DSN, Database: db.Name, Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	q, err := ddl.Generator{Database: db.Name, Caps: c.Capabilities()}.CreateTable("events", ds)
	if err != nil {
		t.Fatal(err)
	}
	db.Exec(t, q)
	return c, ds
}

func dump(t *testing.T, db *clickhousetest.DB) []string {
	t.Helper()
	rows, err := db.Conn.Query(context.Background(), "SELECT concat(toString(id), '|', toString(ts), '|', user, '|', country, '|', toString(tags), '|', toString(item_ids), '|', ifNull(toString(price), 'NULL'), '|', toString(day)) FROM events ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func TestAppendNDJSONThroughJSONPaths(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		c, ds := setup(t, db)
		in := `{"id": 1, "meta": {"ts": "2024-03-01 10:00:00"}, "user": {"name": "ana", "geo": {"country": "PT"}}, "tags": ["a", "b"], "items": [{"id": 7}, {"id": 9}], "price": 9.5}

{"id": 2, "meta": {"ts": "2024-03-02 11:30:00"}, "user": {"name": "bo"}, "tags": [], "price": null, "day": "2024-01-01", "extra": {"ignored": true}}
{"id": 3, "meta": {"ts": "2024-03-03 00:00:00"}, "user": {"name": "it's \"q\""}}
`
		res, err := Append(context.Background(), c, ds, strings.NewReader(in), Options{Format: NDJSON})
		if err != nil {
			t.Fatal(err)
		}
		if res.Rows != 3 || len(res.Rejected) != 0 {
			t.Fatalf("result %+v", res)
		}
		want := []string{
			"1|2024-03-01 10:00:00|ana|PT|['a','b']|[7,9]|9.5|2024-03-01",
			"2|2024-03-02 11:30:00|bo|XX|[]|[]|NULL|2024-01-01",
			`3|2024-03-03 00:00:00|it's "q"|XX|[]|[]|NULL|2024-03-03`,
		}
		if got := dump(t, db); !reflect.DeepEqual(got, want) {
			t.Fatalf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

func TestAppendCSV(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		c, ds := setup(t, db)
		withHeader := "user,id,ts\nana,1,2024-03-01 10:00:00\n\"b,o\",2,2024-03-02 00:00:00\n"
		if res, err := Append(context.Background(), c, ds, strings.NewReader(withHeader), Options{Format: CSV}); err != nil || res.Rows != 2 {
			t.Fatalf("with header: %+v, %v", res, err)
		}
		byOrder := "3,2024-03-03 00:00:00,cy,ES,\"['x']\",[1],\\N,\n"
		if res, err := Append(context.Background(), c, ds, strings.NewReader(byOrder), Options{Format: CSV}); err != nil || res.Rows != 1 {
			t.Fatalf("by column order: %+v, %v", res, err)
		}
		want := []string{
			"1|2024-03-01 10:00:00|ana|XX|[]|[]|NULL|2024-03-01",
			"2|2024-03-02 00:00:00|b,o|XX|[]|[]|NULL|2024-03-02",
			"3|2024-03-03 00:00:00|cy|ES|['x']|[1]|NULL|2024-03-03",
		}
		if got := dump(t, db); !reflect.DeepEqual(got, want) {
			t.Fatalf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

// TestAppendRejectsRowsThatDoNotFit: every bad line is named (found by the
// client or by the server's casts) and nothing is loaded.
func TestAppendRejectsRowsThatDoNotFit(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		c, ds := setup(t, db)
		in := strings.Join([]string{
			`{"id": 1, "meta": {"ts": "2024-03-01 10:00:00"}, "user": {"name": "ok"}}`,
			`{"id": 70000, "meta": {"ts": "2024-03-01 10:00:00"}}`, // UInt32 fits; item id below does not
			`{"id": 5000000000}`,
			`not json`,
			`{"id": 4, "meta": {"ts": "not a time"}}`,
			`{"id": 5, "items": [{"id": 70000}]}`,
			`[1, 2]`,
			`{"id": 6, "tags": "not an array"}`,
			`{"id": 7, "meta": {"ts": "2024-03-01 10:00:00"}, "user": {"name": "ok too"}}`,
		}, "\n")
		res, err := Append(context.Background(), c, ds, strings.NewReader(in), Options{Format: NDJSON, BatchRows: 2})
		if !errors.Is(err, ErrRejected) {
			t.Fatalf("err = %v", err)
		}
		var lines []int
		for _, r := range res.Rejected {
			lines = append(lines, r.Line)
		}
		if want := []int{3, 4, 5, 6, 7, 8}; !reflect.DeepEqual(lines, want) {
			t.Fatalf("rejected lines %v, want %v: %v", lines, want, res.Rejected)
		}
		if got := dump(t, db); len(got) != 0 {
			t.Fatalf("%d rows loaded from a rejected file", len(got))
		}
	})
}

func TestJSONPaths(t *testing.T) {
	doc := map[string]any{"a": map[string]any{"b c": []any{map[string]any{"x": 1.0}, map[string]any{"x": 2.0}, map[string]any{"y": 3.0}}}}
	tests := []struct {
		path  string
		want  any
		found bool
	}{
		{"$.a['b c'][1].x", 2.0, true},
		{"$.a['b c'][:].x", []any{1.0, 2.0}, true},
		{"$.a['b c'][5]", nil, false},
		{"$.missing.deeper", nil, false},
		{"$.a", doc["a"], true},
	}
	for _, tt := range tests {
		p, err := parsePath(tt.path)
		if err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		got, found := p.eval(doc)
		if found != tt.found || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s = %v, %v; want %v, %v", tt.path, got, found, tt.want, tt.found)
		}
	}
	for _, bad := range []string{"a.b", "$.", "$[x]", "$.a[", "$x"} {
		if _, err := parsePath(bad); err == nil {
			t.Errorf("%s parsed", bad)
		}
	}
}

// TestRejectedMessages: a row the server cannot cast carries the server's
// reason without the SQL; a row the client refuses says which column.
func TestRejectedMessages(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		c, ds := setup(t, db)
		in := "{\"id\": 4, \"meta\": {\"ts\": \"not a time\"}}\n{\"id\": -1}\n"
		res, err := Append(context.Background(), c, ds, strings.NewReader(in), Options{})
		if !errors.Is(err, ErrRejected) || len(res.Rejected) != 2 {
			t.Fatalf("%+v, %v", res, err)
		}
		first, second := res.Rejected[0], res.Rejected[1]
		if first.Line != 1 || !strings.Contains(first.Msg, "DateTime") || strings.Contains(first.Msg, "SELECT") {
			t.Errorf("server-side rejection: %v", first)
		}
		if second.String() != "line 2: column id: -1 is out of range for UInt32" {
			t.Errorf("client-side rejection: %v", second)
		}
	})
}
