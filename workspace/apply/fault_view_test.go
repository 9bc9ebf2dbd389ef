package apply

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/plan"
)

// TestFaultsViewRecreate cuts the connection during the backfill of a view
// recreated with a watermark (18.16, --allow-approximate-backfill; the
// writer's event times are now(), the one case where it is exact), with rows
// streaming in: the apply must
// finish (the steps after the commit are retried) and the materialized
// aggregates must equal a recomputation from the source.
func TestFaultsViewRecreate(t *testing.T) {
	tests := []struct {
		name, match string
		forward     bool
	}{
		{"backfill INSERT lost", "INSERT INTO", false},
		{"backfill INSERT ran", "INSERT INTO", true},
		{"backfill ATTACH ran", "ATTACH PARTITION", true},
		{"view CREATE ran", "CREATE MATERIALIZED VIEW", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			direct, db := openTest(t)
			if _, err := Apply(ctx, direct, planFor(t, direct, writeProject(t, baseFiles())), Options{}); err != nil {
				t.Fatal(err)
			}
			px := startProxy(t, srv.Addr())
			viaProxy, err := workspace.Open(ctx, workspace.Target{Name: "proxy", DSN: strings.Replace(db.DSN, srv.Addr(), px.Addr(), 1), Database: db.Name, Source: "test"})
			if err != nil {
				t.Fatal(err)
			}
			defer viaProxy.Close()
			w := startWriter(t, db.Name)
			time.Sleep(300 * time.Millisecond)
			files := baseFiles()
			files["pipes/mat_per_user.pipe"] = strings.Replace(matFile, "sum(value)", "sum(value * 3)", 1)
			p := planWith(t, viaProxy, writeProject(t, files), plan.Options{AllowApproximateBackfill: true})
			for _, ch := range p.Changes {
				for i := range ch.Steps {
					if ch.Steps[i].Kind == plan.StepWatermark {
						ch.Steps[i].MarginSeconds = 2
					}
				}
			}
			armAt := "backfill"
			if strings.HasPrefix(tt.match, "CREATE") {
				armAt = "view"
			}
			armed := false
			_, err = Apply(ctx, viaProxy, p, Options{RetryWait: 200 * time.Millisecond, OnEvent: func(e Event) {
				if !armed && e.Kind == StepStarted && e.Step == armAt {
					armed = true
					px.ArmOn(tt.match, tt.forward)
				}
				if e.Kind == StepRetried || e.Kind == StepFailed || strings.Contains(e.Message, "broke") {
					t.Logf("%s %s: %s", e.Kind, e.Step, e.Message)
				}
			}})
			time.Sleep(300 * time.Millisecond)
			w.halt()
			if px.cuts.Load() == 0 {
				t.Fatalf("the connection was never cut (apply: %v)", err)
			}
			if err != nil {
				t.Fatalf("apply after a cut: %v", err)
			}
			mv := db.QueryString(t, "SELECT arrayStringConcat(groupArray(concat(user_id, '=', toString(t))), ',') FROM (SELECT user_id, sum(total) AS t FROM per_user GROUP BY user_id ORDER BY user_id)")
			re := db.QueryString(t, "SELECT arrayStringConcat(groupArray(concat(user_id, '=', toString(t))), ',') FROM (SELECT user_id, sum(value * 3) AS t FROM events GROUP BY user_id ORDER BY user_id)")
			if mv != re {
				t.Errorf("materialized aggregates differ from recomputation:\n mv %s\n re %s", mv, re)
			}
		})
	}
}
