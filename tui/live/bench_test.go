package live

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/workspace"
)

// genProject writes a project of n resources: data sources, and endpoints
// reading them with a parameter.
func genProject(tb testing.TB, n int) string {
	tb.Helper()
	dir := tb.TempDir()
	for i := 0; i < n; i++ {
		var path, text string
		if i%2 == 0 {
			path = filepath.Join(dir, "datasources", fmt.Sprintf("ds_%04d.datasource", i))
			text = fmt.Sprintf("DESCRIPTION >\n    table %d\n\nSCHEMA >\n    `id` UInt64,\n    `ts` DateTime,\n    `v` String\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"id, ts\"\n", i)
		} else {
			path = filepath.Join(dir, "endpoints", fmt.Sprintf("ep_%04d.pipe", i))
			text = fmt.Sprintf("NODE n\nSQL >\n    %%\n    SELECT id, count() AS c FROM ds_%04d\n    WHERE id > {{ Int32(min_id, 0) }}\n    GROUP BY id\n\nTYPE endpoint\n", i-1)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// firstFrame starts the UI on dir and returns its first full frame: the
// project loaded from disk, the remote still connecting.
func firstFrame(tb testing.TB, dir string) string {
	b := New(dir, workspace.Selection{DSN: "clickhouse://127.0.0.1:1/x"}, func(string) string { return "" })
	m := tui.New(context.Background(), b, tui.Options{})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	batch, ok := m.Init()().(tea.BatchMsg)
	if !ok || len(batch) == 0 {
		tb.Fatal("Init is not a batch of loads")
	}
	m.Update(batch[0]()) // the local load; the remote one has not answered yet
	return m.Render()
}

// BenchmarkFirstFrameFromDisk2000 measures start to first frame for a
// 2,000-resource project read and validated from disk.
func BenchmarkFirstFrameFromDisk2000(b *testing.B) {
	dir := genProject(b, 2000)
	b.ReportAllocs()
	for b.Loop() {
		firstFrame(b, dir)
	}
}

func TestFirstFrameFromDiskShowsResources(t *testing.T) {
	out := firstFrame(t, genProject(t, 40))
	for _, want := range []string{"Resources (40)", "ds_0000", "connecting"} {
		if !contains(out, want) {
			t.Errorf("first frame lacks %q", want)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// TestMemoryOfFirstFrameFromDisk2000 bounds the live heap of the UI with a
// 2,000-resource project loaded from disk, diagnosed and drawn.
func TestMemoryOfFirstFrameFromDisk2000(t *testing.T) {
	dir := genProject(t, 2000)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b := New(dir, workspace.Selection{DSN: "clickhouse://127.0.0.1:1/x"}, func(string) string { return "" })
	m := tui.New(context.Background(), b, tui.Options{})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	batch := m.Init()().(tea.BatchMsg)
	m.Update(batch[0]())
	m.Render()
	l, err := b.Diagnose(context.Background())
	if err != nil || len(l.Resources) != 2000 {
		t.Fatalf("diagnose: %v", err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("live heap with a 2,000-resource project loaded, diagnosed and drawn: %.1f MiB", float64(heap)/(1<<20))
	if heap > 150<<20 {
		t.Fatalf("heap %d bytes over 150 MiB", heap)
	}
	runtime.KeepAlive(m)
	runtime.KeepAlive(l)
}

// BenchmarkLineage2000 draws the lineage of a 2,000-resource project (what
// switching to the Lineage view asks for).
func BenchmarkLineage2000(b *testing.B) {
	be := New(genProject(b, 2000), workspace.Selection{}, func(string) string { return "" })
	if _, err := be.Local(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := be.Lineage(context.Background(), tui.LineageRequest{Width: 160}); err != nil {
			b.Fatal(err)
		}
	}
}
