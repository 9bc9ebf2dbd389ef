package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// targetingBackend is the fake backend with targets to switch between.
type targetingBackend struct {
	*fakeBackend
	mu       sync.Mutex
	targets  []string
	current  string
	switched []string
}

func (b *targetingBackend) Targets(context.Context) ([]string, error) { return b.targets, nil }

func (b *targetingBackend) SwitchTarget(_ context.Context, name string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if name == "broken" {
		return errors.New("switch to target broken: password_env BROKEN_PW is not set")
	}
	b.current = name
	b.switched = append(b.switched, name)
	return nil
}

func (b *targetingBackend) Remote(ctx context.Context, l *Local) (*Remote, error) {
	r, err := b.fakeBackend.Remote(ctx, l)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.current != "" {
		r.Target, r.Database = b.current, "analytics_"+b.current
	}
	return r, nil
}

func newTargeting(t *testing.T) (*targetingBackend, *Model) {
	t.Helper()
	b := &targetingBackend{fakeBackend: &fakeBackend{}, targets: []string{"broken", "production", "staging", "local"}}
	return b, newTestModel(t, b, Options{})
}

// runPalette opens the palette, types query and runs the first match.
func runPalette(t *testing.T, m *Model, query string) {
	t.Helper()
	press(t, m, ":")
	for _, r := range query {
		press(t, m, string(r))
	}
	press(t, m, "enter")
}

// TestSwitchTargetFromThePalette (issue 17 item 3): the palette's "switch
// target" lists the project's targets, the current one marked; the chosen
// one is switched to and the remote reloaded from it (the header names it),
// the plan and history dropped; a target that does not resolve says why
// and changes nothing; a backend without targets says so.
func TestSwitchTargetFromThePalette(t *testing.T) {
	b, m := newTargeting(t)
	press(t, m, "4", "1") // a plan of the first target, then the Explorer
	if m.plan.plan == nil {
		t.Fatal("no plan")
	}
	press(t, m, ":", "s", "w", "i", "t", "c", "h", " ", "t")
	if e := m.pal.entries[m.pal.shown[0]]; !strings.HasPrefix(e.text, "switch target") || e.where != "any view" {
		t.Fatalf("first match for 'switch t': %+v", e)
	}
	press(t, m, "enter")
	if m.pal == nil {
		t.Fatalf("switch target opened no choice:\n%s", plain(m.Render()))
	}
	var offered []string
	for _, e := range m.pal.entries {
		offered = append(offered, e.text+" ("+e.where+")")
	}
	if got := strings.Join(offered, ", "); got != "broken (perch.toml), production (perch.toml), staging (perch.toml), local (the project-local server · current)" {
		t.Fatalf("offered %s", got)
	}
	remotes := b.remotes
	m.pal.query = "staging"
	m.pal.filter()
	press(t, m, "enter")
	header := m.renderHeader(100)
	if fmt.Sprint(b.switched) != "[staging]" || b.remotes != remotes+1 || !strings.Contains(header, "staging/analytics_staging") {
		t.Fatalf("after choosing staging: switched %v, %d snapshot(s), header %s", b.switched, b.remotes-remotes, header)
	}
	if m.plan.plan != nil {
		t.Error("the plan of the old target is kept")
	}

	// the current target is marked in the next choice; a broken one is refused
	runPalette(t, m, "switch t")
	for _, e := range m.pal.entries {
		if (e.text == "staging") != strings.HasSuffix(e.where, "· current") {
			t.Errorf("%s: %s", e.text, e.where)
		}
	}
	m.pal.query = "broken"
	m.pal.filter()
	press(t, m, "enter")
	if !strings.Contains(m.notice, "password_env BROKEN_PW is not set") || !strings.Contains(m.renderHeader(100), "staging/analytics_staging") {
		t.Fatalf("a broken target: notice %q, header %s", m.notice, m.renderHeader(100))
	}

	plain := newTestModel(t, &fakeBackend{}, Options{})
	runPalette(t, plain, "switch t")
	if plain.pal != nil || !strings.Contains(plain.notice, "no other target") {
		t.Errorf("a backend without targets: palette %v, notice %q", plain.pal != nil, plain.notice)
	}
}

// TestSwitchTargetDropsTheComparison: the branches of the old target's
// workspace are not the new one's: comparing stops.
func TestSwitchTargetDropsTheComparison(t *testing.T) {
	b, m := newTargeting(t)
	pickNode()(t, m)
	m.preview.cmp = compareState{against: "by_page"}
	runPalette(t, m, "switch t")
	m.pal.query = "production"
	m.pal.filter()
	press(t, m, "enter")
	if m.preview.comparing() || b.current != "production" {
		t.Errorf("after switching: comparing %v, on %s", m.preview.comparing(), b.current)
	}
}

// TestGoldenTargetChoice: the choice of the target at both sizes.
func TestGoldenTargetChoice(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		name := fmt.Sprintf("palette_targets_%dx%d.golden", size[0], size[1])
		t.Run(name, func(t *testing.T) {
			_, m := newTargeting(t)
			m.update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			runPalette(t, m, "switch t")
			golden(t, name, plain(m.Render()))
		})
	}
}
