package app

import (
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
)

// TestStatusesCompareLikeThePlanner: a status says "changed" exactly when
// the planner has something to do. What the server rewrites, or does not
// store when the remote side is the live table, is in sync; a settings value
// with a comma that differs is a change.
func TestStatusesCompareLikeThePlanner(t *testing.T) {
	const table = "SCHEMA >\n    `a` UInt8 `json:$.a`,\n    `b` String\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"(a, b)\"\nENGINE_SETTINGS \"storage_policy = 'hot,cold'\"\n"
	local := parse(t, map[string]string{
		"datasources/live_only.datasource": "DESCRIPTION >\n    read from the live table\n\n" + table,
		"datasources/settings.datasource":  table,
		"endpoints/spelled.pipe":           "NODE top\nSQL >\n    select page,count(*) as hits   from events -- note\n    group by page\n\nTYPE endpoint\n",
	})
	deployed := parse(t, map[string]string{
		"datasources/settings.datasource": table[:len(table)-len("'hot,cold'\"\n")] + "'hot,warm'\"\n",
		"endpoints/spelled.pipe":          topV1,
	})
	live := &datafiles.Datasource{Name: "live_only", Columns: []datafiles.Column{{Name: "a", Type: "UInt8"}, {Name: "b", Type: "String"}},
		Engine: datafiles.Engine{Name: "MergeTree", SortingKey: "a, b", PrimaryKey: "a, b", Settings: "storage_policy = 'hot,cold', index_granularity = 8192"}}
	r := &Remote{
		Snapshot: &workspace.Snapshot{Database: "db", Datasources: map[string]*datafiles.Datasource{"live_only": live, "settings": deployed.Datasources["settings"]}, Pipes: map[string]*datafiles.Pipe{}},
		Deployed: deployed,
		Drift: &workspace.DriftReport{Items: []workspace.DriftItem{
			{Name: "live_only", Kind: "datasource", Status: workspace.Unmanaged},
			{Name: "settings", Kind: "datasource", Status: workspace.InSync},
		}},
	}
	want := map[string]State{"live_only": InSync, "settings": Changed, "spelled": InSync}
	for _, st := range Statuses(local, r) {
		if w, ok := want[st.Name]; ok && st.State != w {
			t.Errorf("%s: %s, want %s", st.Name, st.State, w)
		}
	}
}
