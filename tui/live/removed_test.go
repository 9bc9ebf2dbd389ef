package live

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

// TestLocallyDeletedEndpoint: the remote graph shows a deployed endpoint;
// deleted from the project, it shows in the Explorer's statuses as deleted
// locally, as the plan deletes it.
func TestLocallyDeletedEndpoint(t *testing.T) {
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
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range pl.Changes {
			ids = append(ids, c.ID)
		}
		events := make(chan tui.ApplyEvent, 256)
		if _, err := b.Apply(ctx, pl, tui.ApplyRequest{Staged: ids}, events); err != nil {
			t.Fatal(err)
		}
		// The remote graph shows the deployed endpoint, which has no live object.
		if _, err := b.Remote(ctx, nil); err != nil {
			t.Fatal(err)
		}
		d, err := b.Lineage(ctx, tui.LineageRequest{Remote: true, Width: 120})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, n := range d.Scene.Graph().Nodes {
			names = append(names, n.Name)
		}
		if !strings.Contains(" "+strings.Join(names, " ")+" ", " top ") {
			t.Errorf("remote graph nodes %v lack the deployed endpoint top", names)
		}

		if err := os.Remove(filepath.Join(dir, "endpoints", "top.pipe")); err != nil {
			t.Fatal(err)
		}
		local, err := b.Local(ctx)
		if err != nil {
			t.Fatal(err)
		}
		remote, err := b.Remote(ctx, local)
		if err != nil {
			t.Fatal(err)
		}
		if s := remote.Resources["top"].Status; s != tui.StatusRemoved {
			t.Errorf("top deleted locally: status %q, want %q", s, tui.StatusRemoved)
		}
		if pl, err = b.Plan(ctx); err != nil || len(pl.Changes) != 1 || pl.Changes[0].Action.Marker() != "-" || pl.Changes[0].Resource != "top" {
			t.Errorf("plan after deleting top: %+v %v, want - top", pl, err)
		}
	})
}
