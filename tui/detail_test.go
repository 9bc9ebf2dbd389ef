package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// longPlan is one change of eight steps with long SQL, a long note and a
// long error message for the apply.
func longPlan() *Plan {
	c := Change{ID: "sales", Resource: "sales_daily", Kind: "materialization", Action: ActionReplace, Method: "recreate the view with a watermark backfill",
		Reason: "the query changed", Risk: RiskRewrites,
		Notes: []string{"rows inserted while the backfill runs are read by the new view from the watermark on: none is lost or counted twice, but the backfill takes a while on a big table"}}
	for i := 1; i <= 8; i++ {
		c.Steps = append(c.Steps, Step{Title: fmt.Sprintf("step %d of the swap", i),
			SQL: fmt.Sprintf("INSERT INTO sales_daily_mv__new\nSELECT toDate(timestamp) AS day, product_id, sum(amount) AS revenue, count() AS orders\nFROM sales WHERE timestamp < toDateTime(1796164392)\nGROUP BY day, product_id -- part %d", i)})
	}
	return &Plan{Fingerprint: "long", Changes: []Change{c}}
}

// TestPlanDetailScrollsAndWraps (issue 19 item 7): the steps of a change
// scroll (j/k, ctrl+d/u, g/G) so the last ones are reachable, long SQL
// and notes wrap at spaces instead of being cut, and y copies the SQL.
func TestPlanDetailScrollsAndWraps(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 45}} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			m := newTestModel(t, &fakeBackend{plan: longPlan}, Options{})
			m.update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			press(t, m, "4", "enter")
			if strings.Contains(plain(m.Render()), "step 8 of the swap") {
				t.Fatal("the test needs a detail longer than the screen")
			}
			if !strings.Contains(flat(m.Render()), "none is lost or counted twice, but the backfill takes a while on a big table") {
				t.Errorf("the note is cut:\n%s", plain(m.Render()))
			}
			press(t, m, "G")
			out := plain(m.Render())
			if !strings.Contains(out, "8. step 8 of the swap") || !strings.Contains(flat(m.Render()), "GROUP BY day, product_id -- part 8") {
				t.Fatalf("G does not reach the last step:\n%s", out)
			}
			press(t, m, "g")
			if !strings.Contains(plain(m.Render()), "sales_daily (materialization)") {
				t.Fatalf("g does not go back to the top:\n%s", plain(m.Render()))
			}
			off := m.plan.detail.Offset()
			press(t, m, "ctrl+d")
			if m.plan.detail.Offset() <= off {
				t.Error("ctrl+d does not page down")
			}
			press(t, m, "ctrl+u", "j")
			if m.plan.detail.Offset() != off+1 {
				t.Errorf("j scrolls one row: offset %d", m.plan.detail.Offset())
			}
			for _, l := range strings.Split(plain(m.Render()), "\n") {
				if strings.HasSuffix(strings.TrimRight(l, " "), "toDat") {
					t.Errorf("SQL cut mid-word: %q", l)
				}
			}
			prog := drain(t, m, m.update(keyMsg("y")))
			if len(prog) != 1 || !strings.Contains(fmt.Sprint(prog[0]), "-- part 8") || !strings.Contains(plain(m.Render()), "copied the SQL of sales_daily (8 steps)") {
				t.Fatalf("y does not copy the SQL: %v", prog)
			}
		})
	}
}

// TestApplyErrorIsShownWhole (item 7): a long apply error wraps in the log.
func TestApplyErrorIsShownWhole(t *testing.T) {
	msg := "apply events: step swap: code: 341, message: the workspace changed since the plan was computed; plan again: events is now 62dac7f1e0b2 (was 0c1d2e3f4a5b)"
	b := &fakeBackend{applyErr: fmt.Errorf("%s", msg)}
	m := newTestModel(t, b, Options{})
	press(t, m, "4")
	m.plan.staged["old_stats"] = false
	drain(t, m, m.plan.startApply(nil))
	if !strings.Contains(flat(m.Render()), "now 62dac7f1e0b2 (was 0c1d2e3f4a5b)") {
		t.Fatalf("the error is cut:\n%s", plain(m.Render()))
	}
}

// TestDetailPanesScroll (item 7): the Explorer's definitions and the
// History's detail scroll with j/k once focused (tab).
func TestDetailPanesScroll(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	m.update(tea.WindowSizeMsg{Width: 80, Height: 10})
	press(t, m, "tab", "g")
	top := plain(m.Render())
	press(t, m, "j", "j")
	if plain(m.Render()) == top {
		t.Error("j does not scroll the Explorer's definitions")
	}
	press(t, m, "5", "enter", "tab", "G")
	if !strings.Contains(plain(m.Render()), "ENGINE_SORTING_KEY \"page, timestamp\"") {
		t.Errorf("G does not reach the end of the History detail:\n%s", plain(m.Render()))
	}
}

// TestPreviewCopiesTheCompiledQuery (item 7): y in the Preview copies what ran.
func TestPreviewCopiesTheCompiledQuery(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	pickNode()(t, m)
	prog := drain(t, m, m.update(keyMsg("y")))
	if len(prog) != 1 || fmt.Sprint(prog[0]) != "SELECT ..." {
		t.Fatalf("y copied %v", prog)
	}
}
