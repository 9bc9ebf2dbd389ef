package tui

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// watched wraps the model in a program and closes each step's channel once
// its condition holds after an update, in order: the test waits for state,
// not for time.
type watched struct {
	*Model
	steps []step
	next  int
}

type step struct {
	cond func(*Model) bool
	ok   chan struct{}
}

func (w *watched) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := w.Model.Update(msg)
	if w.next < len(w.steps) && w.steps[w.next].cond(w.Model) {
		close(w.steps[w.next].ok)
		w.next++
	}
	return w, cmd
}

// TestWholeProgram runs the model in a real Bubble Tea program with scripted
// input: it starts, loads through the backend, switches view and quits.
func TestWholeProgram(t *testing.T) {
	r, in := io.Pipe()
	var out bytes.Buffer
	m := New(context.Background(), &fakeBackend{}, Options{Target: "local"})
	loaded := step{func(m *Model) bool { return m.local != nil && m.remote != nil }, make(chan struct{})}
	planned := step{func(m *Model) bool { return m.plan.plan != nil }, make(chan struct{})}
	w := &watched{Model: m, steps: []step{loaded, planned}}
	p := tea.NewProgram(w, tea.WithInput(r), tea.WithOutput(&out), tea.WithWindowSize(80, 24),
		tea.WithoutSignals(), tea.WithEnvironment([]string{"TERM=xterm-256color"}))
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	deadline := time.After(10 * time.Second)
	wait := func(what string, ch <-chan struct{}) {
		t.Helper()
		select {
		case <-ch:
		case <-deadline:
			p.Kill()
			t.Fatalf("the program never got to %s", what)
		}
	}
	wait("load the project and the remote", loaded.ok)
	io.WriteString(in, "4")
	wait("compute the plan", planned.ok)
	io.WriteString(in, "q")
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-deadline:
		p.Kill()
		t.Fatal("program did not quit on q")
	}
	if m.view != ViewPlan || len(m.plan.plan.Changes) != 3 {
		t.Fatalf("after 4: view %s plan %+v", m.view, m.plan.plan)
	}
	if !strings.Contains(out.String(), "rebuild and swap") {
		t.Errorf("the plan never reached the terminal output")
	}
}
