package live

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

func TestChangedFiles(t *testing.T) {
	prev := &workspace.Deployment{Files: []workspace.DeployedFile{{Path: "a.datasource", Text: "A"}, {Path: "b.pipe", Text: "B"}, {Path: "gone.pipe", Text: "G"}}}
	cur := &workspace.Deployment{Files: []workspace.DeployedFile{{Path: "a.datasource", Text: "A"}, {Path: "b.pipe", Text: "B2"}, {Path: "new.pipe", Text: "N"}}}
	got := changedFiles(prev, cur)
	want := []tui.FileChange{{Path: "b.pipe", Before: "B", After: "B2"}, {Path: "gone.pipe", Before: "G"}, {Path: "new.pipe", After: "N"}}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if first := changedFiles(nil, cur); len(first) != 3 || first[0].Before != "" {
		t.Errorf("the first deployment adds every file: %+v", first)
	}
}

// TestDeploymentFilesAgainstServer: two deployments in the log (a minute
// apart: the log orders by the second); the later one's files are compared
// with the earlier one's, the first one's are all new.
func TestDeploymentFilesAgainstServer(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		ctx := context.Background()
		b := New(t.TempDir(), workspace.Selection{DSN: db.DSN}, func(string) string { return "" })
		defer b.Close()
		c, err := b.conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ds := func(key string) string { return strings.Replace(eventsDS, "%s", key, 1) }
		t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
		first := &workspace.Deployment{Time: t0, Outcome: workspace.OutcomeSuccess, Files: []workspace.DeployedFile{
			{Path: "datasources/events.datasource", Text: ds("timestamp")}, {Path: "endpoints/top.pipe", Text: topPipe}}}
		second := &workspace.Deployment{Time: t0.Add(time.Minute), Outcome: workspace.OutcomeSuccess, Files: []workspace.DeployedFile{
			{Path: "datasources/events.datasource", Text: ds("page, timestamp")}, {Path: "endpoints/top.pipe", Text: topPipe}}}
		for _, d := range []*workspace.Deployment{first, second} {
			if err := c.Record(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		fs, err := b.DeploymentFiles(ctx, first.ID)
		if err != nil || len(fs) != 2 || fs[0].Before != "" || fs[1].Before != "" {
			t.Fatalf("first deployment's files: %+v %v", fs, err)
		}
		fs, err = b.DeploymentFiles(ctx, second.ID)
		if err != nil || len(fs) != 1 || fs[0].Path != "datasources/events.datasource" ||
			!strings.Contains(fs[0].Before, `"timestamp"`) || !strings.Contains(fs[0].After, `"page, timestamp"`) {
			t.Fatalf("second deployment's files: %+v %v", fs, err)
		}
		if _, err := b.DeploymentFiles(ctx, "nope"); err == nil {
			t.Fatal("an unknown deployment has files")
		}
	})
}
