package apply

import (
	"context"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace/engine"
)

// TestMergingSourceRefused: on the embedded 26.x engine an insert into a
// ReplacingMergeTree forms a part that is already merged (level 1) and
// collapsed (fewer rows than the block), so the tracked view method, which
// matches parts to the insert blocks a view saw, cannot prove which parts a
// view processed there (with inserts running, every new part read as merged
// and the apply failed at the backfill, the view already in place). The
// plan refuses such a view change up front,
// saying what would make it possible, and BACKFILL skip plans and applies.
func TestMergingSourceRefused(t *testing.T) {
	db := srv.NewDatabaseOn(t, engine.KindEmbedded)
	c := openOn(t, db)
	ctx := context.Background()
	files := baseFiles()
	files["datasources/events.datasource"] = strings.Replace(eventsFile, `ENGINE "MergeTree"`, `ENGINE "ReplacingMergeTree"`, 1)
	delete(files, "pipes/mat_per_user.pipe")
	if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, files)), Options{}); err != nil {
		t.Fatal(err)
	}
	// one block of three rows, two with the same sorting key
	db.Exec(t, "INSERT INTO events VALUES ('2026-12-01 10:00:00', 'a', 1), ('2026-12-01 10:00:00', 'b', 2), ('2026-12-01 11:00:00', 'c', 3)")
	var rows uint64
	var level uint32
	if err := c.Conn().QueryRow(ctx, "SELECT rows, level FROM system.parts WHERE database = '"+db.Name+"' AND table = 'events' AND active").Scan(&rows, &level); err != nil {
		t.Fatal(err)
	}
	if rows != 2 || level == 0 {
		t.Fatalf("the insert formed a part of %d rows at level %d; the refusal rests on 2 rows at level 1", rows, level)
	}
	files["pipes/mat_per_user.pipe"] = matFile
	p := planFor(t, c, writeProject(t, files))
	msg := strings.Join(p.Errors, "\n")
	if !strings.Contains(msg, "events is a ReplacingMergeTree: its inserts are collapsed") || !strings.Contains(msg, "BACKFILL skip on per_user") {
		t.Fatalf("want the merging-source refusal, got:\n%s", render(p))
	}
	files["datasources/per_user.datasource"] = perUserFile + "BACKFILL skip\n"
	p = planFor(t, c, writeProject(t, files))
	if len(p.Errors) > 0 {
		t.Fatalf("BACKFILL skip refused:\n%s", render(p))
	}
	if _, err := Apply(ctx, c, p, Options{}); err != nil {
		t.Fatal(err)
	}
	db.Exec(t, "INSERT INTO events VALUES ('2026-12-01 12:00:00', 'd', 5)")
	if got := db.QueryString(t, "SELECT toString(sum(total)) FROM per_user"); got != "5" {
		t.Errorf("per_user holds %s after one insert of 5 (BACKFILL skip: no history)", got)
	}
}
