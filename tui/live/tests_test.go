package live

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/engine"
)

// TestRunTestsInTheOpenEngine runs the example's top_pages tests from the
// TUI's backend on an embedded target: they run in a scratch database of
// that engine (the process runs it already), and become the last run.
func TestRunTestsInTheOpenEngine(t *testing.T) {
	db := srv.NewDatabaseOn(t, engine.KindEmbedded)
	dir := t.TempDir()
	src := filepath.Join("..", "..", "examples", "analytics")
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	b := New(dir, workspace.Selection{DSN: db.DSN}, func(string) string { return "" })
	defer b.Close()
	run, err := b.RunTests(context.Background(), "top_pages")
	if err != nil {
		t.Fatal(err)
	}
	if run.Passed != 5 || run.Failed != 0 || run.Pipe != "top_pages" || !strings.HasPrefix(run.Where, "scratch database perch_test_") {
		t.Fatalf("run = %+v", run)
	}
	last, err := b.LastTestRun(context.Background())
	if err != nil || last == nil || last.Passed != 5 || len(last.Results) != 5 {
		t.Fatalf("last run = %+v, %v", last, err)
	}
	if _, err := b.RunTests(context.Background(), "live_activity_typo"); err == nil || !strings.Contains(err.Error(), "no test named live_activity_typo") {
		t.Errorf("a pipe without tests: %v", err)
	}
}
