package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace/clickhousetest"
)

// TestInteractiveApplyConfirmsEachDestructiveChange: on a terminal, apply
// asks for 'yes' and then for the name of every change that destroys data
// (the column dropped from events and the backup a rebuild kept alike, once
// that backup holds a row that is not in events); a name not typed cancels
// the whole apply, all names typed apply it.
func TestInteractiveApplyConfirmsEachDestructiveChange(t *testing.T) {
	srv := demoServer(t)
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		dir := copyExample(t)
		ctx := context.Background()
		cli := func(stdin string, args ...string) (int, string, string) {
			e, out, errb := testEnv()
			e.stdin, e.isTerminal = strings.NewReader(stdin), stdin != ""
			code := run(ctx, e, append(args, "--dsn", db.DSN))
			return code, out.String(), errb.String()
		}
		edit := func(from, to string) {
			t.Helper()
			path := filepath.Join(dir, "datasources", "events.datasource")
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(b, []byte(from)) {
				t.Fatalf("events.datasource lacks %q: update the test", from)
			}
			if err := os.WriteFile(path, bytes.Replace(b, []byte(from), []byte(to), 1), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if code, out, errb := cli("", "apply", dir, "--auto-approve"); code != exitOK {
			t.Fatalf("first apply: exit %d\n%s\n%s", code, out, errb)
		}
		// A rebuild keeps events__old; then a column is dropped.
		edit(`ENGINE_SORTING_KEY "timestamp, session_id"`, `ENGINE_SORTING_KEY "session_id, timestamp"`)
		if code, out, errb := cli("", "apply", dir, "--auto-approve"); code != exitOK {
			t.Fatalf("rebuild: exit %d\n%s\n%s", code, out, errb)
		}
		// A row only the backup holds: dropping it destroys data.
		db.Exec(t, "INSERT INTO events__old (event_id, timestamp, session_id, event_type, pathname, duration_ms, revenue) SELECT 1, now(), 's', 'pageview', '/', 1, 0.")
		edit("    `referrer` String `json:$.referrer` DEFAULT '',\n", "")
		tables := func() string {
			return db.QueryString(t, "SELECT arrayStringConcat(groupArray(name), ',') FROM (SELECT name FROM system.tables WHERE database = currentDatabase() AND startsWith(name, 'events') ORDER BY name)")
		}
		hasReferrer := func() bool {
			return db.QueryString(t, "SELECT toString(count()) FROM system.columns WHERE database = currentDatabase() AND table = 'events' AND name = 'referrer'") == "1"
		}

		code, out, errb := cli("yes\nevents__old\n", "apply", dir)
		if code != exitError || !strings.Contains(out, "Type events to confirm") || !strings.Contains(out, "events was not confirmed") {
			t.Fatalf("one name missing: exit %d\n%s\n%s", code, out, errb)
		}
		if tables() != "events,events__old" || !hasReferrer() {
			t.Fatalf("a cancelled apply changed the workspace: tables %s, referrer %v", tables(), hasReferrer())
		}

		code, out, errb = cli("yes\nevents__old\nevents\n", "apply", dir)
		if code != exitOK {
			t.Fatalf("every name confirmed: exit %d\n%s\n%s", code, out, errb)
		}
		if tables() != "events" || hasReferrer() {
			t.Errorf("after the confirmed apply: tables %s, referrer %v", tables(), hasReferrer())
		}
	})
}
