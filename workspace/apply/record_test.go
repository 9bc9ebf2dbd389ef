package apply

import (
	"reflect"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/plan"
)

// TestRecorded: a deployment records the changes that ran and, for the
// resources the plan changes but did not apply, their previous text.
func TestRecorded(t *testing.T) {
	p := &plan.Plan{Changes: []*plan.Change{
		{ID: "change:events", Resource: "events"},
		{ID: "meta:top", Resource: "top"},
		{ID: "delete:old", Resource: "old"},
		{ID: "create:fresh", Resource: "fresh"},
	}}
	next := []workspace.DeployedFile{
		{Path: "datasources/events.datasource", Text: "events v2"},
		{Path: "endpoints/top.pipe", Text: "top v2"},
		{Path: "endpoints/fresh.pipe", Text: "fresh"},
		{Path: "endpoints/same.pipe", Text: "same v2 (comments only)"},
		{Path: "includes/common.incl", Text: "incl v2"},
	}
	prev := &workspace.Deployment{Files: []workspace.DeployedFile{
		{Path: "datasources/events.datasource", Text: "events v1"},
		{Path: "endpoints/top.pipe", Text: "top v1"},
		{Path: "endpoints/old.pipe", Text: "old"},
		{Path: "endpoints/same.pipe", Text: "same v1"},
		{Path: "includes/common.incl", Text: "incl v1"},
	}}
	tests := []struct {
		name        string
		res         Result
		wantChanges []string
		wantFiles   map[string]string
	}{
		{"all applied", Result{Applied: []string{"change:events", "meta:top", "delete:old", "create:fresh"}},
			[]string{"change:events", "meta:top", "delete:old", "create:fresh"},
			map[string]string{"datasources/events.datasource": "events v2", "endpoints/top.pipe": "top v2", "endpoints/fresh.pipe": "fresh",
				"endpoints/same.pipe": "same v2 (comments only)", "includes/common.incl": "incl v2"}},
		{"events only", Result{Applied: []string{"change:events"}},
			[]string{"change:events"},
			map[string]string{"datasources/events.datasource": "events v2", "endpoints/top.pipe": "top v1", "endpoints/old.pipe": "old",
				"endpoints/same.pipe": "same v2 (comments only)", "includes/common.incl": "incl v2"}},
		{"failed at top", Result{Applied: []string{"change:events"}, Failed: "meta:top"},
			[]string{"change:events", "meta:top"},
			map[string]string{"datasources/events.datasource": "events v2", "endpoints/top.pipe": "top v1", "endpoints/old.pipe": "old",
				"endpoints/same.pipe": "same v2 (comments only)", "includes/common.incl": "incl v2"}},
		{"the delete and the create", Result{Applied: []string{"delete:old", "create:fresh"}},
			[]string{"delete:old", "create:fresh"},
			map[string]string{"datasources/events.datasource": "events v1", "endpoints/top.pipe": "top v1", "endpoints/fresh.pipe": "fresh",
				"endpoints/same.pipe": "same v2 (comments only)", "includes/common.incl": "incl v2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := tt.res
			gotPlan, gotFiles := recorded(p, next, prev, &res)
			var ids []string
			for _, ch := range gotPlan.Changes {
				ids = append(ids, ch.ID)
			}
			if !reflect.DeepEqual(ids, tt.wantChanges) {
				t.Errorf("recorded changes %v, want %v", ids, tt.wantChanges)
			}
			files := map[string]string{}
			for _, f := range gotFiles {
				files[f.Path] = f.Text
			}
			if !reflect.DeepEqual(files, tt.wantFiles) {
				t.Errorf("recorded files %v\nwant %v", files, tt.wantFiles)
			}
			if len(p.Changes) != 4 {
				t.Fatal("recorded changed the plan it was given")
			}
		})
	}
}

// TestRecordTime: a deployment recorded in the same second as the previous
// one sorts after it.
func TestRecordTime(t *testing.T) {
	at := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	prev := &workspace.Deployment{Time: at}
	for _, tt := range []struct {
		now  time.Time
		prev *workspace.Deployment
		want time.Time
	}{
		{at.Add(500 * time.Millisecond), prev, at.Add(time.Second)},
		{at.Add(3 * time.Second), prev, at.Add(3 * time.Second)},
		{at.Add(-time.Minute), prev, at.Add(time.Second)},
		{at.Add(700 * time.Millisecond), nil, at},
	} {
		if got := recordTime(tt.now, tt.prev); !got.Equal(tt.want) {
			t.Errorf("recordTime(%s) = %s, want %s", tt.now, got, tt.want)
		}
	}
}
