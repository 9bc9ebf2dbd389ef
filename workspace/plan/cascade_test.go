package plan

import (
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
)

// chainProject is project with mat_top reading per_user into per_user_top
// (mutated by each case), and chainState the matching live state.
func chainProject(mutate func(p *datafiles.Project)) *datafiles.Project {
	return project(func(p *datafiles.Project) {
		p.Pipes["mat_per_user"].Nodes[0].SQL = "SELECT user_id, sum(value * 2) AS total FROM events GROUP BY user_id"
		p.Datasources["per_user_top"] = &datafiles.Datasource{Name: "per_user_top", File: "datasources/per_user_top.datasource",
			Columns: []datafiles.Column{{Name: "grp", Type: "String"}, {Name: "total", Type: "UInt64"}},
			Engine:  datafiles.Engine{Name: "SummingMergeTree", SortingKey: "grp"}}
		p.Pipes["mat_top"] = &datafiles.Pipe{Name: "mat_top", Nodes: []*datafiles.Node{
			{Name: "m", SQL: "SELECT substring(user_id, 1, 1) AS grp, sum(total) AS total FROM per_user GROUP BY grp", Type: datafiles.NodeMaterialized, Datasource: "per_user_top"}}}
		if mutate != nil {
			mutate(p)
		}
	})
}

func chainState(t testing.TB, version string) *Remote {
	r := liveState(t, version, 1000)
	r.Tables["per_user"].ReadBy = []string{"mat_top"}
	r.Tables["per_user_top"] = &Table{Datasource: chainProject(nil).Datasources["per_user_top"], Rows: 3, Bytes: 60}
	r.Views["mat_top"] = &View{Name: "mat_top", Materialized: true, Target: "per_user_top",
		Query: "SELECT substring(user_id, 1, 1) AS grp, sum(total) AS total FROM db.per_user GROUP BY grp"}
	r.Deployed = chainProject(nil)
	return r
}

// TestTrackedCascade: a tracked change of a view whose target another view
// reads runs that view over the backfill (and recomputes its target with
// the recomputed one); the shapes it cannot run exactly are plan errors
// saying what would make them possible.
func TestTrackedCascade(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(*datafiles.Project)
		remote  func(*Remote)
		wantErr string
	}{
		{name: "recomputed with its target"},
		{name: "downstream view with HAVING", mutate: func(p *datafiles.Project) {
			p.Pipes["mat_top"].Nodes[0].SQL = "SELECT substring(user_id, 1, 1) AS grp, sum(total) AS total FROM per_user GROUP BY grp HAVING total > 0"
		}, remote: func(r *Remote) {
			r.Views["mat_top"].Query = "SELECT substring(user_id, 1, 1) AS grp, sum(total) AS total FROM db.per_user GROUP BY grp HAVING total > 0"
		}, wantErr: "its query has HAVING"},
		{name: "downstream view changed too", mutate: func(p *datafiles.Project) {
			p.Pipes["mat_top"].Nodes[0].SQL = "SELECT substring(user_id, 1, 2) AS grp, sum(total) AS total FROM per_user GROUP BY grp"
		}, wantErr: "it changes in this deploy too"},
		{name: "downstream view added", remote: func(r *Remote) {
			delete(r.Views, "mat_top")
			r.Tables["per_user"].ReadBy = nil
		}, wantErr: "it is added or dropped in this deploy"},
		{name: "three views in a chain", mutate: func(p *datafiles.Project) {
			p.Datasources["top_total"] = &datafiles.Datasource{Name: "top_total", File: "datasources/top_total.datasource",
				Columns: []datafiles.Column{{Name: "total", Type: "UInt64"}}, Engine: datafiles.Engine{Name: "SummingMergeTree", SortingKey: "tuple()"}}
			p.Pipes["mat_total"] = &datafiles.Pipe{Name: "mat_total", Nodes: []*datafiles.Node{
				{Name: "m", SQL: "SELECT sum(total) AS total FROM per_user_top", Type: datafiles.NodeMaterialized, Datasource: "top_total"}}}
		}, remote: func(r *Remote) {
			r.Tables["top_total"] = &Table{Datasource: &datafiles.Datasource{Name: "top_total", Columns: []datafiles.Column{{Name: "total", Type: "UInt64"}},
				Engine: datafiles.Engine{Name: "SummingMergeTree", SortingKey: "tuple()"}}}
			r.Tables["per_user_top"].ReadBy = []string{"mat_total"}
			r.Views["mat_total"] = &View{Name: "mat_total", Materialized: true, Target: "top_total", Query: "SELECT sum(total) AS total FROM db.per_user_top"}
		}, wantErr: "perch carries backfilled rows one view down"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := chainState(t, "24.8.4.13")
			if tt.remote != nil {
				tt.remote(r)
			}
			p, err := Build(chainProject(tt.mutate), r, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantErr != "" {
				msg := strings.Join(p.Errors, "\n")
				if !strings.Contains(msg, tt.wantErr) || !strings.Contains(msg, "mat_top") || !strings.Contains(msg, "to make it possible") {
					t.Fatalf("errors = %v, want one with %q", p.Errors, tt.wantErr)
				}
				return
			}
			if len(p.Errors) > 0 {
				t.Fatalf("errors: %v", p.Errors)
			}
			ch := p.Change("mat_per_user")
			if ch == nil || ch.Method != MethodTracked {
				t.Fatalf("want the tracked method, got %+v", ch)
			}
			var ids []string
			var backfill *Step
			for i, s := range ch.Steps {
				ids = append(ids, s.ID)
				if s.ID == "backfill" {
					backfill = &ch.Steps[i]
				}
			}
			for _, want := range []string{"drop-old-backup-per_user_top", "swap-per_user_top", "check-downstream"} {
				if !strings.Contains(" "+strings.Join(ids, " ")+" ", " "+want+" ") {
					t.Errorf("steps %v lack %s", ids, want)
				}
			}
			if backfill == nil || len(backfill.Cascade) != 1 {
				t.Fatalf("backfill cascade = %+v", backfill)
			}
			cs := backfill.Cascade[0]
			if cs.View != "mat_top" || cs.Table != "per_user_top" || cs.Stage != "per_user_top"+SuffixStage || !strings.Contains(cs.Query, "`per_user"+SuffixStage+"`") {
				t.Errorf("cascade = %+v", cs)
			}
		})
	}
}

// TestTrackedCascadeDownstreamDropped: a downstream view removed in the same
// deploy as a tracked change of the view it reads is dropped first (view
// drops come before view changes), so the backfill carries no rows to it
// and its target is not recomputed: the plan is not refused.
func TestTrackedCascadeDownstreamDropped(t *testing.T) {
	p, err := Build(chainProject(func(p *datafiles.Project) { delete(p.Pipes, "mat_top") }), chainState(t, "24.8.4.13"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Errors) > 0 {
		t.Fatalf("errors: %v", p.Errors)
	}
	drop, ch := -1, -1
	for i, c := range p.Changes {
		switch c.ID {
		case "delete:mat_top":
			drop = i
		case "change:mat_per_user":
			ch = i
		}
	}
	if drop < 0 || ch < 0 || drop > ch || p.Changes[ch].Method != MethodTracked {
		t.Fatalf("want mat_top dropped, then mat_per_user changed with the tracked method:\n%v", p.Changes)
	}
	for _, s := range p.Changes[ch].Steps {
		if strings.Contains(s.ID, "per_user_top") || len(s.Cascade) > 0 {
			t.Errorf("step %s of the change still carries rows to per_user_top (cascade %v)", s.ID, s.Cascade)
		}
	}
}
