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

// TestRevertParityWithCLI: the TUI's revert goes through the same checks as
// `perch revert`: a deployment whose files no longer load is refused, and a
// revert records the reverted deployment's commit and files (not the
// current checkout's).
func TestRevertParityWithCLI(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		ctx := context.Background()
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "datasources", "events.datasource"), strings.Replace(eventsDS, "%s", "timestamp", 1))
		b := New(dir, workspace.Selection{DSN: db.DSN}, func(string) string { return "" })
		defer b.Close()
		c, err := b.conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		good := []workspace.DeployedFile{{Path: "datasources/events.datasource", Text: strings.Replace(eventsDS, "%s", "page, timestamp", 1)}}
		if err := c.Record(ctx, &workspace.Deployment{ID: "20260101T000000Z-000001", Author: "ana", GitCommit: "0123abcd", GitBranch: "release",
			Files: good, Outcome: workspace.OutcomeSuccess}); err != nil {
			t.Fatal(err)
		}
		broken := []workspace.DeployedFile{{Path: "datasources/events.datasource", Text: "SCHEMA >\n    `timestamp` DateTime,\n\nENGINE \"NoSuchEngine\n"}}
		if err := c.Record(ctx, &workspace.Deployment{ID: "20260101T000000Z-000002", Author: "bo", Files: broken, Outcome: workspace.OutcomeSuccess}); err != nil {
			t.Fatal(err)
		}

		if _, err := b.RevertPlan(ctx, "20260101T000000Z-000002"); err == nil || !strings.Contains(err.Error(), "no longer load") {
			t.Fatalf("revert to a deployment whose files do not load: err = %v, want a refusal", err)
		}

		rp, err := b.RevertPlan(ctx, "20260101T000000Z-000001")
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, ch := range rp.Changes {
			ids = append(ids, ch.ID)
		}
		events := make(chan tui.ApplyEvent, 256)
		res, err := b.Apply(ctx, rp, tui.ApplyRequest{Staged: ids}, events)
		if err != nil {
			t.Fatalf("apply the revert: %v", err)
		}
		for range events {
		}
		d, err := c.Get(ctx, res.DeploymentID)
		if err != nil {
			t.Fatal(err)
		}
		if d.GitCommit != "0123abcd" || d.GitBranch != "release" {
			t.Errorf("revert recorded commit %q branch %q, want the reverted deployment's 0123abcd (release)", d.GitCommit, d.GitBranch)
		}
		if text, ok := d.File("datasources/events.datasource"); !ok || text != good[0].Text {
			t.Errorf("revert recorded files %+v, want the reverted deployment's", d.Files)
		}
	})
}
