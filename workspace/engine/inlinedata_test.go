package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace/engine"
)

func TestHasInlineData(t *testing.T) {
	cases := []struct {
		query string
		want  bool
	}{
		{"INSERT INTO t VALUES (1, 'x')", true},
		{"insert into t (a, b) values (1, 'x'), (2, 'y')", true},
		{"INSERT INTO t FORMAT JSONEachRow {\"a\": 1}", true},
		{"INSERT INTO t SELECT 1", false},
		{"INSERT INTO t (a) SELECT number FROM numbers(3) FORMAT Native", false},
		{"INSERT INTO t WITH 1 AS x SELECT x", false},
		{"INSERT INTO t (`values`) SELECT 1", false},
		{"SELECT 'INSERT INTO t VALUES (1)'", false},
		{"-- INSERT INTO t VALUES (1)\nSELECT 1", false},
		{"", false},
	}
	for _, c := range cases {
		if got := engine.HasInlineData(c.query); got != c.want {
			t.Errorf("HasInlineData(%q) = %v, want %v", c.query, got, c.want)
		}
	}
}

// TestInsertValues: on the embedded 26.x engine an INSERT ... VALUES loads
// its rows; on 18.16, whose native protocol would wait for the rows as
// blocks until the read timeout, it is refused at once with what to do.
func TestInsertValues(t *testing.T) {
	for kind, open := range engines(t) {
		t.Run(string(kind), func(t *testing.T) {
			conn := open(t)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := conn.Exec(ctx, "CREATE TABLE IF NOT EXISTS default.inline_rows (a UInt32, s String) ENGINE = MergeTree ORDER BY a"); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { conn.Exec(context.Background(), "DROP TABLE IF EXISTS default.inline_rows") })
			start := time.Now()
			err := conn.Exec(ctx, "INSERT INTO default.inline_rows VALUES (1, 'x'), (2, 'y')")
			if took := time.Since(start); took > 10*time.Second {
				t.Fatalf("the INSERT took %s", took)
			}
			var n uint64
			if err := conn.QueryRow(ctx, "SELECT count() FROM default.inline_rows").Scan(&n); err != nil {
				t.Fatal(err)
			}
			v, verr := conn.ServerVersion(ctx)
			if verr != nil {
				t.Fatal(verr)
			}
			if strings.HasPrefix(v, "18.") {
				if err == nil || !strings.Contains(err.Error(), "INSERT ... SELECT") || !strings.Contains(err.Error(), "perch append") {
					t.Fatalf("on %s want a refusal naming INSERT ... SELECT and perch append, got %v", v, err)
				}
				if n != 0 {
					t.Errorf("%d rows loaded by a refused INSERT", n)
				}
				return
			}
			if err != nil {
				t.Fatalf("INSERT ... VALUES on %s: %v", v, err)
			}
			if n != 2 {
				t.Errorf("count = %d, want 2", n)
			}
		})
	}
}
