package tui

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestProjectWatcherReportsDatafileEdits: edits to datafiles are reported
// (with their paths), other files are not, and a datafile in a folder
// created meanwhile is found whether it was written before or after the
// folder's watch was added. No sleeps: each case waits for the report
// naming its file, with a deadline only a lost event reaches.
func TestProjectWatcherReportsDatafileEdits(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "datasources")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	pw, err := newProjectWatcher(root)
	if err != nil {
		t.Fatal(err)
	}
	defer pw.Close()
	pw.settle = 20 * time.Millisecond

	// One reader calls next() again and again, as the model does.
	got := make(chan projectChangedMsg, 16)
	go func() {
		for {
			msg := pw.next()()
			if msg == nil {
				return // closed
			}
			got <- msg.(projectChangedMsg)
		}
	}()
	var seen []string
	waitFor := func(path string) {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for {
			select {
			case msg := <-got:
				seen = append(seen, msg.paths...)
				if slices.Contains(msg.paths, path) {
					return
				}
			case <-deadline:
				t.Fatalf("no report of %s (reported: %v)", path, seen)
			}
		}
	}
	write := func(path string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("SCHEMA >\n    a UInt8\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	ds := filepath.Join(sub, "events.datasource")
	write(ds)
	waitFor(ds)

	notes := filepath.Join(sub, "notes.txt")
	write(notes)
	after := filepath.Join(sub, "after_notes.datasource")
	write(after)
	waitFor(after)

	pipe := filepath.Join(root, "pipes", "top.pipe") // the folder and the file at once
	write(pipe)
	waitFor(pipe)

	if slices.Contains(seen, notes) {
		t.Errorf("a file that is not a datafile was reported: %v", seen)
	}
}
