package apply

import (
	"context"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/engine"
	"github.com/perchdata/perch/workspace/plan"
)

// ranContaining returns the statements of a deployment (tagged
// "/* perch deployment ID */ ") that ran containing every one of subs; not
// perch's own bookkeeping (the journal and log rows quote the plan).
func ranContaining(ran []string, subs ...string) []string {
	var out []string
next:
	for _, q := range ran {
		if !strings.HasPrefix(q, "/* perch deployment ") {
			continue
		}
		for _, s := range subs {
			if !strings.Contains(q, s) {
				continue next
			}
		}
		out = append(out, q)
	}
	return out
}

// TestAddColumnIfNotExistsAndModifyTTL reads what really ran for an added
// column and a changed TTL: on the embedded 26.x engine ADD COLUMN IF NOT
// EXISTS (a retried step is harmless) and MODIFY TTL in place, moving no
// rows, with the TTL read back as written (planning again finds nothing);
// on 18.16 a plain ADD COLUMN, and a TTL is a plan error naming the data
// source (18.16 has no table TTL).
func TestAddColumnIfNotExistsAndModifyTTL(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		ctx := context.Background()
		c, rc := openRecorded(t, db)
		if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, baseFiles())), Options{}); err != nil {
			t.Fatal(err)
		}
		db.Exec(t, "INSERT INTO events SELECT now(), toString(number % 7), number FROM numbers(1000)")

		files := baseFiles()
		files["datasources/events.datasource"] = strings.Replace(eventsFile, "value UInt64", "value UInt64,\n    country String DEFAULT 'xx'", 1)
		before := len(rc.Statements())
		if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, files)), Options{}); err != nil {
			t.Fatal(err)
		}
		added := ranContaining(rc.Statements()[before:], "ALTER TABLE", "ADD COLUMN")
		if len(added) != 1 {
			t.Fatalf("ADD COLUMN statements that ran: %q, want one", added)
		}
		ifNotExists := strings.Contains(added[0], "ADD COLUMN IF NOT EXISTS")
		if want := db.Kind == engine.KindEmbedded; ifNotExists != want {
			t.Errorf("on %s: %s (IF NOT EXISTS: %v, want %v)", c.Capabilities().Version, added[0], ifNotExists, want)
		}

		withTTL := strings.Replace(files["datasources/events.datasource"], `ENGINE_SORTING_KEY "timestamp"`, `ENGINE_SORTING_KEY "timestamp"`+"\nENGINE_TTL \"timestamp + toIntervalDay(30)\"", 1)
		files["datasources/events.datasource"] = withTTL
		p := planFor(t, c, writeProject(t, files))
		if db.Kind == engine.KindNative {
			if len(p.Errors) != 1 || !strings.Contains(p.Errors[0], "events") || !strings.Contains(p.Errors[0], "server 18.16") || !strings.Contains(p.Errors[0], "TTL") {
				t.Errorf("a TTL on 18.16: plan errors %q, want one naming events", p.Errors)
			}
			return
		}
		ch := p.Change("events")
		if ch == nil || ch.Method != plan.MethodAlter || ch.EstRows != 0 || len(p.Errors) > 0 {
			t.Fatalf("want the TTL altered in place:\n%s", render(p))
		}
		before = len(rc.Statements())
		var copied uint64
		if _, err := Apply(ctx, c, p, Options{OnEvent: func(e Event) {
			if e.Kind == RowsCopied {
				copied += e.Rows
			}
		}}); err != nil {
			t.Fatal(err)
		}
		if ttl := ranContaining(rc.Statements()[before:], "ALTER TABLE", "MODIFY TTL"); len(ttl) != 1 || copied != 0 {
			t.Errorf("MODIFY TTL statements %q, rows copied %d: want one statement and no row moved", ttl, copied)
		}
		if got := db.QueryString(t, "SELECT engine_full FROM system.tables WHERE database = currentDatabase() AND name = 'events'"); !strings.Contains(got, "TTL timestamp + toIntervalDay(30)") {
			t.Errorf("events after MODIFY TTL: %s", got)
		}
		if got := db.QueryString(t, "SELECT toString(count()) FROM events"); got != "1000" {
			t.Errorf("events holds %s rows after MODIFY TTL, want 1000", got)
		}
		if again := planFor(t, c, writeProject(t, files)); !again.Empty() {
			t.Errorf("changes after MODIFY TTL:\n%s", render(again))
		}
	})
}

// TestModifyQueryUnderStreaming changes a materialized view's query on the
// embedded 26.x engine while a producer streams rows, with DEPLOYMENT_METHOD
// alter (new rows only): the plan swaps it with MODIFY QUERY (no recreate, no backfill), no row reaches the view's
// target twice or not at all (the count of purchases per country still
// equals events'), rows inserted afterwards go through the new query, and
// planning again finds nothing. The embedded engine only: 18.16 has no
// MODIFY QUERY (its path, the watermark recreate, is TestZeroLossUnderStreaming's).
func TestModifyQueryUnderStreaming(t *testing.T) {
	db := srv.NewDatabaseOn(t, engine.KindEmbedded)
	ctx := context.Background()
	c, rc := deployedStream(t, db)
	prod := startProducer(t, db)
	files := streamFiles()
	// DEPLOYMENT_METHOD alter: the new query for new rows only (without it
	// the target is recomputed with the tracked method).
	files["pipes/sales.pipe"] = strings.Replace(strings.Replace(salesPipe, "sum(revenue) AS revenue", "sum(revenue * 2) AS revenue", 1),
		"TYPE materialized\n", "TYPE materialized\nDEPLOYMENT_METHOD alter\n", 1)
	dir := writeDir(t, files)
	p := planFor(t, c, loadDir(t, dir))
	if ch := p.Change("sales"); ch == nil || ch.Method != plan.MethodModifyQuery || len(p.Changes) != 1 {
		prod.stop()
		t.Fatalf("want one MODIFY QUERY of sales:\n%s", render(p))
	}
	before := len(rc.Statements())
	if _, err := Apply(ctx, c, p, Options{}); err != nil {
		prod.stop()
		t.Fatal(err)
	}
	prod.stop()
	ran := rc.Statements()[before:]
	if mq := ranContaining(ran, "ALTER TABLE", "MODIFY QUERY"); len(mq) != 1 {
		t.Errorf("MODIFY QUERY statements that ran: %q, want one", mq)
	}
	for _, q := range ran {
		if strings.Contains(q, "*/ DROP TABLE") || strings.Contains(q, "*/ CREATE MATERIALIZED VIEW") {
			t.Errorf("MODIFY QUERY also ran %.200s", q)
		}
	}
	checkRows(t, db, prod.tally, 0)
	orders := "SELECT toString(count()) FROM (SELECT country, sum(orders) AS o FROM sales_daily GROUP BY country) AS v " +
		"FULL OUTER JOIN (SELECT country, count() AS o2 FROM events WHERE event_type = 'purchase' GROUP BY country) AS e USING country WHERE o != o2"
	if n := db.QueryString(t, orders); n != "0" {
		t.Errorf("sales_daily counts purchases differently from events in %s countries after MODIFY QUERY", n)
	}
	db.Exec(t, "INSERT INTO events (event_id, timestamp, session_id, user_id, event_type, pathname, referrer, country, device, browser, duration_ms, revenue) "+
		"SELECT 90001 + number, toDateTime('2030-01-01 10:00:00'), 'mq', 'mq', 'purchase', '/', '', 'NZ', 'mobile', 'Chrome', 1, 5. FROM numbers(4)")
	if got := db.QueryString(t, "SELECT toString(sum(revenue)) FROM sales_daily WHERE country = 'NZ'"); got != "40" {
		t.Errorf("revenue of 4 purchases of 5 after MODIFY QUERY = %s, want 40 (the new query doubles it)", got)
	}
	assertNoChanges(t, c, dir)
}
