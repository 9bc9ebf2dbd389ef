package apply

import (
	"reflect"
	"testing"

	"github.com/perchdata/perch/workspace/plan"
)

func TestStagePullsInDependencies(t *testing.T) {
	p := &plan.Plan{Changes: []*plan.Change{
		{ID: "create:events", Resource: "events"},
		{ID: "create:per_user", Resource: "per_user"},
		{ID: "create:other", Resource: "other"},
		{ID: "create:mat_per_user", Resource: "mat_per_user", DependsOn: []string{"create:events", "create:per_user"}},
	}}
	tests := []struct {
		name    string
		only    []string
		want    []string
		wantErr bool
	}{
		{"all", nil, []string{"create:events", "create:per_user", "create:other", "create:mat_per_user"}, false},
		{"view pulls tables, in plan order", []string{"mat_per_user"}, []string{"create:events", "create:per_user", "create:mat_per_user"}, false},
		{"by id", []string{"create:other"}, []string{"create:other"}, false},
		{"unknown", []string{"nope"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Stage(p, tt.only)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			var ids []string
			for _, c := range got {
				ids = append(ids, c.ID)
			}
			if !reflect.DeepEqual(ids, tt.want) {
				t.Errorf("staged %v, want %v", ids, tt.want)
			}
		})
	}
}
