package app

import (
	"errors"
	"reflect"
	"testing"

	"github.com/perchdata/perch/workspace/apply"
	"github.com/perchdata/perch/workspace/plan"
)

// TestApprovalPerResource: every destructive change staged (or pulled in as
// a dependency) must be approved by its own name; approving one does not
// allow the others.
func TestApprovalPerResource(t *testing.T) {
	pl := &plan.Plan{Changes: []*plan.Change{
		{ID: "a", Resource: "events", Destructive: true, Risk: plan.Destroys},
		{ID: "b", Resource: "old_stats", Destructive: true, Risk: plan.Destroys},
		{ID: "c", Resource: "daily", Risk: plan.Safe},
		{ID: "d", Resource: "events__old", Risk: plan.Destroys, Method: plan.MethodCleanup},
		{ID: "e", Resource: "daily_mv", Risk: plan.Safe, DependsOn: []string{"b"}},
	}}
	cases := []struct {
		name         string
		only         []string
		approval     Approval
		wantDestroys bool
		wantMissing  []string
	}{
		{"safe only", []string{"c"}, Approval{}, false, nil},
		{"one confirmed", []string{"a", "c"}, Approval{Names: []string{"events"}}, true, nil},
		{"first confirmed only", []string{"a", "b"}, Approval{Names: []string{"events"}}, true, []string{"old_stats"}},
		{"both confirmed", []string{"a", "b"}, Approval{Names: []string{"events", "old_stats"}}, true, nil},
		{"risk destroys without the flag", []string{"d"}, Approval{}, true, []string{"events__old"}},
		{"a backup under unattended approval", []string{"d"}, Approval{Backups: true}, true, nil},
		{"unattended approval is only for backups", []string{"a", "d"}, Approval{Backups: true}, true, []string{"events"}},
		{"a destructive dependency pulled in", []string{"e"}, Approval{}, true, []string{"old_stats"}},
		{"all approved", nil, Approval{All: true}, true, nil},
		{"everything staged, none confirmed", nil, Approval{}, true, []string{"events", "old_stats", "events__old"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			destroys, err := tc.approval.Check(pl, tc.only)
			if destroys != tc.wantDestroys {
				t.Errorf("destroys = %v, want %v", destroys, tc.wantDestroys)
			}
			var na *NotApprovedError
			switch {
			case tc.wantMissing == nil && err != nil:
				t.Fatalf("err = %v, want none", err)
			case tc.wantMissing != nil && !errors.As(err, &na):
				t.Fatalf("err = %v, want NotApprovedError", err)
			case tc.wantMissing != nil:
				if !reflect.DeepEqual(na.Resources, tc.wantMissing) {
					t.Errorf("not approved %v, want %v", na.Resources, tc.wantMissing)
				}
				if !errors.Is(err, apply.ErrDestructive) {
					t.Errorf("err = %v, want ErrDestructive", err)
				}
			}
		})
	}
}
