package tui

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/perchdata/perch/tui/theme"
)

var update = flag.Bool("update", false, "rewrite golden files")

var fixedNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// newTestModel returns a model over the fake backend with a pinned clock,
// initialised (local and remote loaded).
func newTestModel(t testing.TB, b Backend, opt Options) *Model {
	t.Helper()
	if opt.Now == nil {
		now := fixedNow
		opt.Now = func() time.Time { return now }
	}
	if opt.Theme == nil {
		opt.Theme = theme.Dark()
	}
	if opt.Tick == nil {
		opt.Tick = neverTick
	}
	opt.Target = "local"
	m := New(context.Background(), b, opt)
	m.update(tea.WindowSizeMsg{Width: 80, Height: 24})
	drain(t, m, m.Init())
	return m
}

// timerSet is what a test timer returns at once: timers never fire on their
// own in tests; a test delivers their message itself when it wants to.
type timerSet struct{}

func neverTick(time.Duration, func(time.Time) tea.Msg) tea.Cmd {
	return func() tea.Msg { return timerSet{} }
}

// drain runs cmd and feeds its messages back into the model until nothing
// is left, in order. Every command a test drains must return (timers are
// neverTick, there is no file watcher): one that blocks fails the test
// instead of being skipped.
func drain(t testing.TB, m *Model, cmd tea.Cmd) (program []tea.Msg) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 1000 {
			t.Fatal("drain: too many steps")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := runCmd(t, c)
		switch msg := msg.(type) {
		case nil, timerSet:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg:
		default:
			if cmds, ok := sequence(msg); ok {
				queue = append(cmds, queue...) // in order, before what was queued
				continue
			}
			if isProgramMsg(msg) {
				program = append(program, msg) // for the Bubble Tea program (exec, clipboard)
				continue
			}
			queue = append(queue, m.update(msg))
		}
	}
	return program
}

// runCmd runs a command, failing the test if it blocks: a deadline that
// only a hung command reaches, not a timing assumption.
func runCmd(t testing.TB, c tea.Cmd) tea.Msg {
	t.Helper()
	ch := make(chan tea.Msg, 1)
	go func() { ch <- c() }()
	select {
	case msg := <-ch:
		return msg
	case <-time.After(30 * time.Second):
		t.Fatal("drain: a command blocked (a watcher or a channel nobody writes?)")
		return nil
	}
}

// sequence opens a tea.Sequence (its message type is unexported).
func sequence(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if fmt.Sprintf("%T", msg) != "tea.sequenceMsg" || v.Kind() != reflect.Slice {
		return nil, false
	}
	cmds := make([]tea.Cmd, v.Len())
	for i := range cmds {
		cmds[i], _ = v.Index(i).Interface().(tea.Cmd)
	}
	return cmds, true
}

// isProgramMsg reports messages only the Bubble Tea program acts on.
func isProgramMsg(msg tea.Msg) bool {
	switch fmt.Sprintf("%T", msg) {
	case "tea.execMsg", "tea.setClipboardMsg":
		return true
	}
	return false
}

// press sends keys (by their String names) and drains the resulting commands.
func press(t testing.TB, m *Model, names ...string) {
	t.Helper()
	for _, n := range names {
		drain(t, m, m.update(keyMsg(n)))
	}
}

func keyMsg(name string) tea.KeyPressMsg {
	switch name {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "ctrl+s":
		return tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	case "ctrl+d":
		return tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "f5":
		return tea.KeyPressMsg{Code: tea.KeyF5}
	case "delete":
		return tea.KeyPressMsg{Code: tea.KeyDelete}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+r":
		return tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl}
	case "alt+left":
		return tea.KeyPressMsg{Code: tea.KeyLeft, Mod: tea.ModAlt}
	case "alt+b":
		return tea.KeyPressMsg{Code: 'b', Mod: tea.ModAlt}
	}
	r := []rune(name)
	return tea.KeyPressMsg{Code: r[0], Text: name}
}

// golden compares got with testdata/name, rewriting it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from golden (run go test ./tui -update to accept):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func plain(s string) string { return ansi.Strip(s) }

// flat is the frame's text with its lines joined and runs of spaces and
// box lines squeezed: for finding text that wraps.
func flat(s string) string {
	s = strings.NewReplacer("│", " ", "║", " ").Replace(plain(s))
	return strings.Join(strings.Fields(s), " ")
}

func lastLine(s string) string {
	lines := strings.Split(s, "\n")
	return lines[len(lines)-1]
}

func splitFrame(s string) []string { return strings.Split(s, "\n") }

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// indexOf is the screen column (in cells) where sub starts in line.
func indexOf(line, sub string) int {
	i := strings.Index(line, sub)
	if i < 0 {
		return -1
	}
	return ansi.StringWidth(line[:i])
}
