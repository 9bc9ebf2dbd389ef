package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace/clickhousetest"
)

// copyDir copies a project folder (datafiles only) into a temp folder.
func copyDir(t testing.TB, from string) string {
	t.Helper()
	to := t.TempDir()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".go") {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(to, rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return to
}

var deploymentRE = regexp.MustCompile(`deployment (\S+)\)`)

// TestPlanApplyDiffRevert drives the four commands against a real server:
// plan shows pending changes (exit 2), apply refuses without a terminal or
// --auto-approve, applies with it, plans clean, a saved plan of a sorting
// key change applies as reviewed, and revert goes back to the first deploy.
func TestPlanApplyDiffRevert(t *testing.T) {
	srv := demoServer(t)
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		dir := copyDir(t, filepath.Join("..", "..", "examples", "analytics"))
		ctx := context.Background()
		runCmd := func(args ...string) (int, string, string) {
			e, out, errb := testEnv()
			code := run(ctx, e, append(args, "--dsn", db.DSN))
			return code, out.String(), errb.String()
		}
		if code, out, errb := runCmd("plan", dir, "--detailed-exitcode"); code != exitChanges || !strings.Contains(out, "+   datasource events  [create]") {
			t.Fatalf("plan: exit %d\n%s\n%s", code, out, errb)
		}
		if code, _, errb := runCmd("apply", dir); code != exitError || !strings.Contains(errb, "--auto-approve") {
			t.Fatalf("apply without a terminal: exit %d, %s", code, errb)
		}
		code, out, errb := runCmd("apply", dir, "--auto-approve")
		if code != exitOK {
			t.Fatalf("apply: exit %d\n%s\n%s", code, out, errb)
		}
		m := deploymentRE.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no deployment id in:\n%s", out)
		}
		first := m[1]
		if code, out, _ := runCmd("plan", dir, "--detailed-exitcode"); code != exitOK || !strings.Contains(out, "No changes.") {
			t.Fatalf("plan after apply: exit %d\n%s", code, out)
		}
		db.Exec(t, "INSERT INTO events (event_id, timestamp, session_id, event_type, pathname) SELECT number, now() - number, toString(number % 50), 'page_view', '/' FROM numbers(5000)")

		// A sorting key change: diff, saved plan as JSON, apply --plan.
		path := filepath.Join(dir, "datasources", "events.datasource")
		b, _ := os.ReadFile(path)
		changed := strings.Replace(string(b), `ENGINE_SORTING_KEY "timestamp, session_id"`, `ENGINE_SORTING_KEY "session_id, timestamp"`, 1)
		if changed == string(b) {
			t.Fatal("the example's sorting key moved; update the test")
		}
		os.WriteFile(path, []byte(changed), 0o644)
		if code, out, _ := runCmd("diff", dir); code != exitOK || !strings.Contains(out, `+ENGINE_SORTING_KEY "session_id, timestamp"`) {
			t.Fatalf("diff: exit %d\n%s", code, out)
		}
		planFile := filepath.Join(t.TempDir(), "plan.json")
		code, out, _ = runCmd("plan", dir, "--json", "--out", planFile)
		var doc struct {
			Fingerprint string `json:"fingerprint"`
			Changes     []struct {
				Resource, Method string
			} `json:"changes"`
		}
		if code != exitOK || json.Unmarshal([]byte(out), &doc) != nil || len(doc.Changes) != 1 || doc.Changes[0].Method != "rebuild and swap" || doc.Fingerprint == "" {
			t.Fatalf("plan --json: exit %d\n%s", code, out)
		}
		// the summary has the totals of the rebuild's copy (not a terminal: no line in place)
		if code, out, errb := runCmd("apply", "--plan", planFile, "--auto-approve"); code != exitOK || !strings.Contains(out, "all copied") ||
			!strings.Contains(out, "Rows: 5,000 rows read in ") || strings.Contains(out, "\r") {
			t.Fatalf("apply --plan: exit %d\n%s\n%s", code, out, errb)
		}
		if got := db.QueryString(t, "SELECT toString(count()) FROM events"); got != "5000" {
			t.Errorf("events after the rebuild: %s rows", got)
		}
		// The saved plan is stale now.
		if code, _, errb := runCmd("apply", "--plan", planFile, "--auto-approve"); code != exitError || !strings.Contains(errb, "changed since the plan") {
			t.Fatalf("stale plan: exit %d %s", code, errb)
		}
		// Revert to the first deployment: the sorting key goes back, rows stay.
		if code, out, errb := runCmd("revert", dir, first, "--auto-approve"); code != exitOK {
			t.Fatalf("revert: exit %d\n%s\n%s", code, out, errb)
		}
		if got := db.QueryString(t, "SELECT sorting_key FROM system.tables WHERE database = currentDatabase() AND name = 'events'"); got != "timestamp, session_id" {
			t.Errorf("sorting key after revert: %s", got)
		}
		if got := db.QueryString(t, "SELECT toString(count()) FROM events"); got != "5000" {
			t.Errorf("events after revert: %s rows", got)
		}
	})
}
