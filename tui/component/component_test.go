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
	out := ansi.Strip(SideBySide(th, Align(l.Lines, r.Lines), l, r, 60, 4, 0, 0))
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
	if v := c.Confirm(t0.Add(10 * time.Millisecond)); v != Pending {
		t.Fatalf("confirm inside grace period = %v, want Pending", v)
	}
	if v := c.Confirm(t0.Add(GracePeriod)); v != Confirmed {
		t.Fatalf("confirm after grace = %v", v)
	}
}

// TestConfirmAsksEveryName: a dialog with several names asks for each in
// turn; confirming the first does not confirm the dialog.
func TestConfirmAsksEveryName(t *testing.T) {
	t0 := time.Unix(100, 0)
	later := t0.Add(time.Second)
	d := &Confirm{Title: "Drop?", Require: []string{"events", "old_stats"}, Why: []string{"drop column x", "drop table"}, Opened: t0}
	if v := d.Confirm(later); v != Pending || d.NeedsName() == false {
		t.Fatal("destructive dialog confirmed without the name")
	}
	d.Type("event")
	d.Type("sx")
	d.Delete()
	if d.Typed != "events" {
		t.Fatalf("typed %q", d.Typed)
	}
	if v := d.Confirm(later); v != Pending || !d.NeedsName() || len(d.Approved()) != 1 {
		t.Fatalf("after the first name: %v, approved %v", v, d.Approved())
	}
	out := ansi.Strip(d.Render(theme.Dark(), later, 80, 24))
	if !strings.Contains(out, "✓ events") || !strings.Contains(out, "2 of 2: type old_stats") {
		t.Errorf("second name not asked:\n%s", out)
	}
	// an enter in flight right after the first name does nothing
	d.Type("old_stats")
	if v := d.Confirm(later.Add(time.Millisecond)); v != Pending {
		t.Fatal("a second enter within the grace period confirmed")
	}
	if v := d.Confirm(later.Add(time.Second)); v != Confirmed {
		t.Fatal("both names typed but not confirmed")
	}
	if got := d.Approved(); len(got) != 2 || got[1] != "old_stats" {
		t.Fatalf("approved %v", got)
	}
}

// TestConfirmWrapsLongLines: nothing in the dialog is cut.
func TestConfirmWrapsLongLines(t *testing.T) {
	d := &Confirm{Title: "Apply 1 staged change(s)?", Body: []string{"-/+ sales_daily_mv — recreate the view with a watermark backfill (rewrites data)"}}
	out := ansi.Strip(d.Render(theme.Dark(), time.Unix(0, 0), 60, 24))
	flat := strings.Join(strings.Fields(strings.ReplaceAll(out, "║", " ")), " ")
	if !strings.Contains(flat, "(rewrites data)") {
		t.Fatalf("body cut:\n%s", out)
	}
	for _, l := range strings.Split(out, "\n") {
		if w := ansi.StringWidth(l); w > 60 {
			t.Fatalf("line %d wide: %q", w, l)
		}
	}
}

func TestViewportScrollsAndWraps(t *testing.T) {
	var v Viewport
	v.Reset([]string{"one two three four five six", "b", "c", "d", "e"})
	out := v.Render(10, 3)
	if got := strings.Split(ansi.Strip(out), "\n")[0]; strings.TrimSpace(got) != "one two" {
		t.Fatalf("first row %q", got)
	}
	if v.Rows() != 7 {
		t.Fatalf("wrapped rows %d, want 7", v.Rows())
	}
	v.Bottom()
	v.Render(10, 3)
	if v.Offset() != 4 {
		t.Fatalf("bottom offset %d", v.Offset())
	}
	v.Scroll(-10)
	if v.Offset() != 0 {
		t.Fatalf("scroll past the top: %d", v.Offset())
	}
	v.Page(1)
	if v.Offset() != 2 {
		t.Fatalf("page down: %d", v.Offset())
	}
	// following: stays at the end as lines arrive, until scrolled away
	f := Viewport{Follow: true}
	f.Reset([]string{"1", "2", "3"})
	f.Render(5, 2)
	f.SetLines([]string{"1", "2", "3", "4"})
	if got := ansi.Strip(f.Render(5, 2)); !strings.Contains(got, "4") {
		t.Fatalf("follow lost the end: %q", got)
	}
	f.Top()
	f.SetLines([]string{"1", "2", "3", "4", "5"})
	if got := ansi.Strip(f.Render(5, 2)); !strings.HasPrefix(got, "1") {
		t.Fatalf("scrolled away but jumped: %q", got)
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
	out := ansi.Strip(Unified(th, Align(l.Lines, r.Lines), l, r, 40, 6, 0, 0))
	want := []string{" remote  →  local", "- SELECT a", "+ SELECT a, b", "  FROM t", "+ LIMIT 1"}
	lines := strings.Split(out, "\n")
	for i, w := range want {
		if strings.TrimRight(lines[i], " ") != w {
			t.Errorf("line %d: %q, want %q", i, lines[i], w)
		}
	}
	missing := ansi.Strip(Unified(th, nil, DiffSide{Title: "remote", Missing: "not on the server"}, r, 40, 6, 0, 0))
	if !strings.Contains(missing, "not on the server") || !strings.Contains(missing, "+ LIMIT 1") {
		t.Errorf("one-sided unified:\n%s", missing)
	}
}

// TestTableWidthsStayWhileScrolling: a column is as wide as its widest
// value anywhere, not only on screen, so scrolling does not move columns.
func TestTableWidthsStayWhileScrolling(t *testing.T) {
	tb := &Table{}
	rows := [][]string{{"a", "x"}, {"a", "x"}, {"a", "x"}, {"a-much-longer-value", "x"}}
	tb.SetData([]Column{{"k", "String"}, {"v", "String"}}, rows)
	top := strings.Split(ansi.Strip(tb.Render(theme.Dark(), 60, 4)), "\n")[2]
	tb.Bottom()
	bottom := strings.Split(ansi.Strip(tb.Render(theme.Dark(), 60, 4)), "\n")[3]
	if strings.Index(top, "x") != strings.Index(bottom, "x") {
		t.Fatalf("column moved while scrolling:\n%q\n%q", top, bottom)
	}
	if r, _ := tb.Offset(); r != 2 {
		t.Fatalf("Bottom scrolled to %d", r)
	}
}

func TestListCountsFollowTheFilter(t *testing.T) {
	l := sampleList()
	l.CountHeaders = true
	l.SetFilter("e")
	if shown, total := l.Count(); shown != 2 || total != 3 {
		t.Fatalf("count %d of %d", shown, total)
	}
	out := ansi.Strip(l.Render(theme.Dark(), 30, 5, true))
	if !strings.Contains(out, "changed (1)") || !strings.Contains(out, "new (1)") {
		t.Fatalf("header counts ignore the filter:\n%s", out)
	}
}

// TestSideBySideSplitStaysAndScrollsSideways: the split is at the middle
// whether or not a side exists, and x scrolls the text, not the gutter.
func TestSideBySideSplitStaysAndScrollsSideways(t *testing.T) {
	th := theme.Dark()
	both := DiffSide{Title: "remote", Lines: []string{"ENGINE_SORTING_KEY \"timestamp\""}}
	local := DiffSide{Title: "local", Lines: []string{"ENGINE_SORTING_KEY \"page, timestamp\""}}
	missing := DiffSide{Title: "remote", Missing: "not on the server"}
	split := func(out string) int { return strings.Index(strings.Split(ansi.Strip(out), "\n")[0], "│") }
	a := SideBySide(th, Align(both.Lines, local.Lines), both, local, 80, 3, 0, 0)
	b := SideBySide(th, nil, missing, local, 80, 3, 0, 0)
	if split(a) != split(b) || split(a) < 0 {
		t.Fatalf("split moved: %d vs %d", split(a), split(b))
	}
	shifted := ansi.Strip(SideBySide(th, Align(both.Lines, local.Lines), both, local, 80, 3, 0, 19))
	row := strings.Split(shifted, "\n")[1]
	if !strings.Contains(row, "~   1 \"timestamp\"") || !strings.Contains(row, "\"page, timestamp\"") {
		t.Fatalf("x=19 should start at the value: %q", row)
	}
	if got := FirstChange([]Pair{{0, 0, Same}, {1, 1, Same}, {2, 2, Changed}}); got != 2 {
		t.Fatalf("FirstChange = %d", got)
	}
}

func TestHunksKeepContextAroundChanges(t *testing.T) {
	a := []string{"1", "2", "3", "4", "5", "6", "7", "8"}
	b := []string{"1", "2", "3", "four", "5", "6", "7", "8", "9"}
	got := ansi.Strip(strings.Join(Hunks(theme.Dark(), DiffSide{Lines: a}, DiffSide{Lines: b}, 1), "\n"))
	want := "  3\n- 4\n+ four\n  5\n  ⋯\n  8\n+ 9"
	if got != want {
		t.Fatalf("hunks:\n%s\nwant:\n%s", got, want)
	}
}
