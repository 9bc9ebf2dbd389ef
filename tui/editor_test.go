package tui

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// writeProject puts the fake backend's pipe on disk and returns its path.
func writeProject(t *testing.T) (dir, file string) {
	t.Helper()
	dir = t.TempDir()
	file = filepath.Join(dir, "pipes", "top_pages.pipe")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(topPagesText), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, file
}

// awaitEvent runs the watcher's command, which returns on the next change
// on disk (or fails the test when none comes: a deadline for an event, not
// a timing assumption).
func awaitEvent(t *testing.T, cmd tea.Cmd) tea.Msg {
	t.Helper()
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	select {
	case msg := <-ch:
		return msg
	case <-time.After(10 * time.Second):
		t.Fatal("the save was not noticed")
		return nil
	}
}

// TestOneSaveIsOneReload: `e` edits in $EDITOR under the one project
// watcher (it starts it when off, and never adds a second); a save reloads
// the project and snapshots the remote once, and the editor exiting after
// it reloads nothing more. Before, the preview had its own watcher and the
// editor's exit reloaded again: two reloads and two snapshots per save.
func TestOneSaveIsOneReload(t *testing.T) {
	dir, file := writeProject(t)
	b := &fakeBackend{root: dir}
	m := newTestModel(t, b, Options{Editor: "true"})
	defer m.Close()
	press(t, m, "3")
	m.preview.picker.Select("top_pages.top_pages_node")
	press(t, m, "enter")

	cmd := m.update(keyMsg("e"))
	seq, ok := sequence(cmd())
	if !ok || len(seq) != 2 {
		t.Fatal("e should start the watcher, then the editor")
	}
	msg := seq[0]()
	if _, ok := msg.(watchMsg); !ok {
		t.Fatalf("e starts with %T, want the watcher", msg)
	}
	next := m.update(msg)
	if !isProgramMsg(seq[1]()) {
		t.Fatal("then e runs the editor")
	}
	if m.watcher == nil || next == nil {
		t.Fatal("e did not start the project watcher")
	}
	w := m.watcher
	if m.update(watchMsg{}) != nil || m.watcher != w {
		t.Fatal("a second watcher was started")
	}

	loads, remotes := b.loads, b.remotes
	if err := os.WriteFile(file, []byte(topPagesText+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	msg = awaitEvent(t, next)
	if _, ok := msg.(projectChangedMsg); !ok {
		t.Fatalf("the watcher sent %T", msg)
	}
	// the reload, without re-arming the watcher (that would block the drain)
	drain(t, m, m.loadLocal())
	drain(t, m, m.update(editorDoneMsg{}))
	if b.loads != loads+1 || b.remotes != remotes+1 {
		t.Fatalf("one save: %d reload(s), %d snapshot(s); want 1 and 1", b.loads-loads, b.remotes-remotes)
	}
}
