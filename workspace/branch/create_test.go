package branch

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

// prodState is what "production untouched" compares: the structure's
// fingerprint and every resource's row count.
func prodState(t *testing.T, c *workspace.Client) (string, map[string]uint64) {
	t.Helper()
	s, err := c.Snapshot(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]uint64{}
	for _, o := range s.Resources() {
		rows[o.Name] = o.Rows
	}
	return s.Fingerprint(), rows
}

// sameRows fails t unless tables a and b hold the same rows (as sets, and
// as many).
func sameRows(t *testing.T, w *workspaceFixture, a, b, cols string) {
	t.Helper()
	na := w.count(t, "SELECT count() FROM "+a)
	nb := w.count(t, "SELECT count() FROM "+b)
	if na != nb {
		t.Fatalf("%s has %d rows, %s %d", a, na, b, nb)
	}
	for _, pair := range [][2]string{{a, b}, {b, a}} {
		q := fmt.Sprintf("SELECT count() FROM %s WHERE (%s) NOT IN (SELECT %s FROM %s)", pair[0], cols, cols, pair[1])
		if n := w.count(t, q); n != 0 {
			t.Errorf("%d rows of %s are not in %s", n, pair[0], pair[1])
		}
	}
}

// TestTwoSortingKeysHoldTheSameRows: branches with different sorting keys,
// created with the same sample from the same data, hold exactly the rows
// whose hash falls in the sample, their views recompute from those rows,
// and the workspace is untouched but for one log entry per branch.
func TestTwoSortingKeysHoldTheSameRows(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		w := newWorkspace(t, db, 130000)
		fp, rows := prodState(t, w.c)
		sample, err := ParsePercent("10")
		if err != nil {
			t.Fatal(err)
		}
		ra := w.create(t, "by_time", w.dir, CreateOptions{Sample: sample})
		rb := w.create(t, "by_country", writeProject(t, sortB), CreateOptions{Sample: sample})

		a, b := qi(w.db.Name+"__br_by_time"), qi(w.db.Name+"__br_by_country")
		for _, db := range []string{a, b} {
			for _, table := range []string{"events", "users"} {
				if !strings.Contains(w.db.QueryString(t, "SELECT toString(count()) FROM system.tables WHERE database = '"+strings.Trim(db, "`")+"' AND name = '"+table+"'"), "1") {
					t.Fatalf("%s.%s missing", db, table)
				}
			}
		}
		keyA := w.db.QueryString(t, "SELECT sorting_key FROM system.tables WHERE database = '"+strings.Trim(a, "`")+"' AND name = 'events'")
		keyB := w.db.QueryString(t, "SELECT sorting_key FROM system.tables WHERE database = '"+strings.Trim(b, "`")+"' AND name = 'events'")
		if keyA != sortA || keyB != sortB {
			t.Errorf("sorting keys %q and %q, want %q and %q", keyA, keyB, sortA, sortB)
		}

		const cols = "id, ts, user, country, amount, tags, assumeNotNull(note), isNull(note)"
		sameRows(t, w, a+".events", b+".events", cols)
		sameRows(t, w, a+".users", b+".users", "user, plan")

		// Exactly the workspace's rows whose hash is in the lowest 10%.
		src, err := w.c.Snapshot(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		hash, err := rowHash(storedColumns(src.Object("events")))
		if err != nil {
			t.Fatal(err)
		}
		want := w.count(t, "SELECT count() FROM events WHERE "+sample.filter(hash))
		got := w.count(t, "SELECT count() FROM "+a+".events")
		if got != want || got < 11000 || got > 15000 {
			t.Errorf("branch has %d events, the sample of the workspace %d (of 130000)", got, want)
		}
		if n := w.count(t, "SELECT count() FROM "+a+".events WHERE (id, ts, user) NOT IN (SELECT id, ts, user FROM events WHERE "+sample.filter(hash)+")"); n != 0 {
			t.Errorf("%d branch rows are not in the workspace's sample", n)
		}
		if ra.Record.Rows != got+w.count(t, "SELECT count() FROM "+a+".users") || ra.Record.State != workspace.BranchReady {
			t.Errorf("record: %+v", ra.Record)
		}
		if rb.Changes == 0 || rb.Deployment == "" {
			t.Errorf("branch b applied %d changes (deployment %q)", rb.Changes, rb.Deployment)
		}

		// The views recomputed from the sample: per_country agrees with events.
		for _, db := range []string{a, b} {
			q := fmt.Sprintf("SELECT count() FROM (SELECT country, sum(n) AS n, round(sum(amount), 3) AS amount FROM %s.per_country GROUP BY country) AS v "+
				"ALL FULL OUTER JOIN (SELECT country, count() AS n2, round(sum(amount), 3) AS amount2 FROM %s.events GROUP BY country) AS e USING country "+
				"WHERE n != n2 OR amount != amount2", db, db)
			if n := w.count(t, q); n != 0 {
				t.Errorf("%s: %d countries where per_country disagrees with events", db, n)
			}
			if n := w.count(t, "SELECT sum(n) FROM "+db+".per_country"); n != got {
				t.Errorf("%s: per_country counts %d events, the branch holds %d", db, n, got)
			}
		}

		// The workspace is untouched.
		fp2, rows2 := prodState(t, w.c)
		if fp2 != fp {
			t.Errorf("workspace fingerprint changed: %s -> %s", fp, fp2)
		}
		for name, n := range rows {
			if rows2[name] != n {
				t.Errorf("workspace %s: %d rows before, %d after", name, n, rows2[name])
			}
		}
		hist, err := w.c.History(context.Background(), 0)
		if err != nil {
			t.Fatal(err)
		}
		created := 0
		for _, d := range hist {
			if d.Outcome == workspace.OutcomeBranchCreated {
				created++
				if len(d.Files) != 0 || !strings.Contains(d.Message, "10%") {
					t.Errorf("log entry %+v", d)
				}
			}
		}
		if created != 2 {
			t.Errorf("%d branch entries in the workspace log, want 2", created)
		}
		latest, err := w.c.Latest(context.Background())
		if err != nil || latest == nil || latest.Outcome != workspace.OutcomeSuccess {
			t.Errorf("latest deployment is %+v (%v), want the workspace's own", latest, err)
		}
	})
}
