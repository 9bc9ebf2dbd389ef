package app

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestQueryHistory: queries are kept per node across instances (sessions),
// a repeat of the last is not added, only the last MaxQueries stay, and
// .perch/ is git-ignored.
func TestQueryHistory(t *testing.T) {
	root := t.TempDir()
	at := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	h := NewQueryHistory(root)
	for _, q := range []struct{ target, sql string }{
		{"top_pages.n", "SELECT 1"}, {"top_pages.n", "SELECT 1"}, {"top_pages.n", "SELECT 2"}, {"events", "SELECT * FROM events"},
	} {
		if err := h.Add(q.target, q.sql, at); err != nil {
			t.Fatal(err)
		}
	}
	again := NewQueryHistory(root) // a later session
	qs, err := again.List("top_pages.n")
	if err != nil || len(qs) != 2 || qs[0].SQL != "SELECT 1" || qs[1].SQL != "SELECT 2" || !qs[0].Time.Equal(at) {
		t.Fatalf("history: %+v %v", qs, err)
	}
	if qs, _ := again.List("nothing"); len(qs) != 0 {
		t.Fatalf("unknown target: %+v", qs)
	}
	for i := range MaxQueries + 5 {
		if err := h.Add("events", fmt.Sprint("SELECT ", i), at); err != nil {
			t.Fatal(err)
		}
	}
	if qs, _ := h.List("events"); len(qs) != MaxQueries || qs[len(qs)-1].SQL != fmt.Sprint("SELECT ", MaxQueries+4) {
		t.Fatalf("cap: %d queries, last %q", len(qs), qs[len(qs)-1].SQL)
	}
	if _, err := os.Stat(filepath.Join(root, ".perch", ".gitignore")); err != nil {
		t.Errorf(".perch/ not ignored: %v", err)
	}
	if err := os.WriteFile(filepath.Join(root, QueryHistoryFile), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := h.List("events"); err == nil {
		t.Error("a broken file reads without error")
	}
}
