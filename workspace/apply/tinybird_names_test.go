package apply

import (
	"context"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

// TestApplyTinybirdNames applies a project with what Tinybird deploys
// beyond its files (issue 14: a Classic VERSION n table named name__vN, a
// Kafka data source with its meta columns in the partition key, the
// quarantine table a node reads) and plans again: no change is left.
func TestApplyTinybirdNames(t *testing.T) {
	ctx := context.Background()
	forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
		local := writeProject(t, map[string]string{
			"datasources/page_views.datasource": "VERSION 3\nSCHEMA >\n    `ts` DateTime,\n    `path` String\n\nENGINE_SORTING_KEY ts\n",
			"datasources/hits.datasource":       "SCHEMA >\n    `path` String,\n    `n` UInt64\n\nENGINE SummingMergeTree\nENGINE_SORTING_KEY path\n",
			"datasources/events.datasource": "SCHEMA >\n    `a` String `json:$.a`\n\nENGINE_PARTITION_KEY toYYYYMM(__timestamp)\nENGINE_SORTING_KEY __offset\n" +
				"KAFKA_CONNECTION_NAME kafka_conn\nKAFKA_TOPIC events\n",
			"pipes/hits_mv.pipe": "VERSION 1\nNODE m\nSQL >\n    SELECT path, count() AS n FROM page_views GROUP BY path\n\nTYPE materialized\nDATASOURCE hits\n",
			"pipes/errors.pipe":  "NODE e\nSQL >\n    SELECT c__error, a FROM events_quarantine\n\nTYPE endpoint\n",
		})
		p := planFor(t, c, local)
		if len(p.Errors) > 0 {
			t.Fatalf("plan errors: %s", render(p))
		}
		if _, err := Apply(ctx, c, p, Options{}); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"page_views__v3", "hits", "events", "events_quarantine", "hits_mv__v1"} {
			if n := db.QueryString(t, "SELECT toString(count()) FROM system.tables WHERE database = '"+db.Name+"' AND name = '"+table+"'"); n != "1" {
				t.Errorf("table %s: %s", table, n)
			}
		}
		db.Exec(t, "INSERT INTO "+db.Name+".page_views__v3 SELECT now(), '/a' FROM numbers(2)")
		if n := db.QueryString(t, "SELECT toString(sum(n)) FROM "+db.Name+".hits"); n != "2" {
			t.Errorf("the versioned view counted %s rows into hits, want 2", n)
		}
		if cols := db.QueryString(t, "SELECT arrayStringConcat(groupArray(name), ',') FROM system.columns WHERE database = '"+db.Name+"' AND table = 'events'"); !strings.Contains(cols, "a,__value,__topic,__partition,__offset,__timestamp,__key") {
			t.Errorf("events columns %s", cols)
		}
		again := planFor(t, c, local)
		if !again.Empty() {
			t.Fatalf("changes left after apply:\n%s", render(again))
		}
		snap, err := c.Snapshot(ctx, c.Database())
		if err != nil {
			t.Fatal(err)
		}
		drift, err := c.Drift(ctx, snap)
		if err != nil {
			t.Fatal(err)
		}
		if len(drift.Items) < 5 {
			t.Errorf("drift has %d items, want the 5 deployed objects: %+v", len(drift.Items), drift.Items)
		}
		for _, it := range drift.Items {
			if it.Status != workspace.InSync {
				t.Errorf("drift: %s %s %s %v", it.Kind, it.Name, it.Status, it.Changes)
			}
		}
	})
}
