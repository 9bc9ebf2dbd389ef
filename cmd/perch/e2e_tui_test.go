package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace/clickhousetest"
)

// TestE2ETUI drives the real binary in tmux against a private ClickHouse as a
// person would: open a project, see statuses, open lineage, stage and apply
// a plan, see it in history, run a preview with a parameter. Run it with
// `make e2e` (PERCH_E2E=1).
func TestE2ETUI(t *testing.T) {
	if os.Getenv("PERCH_E2E") != "1" {
		t.Skip("set PERCH_E2E=1 (make e2e) to run the end-to-end test")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is required for the end-to-end test")
	}
	ctx := context.Background()
	srv, err := clickhousetest.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() }) // after the database cleanup (LIFO)
	// The 18.16 server only: the TUI runs in a perch process of its own, and
	// the embedded engine's folder is held by this test process.
	db := srv.NewDatabase(t)
	if err := db.Conn.Exec(ctx, "CREATE TABLE legacy (x UInt8) ENGINE = MergeTree ORDER BY x"); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	project := filepath.Join(dir, "proj")
	write(t, filepath.Join(project, "datasources", "events.datasource"),
		"SCHEMA >\n    `timestamp` DateTime,\n    `page` String,\n    `country` String\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"page, timestamp\"\n")
	write(t, filepath.Join(project, "endpoints", "top_pages.pipe"),
		"NODE top\nSQL >\n    %\n    SELECT page, count() AS hits FROM events\n    WHERE country = {{ String(country, 'ES') }}\n    GROUP BY page\n    ORDER BY page\n\nTYPE endpoint\n")

	bin := filepath.Join(dir, "perch")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	session := "perch-e2e-" + filepath.Base(dir)
	cmd := "USER=e2e " + bin + " " + project + " --dsn " + db.DSN
	if out, err := exec.Command("tmux", "new-session", "-d", "-s", session, "-x", "140", "-y", "40", cmd).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	defer exec.Command("tmux", "kill-session", "-t", session).Run()

	screen := func() string {
		out, _ := exec.Command("tmux", "capture-pane", "-p", "-t", session).Output()
		return string(out)
	}
	waitFor := func(what string, want ...string) string {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			s := screen()
			ok := true
			for _, w := range want {
				ok = ok && strings.Contains(s, w)
			}
			if ok {
				return s
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %q not on screen:\n%s", what, want, s)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	keys := func(k ...string) {
		if out, err := exec.Command("tmux", append([]string{"send-keys", "-t", session}, k...)...).CombinedOutput(); err != nil {
			t.Fatalf("send-keys: %v\n%s", err, out)
		}
		time.Sleep(150 * time.Millisecond) // a lone Escape followed by a key would read as alt+key
	}

	// open the project and see statuses against the remote
	waitFor("statuses", "● connected", "new (2)", "+ events", "+ top_pages", "unmanaged (1)", "? legacy")
	// side by side: the unmanaged table's remote definition
	keys("/", "legacy", "Enter")
	waitFor("side by side", "remote · unmanaged", "not in the project")
	keys("Escape")

	// lineage
	keys("2")
	waitFor("lineage", "Lineage · local", "events", "top_pages")
	keys("Right")
	waitFor("lineage navigation", "selected top_pages")
	keys("f")
	waitFor("focus", "focus top_pages")
	keys("Escape")

	// plan: stage everything but the drop of legacy, apply after the dialog
	keys("4")
	waitFor("plan", "create", "events", "legacy", "destroys data")
	keys("G", "Space")
	waitFor("unstage", "[ ] -   legacy") // markers are padded to the width of -/+
	keys("a")
	waitFor("dialog", "Apply 2 staged changes?")
	time.Sleep(600 * time.Millisecond) // the grace period
	keys("y")
	waitFor("applied", "✓ applied · deployment")

	// history shows the deployment
	keys("5")
	waitFor("history", "History · 1 deployment", "e2e", "success")
	keys("Enter")
	waitFor("history detail", "+ events: create")

	// statuses after the apply
	keys("1")
	waitFor("in sync", "in sync (2)", "✓ events", "✓ top_pages")

	// preview with a parameter
	if err := db.Conn.Exec(ctx, "INSERT INTO events SELECT toDateTime('2026-01-01 00:00:00') + number, if(number % 2 = 0, '/a', '/b'), if(number % 3 = 0, 'FR', 'ES') FROM system.numbers LIMIT 30"); err != nil {
		t.Fatal(err)
	}
	keys("3")
	waitFor("picker", "Nodes", "top_pages", "  top")
	keys("Enter")
	waitFor("preview run", "Preview · top_pages.top", "run 1: 2 rows", "UInt64", "/a")
	keys("Tab", "BSpace", "BSpace", "F", "R")
	waitFor("preview with country=FR", "country:String=FR", "run 2: 2 rows", "read 30 rows")

	keys("Escape") // leave the parameter form, where q is text

	// the command palette runs an action by name: the chart of the rows
	// (one number by a text column: horizontal bars)
	keys(":")
	waitFor("palette", "Run an action", "type to narrow")
	keys("c", "h", "a", "r", "t")
	waitFor("palette narrowed", "chart the rows: table, line chart, bars")
	keys("Enter")
	waitFor("chart", "· bars · v table", "■ hits", "█")
	keys("v", "v")
	waitFor("table again", "rows of run 2 ·", "UInt64")

	// export the rows: the file holds them
	keys("E")
	waitFor("export dialog", "Export 2 rows of top_pages.top", "exports/top.csv")
	time.Sleep(600 * time.Millisecond) // the grace period
	keys("Enter")
	exported := filepath.Join(project, "exports", "top.csv")
	waitFor("exported", "exported 2 rows to "+exported)
	if b, err := os.ReadFile(exported); err != nil || !strings.HasPrefix(string(b), "page,hits\n/a,") {
		t.Fatalf("export: %q %v", b, err)
	}

	// the finder jumps to a resource in the view on screen
	keys("1", "C-p", "e", "v", "e", "n", "t", "s", "Enter")
	waitFor("finder", "local · datasources/events.datasource")

	keys("q")
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if err := exec.Command("tmux", "has-session", "-t", session).Run(); err != nil {
			return // quit
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("q did not quit")
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
