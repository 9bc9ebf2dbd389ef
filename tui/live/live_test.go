package live

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/workspace"
)

func corpus(t *testing.T) string {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "web-analytics-starter-kit", "tinybird")
	return dir
}

func TestLocalAndLineageOnCorpus(t *testing.T) {
	b := New(corpus(t), workspace.Selection{}, func(string) string { return "" })
	l, err := b.Local(context.Background())
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
	d, err := b.Lineage(context.Background(), tui.LineageRequest{Width: 160, Height: 40})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Nodes) < 10 || len(d.Lines) == 0 {
		t.Fatalf("drawing: %d nodes, %d lines", len(d.Nodes), len(d.Lines))
	}
	for _, n := range d.Nodes {
		line := []rune(d.Lines[n.Row])
		if n.Col+n.Width > len(line) {
			t.Errorf("label of %s out of its line", n.Name)
		}
	}
}

func TestRemoteUnavailableIsAnError(t *testing.T) {
	b := New(corpus(t), workspace.Selection{DSN: "clickhouse://127.0.0.1:1/db"}, func(string) string { return "" })
	if _, err := b.Remote(context.Background(), nil); err == nil {
		t.Fatal("connecting to a closed port succeeded")
	}
}
