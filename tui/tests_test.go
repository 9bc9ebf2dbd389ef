package tui

import (
	"strings"
	"testing"
)

// TestPreviewRunsThePipesTests: t in the Preview runs the tests of the
// pipe on screen and shows the result inline (failures with their diff);
// the Plan and History views then show that run in their titles.
func TestPreviewRunsThePipesTests(t *testing.T) {
	b := &fakeBackend{}
	m := newTestModel(t, b, Options{})
	if strings.Contains(plain(m.Render()), "last tests") {
		t.Fatal("a test run shown before any ran")
	}
	pickNode()(t, m)
	press(t, m, "t")
	if len(b.tested) != 1 || b.tested[0] != "top_pages" {
		t.Fatalf("tests run: %v", b.tested)
	}
	screen := flat(m.Render())
	for _, want := range []string{
		"tests of top_pages: 1 passed, 1 failed in 812ms on a throwaway embedded engine",
		"ok top_pages.all",
		"FAIL top_pages.spain",
		`+ {"page":"/","n":3}`,
		"n: expected 2, got 3",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("the Preview does not show %q:\n%s", want, screen)
		}
	}
	for _, key := range []string{"4", "5"} {
		press(t, m, key)
		if title := plain(m.Render()); !strings.Contains(title, "last tests: 1 passed, 1 failed, 2h2m0s ago") {
			t.Errorf("view %s does not show the last run:\n%s", key, title)
		}
	}
}

// TestPreviewTestsError shows why the tests could not run, and the last
// recorded run is read at start.
func TestPreviewTestsError(t *testing.T) {
	b := &fakeBackend{lastTest: &TestRun{Time: fakeTestTime, Passed: 15}}
	m := newTestModel(t, b, Options{})
	press(t, m, "5")
	if !strings.Contains(plain(m.Render()), "last tests: 15 passed, 0 failed") {
		t.Errorf("the recorded run is not shown:\n%s", plain(m.Render()))
	}
	press(t, m, "3")
	m.preview.picker.Select("daily.daily_node")
	press(t, m, "enter", "t")
	if screen := flat(m.Render()); !strings.Contains(screen, "tests: no test named daily") {
		t.Errorf("the error is not shown:\n%s", plain(m.Render()))
	}
}
