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

func corpus() string {
	return filepath.Join("..", "..", "..", "shared", "corpus", "web-analytics-starter-kit", "tinybird")
}

func TestLocalAndLineageOnCorpus(t *testing.T) {
	b := New(corpus(), workspace.Selection{}, func(string) string { return "" })
	if _, err := b.Local(context.Background()); err != nil {
		t.Fatal(err)
	}
	l, err := b.Diagnose(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ev := l.Resource("analytics_events")
	if ev == nil || ev.Kind != "datasource" || !strings.Contains(ev.Text, "SCHEMA") {
		t.Fatalf("analytics_events: %+v", ev)
	}
	var withParams int
	for _, r := range l.Resources {
		for _, ps := range r.Params {
			withParams += len(ps)
		}
	}
	if withParams == 0 {
		t.Error("no node parameters found in the corpus endpoints")
	}
	d, err := b.Lineage(context.Background(), tui.LineageRequest{Width: 160})
	if err != nil {
		t.Fatal(err)
	}
	g := d.Scene.Graph()
	if len(g.Nodes) < 10 {
		t.Fatalf("drawing: %d nodes", len(g.Nodes))
	}
	for _, n := range g.Nodes {
		r, ok := d.Scene.Rect(n.Name)
		if !ok {
			t.Errorf("%s is not drawn", n.Name)
			continue
		}
		if at, ok := d.Scene.NodeAt(r.X, r.Y); !ok || at != n.Name {
			t.Errorf("the scene hit-tests %s's corner as %q", n.Name, at)
		}
	}
}

func TestRemoteUnavailableIsAnError(t *testing.T) {
	b := New(corpus(), workspace.Selection{DSN: "clickhouse://127.0.0.1:1/db"}, func(string) string { return "" })
	if _, err := b.Remote(context.Background(), nil); err == nil {
		t.Fatal("connecting to a closed port succeeded")
	}
}

const eventsDS = "SCHEMA >\n    `timestamp` DateTime,\n    `page` String,\n    `country` String\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"%s\"\n"

const topPipe = "NODE top\nSQL >\n    %\n    SELECT page, count() AS hits\n    FROM events\n    WHERE country = {{ String(country, 'ES') }}\n    GROUP BY page\n    ORDER BY page\n\nTYPE endpoint\n"

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBackendAgainstServer runs the UI's whole journey through the real
// packages: statuses, plan, apply with events, preview with a parameter,
// a change of sorting key, history and a revert plan.
func TestBackendAgainstServer(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		ctx := context.Background()
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "datasources", "events.datasource"), strings.Replace(eventsDS, "%s", "timestamp", 1))
		writeFile(t, filepath.Join(dir, "endpoints", "top.pipe"), topPipe)
		b := New(dir, workspace.Selection{DSN: db.DSN}, func(k string) string {
			if k == "USER" {
				return "tester"
			}
			return ""
		})
		defer b.Close()

		local, err := b.Local(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if local, err = b.Diagnose(ctx); err != nil {
			t.Fatal(err)
		}
		if ps := local.Resource("top").Params["top"]; len(ps) != 1 || ps[0].Name != "country" || ps[0].Default != "ES" {
			t.Fatalf("params of top: %+v", ps)
		}
		remote, err := b.Remote(ctx, local)
		if err != nil {
			t.Fatal(err)
		}
		if len(remote.Resources) != 0 || remote.ServerVersion == "" {
			t.Fatalf("empty database: %+v", remote)
		}

		pl, err := b.Plan(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(pl.Changes) == 0 || pl.Changes[0].Resource != "events" || pl.Changes[0].Action.Marker() != "+" {
			t.Fatalf("first plan: %+v", pl.Changes)
		}
		var ids []string
		for _, c := range pl.Changes {
			ids = append(ids, c.ID)
		}
		events := make(chan tui.ApplyEvent, 256)
		res, err := b.Apply(ctx, pl, tui.ApplyRequest{Staged: ids}, events)
		if err != nil {
			t.Fatalf("apply: %v", err)
		}
		var got []tui.ApplyEvent
		for ev := range events {
			got = append(got, ev)
		}
		if res.DeploymentID == "" || len(got) == 0 {
			t.Fatalf("apply result %+v, %d events", res, len(got))
		}

		if err := db.Conn.Exec(ctx, "INSERT INTO events SELECT toDateTime('2026-01-01 00:00:00') + number, if(number % 2 = 0, '/a', '/b'), if(number % 3 = 0, 'FR', 'ES') FROM system.numbers LIMIT 30"); err != nil {
			t.Fatal(err)
		}
		pr, err := b.Preview(ctx, tui.PreviewRequest{Pipe: "top", Node: "top", Params: map[string]string{"country": "FR"}})
		if err != nil {
			t.Fatalf("preview: %v", err)
		}
		if len(pr.Columns) != 2 || pr.Columns[1].Type != "UInt64" || len(pr.Rows) != 2 || pr.Rows[0][1] != "5" {
			t.Fatalf("preview result: %+v", pr)
		}
		if _, err := b.Preview(ctx, tui.PreviewRequest{Pipe: "top", Node: "top", SQL: "SELECT page FROM events WHERE {{ broken("}); err == nil {
			t.Fatal("a template error did not fail the preview")
		}
		edited, err := b.Preview(ctx, tui.PreviewRequest{Pipe: "top", Node: "top", SQL: "SELECT count() AS n FROM events"})
		if err != nil || len(edited.Rows) != 1 || edited.Rows[0][0] != "30" {
			t.Fatalf("edited preview: %+v %v", edited, err)
		}

		remote, err = b.Remote(ctx, local)
		if err != nil {
			t.Fatal(err)
		}
		if s := remote.Resources["events"].Status; s != tui.StatusInSync {
			t.Fatalf("events after apply: %s\n%s", s, remote.Resources["events"].Text)
		}
		if remote.DeploymentID != res.DeploymentID {
			t.Fatalf("deployment id %q, want %q", remote.DeploymentID, res.DeploymentID)
		}

		writeFile(t, filepath.Join(dir, "datasources", "events.datasource"), strings.Replace(eventsDS, "%s", "page, timestamp", 1))
		if local, err = b.Local(ctx); err != nil {
			t.Fatal(err)
		}
		remote, err = b.Remote(ctx, local)
		if err != nil {
			t.Fatal(err)
		}
		if s := remote.Resources["events"].Status; s != tui.StatusChanged {
			t.Fatalf("events after editing the sorting key: %s", s)
		}
		pl, err = b.Plan(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(pl.Changes) != 1 || pl.Changes[0].Method != "rebuild and swap" || len(pl.Changes[0].Steps) == 0 {
			t.Fatalf("sorting key plan: %+v", pl.Changes)
		}

		hist, err := b.History(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 1 || hist[0].Author != "tester" || !strings.Contains(strings.Join(hist[0].Changes, "\n"), "+ events") {
			t.Fatalf("history: %+v", hist)
		}
		rp, err := b.RevertPlan(ctx, hist[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if rp.Title != "revert to "+hist[0].ID || len(rp.Changes) != 0 {
			t.Fatalf("revert to the deployed state should change nothing: %+v", rp)
		}
	})
}
