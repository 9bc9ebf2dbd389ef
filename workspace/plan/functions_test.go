package plan

import (
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
)

// fns16 is a hand-made part of the function set of an 18.16 server.
var fns16 = map[string]bool{
	"count": true, "sum": true, "uniq": true, "max": true, "toDate": false, "lower": false,
	"coalesce": false, "arrayMap": false, "visitParamExtractString": false,
}

func TestKnownFunction(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"count", true},
		{"toDate", true},
		{"COALESCE", true}, // case-insensitive: listed lower-cased
		{"countIf", true},
		{"uniqMergeState", true},
		{"sumIfState", true},
		{"sumArrayIfMerge", true},
		{"maxOrNull", true},
		{"toDateIf", false}, // combinators apply to aggregates only
		{"If", false},
		{"JSONExtractString", false},
		{"toStartOfInterval", false},
		{"countIff", false},
	}
	for _, tt := range tests {
		if got := knownFunction(fns16, tt.name); got != tt.want {
			t.Errorf("knownFunction(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestMissingFunctionIsAPlanError(t *testing.T) {
	posed := func(sql string, typ datafiles.NodeType) func(p *datafiles.Project) {
		return func(p *datafiles.Project) {
			n := &datafiles.Node{Name: "m", SQL: sql, Type: typ, Datasource: "per_user",
				Pos: datafiles.Pos{File: "pipes/mat_per_user.pipe", Line: 3, Col: 1}}
			if typ == datafiles.NodeCopy {
				n.Datasource, n.TargetDatasource = "", "per_user"
			}
			p.Pipes["mat_per_user"] = &datafiles.Pipe{Name: "mat_per_user", Nodes: []*datafiles.Node{n}}
		}
	}
	const bad = "SELECT JSONExtractString(user_id, 'a') AS user_id, countIf(value > 0) AS total FROM events GROUP BY user_id"
	const good = "SELECT lower(user_id) AS user_id, countIf(value > 0) AS total FROM events GROUP BY user_id"
	const wantErr = "pipes/mat_per_user.pipe:3:1: mat_per_user.m: server 18.16.1 has no function JSONExtractString"
	tests := []struct {
		name    string
		mutate  func(p *datafiles.Project)
		fns     map[string]bool
		wantErr string
	}{
		{"materialized, missing function", posed(bad, datafiles.NodeMaterialized), fns16, wantErr},
		{"materialized, functions known", posed(good, datafiles.NodeMaterialized), fns16, ""},
		{"copy, missing function", posed(bad, datafiles.NodeCopy), fns16, wantErr},
		{"unknown function set checks nothing", posed(bad, datafiles.NodeMaterialized), nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRemote("db", capsFor(t, "18.16.1"))
			r.Functions = tt.fns
			p, err := Build(project(tt.mutate), r, Options{})
			if err != nil {
				t.Fatal(err)
			}
			errs := strings.Join(p.Errors, "\n")
			if tt.wantErr == "" && errs != "" {
				t.Errorf("want no plan error, got:\n%s", errs)
			}
			if tt.wantErr != "" && !strings.Contains(errs, tt.wantErr) {
				t.Errorf("want %q, got:\n%s", tt.wantErr, errs)
			}
			if strings.Contains(errs, "countIf") || strings.Contains(errs, "lower") {
				t.Errorf("known function reported:\n%s", errs)
			}
		})
	}
}

func TestUnchangedViewIsNotChecked(t *testing.T) {
	// The live view already runs the query: a function missing from the set
	// (here sum) is not reported for a view the plan leaves alone.
	r := liveState(t, "18.16.1", 10)
	r.Functions = map[string]bool{"count": true}
	p, err := Build(project(nil), r, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Errors) != 0 {
		t.Errorf("want no plan error for an unchanged view, got %v", p.Errors)
	}
}
