package app

import (
	"context"
	"testing"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

const (
	eventsV1 = "SCHEMA >\n    `timestamp` DateTime,\n    `page` String\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"timestamp\"\n"
	eventsV2 = "SCHEMA >\n    `timestamp` DateTime,\n    `page` String,\n    `country` String\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"timestamp\"\n"
	topV1    = "NODE top\nSQL >\n    SELECT page, count() AS hits FROM events GROUP BY page\n\nTYPE endpoint\n"
	topV2    = "NODE top\nSQL >\n    SELECT page, count() AS hits FROM events GROUP BY page ORDER BY hits DESC\n\nTYPE endpoint\n"
)

// deploy plans the project in dir and applies all of it.
func deploy(t *testing.T, a *App, c *workspace.Client) {
	t.Helper()
	ctx := context.Background()
	local, err := LoadProject(a.Dir)
	if err != nil {
		t.Fatal(err)
	}
	prep, err := a.Plan(ctx, c, local)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Apply(ctx, c, prep, ApplyOptions{Approval: Approval{All: true}}); err != nil {
		t.Fatal(err)
	}
}

// TestPartialApplyRecordsWhatRan: staging one of two changes records that
// change and, for files, the new text of the applied resource and the
// previous deployed text of the other, so status, diff and plan agree
// afterwards that the other change is still to do.
func TestPartialApplyRecordsWhatRan(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
		ctx := context.Background()
		a := &App{Dir: writeFiles(t, map[string]string{"datasources/events.datasource": eventsV1, "endpoints/top.pipe": topV1})}
		deploy(t, a, c)
		first, err := c.Latest(ctx)
		if err != nil {
			t.Fatal(err)
		}

		a.Dir = writeFiles(t, map[string]string{"datasources/events.datasource": eventsV2, "endpoints/top.pipe": topV2})
		local, err := LoadProject(a.Dir)
		if err != nil {
			t.Fatal(err)
		}
		prep, err := a.Plan(ctx, c, local)
		if err != nil {
			t.Fatal(err)
		}
		if len(prep.Plan.Changes) != 2 || prep.Plan.Change("events") == nil || prep.Plan.Change("top") == nil {
			t.Fatalf("want a change of events and one of top, got %+v", prep.Plan.Changes)
		}
		res, err := a.Apply(ctx, c, prep, ApplyOptions{Only: []string{"events"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Applied) != 1 {
			t.Fatalf("applied %v, want only the change of events", res.Applied)
		}

		d, err := c.Latest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if d.ID != res.DeploymentID {
			t.Fatalf("latest deployment %s, want %s", d.ID, res.DeploymentID)
		}
		en, err := Show(ctx, c, d.ID)
		if err != nil || en.Plan == nil {
			t.Fatalf("recorded plan: %+v %v", en, err)
		}
		if len(en.Plan.Changes) != 1 || en.Plan.Changes[0].Resource != "events" {
			t.Errorf("recorded plan has %d changes, want only the change of events", len(en.Plan.Changes))
		}
		if text, _ := d.File("datasources/events.datasource"); text != eventsV2 {
			t.Errorf("recorded events.datasource:\n%s\nwant the applied text", text)
		}
		if text, _ := d.File("endpoints/top.pipe"); text != topV1 {
			t.Errorf("recorded top.pipe:\n%s\nwant the previously deployed text (%s)", text, first.ID)
		}

		// status, diff and plan agree: events is deployed, top is still to do.
		rem, err := ReadRemote(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if n := rem.Drift.Count(workspace.InSync); n != len(rem.Drift.Items) {
			t.Errorf("drift after the partial apply: %s", rem.Drift.Summary())
		}
		states := map[string]State{}
		for _, st := range Statuses(local, rem) {
			states[st.Name] = st.State
		}
		if states["events"] != InSync || states["top"] != Changed {
			t.Errorf("statuses %v, want events in sync and top changed", states)
		}
		again, err := a.Plan(ctx, c, local)
		if err != nil {
			t.Fatal(err)
		}
		if len(again.Plan.Changes) != 1 || again.Plan.Changes[0].Resource != "top" {
			t.Errorf("plan after the partial apply: %+v, want only top", again.Plan.Changes)
		}
	})
}
