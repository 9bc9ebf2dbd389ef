package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// testEngine is the embedded engine of this test process (one folder per
// process), or nil with skipReason set.
var (
	testDir    string
	skipReason error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "perch-engine-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// A folder that does not exist yet: OpenEmbedded creates it.
	testDir = filepath.Join(dir, "engine")
	if _, err := loadLibrary(LibraryCandidates(nil)); err != nil {
		skipReason = err
		fmt.Fprintf(os.Stderr, "\n*** engine: SKIPPING embedded engine tests: %v\n\n", err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func openTest(t *testing.T) *Embedded {
	t.Helper()
	if skipReason != nil {
		if strings.EqualFold(os.Getenv("CI"), "true") {
			t.Fatalf("no libchdb (CI=true): %v", skipReason)
		}
		t.Skipf("*** SKIPPED: %v", skipReason)
	}
	e, err := OpenEmbedded(t.Context(), testDir, EmbeddedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func TestEmbeddedScanTypes(t *testing.T) {
	e := openTest(t)
	var (
		n   uint64
		s   string
		ts  time.Time
		arr []string
		nul *string
		lc  string
	)
	err := e.QueryRow(t.Context(), "SELECT toUInt64(42), 'x', toDateTime('2024-01-02 03:04:05', 'UTC'), ['a','b'], CAST(NULL AS Nullable(String)), toLowCardinality('lc')").Scan(&n, &s, &ts, &arr, &nul, &lc)
	if err != nil {
		t.Fatal(err)
	}
	if n != 42 || s != "x" || ts.UTC().Format(time.DateTime) != "2024-01-02 03:04:05" || len(arr) != 2 || nul != nil || lc != "lc" {
		t.Fatalf("got %v %q %v %v %v %q", n, s, ts, arr, nul, lc)
	}
}

// TestEmbeddedModernTypes: types 18.16 lacks decode through clickhouse-go's
// columns too (the embedded engine is where they run).
func TestEmbeddedModernTypes(t *testing.T) {
	e := openTest(t)
	var (
		ts  time.Time
		m   map[string]uint8
		tup []any
		u   string
		en  string
		ip  string
	)
	q := "SELECT toDateTime64('2024-01-02 03:04:05.678', 3, 'UTC'), map('a', toUInt8(1)), tuple(toUInt8(1), 'x'), " +
		"toString(toUUID('00000000-0000-0000-0000-000000000001')), CAST('b' AS Enum8('a' = 1, 'b' = 2)), toString(toIPv4('10.0.0.1'))"
	if err := e.QueryRow(t.Context(), q).Scan(&ts, &m, &tup, &u, &en, &ip); err != nil {
		t.Fatal(err)
	}
	if ts.UTC().Format("2006-01-02 15:04:05.000") != "2024-01-02 03:04:05.678" || m["a"] != 1 || len(tup) != 2 || u != "00000000-0000-0000-0000-000000000001" || en != "b" || ip != "10.0.0.1" {
		t.Fatalf("got %v %v %v %q %q %q", ts, m, tup, u, en, ip)
	}
}

func TestEmbeddedStreamsLargeResults(t *testing.T) {
	e := openTest(t)
	var progress Progress
	ctx := WithProgress(t.Context(), func(p Progress) { progress.Rows += p.Rows })
	rows, err := e.Query(ctx, "SELECT number FROM numbers(300000)")
	if err != nil {
		t.Fatal(err)
	}
	var sum, count uint64
	for rows.Next() {
		var v uint64
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		sum += v
		count++
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	// The engine reports what it read per chunk, not after the last one.
	if count != 300000 || sum != 300000*299999/2 || progress.Rows == 0 || progress.Rows > 300000 {
		t.Fatalf("count %d sum %d progress %d", count, sum, progress.Rows)
	}
}

func TestEmbeddedEmptyResultHasColumns(t *testing.T) {
	e := openTest(t)
	rows, err := e.Query(t.Context(), "SELECT 1 AS a, 'x' AS b WHERE 0")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next() {
		t.Fatal("a row")
	}
	cts := rows.ColumnTypes()
	if len(cts) != 2 || cts[0].Name() != "a" || cts[0].DatabaseTypeName() != "UInt8" || cts[1].DatabaseTypeName() != "String" {
		t.Fatalf("columns %v", cts)
	}
	var x int
	if err := e.QueryRow(t.Context(), "SELECT 1 WHERE 0").Scan(&x); err == nil || !strings.Contains(err.Error(), "no rows") {
		t.Fatalf("QueryRow on empty = %v", err)
	}
}

func TestEmbeddedErrorsHaveCodes(t *testing.T) {
	e := openTest(t)
	_, err := e.Query(t.Context(), "SELECT * FROM no_such_table_here")
	if ErrorCode(err) != 60 {
		t.Fatalf("error %v, code %d", err, ErrorCode(err))
	}
	ctx := WithSettings(t.Context(), Settings{"readonly": 2})
	if err := e.Exec(ctx, "CREATE TABLE ro_test (a UInt8) ENGINE = Memory"); ErrorCode(err) != 164 {
		t.Fatalf("readonly create: %v", err)
	}
}

func TestEmbeddedSettingsApplyToOneQuery(t *testing.T) {
	e := openTest(t)
	q := "SELECT value FROM system.settings WHERE name = 'max_query_size'"
	var v string
	if err := e.QueryRow(WithSettings(t.Context(), Settings{"max_query_size": 1234567}), q).Scan(&v); err != nil || v != "1234567" {
		t.Fatalf("with setting: %q %v", v, err)
	}
	if err := e.QueryRow(t.Context(), q).Scan(&v); err != nil || v == "1234567" {
		t.Fatalf("after: %q %v", v, err)
	}
	if err := e.QueryRow(WithSettings(t.Context(), Settings{"readonly": 2, "log_comment": "it's"}), "SELECT value FROM system.settings WHERE name = 'log_comment'").Scan(&v); err != nil || v != "it's" {
		t.Fatalf("string setting: %q %v", v, err)
	}
}

func TestEmbeddedCancel(t *testing.T) {
	e := openTest(t)
	long := "SELECT count() FROM numbers(1000000000000)"
	for _, tc := range []struct {
		name string
		run  func(ctx context.Context) error
	}{
		{"query", func(ctx context.Context) error {
			rows, err := e.Query(ctx, long) // blocks until the first chunk
			if err == nil {
				err = rows.Close()
			}
			return err
		}},
		{"exec", func(ctx context.Context) error {
			return e.Exec(ctx, "INSERT INTO FUNCTION null('n UInt64') "+long)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := "cancel-" + tc.name
			ctx, cancel := context.WithCancel(WithQueryID(t.Context(), id))
			done := make(chan error, 1)
			go func() { done <- tc.run(ctx) }()
			waitRunning(t, e, id)
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("cancelled query returned %v", err)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("the cancelled query still runs after 30s")
			}
			deadline := time.Now().Add(30 * time.Second)
			for running(t, e, id) {
				if time.Now().After(deadline) {
					t.Fatal("the cancelled query is still in system.processes after 30s")
				}
				runtime.Gosched()
			}
		})
	}
}

// waitRunning polls system.processes until the query marked id runs.
func waitRunning(t *testing.T, e *Embedded, id string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !running(t, e, id) {
		if time.Now().After(deadline) {
			t.Fatalf("query %s never showed in system.processes", id)
		}
		runtime.Gosched()
	}
}

// running reports whether the query marked id is in system.processes.
func running(t *testing.T, e *Embedded, id string) bool {
	t.Helper()
	var n uint64
	q := "SELECT count() FROM system.processes WHERE " + ProcessCondition(KindEmbedded, id)
	if err := e.QueryRow(t.Context(), q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func TestEmbeddedConcurrentSessions(t *testing.T) {
	e := openTest(t)
	if err := e.Exec(t.Context(), "CREATE TABLE IF NOT EXISTS conc (n UInt64) ENGINE = MergeTree ORDER BY n"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- e.Exec(t.Context(), "INSERT INTO conc SELECT number FROM numbers(1000)")
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var n uint64
	if err := e.QueryRow(t.Context(), "SELECT count() FROM conc").Scan(&n); err != nil || n != 8000 {
		t.Fatalf("count %d %v", n, err)
	}
}

func TestMissingLibraryListsWhatWasTried(t *testing.T) {
	dir := t.TempDir()
	notLib := dir + "/libchdb.so"
	if err := os.WriteFile(notLib, []byte("not a library"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := openFirst([]string{dir + "/missing.so", notLib})
	if !errors.Is(err, ErrNoLibrary) {
		t.Fatalf("error %v", err)
	}
	for _, want := range []string{dir + "/missing.so: not found", notLib + ": ", InstallCommand} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestLibraryCandidatesOrder(t *testing.T) {
	env := map[string]string{"CHDB_LIB_PATH": "/x/libchdb.so", "HOME": "/home/u"}
	got := LibraryCandidates(func(k string) string { return env[k] })
	want := []string{"/x/libchdb.so", "/home/u/.cache/perch/chdb/libchdb.so", "/usr/local/lib/libchdb.so"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("candidates %v, want %v", got, want)
	}
}

func TestEmbeddedReopensAfterClose(t *testing.T) {
	e := openTest(t)
	if err := e.Exec(t.Context(), "CREATE TABLE IF NOT EXISTS reopen (n UInt8) ENGINE = MergeTree ORDER BY n"); err != nil {
		t.Fatal(err)
	}
	e.Close()
	e2 := openTest(t)
	var n uint64
	if err := e2.QueryRow(t.Context(), "SELECT count() FROM system.tables WHERE name = 'reopen'").Scan(&n); err != nil || n != 1 {
		t.Fatalf("after reopen: %d tables, %v", n, err)
	}
}

// TestSecondProcessGetsAClearError opens the folder here and in a child
// process (this test binary again): the child must fail at once, naming
// this process, instead of waiting.
func TestSecondProcessGetsAClearError(t *testing.T) {
	if dir := os.Getenv("PERCH_ENGINE_CHILD_DIR"); dir != "" {
		_, err := OpenEmbedded(context.Background(), dir, EmbeddedOptions{})
		fmt.Printf("child: %v\n", err)
		return
	}
	e := openTest(t)
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestSecondProcessGetsAClearError$", "-test.v")
	cmd.Env = append(os.Environ(), "PERCH_ENGINE_CHILD_DIR="+e.Path())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	want := fmt.Sprintf("held by process %d", os.Getpid())
	if !strings.Contains(string(out), want) || !strings.Contains(string(out), ErrEngineBusy.Error()) {
		t.Fatalf("child output lacks %q:\n%s", want, out)
	}
}

func TestPrepareSettings(t *testing.T) {
	ctx := WithQueryID(WithSettings(context.Background(), Settings{"max_query_size": 10, "log_comment": "a'b"}), "q1")
	st, err := prepare(ctx, "INSERT INTO t SELECT 1;  ")
	if err != nil {
		t.Fatal(err)
	}
	if st.query != "/* perch-query:q1 */ INSERT INTO t SELECT 1" ||
		strings.Join(st.before, "; ") != `SET log_comment = 'a\'b'; SET max_query_size = 10` ||
		strings.Join(st.after, "; ") != "SET log_comment = DEFAULT; SET max_query_size = DEFAULT" {
		t.Fatalf("statement %+v", st)
	}
	st, err = prepare(WithSettings(ctx, Settings{"readonly": 2}), "SELECT 1 -- note")
	if err != nil {
		t.Fatal(err)
	}
	if st.query != "/* perch-query:q1 */ SELECT 1 -- note\nSETTINGS log_comment = 'a\\'b', max_query_size = 10, readonly = 2" || st.before != nil {
		t.Fatalf("read-only statement %+v", st)
	}
}

// TestEmbeddedCloseDoesNotWaitForOpenRows: Close returns at once; a result
// still open reads to its end and then frees its session and the folder.
func TestEmbeddedCloseDoesNotWaitForOpenRows(t *testing.T) {
	e := openTest(t)
	rows, err := e.Query(t.Context(), "SELECT number FROM numbers(300000)")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Close(); err != nil || n != 300000 {
		t.Fatalf("read %d rows after Close, %v", n, err)
	}
	if _, err := e.Query(t.Context(), "SELECT 1"); err == nil {
		t.Fatal("a closed engine ran a query")
	}
	processEngine.mu.Lock()
	refs := processEngine.refs
	processEngine.mu.Unlock()
	if refs != 0 {
		t.Fatalf("%d users of the folder after every connection closed", refs)
	}
}
