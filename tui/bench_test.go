package tui

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// bigBackend serves a 2,000-resource project; its remote never answers in
// time for the first frame (it is loaded asynchronously).
type bigBackend struct{ fakeBackend }

func (b *bigBackend) Local(ctx context.Context) (*Local, error) {
	l := &Local{Root: "/big", Name: "big"}
	for i := 0; i < 2000; i++ {
		kind := "datasource"
		text := fmt.Sprintf("SCHEMA >\n    `id` UInt64,\n    `v%d` String\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"id\"\n", i)
		if i%2 == 1 {
			kind = "endpoint"
			text = fmt.Sprintf("NODE n\nSQL >\n    SELECT id, count() FROM ds_%d WHERE id > {{ Int32(x, 1) }} GROUP BY id\n\nTYPE endpoint\n", i-1)
		}
		l.Resources = append(l.Resources, Resource{Name: fmt.Sprintf("res_%04d", i), Kind: kind, File: fmt.Sprintf("f%d", i), Text: text,
			Nodes: []string{"n"}, NodeSQL: map[string]string{"n": "SELECT 1"}})
	}
	return l, nil
}

func firstFrame(b Backend) (*Model, string) {
	m := New(context.Background(), b, Options{})
	m.update(tea.WindowSizeMsg{Width: 160, Height: 48})
	req := m.ask(paneLocal)
	l, err := b.Local(context.Background())
	m.update(reply{pane: paneLocal, req: req, msg: localMsg{l, err}})
	return m, m.Render()
}

// BenchmarkFirstFrame2000 is the cost from start to the first full frame of
// a 2,000-resource project (load + list + highlighted definition).
func BenchmarkFirstFrame2000(b *testing.B) {
	bb := &bigBackend{}
	b.ReportAllocs()
	for b.Loop() {
		firstFrame(bb)
	}
}

// BenchmarkKeystrokeToFrame is one navigation key and the frame after it.
func BenchmarkKeystrokeToFrame(b *testing.B) {
	m, _ := firstFrame(&bigBackend{})
	down, up := keyMsg("down"), keyMsg("up")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i%2000 < 1000 {
			m.update(down)
		} else {
			m.update(up)
		}
		i++
		m.Render()
	}
}

// BenchmarkIdleFrame is a frame after a message that changed nothing.
func BenchmarkIdleFrame(b *testing.B) {
	m, _ := firstFrame(&bigBackend{})
	b.ReportAllocs()
	for b.Loop() {
		m.update(retryMsg{attempt: -1})
		m.Render()
	}
}

func TestMemoryOf2000ResourceProject(t *testing.T) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	m, _ := firstFrame(&bigBackend{})
	for i := 0; i < 500; i++ {
		m.update(keyMsg("down"))
		m.Render()
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("live heap after first frame and 500 keystrokes: %.1f MiB", float64(heap)/(1<<20))
	if heap > 150<<20 {
		t.Fatalf("heap %d bytes over 150 MiB", heap)
	}
	runtime.KeepAlive(m)
}

// bigVocabulary is the snapshot of the 2,000-resource project: every
// table with five columns, and 1,500 functions.
func bigVocabulary() *Vocabulary {
	v := &Vocabulary{Tables: map[string][]string{}}
	for i := 0; i < 2000; i++ {
		v.Tables[fmt.Sprintf("res_%04d", i)] = []string{"id", fmt.Sprintf("v%d", i), "country", "created_at", "count_" + fmt.Sprint(i%50)}
	}
	for i := 0; i < 1500; i++ {
		v.Functions = append(v.Functions, fmt.Sprintf("fn%04d", i))
	}
	v.Functions = append(v.Functions, "count", "countIf", "countDistinct", "corr", "cos")
	return v
}

// BenchmarkKeystrokeCompletion2000 is one keystroke in the SQL editor with
// the completion menu open on a 2,000-resource project, and the frame
// after it (a letter typed, then deleted: the menu narrows and widens).
func BenchmarkKeystrokeCompletion2000(b *testing.B) {
	m, _ := firstFrame(&bigBackend{})
	m.switchTo(ViewPreview, false)
	m.preview.Open("res_0001.n")
	m.preview.startEditing()
	m.preview.help.vocab = bigVocabulary()
	m.preview.editor.SetValue("SELECT id, co\nFROM res_0001")
	m.preview.editor.MoveToBegin()
	m.preview.editor.SetCursorColumn(len("SELECT id, co"))
	m.update(keyMsg("u"))
	if m.scope() != "completion" {
		b.Fatalf("the menu is not open: %s (%v)", m.scope(), m.preview.help.menu)
	}
	keys := []tea.KeyPressMsg{keyMsg("n"), keyMsg("backspace")}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.update(keys[i%2])
		i++
		m.Render()
	}
	if m.scope() != "completion" {
		b.Fatalf("the menu closed: %s", m.scope())
	}
}
