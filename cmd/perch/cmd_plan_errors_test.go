package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlanJSONWithProjectErrors: `perch plan --json` on a project with
// errors prints the plan document, with the errors, on stdout (exit 1) and
// never needs the server to say so.
func TestPlanJSONWithProjectErrors(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"datasources/events.datasource": "SCHEMA >\n    `timestamp` DateTime\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"timestamp\"\n",
		"endpoints/top.pipe":            "NODE top\nSQL >\n    SELECT 1\n\nTYPE endpoint\nNOT_A_DIRECTIVE x\n",
	} {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e, out, errb := testEnv()
	// Nothing listens on port 1: the errors are reported without connecting.
	code := run(context.Background(), e, []string{"plan", dir, "--json", "--dsn", "clickhouse://127.0.0.1:1/analytics"})
	if code != exitError {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errb)
	}
	if !strings.Contains(errb.String(), "the project has 1 errors") {
		t.Errorf("stderr does not name the errors:\n%s", errb)
	}
	workspaceGolden(t, "plan_json_project_errors.golden", []byte(strings.ReplaceAll(out.String(), dir, "DIR")))
}
