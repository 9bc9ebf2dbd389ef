package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/plan"
)

// TestDescribeDeployGolden: before the demo deploys on a folder with
// earlier data, it says what it finds (the deployment, the events kept)
// and each change it makes (the backup dropped, events rebuilt), and how to
// start clean instead.
func TestDescribeDeployGolden(t *testing.T) {
	latest := &workspace.Deployment{ID: "20261125T100000Z-abcdef", Time: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC), Author: "ana"}
	changes := &plan.Plan{Changes: []*plan.Change{
		{ID: "cleanup:events__old", Resource: "events__old", Action: plan.Delete, Method: plan.MethodCleanup, Risk: plan.Destroys, EstRows: 51200,
			Reasons: []string{"backup kept by the previous deploy for revert; dropped at the next deploy"}},
		{ID: "change:events", Resource: "events", Action: plan.Replace, Method: plan.MethodRebuild, Risk: plan.Rewrites, EstRows: 51200,
			Reasons: []string{"sorting key changed: a new table, a backfill and a swap"}},
	}}
	fresh := "perch local stop examples/analytics && rm -rf examples/analytics/.perch/local"
	tests := []struct {
		golden string
		latest *workspace.Deployment
		events uint64
		p      *plan.Plan
		fresh  string
	}{
		{"demo_deploy_earlier.golden", latest, 51200, changes, fresh},
		{"demo_deploy_in_sync.golden", latest, 51200, &plan.Plan{}, fresh},
		{"demo_deploy_empty.golden", nil, 0, changes, ""},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			var b bytes.Buffer
			describeDeploy(&b, "default", "examples/analytics", tt.latest, tt.events, tt.p, tt.fresh)
			workspaceGolden(t, tt.golden, b.Bytes())
		})
	}
}
