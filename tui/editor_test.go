package tui

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// TestExternalEditorWatchesTheFile: `e` runs $EDITOR on the node's file and
// a save (even while the editor is open) comes back as a reload.
func TestExternalEditorWatchesTheFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pipes", "top_pages.pipe")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(topPagesText), 0o644); err != nil {
		t.Fatal(err)
	}
	m := newTestModel(t, &fakeBackend{}, Options{Editor: "true"})
	m.local.Root = dir
	press(t, m, "3")
	m.preview.picker.Select("top_pages.top_pages_node")
	press(t, m, "enter")
	cmd := m.update(keyMsg("e"))
	if cmd == nil || m.preview.watcher == nil {
		t.Fatalf("e did not start the editor and the watcher (err %v)", m.preview.err)
	}
	defer m.Close()
	batch, ok := cmd().(tea.BatchMsg)
	if !ok {
		t.Fatal("e should batch the watcher and the editor")
	}
	got := make(chan tea.Msg, len(batch))
	for _, c := range batch {
		go func() { got <- c() }()
	}
	time.Sleep(100 * time.Millisecond)
	if err := os.WriteFile(file, []byte(topPagesText+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(5 * time.Second)
	for {
		select {
		case msg := <-got:
			if fc, ok := msg.(fileChangedMsg); ok {
				if fc.path != file {
					t.Fatalf("change of %s, want %s", fc.path, file)
				}
				if m.update(fc) == nil {
					t.Fatal("a saved file did not reload the project")
				}
				return
			}
		case <-deadline:
			t.Fatal("saving the file was not noticed")
		}
	}
}
