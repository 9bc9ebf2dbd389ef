package app

import (
	"context"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

// TestHistoryChecksThePlanFormat: a recorded plan is read with plan.Parse,
// so one of another format version is reported, never half-read.
func TestHistoryChecksThePlanFormat(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
		ctx := context.Background()
		for _, d := range []*workspace.Deployment{
			{ID: "20260101T000000Z-000001", Author: "ana", Outcome: workspace.OutcomeSuccess, Plan: `{"format_version": 1, "database": "x", "changes": [{"id": "create:events", "resource": "events", "action": "create"}]}`},
			{ID: "20260101T000001Z-000002", Author: "bo", Outcome: workspace.OutcomeSuccess, Plan: `{"format_version": 99, "changes": [{"id": "create:events", "resource": "events"}]}`},
		} {
			if err := c.Record(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		entries, err := History(ctx, c, 10, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 2 {
			t.Fatalf("%d entries, want 2", len(entries))
		}
		newer, older := entries[0], entries[1]
		if newer.Plan != nil || newer.PlanError == nil || !strings.Contains(newer.PlanError.Error(), "format version 99") {
			t.Errorf("plan of format 99: %+v, error %v", newer.Plan, newer.PlanError)
		}
		if older.PlanError != nil || older.Plan == nil || len(older.Plan.Changes) != 1 || older.Plan.Changes[0].Resource != "events" {
			t.Errorf("plan of format 1: %+v, error %v", older.Plan, older.PlanError)
		}
		shown, err := Show(ctx, c, "20260101T000001Z")
		if err != nil || shown.PlanError == nil {
			t.Errorf("Show: %+v %v", shown, err)
		}
	})
}
