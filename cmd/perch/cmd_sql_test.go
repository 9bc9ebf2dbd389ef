package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace/clickhousetest"
)

// TestSQLAndAppend runs `perch sql` and `perch append` on both engines:
// sql is read-only unless --write, append loads a file's rows through the
// data source's JSON paths and refuses a file with a bad row.
func TestSQLAndAppend(t *testing.T) {
	demoServer(t).ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		dir := t.TempDir()
		ds := "SCHEMA >\n    `id` UInt32 `json:$.id`,\n    `name` String `json:$.user.name` DEFAULT 'anon'\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"id\"\n"
		writeTestFile(t, filepath.Join(dir, "datasources", "people.datasource"), ds)
		writeTestFile(t, filepath.Join(dir, "people.ndjson"), "{\"id\": 1, \"user\": {\"name\": \"ana\"}}\n{\"id\": 2}\n")
		writeTestFile(t, filepath.Join(dir, "bad.ndjson"), "{\"id\": 3}\n{\"id\": -4}\n")
		ctx := context.Background()
		cli := func(args ...string) (int, string, string) {
			e, out, errb := testEnv()
			code := run(ctx, e, append(args, "--dsn", db.DSN))
			return code, out.String(), errb.String()
		}
		create := "CREATE TABLE people (id UInt32, name String DEFAULT 'anon') ENGINE = MergeTree ORDER BY id"
		if code, _, errs := cli("sql", dir, create); code != exitError || !strings.Contains(errs, "add --write") {
			t.Fatalf("read-only CREATE = %d: %s", code, errs)
		}
		if code, _, errs := cli("sql", dir, create, "--write"); code != exitOK || !strings.HasPrefix(errs, "ok in ") {
			t.Fatalf("sql --write = %d: %s", code, errs)
		}
		if code, out, errs := cli("append", dir, "people", filepath.Join(dir, "people.ndjson")); code != exitOK || out != "appended 2 rows to people (2 inserts)\n" {
			t.Fatalf("append = %d: %q %s", code, out, errs)
		}
		code, _, errs := cli("append", dir, "people", filepath.Join(dir, "bad.ndjson"))
		if code != exitError || !strings.Contains(errs, "bad.ndjson:line 2: column id: -4 is out of range for UInt32") || !strings.Contains(errs, "nothing was loaded") {
			t.Fatalf("bad append = %d: %s", code, errs)
		}
		code, out, errs := cli("sql", dir, "SELECT id, name FROM people ORDER BY id", "--format", "csv")
		if code != exitOK || out != "id,name\n1,ana\n2,anon\n" {
			t.Fatalf("sql = %d: %q %s", code, out, errs)
		}
	})
}

func writeTestFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
