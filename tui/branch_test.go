package tui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/perchdata/perch/tui/theme"
)

// branchingBackend is the fake backend with branches to switch between.
type branchingBackend struct {
	*fakeBackend
	mu       sync.Mutex
	branches []string
	current  string
}

func (b *branchingBackend) Branches(context.Context) ([]string, error) { return b.branches, nil }

func (b *branchingBackend) SwitchBranch(_ context.Context, name string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.current = name
	return nil
}

func (b *branchingBackend) Remote(ctx context.Context, l *Local) (*Remote, error) {
	r, err := b.fakeBackend.Remote(ctx, l)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.current != "" && b.current != MainBranch {
		r.Branch, r.Database = b.current, r.Database+"__br_"+b.current
	}
	return r, nil
}

// TestBranchKeySwitchesTarget: b cycles the workspace and its branches; the
// header names the branch; a backend without branches ignores the key.
func TestBranchKeySwitchesTarget(t *testing.T) {
	b := &branchingBackend{fakeBackend: &fakeBackend{}, branches: []string{"by_page", "by_time"}}
	m := New(context.Background(), b, Options{Theme: theme.Dark(), Tick: neverTick, Now: func() time.Time { return fixedNow }, Target: "local"})
	m.update(tea.WindowSizeMsg{Width: 100, Height: 24})
	drain(t, m, m.Init())
	header := func() string { return m.renderHeader(100) }
	if strings.Contains(header(), "branch") {
		t.Fatalf("header before switching: %s", header())
	}
	for _, want := range []string{"perch__br_by_page (branch by_page)", "perch__br_by_time (branch by_time)"} {
		press(t, m, "b")
		if !strings.Contains(header(), want) {
			t.Errorf("header %q, want %q", header(), want)
		}
	}
	press(t, m, "b")
	if b.current != MainBranch || strings.Contains(header(), "branch") {
		t.Errorf("after a full cycle: on %q, header %q", b.current, header())
	}

	plain := newTestModel(t, &fakeBackend{}, Options{})
	before := plain.renderHeader(100)
	press(t, plain, "b")
	if plain.renderHeader(100) != before {
		t.Errorf("b changed the header of a backend without branches")
	}
}

func TestNextName(t *testing.T) {
	names := []string{"main", "a", "b"}
	for cur, want := range map[string]string{"main": "a", "a": "b", "b": "main", "gone": "main"} {
		if got := nextName(names, cur); got != want {
			t.Errorf("after %s: %s, want %s", cur, got, want)
		}
	}
}
