package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// twoDestructive is a plan with two destructive changes and a safe one.
func twoDestructive() *Plan {
	return &Plan{Fingerprint: "f", Changes: []Change{
		{ID: "drop-col", Resource: "events", Kind: "datasource", Action: ActionUpdate, Method: "alter", Reason: "column country removed", Risk: RiskDestroys, Destructive: true},
		{ID: "daily", Resource: "daily", Kind: "materialization", Action: ActionReplace, Method: "recreate view with backfill", Risk: RiskSafe},
		{ID: "cleanup", Resource: "sales_daily_mv__old", Kind: "backup", Action: ActionDelete, Method: "drop backup", Risk: RiskDestroys, Destructive: true},
	}}
}

func typeName(t *testing.T, m *Model, name string) {
	t.Helper()
	for _, r := range name {
		press(t, m, string(r))
	}
	press(t, m, "enter")
}

// TestApplyAsksTheNameOfEveryDestructiveChange: the dialog asks for each
// destructive staged change's name in turn (not only the first), and the
// names confirmed go with the request; the backend refuses a destructive
// change whose name was not confirmed.
func TestApplyAsksTheNameOfEveryDestructiveChange(t *testing.T) {
	b := &fakeBackend{plan: twoDestructive}
	m := newTestModel(t, b, Options{})
	press(t, m, "4", "a")
	m.opt.Now = func() time.Time { return fixedNow.Add(time.Second) }
	d := m.topDialog()
	if d == nil || strings.Join(d.c.Require, ",") != "events,sales_daily_mv__old" {
		t.Fatalf("dialog asks for %v", d)
	}
	typeName(t, m, "events")
	if m.topDialog() == nil || len(b.applied) != 0 {
		t.Fatal("confirming the first name applied")
	}
	if out := flat(m.Render()); !strings.Contains(out, "✓ events") || !strings.Contains(out, "2 of 2: type sales_daily_mv__old") {
		t.Fatalf("the second name is not asked:\n%s", plain(m.Render()))
	}
	// an enter in flight right after the first name does nothing
	press(t, m, "enter")
	if len(b.applied) != 0 {
		t.Fatal("an empty name confirmed")
	}
	m.opt.Now = func() time.Time { return fixedNow.Add(2 * time.Second) }
	typeName(t, m, "sales_daily_mv__old")
	if m.topDialog() != nil || len(b.applied) != 1 {
		t.Fatalf("both names typed: dialog %v, applied %v", m.topDialog(), b.applied)
	}
	if got := strings.Join(b.applied[0].Approved, ","); got != "events,sales_daily_mv__old" {
		t.Fatalf("approved %q", got)
	}
	if !strings.Contains(plain(m.Render()), "✓ applied") {
		t.Fatalf("apply did not succeed:\n%s", plain(m.Render()))
	}
}

// TestBackendRefusesAnUnconfirmedDestructiveChange: an apply request that
// does not name a destructive change fails (the fake behaves as the live
// backend's approvedDestruction), and the view shows why.
func TestBackendRefusesAnUnconfirmedDestructiveChange(t *testing.T) {
	b := &fakeBackend{plan: twoDestructive}
	m := newTestModel(t, b, Options{})
	press(t, m, "4")
	drain(t, m, m.plan.startApply([]string{"events"}))
	if out := flat(m.Render()); !strings.Contains(out, "sales_daily_mv__old destroys data and was not confirmed by name") {
		t.Fatalf("refusal not shown:\n%s", plain(m.Render()))
	}
}

// TestAfterApplyTheSamePlanIsNotOfferedAgain: once applied, `a` says so
// and R recomputes the plan.
func TestAfterApplyTheSamePlanIsNotOfferedAgain(t *testing.T) {
	b := &fakeBackend{}
	m := newTestModel(t, b, Options{})
	press(t, m, "4")
	m.plan.staged["old_stats"] = false
	press(t, m, "a")
	m.opt.Now = func() time.Time { return fixedNow.Add(time.Second) }
	press(t, m, "y", "a")
	if m.topDialog() != nil || len(b.applied) != 1 {
		t.Fatalf("a after a successful apply: dialog %v applied %d", m.topDialog(), len(b.applied))
	}
	if !strings.Contains(plain(m.Render()), "this plan was applied: R recomputes it") {
		t.Fatalf("a does not say why:\n%s", plain(m.Render()))
	}
	press(t, m, "R", "a")
	if m.topDialog() == nil {
		t.Fatal("the recomputed plan cannot be applied")
	}
}

// TestPlanShowsTheDomainsActions: the markers are the domain's (+ ~ -/+ -)
// and the method is shown beside them, not a vocabulary of the UI's own.
func TestPlanShowsTheDomainsActions(t *testing.T) {
	b := &fakeBackend{plan: twoDestructive}
	m := newTestModel(t, b, Options{})
	press(t, m, "4")
	out := plain(m.Render())
	for _, want := range []string{"[x] ~   events  alter", "[x] -/+ daily  recreate view with backfill", "[x] -   sales_daily_mv__old  drop backup", "update · alter"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks %q:\n%s", want, out)
		}
	}
	for a, want := range map[Action]string{ActionCreate: "+", ActionUpdate: "~", ActionReplace: "-/+", ActionDelete: "-"} {
		if a.Marker() != want {
			t.Errorf("%s marker %q", a, a.Marker())
		}
	}
}

// TestDialogIsCentredAndWhole (issue 19 item 14): the apply dialog sits in
// the middle of the screen at every size, and no line of it is cut.
func TestDialogIsCentredAndWhole(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}, {60, 20}} {
		b := &fakeBackend{plan: longPlan}
		m := newTestModel(t, b, Options{})
		m.update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		press(t, m, "4", "a")
		lines := splitFrame(plain(m.Render()))
		top, bottom, left, right := -1, -1, -1, -1
		for i, l := range lines {
			if j := strings.Index(l, "╔"); j >= 0 {
				top, left = i, ansi.StringWidth(l[:j])
				right = size[0] - left - ansi.StringWidth(l[j:strings.Index(l, "╗")+len("╗")])
			}
			if strings.Contains(l, "╚") {
				bottom = i
			}
		}
		if top < 0 || bottom < 0 {
			t.Fatalf("%v: no dialog:\n%s", size, strings.Join(lines, "\n"))
		}
		if d := left - right; d < -1 || d > 1 {
			t.Errorf("%v: dialog %d from the left, %d from the right", size, left, right)
		}
		if d := top - (size[1] - 1 - bottom); d < -1 || d > 1 {
			t.Errorf("%v: dialog %d from the top, %d from the bottom", size, top, size[1]-1-bottom)
		}
		var inside []string
		for _, l := range lines[top+1 : bottom] {
			if i, j := strings.Index(l, "║"), strings.LastIndex(l, "║"); i >= 0 && j > i {
				inside = append(inside, l[i+len("║"):j])
			}
		}
		if !strings.Contains(strings.Join(strings.Fields(strings.Join(inside, " ")), " "), "recreate the view with a watermark backfill (rewrites data)") {
			t.Errorf("%v: the change's line is cut:\n%s", size, strings.Join(lines, "\n"))
		}
	}
}

// TestPlanTopAndBottom (item 13): g and G go to the first and last change
// (and do not stage anything).
func TestPlanTopAndBottom(t *testing.T) {
	m := newTestModel(t, &fakeBackend{}, Options{})
	press(t, m, "4", "G")
	if m.plan.list.SelectedID() != "old_stats" || len(m.plan.stagedIDs()) != 3 {
		t.Fatalf("G: %q staged %v", m.plan.list.SelectedID(), m.plan.stagedIDs())
	}
	press(t, m, "g")
	if m.plan.list.SelectedID() != "events" || len(m.plan.stagedIDs()) != 3 {
		t.Fatalf("g: %q staged %v", m.plan.list.SelectedID(), m.plan.stagedIDs())
	}
}
