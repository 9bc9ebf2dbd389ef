package workspace

import (
	"context"
	"errors"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/engine"
)

func TestPreviewRendersTypedValues(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *Client, db *clickhousetest.DB) {
		db.Exec(t,
			"CREATE TABLE agg (k UInt8, c AggregateFunction(count)) ENGINE = AggregatingMergeTree() ORDER BY k",
			"INSERT INTO agg SELECT 1, countState() FROM numbers(5)",
		)
		var gotCols []PreviewColumn
		var batches int
		res, err := c.Preview(context.Background(), `SELECT toDate('2024-03-01') AS d, toDateTime('2024-03-01 12:34:56') AS dt,
		CAST(NULL AS Nullable(String)) AS n, ['a', 'b'] AS arr, [1, 2] AS nums, toNullable(3.5) AS f, 'plain' AS s, toFixedString('ab', 4) AS fs`,
			PreviewOptions{OnColumns: func(c []PreviewColumn) { gotCols = c }, OnRows: func([][]string) { batches++ }})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"2024-03-01", "2024-03-01 12:34:56", "NULL", "['a', 'b']", "[1, 2]", "3.5", "plain", "ab"}
		if len(res.Rows) != 1 || !reflect.DeepEqual(res.Rows[0], want) {
			t.Errorf("row = %q\nwant  %q", res.Rows, want)
		}
		if len(gotCols) != 8 || gotCols[2].Type != "Nullable(String)" || gotCols[3].Type != "Array(String)" || batches != 1 {
			t.Errorf("columns = %+v, batches = %d", gotCols, batches)
		}
		res, err = c.Preview(context.Background(), "SELECT k, c FROM agg", PreviewOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) != 1 || res.Rows[0][1] != "<AggregateFunction(count)>" || res.Rows[0][0] != "1" {
			t.Errorf("aggregate state row = %q", res.Rows)
		}
		res, err = c.Preview(context.Background(), "SELECT k, countMerge(c) AS n FROM agg GROUP BY k", PreviewOptions{})
		if err != nil || res.Rows[0][1] != "5" {
			t.Errorf("merged = %v, %v", res, err)
		}
	})
}

func TestPreviewTruncatesAndReportsProgress(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *Client, db *clickhousetest.DB) {
		db.Exec(t, "CREATE TABLE big (n UInt64) ENGINE = MergeTree() ORDER BY n", "INSERT INTO big SELECT number FROM numbers(200000)")
		var progress atomic.Int64
		res, err := c.Preview(context.Background(), "SELECT n FROM big ORDER BY n", PreviewOptions{Limit: 10,
			OnProgress: func(p PreviewProgress) { progress.Add(1) }})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) != 10 || !res.Truncated || res.Rows[9][0] != "9" {
			t.Errorf("rows = %d truncated = %v last = %v", len(res.Rows), res.Truncated, res.Rows[len(res.Rows)-1])
		}
		if res.RowsRead == 0 || res.BytesRead == 0 || progress.Load() == 0 || res.QueryID == "" {
			t.Errorf("read %d rows %d bytes, %d progress events, id %q", res.RowsRead, res.BytesRead, progress.Load(), res.QueryID)
		}
		res, err = c.Preview(context.Background(), "SELECT n FROM big WHERE n < 500;", PreviewOptions{})
		if err != nil || len(res.Rows) != 500 || res.Truncated {
			t.Errorf("500 rows under the default limit: %d rows, truncated %v, %v", len(res.Rows), res.Truncated, err)
		}
		res, err = c.Preview(context.Background(), "SELECT n, n FROM big ORDER BY n LIMIT 3", PreviewOptions{Limit: 3})
		if err != nil || len(res.Columns) != 2 || len(res.Rows) != 3 || res.Truncated {
			t.Errorf("duplicate columns: %+v, %v", res, err)
		}
		// A huge result is cut and its query stopped: the preview returns at once.
		id := "perch-test-cut-" + db.Name
		res, err = c.Preview(context.Background(), "SELECT number FROM numbers(10000000000)", PreviewOptions{Limit: 5, QueryID: id})
		if err != nil || len(res.Rows) != 5 || !res.Truncated {
			t.Fatalf("huge result: %+v, %v", res, err)
		}
		waitFor(t, 10*time.Second, func() bool {
			return db.QueryString(t, "SELECT toString(count()) FROM system.processes WHERE "+engine.ProcessCondition(db.Kind, id)) == "0"
		}, "the cut query to stop on the server")
	})
}

// TestPreviewCannotChangeData: DROP, INSERT, ALTER and CREATE through a
// preview fail on the server (readonly=2) and change nothing.
func TestPreviewCannotChangeData(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *Client, db *clickhousetest.DB) {
		db.Exec(t, "CREATE TABLE keep (n UInt64) ENGINE = MergeTree() ORDER BY n", "INSERT INTO keep SELECT number FROM numbers(10)")
		for _, q := range []string{
			"DROP TABLE keep",
			"INSERT INTO keep SELECT number FROM numbers(5)",
			"ALTER TABLE keep DELETE WHERE 1",
			"CREATE TABLE other (n UInt8) ENGINE = Memory",
			"TRUNCATE TABLE keep",
			"SELECT 1 SETTINGS readonly = 0",
		} {
			_, err := c.Preview(context.Background(), q, PreviewOptions{})
			if err == nil {
				t.Errorf("%s: preview succeeded", q)
				continue
			}
			if engine.ErrorCode(err) != 164 {
				t.Errorf("%s: err = %v, want readonly (164)", q, err)
			}
		}
		if n := db.QueryString(t, "SELECT toString(count()) FROM keep"); n != "10" {
			t.Fatalf("keep has %s rows after previews, want 10", n)
		}
		if n := db.QueryString(t, "SELECT toString(count()) FROM system.tables WHERE database = currentDatabase()"); n != "1" {
			t.Fatalf("%s tables after previews, want 1", n)
		}
	})
}

// TestPreviewCancelStopsServerQuery: cancelling the context ends the preview
// and the query disappears from system.processes.
func TestPreviewCancelStopsServerQuery(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *Client, db *clickhousetest.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		id := "perch-test-cancel-" + db.Name
		done := make(chan error, 1)
		go func() {
			_, err := c.Preview(ctx, "SELECT sum(cityHash64(number)) FROM numbers(100000000000)", PreviewOptions{QueryID: id, MaxExecutionTime: time.Minute})
			done <- err
		}()
		running := func() bool {
			return db.QueryString(t, "SELECT toString(count()) FROM system.processes WHERE "+engine.ProcessCondition(db.Kind, id)) != "0"
		}
		waitFor(t, 10*time.Second, running, "the preview to appear in system.processes")
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, ErrPreviewCancelled) {
				t.Errorf("err = %v, want ErrPreviewCancelled", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("preview did not return after cancel")
		}
		waitFor(t, 10*time.Second, func() bool { return !running() }, "the server to stop the query")
	})
}

func waitFor(t *testing.T, d time.Duration, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestPreviewQueryByCapability(t *testing.T) {
	old := CapabilitiesFor(Version{Major: 18, Minor: 16})
	modern := CapabilitiesFor(Version{Major: 24, Minor: 8})
	opts := PreviewOptions{Limit: 50, MaxExecutionTime: 1500 * time.Millisecond, MaxRowsToRead: 1e6}
	q, s, err := previewQuery(old, "SELECT 1;", opts)
	if err != nil || q != "SELECT 1" {
		t.Errorf("18.16 query = %q, %v: the statement must reach the server as written", q, err)
	}
	if s["readonly"] != 2 || s["max_execution_time"] != 2 || s["max_rows_to_read"] != uint64(1e6) {
		t.Errorf("18.16 settings = %v", s)
	}
	if _, ok := s["result_overflow_mode"]; ok {
		t.Error("string setting sent through the protocol to 18.16")
	}
	if _, ok := s["max_result_rows"]; ok {
		t.Error("max_result_rows without break mode would fail the query on 18.16")
	}
	q, s, _ = previewQuery(modern, "SELECT 1", opts)
	if q != "SELECT 1" || s["result_overflow_mode"] != "break" || s["max_result_rows"] != 50 {
		t.Errorf("modern = %q %v", q, s)
	}
	if _, _, err := previewQuery(old, " ; ", opts); err == nil {
		t.Error("empty query accepted")
	}
}

func TestFormatValue(t *testing.T) {
	s := "x"
	var nilStr *string
	tests := []struct {
		v    any
		typ  string
		want string
	}{
		{nilStr, "Nullable(String)", "NULL"},
		{&s, "Nullable(String)", "x"},
		{[]string{"a", "it's"}, "Array(String)", `['a', 'it\'s']`},
		{[]uint8{1, 2}, "Array(UInt8)", "[1, 2]"},
		{[]*string{nil, &s}, "Array(Nullable(String))", "[NULL, 'x']"},
		{[][]int64{{1}, {}}, "Array(Array(Int64))", "[[1], []]"},
		{time.Date(2024, 1, 2, 3, 4, 5, 600_000_000, time.UTC), "Date", "2024-01-02"},
		{time.Date(2024, 1, 2, 3, 4, 5, 600_000_000, time.UTC), "DateTime('UTC')", "2024-01-02 03:04:05"},
		{time.Date(2024, 1, 2, 3, 4, 5, 600_000_000, time.UTC), "DateTime64(3)", "2024-01-02 03:04:05.600"},
		{map[string]uint64{"b": 2, "a": 1}, "Map(String, UInt64)", "{'a': 1, 'b': 2}"},
		{[]any{"a", uint8(1)}, "Tuple(String, UInt8)", "('a', 1)"},
		{"", "AggregateFunction(uniq, String)", "<AggregateFunction(uniq, String)>"},
		{0.1, "Float64", "0.1"},
		{"\xff\x00", "String", "0xff00"},
	}
	for _, tt := range tests {
		if got := FormatValue(tt.v, tt.typ); got != tt.want {
			t.Errorf("FormatValue(%#v, %s) = %q, want %q", tt.v, tt.typ, got, tt.want)
		}
	}
}
