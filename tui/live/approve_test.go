package live

import (
	"errors"
	"testing"

	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/workspace/apply"
	"github.com/perchdata/perch/workspace/plan"
)

// TestApprovedDestructionPerResource: every destructive staged change must be
// confirmed by its own name; confirming one does not allow the others.
func TestApprovedDestructionPerResource(t *testing.T) {
	pl := &plan.Plan{Changes: []*plan.Change{
		{ID: "a", Resource: "events", Destructive: true, Risk: plan.Destroys},
		{ID: "b", Resource: "old_stats", Destructive: true, Risk: plan.Destroys},
		{ID: "c", Resource: "daily", Risk: plan.Safe},
		{ID: "d", Resource: "events__old", Risk: plan.Destroys},
	}}
	cases := []struct {
		name      string
		req       tui.ApplyRequest
		wantAllow bool
		wantErr   bool
	}{
		{"safe only", tui.ApplyRequest{Staged: []string{"c"}}, false, false},
		{"one confirmed", tui.ApplyRequest{Staged: []string{"a", "c"}, Approved: []string{"events"}}, true, false},
		{"first confirmed only", tui.ApplyRequest{Staged: []string{"a", "b"}, Approved: []string{"events"}}, false, true},
		{"both confirmed", tui.ApplyRequest{Staged: []string{"a", "b"}, Approved: []string{"events", "old_stats"}}, true, false},
		{"risk destroys without flag", tui.ApplyRequest{Staged: []string{"d"}}, false, true},
		{"none confirmed", tui.ApplyRequest{Staged: []string{"b"}}, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			allow, err := approvedDestruction(pl, tc.req)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if err != nil && !errors.Is(err, apply.ErrDestructive) {
				t.Fatalf("err = %v, want ErrDestructive", err)
			}
			if allow != tc.wantAllow {
				t.Fatalf("allow = %v, want %v", allow, tc.wantAllow)
			}
		})
	}
}
