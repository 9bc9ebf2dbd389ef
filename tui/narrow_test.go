package tui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// realIDs is a remote and a history as a real project has them: long
// deployment ids, a long author, a dirty commit.
type realIDs struct{ fakeBackend }

func (b *realIDs) Remote(ctx context.Context, l *Local) (*Remote, error) {
	r, err := b.fakeBackend.Remote(ctx, l)
	if err == nil {
		r.DeploymentID = "20261125T114612Z-3fa9c1"
	}
	return r, err
}

func (b *realIDs) History(ctx context.Context) ([]Deployment, error) {
	t := time.Date(2026, 11, 25, 11, 46, 12, 0, time.UTC)
	return []Deployment{
		{ID: "20261125T114612Z-3fa9c1", Author: "margarita.fernandez", Commit: "9f1c2ab77d3e-dirty", Outcome: "success", Message: "perch TUI: apply", Time: t},
		{ID: "20261124T090000Z-0b2c3d", Author: "bo", Commit: "77aa001", Outcome: "failed", Message: "perch TUI: revert to 20261120T101010Z-aaaaaa", Time: t.Add(-26 * time.Hour)},
	}, nil
}

func (b *realIDs) DeploymentFiles(ctx context.Context, id string) ([]FileChange, error) {
	return b.fakeBackend.DeploymentFiles(ctx, "d2")
}

// TestNarrowScreenKeepsWhatMatters (issue 19 item 16): at 80x24 the header
// keeps the whole deployment id, the streaming counter stays beside the
// (shorter) tabs, the offline banner wraps between words.
func TestNarrowScreenKeepsWhatMatters(t *testing.T) {
	m := newTestModel(t, &realIDs{}, Options{Activity: func() string { return "● streaming 123456 events into events" }})
	out := plain(m.Render())
	lines := splitFrame(out)
	if !strings.Contains(lines[0], "deploy 20261125T114612Z-3fa9c1") || !strings.Contains(lines[0], "● connected") {
		t.Errorf("header: %q", lines[0])
	}
	if !strings.Contains(lines[1], "● streaming 123456 events into events") || !strings.Contains(lines[1], "1 Explorer") {
		t.Errorf("tabs row: %q", lines[1])
	}
	m.update(tea.MouseClickMsg{X: indexOf(lines[1], "4 Pla"), Y: 1, Button: tea.MouseLeft})
	if m.view != ViewPlan {
		t.Errorf("a click on the short tab went to %s", m.view)
	}

	off := newTestModel(t, &fakeBackend{remoteErr: errors.New("dial tcp 127.0.0.1:9000: connect: connection refused (is the server running? start it with perch local start)")}, Options{})
	banner := off.layout().banner
	text := off.bannerText()
	for _, w := range strings.Fields(text) {
		found := false
		for _, l := range banner {
			for _, lw := range strings.Fields(l) {
				found = found || lw == w
			}
		}
		if !found {
			t.Errorf("banner word %q cut or lost:\n%s", w, strings.Join(banner, "\n"))
		}
	}
}

// TestHistoryColumnsAtEightyColumns (item 16): the message keeps its room,
// a long author ends with an ellipsis, -dirty shows, and the detail stays
// open as the selection moves, with what the deployment changed in files.
func TestHistoryColumnsAtEightyColumns(t *testing.T) {
	m := newTestModel(t, &realIDs{}, Options{})
	press(t, m, "5")
	out := plain(m.Render())
	for _, want := range []string{"perch TUI: apply", "margarita…", "9f1c2ab-dirty", "perch TUI: revert to", "…-3fa9c1"} {
		if !strings.Contains(out, want) {
			t.Errorf("history lacks %q:\n%s", want, out)
		}
	}
	press(t, m, "enter", "down")
	out = plain(m.Render())
	if !m.history.show || !strings.Contains(out, "deployment 20261124T090000Z-0b2c3d · failed") {
		t.Fatalf("the detail closed or did not follow the selection:\n%s", out)
	}
	if !strings.Contains(out, "what it changed in the files") {
		t.Errorf("no file diff:\n%s", out)
	}
}
