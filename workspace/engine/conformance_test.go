package engine_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/engine"
)

// engines opens a connection on each engine: a private 18.16 server and
// the embedded engine. A missing one skips its subtest (fails under CI=true).
func engines(t *testing.T) map[engine.Kind]func(t *testing.T) engine.Conn {
	return map[engine.Kind]func(t *testing.T) engine.Conn{
		engine.KindNative: func(t *testing.T) engine.Conn {
			conn, err := clickhousetest.StartServer(t).Connect("default")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { conn.Close() })
			return conn
		},
		engine.KindEmbedded: func(t *testing.T) engine.Conn {
			dir, why := engine.EmbeddedTestFolder()
			if why != nil {
				if clickhousetest.InCI() {
					t.Fatal(why)
				}
				t.Skipf("*** SKIPPED: %v", why)
			}
			e, err := engine.OpenEmbedded(context.Background(), dir, engine.EmbeddedOptions{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { e.Close() })
			return e
		},
	}
}

// TestEnginesAgree runs the same queries on both engines: the same Go
// types from Scan, the same values, settings for one query only, error
// codes, no rows, and cancel by query id.
func TestEnginesAgree(t *testing.T) {
	if os.Getenv("PERCH_ENGINE_CHILD_DIR") != "" {
		t.Skip("child process of TestSecondProcessGetsAClearError")
	}
	const typed = "SELECT toUInt64(42) AS u, toInt32(-7) AS i, 'x' AS s, toDateTime('2024-01-02 03:04:05', 'UTC') AS ts, " +
		"toDate('2024-01-02') AS d, [1, 2] AS a, CAST(NULL AS Nullable(String)) AS n, toFloat64(1.5) AS f, toDecimal64(1.25, 2) AS dec"
	scanTypes := map[engine.Kind][]reflect.Type{}
	values := map[engine.Kind][]any{}
	for _, kind := range []engine.Kind{engine.KindNative, engine.KindEmbedded} {
		t.Run(string(kind), func(t *testing.T) {
			conn := engines(t)[kind](t)
			ctx := context.Background()
			if conn.Kind() != kind {
				t.Fatalf("kind %s", conn.Kind())
			}
			rows, err := conn.Query(ctx, typed)
			if err != nil {
				t.Fatal(err)
			}
			cts := rows.ColumnTypes()
			var dest []any
			for _, ct := range cts {
				scanTypes[kind] = append(scanTypes[kind], ct.ScanType())
				dest = append(dest, reflect.New(ct.ScanType()).Interface())
			}
			if !rows.Next() {
				t.Fatalf("no row: %v", rows.Err())
			}
			if err := rows.Scan(dest...); err != nil {
				t.Fatal(err)
			}
			for _, d := range dest {
				values[kind] = append(values[kind], reflect.ValueOf(d).Elem().Interface())
			}
			if rows.Next() || rows.Close() != nil {
				t.Fatal("more than one row")
			}
			if strings.Join(rows.Columns(), ",") != "u,i,s,ts,d,a,n,f,dec" {
				t.Errorf("columns %v", rows.Columns())
			}

			q := "SELECT value FROM system.settings WHERE name = 'max_query_size'"
			var v string
			if err := conn.QueryRow(engine.WithSettings(ctx, engine.Settings{"max_query_size": 1234567}), q).Scan(&v); err != nil || v != "1234567" {
				t.Errorf("setting for one query: %q, %v", v, err)
			}
			if err := conn.QueryRow(ctx, q).Scan(&v); err != nil || v == "1234567" {
				t.Errorf("setting outlived its query: %q, %v", v, err)
			}
			if err := conn.QueryRow(ctx, "SELECT 1 WHERE 0").Scan(&v); !errors.Is(err, sql.ErrNoRows) {
				t.Errorf("no rows: %v", err)
			}
			if _, err := conn.Query(ctx, "SELECT * FROM system.no_such_table"); engine.ErrorCode(err) != 60 {
				t.Errorf("unknown table: code %d, %v", engine.ErrorCode(err), err)
			}
			if err := conn.Exec(engine.WithSettings(ctx, engine.Settings{"readonly": 2}), "CREATE TABLE default.ro (a UInt8) ENGINE = Memory"); engine.ErrorCode(err) != 164 {
				t.Errorf("readonly: code %d, %v", engine.ErrorCode(err), err)
			}

			var read, profiled atomic.Uint64
			pctx := engine.WithProfile(engine.WithProgress(ctx, func(p engine.Progress) { read.Add(p.Rows) }),
				func(p engine.Profile) { profiled.Add(1) })
			var sum uint64
			if err := conn.QueryRow(pctx, "SELECT sum(number) FROM numbers(100000)").Scan(&sum); err != nil || sum != 4999950000 {
				t.Fatalf("sum %d, %v", sum, err)
			}
			// 18.16 reads numbers() in whole blocks (131072 rows here); the
			// embedded engine may leave out its last chunk's reads.
			if read.Load() == 0 || profiled.Load() == 0 {
				t.Errorf("progress reported %d rows read, %d profiles", read.Load(), profiled.Load())
			}

			id := "conformance-cancel-" + string(kind)
			done := make(chan error, 1)
			go func() {
				rows, err := conn.Query(engine.WithQueryID(ctx, id), "SELECT count() FROM numbers(1000000000000)")
				if err == nil {
					for rows.Next() {
					}
					err = rows.Close()
				}
				done <- err
			}()
			waitFor(t, func() bool { return running(t, conn, id) }, "the query to run")
			if err := conn.Cancel(ctx, id); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-done:
				if err == nil {
					t.Fatal("a cancelled query returned no error")
				}
			case <-time.After(30 * time.Second):
				t.Fatal("the cancelled query still runs after 30s")
			}
			waitFor(t, func() bool { return !running(t, conn, id) }, "the query to leave system.processes")
		})
	}
	if len(scanTypes) == 2 {
		if !reflect.DeepEqual(scanTypes[engine.KindNative], scanTypes[engine.KindEmbedded]) {
			t.Errorf("scan types differ:\nnative   %v\nembedded %v", scanTypes[engine.KindNative], scanTypes[engine.KindEmbedded])
		}
		// Printed: time.Time values carry *Location pointers of their own.
		if fmt.Sprint(values[engine.KindNative]) != fmt.Sprint(values[engine.KindEmbedded]) {
			t.Errorf("values differ:\nnative   %v\nembedded %v", values[engine.KindNative], values[engine.KindEmbedded])
		}
	}
}

func running(t *testing.T, conn engine.Conn, id string) bool {
	t.Helper()
	var n uint64
	if err := conn.QueryRow(context.Background(), "SELECT count() FROM system.processes WHERE "+engine.ProcessCondition(conn.Kind(), id)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// waitFor polls cond until it holds, failing t after 30 s.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
