package tui

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

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
	got := make(chan any, 4)
	go func() {
		for {
			msg := pw.next()()
			if msg == nil {
				return // closed
			}
			got <- msg
		}
	}()
	wait := func() any {
		select {
		case msg := <-got:
			return msg
		case <-time.After(300 * time.Millisecond):
			return nil
		}
	}

	tests := []struct {
		name   string
		write  string
		change bool
	}{
		{"datafile in a watched folder", filepath.Join(sub, "events.datasource"), true},
		{"not a datafile", filepath.Join(sub, "notes.txt"), false},
		{"pipe in a new folder", filepath.Join(root, "pipes", "top.pipe"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.MkdirAll(filepath.Dir(tt.write), 0o755); err != nil {
				t.Fatal(err)
			}
			time.Sleep(30 * time.Millisecond) // let a new folder be added to the watch
			if err := os.WriteFile(tt.write, []byte("SCHEMA >\n    a UInt8\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			msg := wait()
			if _, ok := msg.(projectChangedMsg); ok != tt.change {
				t.Fatalf("write %s: got %T, want change=%v", tt.write, msg, tt.change)
			}
		})
	}
}
