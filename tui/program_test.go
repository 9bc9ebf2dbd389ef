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

// TestWholeProgram runs the model in a real Bubble Tea program with scripted
// input: it starts, loads through the backend, switches view and quits.
func TestWholeProgram(t *testing.T) {
	r, w := io.Pipe()
	var out bytes.Buffer
	m := New(context.Background(), &fakeBackend{}, Options{Target: "local"})
	p := tea.NewProgram(m, tea.WithInput(r), tea.WithOutput(&out), tea.WithWindowSize(80, 24),
		tea.WithoutSignals(), tea.WithEnvironment([]string{"TERM=xterm-256color"}))
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	go func() {
		time.Sleep(300 * time.Millisecond) // let the loads answer
		io.WriteString(w, "4")
		time.Sleep(300 * time.Millisecond)
		io.WriteString(w, "q")
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		p.Kill()
		t.Fatal("program did not quit on q")
	}
	if m.view != ViewPlan || m.plan.plan == nil || len(m.plan.plan.Changes) != 3 {
		t.Fatalf("after 4: view %s plan %+v", m.view, m.plan.plan)
	}
	if !strings.Contains(out.String(), "rebuild and swap") {
		t.Errorf("the plan never reached the terminal output")
	}
}
