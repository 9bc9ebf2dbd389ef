package component

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/perchdata/perch/tui/theme"
)

func sampleList() *List {
	l := &List{}
	l.SetRows([]Row{
		{Text: "changed", Header: true},
		{ID: "events", Text: "events"},
		{ID: "hits", Text: "hits"},
		{Text: "new", Header: true},
		{ID: "top_pages", Text: "top_pages"},
	})
	return l
}

func TestListSkipsHeadersAndFilters(t *testing.T) {
	tests := []struct {
		name   string
		do     func(l *List)
		want   string
		length int
	}{
		{"starts on first item", func(l *List) {}, "events", 5},
		{"down crosses header", func(l *List) { l.Move(2) }, "top_pages", 5},
		{"up stops at first item", func(l *List) { l.Move(-5) }, "events", 5},
		{"bottom", func(l *List) { l.Bottom() }, "top_pages", 5},
		{"filter keeps header", func(l *List) { l.SetFilter("top") }, "top_pages", 2},
		{"filter case-insensitive", func(l *List) { l.SetFilter("HIT") }, "hits", 2},
		{"filter then clear keeps selection", func(l *List) { l.SetFilter("hit"); l.SetFilter("") }, "hits", 5},
		{"no match", func(l *List) { l.SetFilter("zzz") }, "", 0},
		{"click on header ignored", func(l *List) { l.Render(theme.Dark(), 20, 5, true); l.ClickAt(3) }, "events", 5},
		{"click on row", func(l *List) { l.Render(theme.Dark(), 20, 5, true); l.ClickAt(4) }, "top_pages", 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := sampleList()
			tc.do(l)
			if got := l.SelectedID(); got != tc.want {
				t.Errorf("selected %q, want %q", got, tc.want)
			}
			if l.Len() != tc.length {
				t.Errorf("len %d, want %d", l.Len(), tc.length)
			}
		})
	}
}

func TestListRendersOnlyVisibleRows(t *testing.T) {
	l := &List{}
	var rows []Row
	for i := 0; i < 1000; i++ {
		rows = append(rows, Row{ID: string(rune('a' + i%26)), Text: strings.Repeat("x", i%7+1)})
	}
	l.SetRows(rows)
	out := l.Render(theme.Dark(), 10, 4, false)
	if n := strings.Count(out, "\n") + 1; n != 4 {
		t.Fatalf("rendered %d lines, want 4", n)
	}
}

func TestAlign(t *testing.T) {
	tests := []struct {
		name string
		a, b []string
		want []Mark
	}{
		{"same", []string{"a", "b"}, []string{"a", "b"}, []Mark{Same, Same}},
		{"changed line", []string{"a", "b", "c"}, []string{"a", "x", "c"}, []Mark{Same, Changed, Same}},
		{"added", []string{"a"}, []string{"a", "b"}, []Mark{Same, Added}},
		{"removed", []string{"a", "b"}, []string{"b"}, []Mark{Removed, Same}},
		{"trailing space ignored", []string{"a "}, []string{"a"}, []Mark{Same}},
		{"both empty", nil, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Align(tc.a, tc.b)
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v, want marks %v", got, tc.want)
			}
			for i, p := range got {
				if p.Mark != tc.want[i] {
					t.Errorf("row %d: mark %v, want %v (%+v)", i, p.Mark, tc.want[i], got)
				}
			}
		})
	}
}

func TestSideBySideMarks(t *testing.T) {
	th := theme.Dark()
	l := DiffSide{Title: "remote", Lines: []string{"SELECT a", "FROM t"}}
	r := DiffSide{Title: "local", Lines: []string{"SELECT a, b", "FROM t"}, Notes: map[int]string{1: "boom"}}
	out := ansi.Strip(SideBySide(th, Align(l.Lines, r.Lines), l, r, 60, 4, 0))
	lines := strings.Split(out, "\n")
	if len(lines) != 4 {
		t.Fatalf("got %d lines", len(lines))
	}
	if !strings.HasPrefix(lines[1], "~") || !strings.Contains(lines[1], "SELECT a, b") {
		t.Errorf("changed row not marked: %q", lines[1])
	}
	if !strings.Contains(lines[2], "◀ boom") {
		t.Errorf("diagnostic not shown in place: %q", lines[2])
	}
}

func TestConfirmGraceAndTypedName(t *testing.T) {
	t0 := time.Unix(100, 0)
	c := &Confirm{Title: "Apply?", Opened: t0}
	if v := c.Key("enter", "", t0.Add(10*time.Millisecond)); v != Pending {
		t.Fatalf("enter inside grace period = %v, want Pending", v)
	}
	if v := c.Key("enter", "", t0.Add(GracePeriod)); v != Confirmed {
		t.Fatalf("enter after grace = %v", v)
	}
	d := &Confirm{Title: "Drop?", Require: "events", Opened: t0}
	later := t0.Add(time.Second)
	if v := d.Key("enter", "", later); v != Pending {
		t.Fatal("destructive dialog confirmed without the name")
	}
	for _, r := range "events" {
		d.Key(string(r), string(r), later)
	}
	if v := d.Key("n", "n", later); v != Pending || d.Typed != "eventsn" {
		t.Fatalf("n in typed dialog: %v %q", v, d.Typed)
	}
	d.Key("backspace", "", later)
	if v := d.Key("enter", "", later); v != Confirmed {
		t.Fatalf("typed name then enter = %v (typed %q)", v, d.Typed)
	}
	if v := d.Key("esc", "", later); v != Cancelled {
		t.Fatal("esc does not cancel")
	}
}

func TestTableRendersVisibleWindow(t *testing.T) {
	tb := &Table{}
	var rows [][]string
	for i := 0; i < 10000; i++ {
		rows = append(rows, []string{"r", strings.Repeat("v", i%50)})
	}
	tb.SetData([]Column{{"a", "String"}, {"b", "String"}}, rows)
	out := ansi.Strip(tb.Render(theme.Dark(), 40, 6))
	lines := strings.Split(out, "\n")
	if len(lines) != 6 || !strings.HasPrefix(lines[1], "String") {
		t.Fatalf("unexpected table:\n%s", out)
	}
	tb.ScrollRows(9999)
	if r, _ := tb.Offset(); r != 10000-4 {
		t.Fatalf("scrolled to %d", r)
	}
}

func TestRenderCache(t *testing.T) {
	var c RenderCache
	k := RenderKey{Version: 1, Width: 80, Height: 24, Theme: "dark"}
	calls := 0
	r := func() string { calls++; return "x" }
	c.Get(k, r)
	c.Get(k, r)
	if calls != 1 {
		t.Fatalf("rendered %d times for an unchanged key", calls)
	}
	k.Version++
	c.Get(k, r)
	if calls != 2 {
		t.Fatal("version bump did not re-render")
	}
}

func TestOverlayKeepsWidth(t *testing.T) {
	base := Fit("", 20, 5)
	out := Overlay(base, "[box]", 20, 5)
	for _, l := range strings.Split(out, "\n") {
		if w := len([]rune(ansi.Strip(l))); w != 20 {
			t.Fatalf("line width %d: %q", w, l)
		}
	}
	if !strings.Contains(out, "[box]") {
		t.Fatal("box missing")
	}
}

func TestUnifiedMarksChangedLinesBothWays(t *testing.T) {
	th := theme.Dark()
	l := DiffSide{Title: "remote", Lines: []string{"SELECT a", "FROM t"}}
	r := DiffSide{Title: "local", Lines: []string{"SELECT a, b", "FROM t", "LIMIT 1"}}
	out := ansi.Strip(Unified(th, Align(l.Lines, r.Lines), l, r, 40, 6, 0))
	want := []string{" remote  →  local", "- SELECT a", "+ SELECT a, b", "  FROM t", "+ LIMIT 1"}
	lines := strings.Split(out, "\n")
	for i, w := range want {
		if strings.TrimRight(lines[i], " ") != w {
			t.Errorf("line %d: %q, want %q", i, lines[i], w)
		}
	}
	missing := ansi.Strip(Unified(th, nil, DiffSide{Title: "remote", Missing: "not on the server"}, r, 40, 6, 0))
	if !strings.Contains(missing, "not on the server") || !strings.Contains(missing, "+ LIMIT 1") {
		t.Errorf("one-sided unified:\n%s", missing)
	}
}
