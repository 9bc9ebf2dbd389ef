package app

import (
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
)

// parse loads one datafile text as a data source or pipe.
func parse(t *testing.T, files map[string]string) *datafiles.Project {
	t.Helper()
	p, err := datafiles.Load(writeFiles(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if errs := p.Errors(); len(errs) > 0 {
		t.Fatal(errs)
	}
	return p
}

// TestStatuses: each resource gets the state the plan agrees with: a
// resource deleted from the project is "deleted locally" (the plan's -),
// whether it has a live object (a table) or only a deployment (an endpoint).
func TestStatuses(t *testing.T) {
	deployed := parse(t, map[string]string{
		"datasources/events.datasource": eventsV1, "datasources/gone.datasource": eventsV1,
		"endpoints/top.pipe": topV1, "endpoints/old.pipe": topV1, "endpoints/edited.pipe": topV1,
	})
	local := parse(t, map[string]string{
		"datasources/events.datasource": eventsV1, "datasources/fresh.datasource": eventsV1,
		"endpoints/top.pipe": topV1, "endpoints/edited.pipe": topV2,
	})
	live := parse(t, map[string]string{"datasources/events.datasource": eventsV1, "datasources/gone.datasource": eventsV1, "datasources/scratch.datasource": eventsV1})
	r := &Remote{
		Snapshot: &workspace.Snapshot{Database: "db", Datasources: live.Datasources, Pipes: map[string]*datafiles.Pipe{}},
		Deployed: deployed,
		Drift: &workspace.DriftReport{Items: []workspace.DriftItem{
			{Name: "events", Kind: "datasource", Status: workspace.InSync},
			{Name: "gone", Kind: "datasource", Status: workspace.InSync},
			{Name: "scratch", Kind: "datasource", Status: workspace.Unmanaged},
		}},
	}
	want := map[string]State{
		"events": InSync, "fresh": New, "top": InSync, "edited": Changed,
		"gone": Removed, "old": Removed, "scratch": Unmanaged,
	}
	got := map[string]State{}
	for _, st := range Statuses(local, r) {
		got[st.Name] = st.State
		if st.Name == "old" && (st.RemoteText != topV1 || st.LocalText != "" || st.File != "endpoints/old.pipe") {
			t.Errorf("old: remote %q local %q file %q, want the deployed file only", st.RemoteText, st.LocalText, st.File)
		}
	}
	for n, s := range want {
		if got[n] != s {
			t.Errorf("%s: %s, want %s", n, got[n], s)
		}
	}
	if len(got) != len(want) {
		t.Errorf("statuses of %d resources, want %d: %v", len(got), len(want), got)
	}
}
