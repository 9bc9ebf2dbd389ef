package workspace

import (
	"context"
	"testing"

	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/engine"
)

func TestReturnsRows(t *testing.T) {
	for q, want := range map[string]bool{
		"SELECT 1":                        true,
		"  (select 1) union all select 2": true,
		"-- note\n/* c */ WITH x AS (SELECT 1) SELECT * FROM x": true,
		"describe t":             true,
		"SHOW TABLES":            true,
		"INSERT INTO t SELECT 1": false,
		"CREATE TABLE t (a UInt8) ENGINE = Memory": false,
		"-- only a comment":                        false,
		"":                                         false,
	} {
		if got := ReturnsRows(q); got != want {
			t.Errorf("ReturnsRows(%q) = %v, want %v", q, got, want)
		}
	}
}

// TestSQLWrite: without Write a statement that changes data is refused;
// with it, DDL and INSERT run and a SELECT still returns bounded rows.
func TestSQLWrite(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *Client, db *clickhousetest.DB) {
		ctx := context.Background()
		if _, err := c.SQL(ctx, "CREATE TABLE w (n UInt64) ENGINE = MergeTree ORDER BY n", PreviewOptions{}); engine.ErrorCode(err) != 164 {
			t.Fatalf("read-only CREATE: %v", err)
		}
		for _, q := range []string{"CREATE TABLE w (n UInt64) ENGINE = MergeTree ORDER BY n", "INSERT INTO w SELECT number FROM numbers(50)"} {
			if _, err := c.SQL(ctx, q, PreviewOptions{Write: true}); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		res, err := c.SQL(ctx, "SELECT n FROM w ORDER BY n", PreviewOptions{Write: true, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) != 10 || !res.Truncated || res.Rows[9][0] != "9" {
			t.Fatalf("bounded select: %d rows, truncated %v", len(res.Rows), res.Truncated)
		}
		if n := db.QueryString(t, "SELECT toString(count()) FROM w"); n != "50" {
			t.Fatalf("w has %s rows, want 50", n)
		}
	})
}
