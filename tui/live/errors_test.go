package live

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

// TestProjectWithErrorsIsRefused: as the CLI, the TUI neither plans nor
// applies a project that has errors; the error names each one.
func TestProjectWithErrorsIsRefused(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		ctx := context.Background()
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "datasources", "events.datasource"), strings.Replace(eventsDS, "%s", "timestamp", 1))
		writeFile(t, filepath.Join(dir, "endpoints", "top.pipe"), topPipe)
		b := New(dir, workspace.Selection{DSN: db.DSN}, func(string) string { return "" })
		defer b.Close()
		if _, err := b.Local(ctx); err != nil {
			t.Fatal(err)
		}
		pl, err := b.Plan(ctx)
		if err != nil || len(pl.Changes) == 0 {
			t.Fatalf("plan of the valid project: %+v %v", pl, err)
		}

		// The endpoint breaks after the plan was computed.
		writeFile(t, filepath.Join(dir, "endpoints", "top.pipe"), topPipe+"NOT_A_DIRECTIVE x\n")
		if _, err := b.Local(ctx); err != nil {
			t.Fatal(err)
		}
		want := filepath.Join(dir, "endpoints", "top.pipe") + ":"
		if _, err := b.Plan(ctx); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("plan of a project with errors: err = %v, want one naming %s", err, want)
		}
		var ids []string
		for _, c := range pl.Changes {
			ids = append(ids, c.ID)
		}
		events := make(chan tui.ApplyEvent, 64)
		_, err = b.Apply(ctx, pl, tui.ApplyRequest{Staged: ids}, events)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("apply while the project has errors: err = %v, want one naming %s", err, want)
		}
		if n := db.QueryString(t, "SELECT toString(count()) FROM system.tables WHERE database = currentDatabase() AND name = 'events'"); n != "0" {
			t.Errorf("the refused apply created events")
		}
	})
}
