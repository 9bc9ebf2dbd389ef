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

// TestE2ETUI drives the real binary in tmux against a private ClickHouse:
// it opens a project, waits for the remote statuses, opens lineage and the
// other views. Run it with `make e2e` (PERCH_E2E=1).
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
	db := srv.NewDatabase(t)
	for _, q := range []string{
		"CREATE TABLE events (timestamp DateTime, page String) ENGINE = MergeTree ORDER BY timestamp",
		"CREATE TABLE legacy (x UInt8) ENGINE = MergeTree ORDER BY x",
	} {
		if err := db.Conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	dir := t.TempDir()
	project := filepath.Join(dir, "proj")
	write(t, filepath.Join(project, "datasources", "events.datasource"),
		"SCHEMA >\n    `timestamp` DateTime,\n    `page` String\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"page, timestamp\"\n")
	write(t, filepath.Join(project, "endpoints", "top_pages.pipe"),
		"NODE top\nSQL >\n    %\n    SELECT page, count() AS hits FROM events\n    WHERE page != {{ String(skip, '/') }}\n    GROUP BY page\n\nTYPE endpoint\n")

	bin := filepath.Join(dir, "perch")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	session := "perch-e2e-" + filepath.Base(dir)
	cmd := bin + " " + project + " --dsn " + db.DSN
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
		deadline := time.Now().Add(15 * time.Second)
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
	}

	// open the project and see statuses against the remote
	waitFor("statuses", "● connected", "events", "top_pages", "unmanaged (1)", "? legacy", "new (1)")
	// the changed sorting key shows side by side
	keys("/", "events", "Enter")
	waitFor("side by side", "remote ·", "local · datasources/events.datasource", "page, timestamp")
	keys("Escape")
	time.Sleep(300 * time.Millisecond) // so the next key is not read as alt+key
	// lineage
	keys("2")
	waitFor("lineage", "Lineage · local", "events", "top_pages")
	keys("Right")
	keys("f")
	waitFor("focus", "focus")
	// the other views open and say what they can do
	keys("3")
	waitFor("preview", "Nodes", "top_pages.top")
	keys("4")
	waitFor("plan", "Plan")
	keys("5")
	waitFor("history", "History")
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
