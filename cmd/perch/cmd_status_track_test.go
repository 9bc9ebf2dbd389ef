package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestStatusShowsTrackingLeftovers: the tracking table of an exact view
// change that did not finish is listed by perch status with the command that
// removes it.
func TestStatusShowsTrackingLeftovers(t *testing.T) {
	srv := demoServer(t)
	db := srv.NewDatabase(t)
	db.Exec(t, "CREATE TABLE _perch_track_mat_stats_src (qid String, p String, n UInt64, h1 UInt64, h2 UInt64) ENGINE = MergeTree ORDER BY (p, n, h1, h2)")
	dir := t.TempDir()
	e, out, errb := testEnv()
	if code := run(context.Background(), e, []string{"status", dir, "--json", "--dsn", db.DSN}); code != exitOK {
		t.Fatalf("status = %d\n%s", code, errb)
	}
	var st struct {
		Leftovers []struct {
			Name, Of, Resolve string
		} `json:"leftovers"`
	}
	if err := json.Unmarshal(out.Bytes(), &st); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(st.Leftovers) != 1 || st.Leftovers[0].Of != "mat_stats" || !strings.Contains(st.Leftovers[0].Resolve, "DROP TABLE IF EXISTS `"+db.Name+"`.`_perch_track_mat_stats_src`") {
		t.Errorf("leftovers = %+v", st.Leftovers)
	}
}
