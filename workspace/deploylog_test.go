package workspace

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace/clickhousetest"
)

// deployedFiles is a small project as perch would record it.
func deployedFiles() []DeployedFile {
	return []DeployedFile{
		{"datasources/events.datasource", "SCHEMA >\n    `ts` DateTime,\n    `user_id` UInt64,\n    `name` String\n\nENGINE \"MergeTree\"\nENGINE_PARTITION_KEY \"toYYYYMM(ts)\"\nENGINE_SORTING_KEY \"user_id, ts\"\n"},
		{"datasources/daily.datasource", "SCHEMA >\n    `day` Date,\n    `user_id` UInt64,\n    `c` AggregateFunction(count)\n\nENGINE \"AggregatingMergeTree\"\nENGINE_SORTING_KEY \"day, user_id\"\n"},
		{"materializations/daily_mv.pipe", "NODE only_a\nSQL >\n    SELECT * FROM events WHERE name = 'a'\n\nNODE agg\nSQL >\n    SELECT toDate(ts) day, user_id, countState() c\n    FROM only_a\n    GROUP BY day, user_id\n\nTYPE materialized\nDATASOURCE daily\n"},
		{"endpoints/top.pipe", "NODE top\nSQL >\n    %\n    SELECT user_id FROM events LIMIT {{Int32(n, 10)}}\n\nTYPE endpoint\n"},
	}
}

// deployedDDL creates what deployedFiles describe (by hand, as perch's DDL would).
func deployedDDL() []string {
	return []string{
		"CREATE TABLE events (ts DateTime, user_id UInt64, name String) ENGINE = MergeTree() PARTITION BY toYYYYMM(ts) ORDER BY (user_id, ts)",
		"CREATE TABLE daily (day Date, user_id UInt64, c AggregateFunction(count)) ENGINE = AggregatingMergeTree() ORDER BY (day, user_id)",
		"CREATE MATERIALIZED VIEW daily_mv TO daily AS SELECT toDate(ts) AS day, user_id, countState() AS c FROM (SELECT * FROM events WHERE name = 'a') AS only_a GROUP BY day, user_id",
	}
}

func TestDeploymentLog(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *Client, _ *clickhousetest.DB) {
		ctx := context.Background()
		if d, err := c.Latest(ctx); err != nil || d != nil {
			t.Fatalf("Latest before any deployment = %v, %v", d, err)
		}
		if h, err := c.History(ctx, 0); err != nil || len(h) != 0 {
			t.Fatalf("History before any deployment = %v, %v", h, err)
		}
		tricky := "it's \"quoted\" \\ back\\slash\n\ttab — ünïcode 🚀 \x00 end"
		files := append(deployedFiles(), DeployedFile{"includes/x.incl", tricky})
		first := &Deployment{Author: "Ana <ana@example.com>", GitCommit: "abc123", GitBranch: "main", Message: tricky,
			Files: files, Plan: `{"changes":[{"id":"create:events"}]}`, Outcome: OutcomeSuccess, PerchVersion: "dev", Target: "local",
			Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
		if err := c.Record(ctx, first); err != nil {
			t.Fatal(err)
		}
		second := &Deployment{Author: "Bo", Message: "broken", Outcome: OutcomeFailed, Error: "exec ALTER: boom", Time: first.Time.Add(time.Hour)}
		if err := c.Record(ctx, second); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(first.ID, "20260102T030405Z-") {
			t.Errorf("id = %s", first.ID)
		}
		latest, err := c.Latest(ctx)
		if err != nil || latest == nil || latest.ID != first.ID {
			t.Fatalf("Latest = %+v, %v; want the last successful %s", latest, err, first.ID)
		}
		if len(latest.Files) != len(files) || latest.Files[len(files)-1].Text != tricky || latest.Message != tricky {
			t.Errorf("texts not kept exactly: %q", latest.Files[len(latest.Files)-1].Text)
		}
		if latest.Plan != first.Plan || latest.Author != first.Author || latest.GitCommit != "abc123" || latest.GitBranch != "main" || !latest.Time.Equal(first.Time) {
			t.Errorf("latest = %+v", latest)
		}
		h, err := c.History(ctx, 0)
		if err != nil || len(h) != 2 || h[0].ID != second.ID || h[1].ID != first.ID {
			t.Fatalf("History = %v, %v", h, err)
		}
		if h[1].FileCount != len(files) || h[1].Files != nil || h[1].Plan != "" {
			t.Errorf("history entry should count files without texts: %+v", h[1])
		}
		if h[0].Outcome != OutcomeFailed || h[0].Error != "exec ALTER: boom" {
			t.Errorf("failed entry = %+v", h[0])
		}
		if h1, _ := c.History(ctx, 1); len(h1) != 1 {
			t.Errorf("History(1) returned %d", len(h1))
		}
		got, err := c.Get(ctx, first.ID[:20])
		if err != nil || got.ID != first.ID || len(got.Files) != len(files) {
			t.Fatalf("Get(prefix) = %+v, %v", got, err)
		}
		if _, err := c.Get(ctx, "nope"); !errors.Is(err, ErrNoDeployment) {
			t.Errorf("Get(unknown) = %v", err)
		}
		if _, err := c.Get(ctx, "2026"); err == nil {
			t.Error("ambiguous prefix accepted")
		}
	})
}

// TestDeploymentLogStoresNoCredentials: passwords and DSN credentials in
// errors, plans or messages never reach the log.
func TestDeploymentLogStoresNoCredentials(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *Client, db *clickhousetest.DB) {
		c.secrets = []string{"pa55word!"}
		d := &Deployment{Author: "x", Outcome: OutcomeFailed,
			Message: "deploy to clickhouse://admin:other-secret@prod:9440/db",
			Error:   "auth failed for pa55word! at clickhouse://u:pa55word!@h:9000?password=qq1",
			Plan:    `{"dsn":"clickhouse://h/db?username=u&password=zz9"}`}
		if err := c.Record(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		all := db.QueryString(t, "SELECT concat(message, error, plan, arrayStringConcat(file_texts)) FROM "+DeploymentsTable)
		for _, secret := range []string{"pa55word!", "other-secret", "qq1", "zz9"} {
			if strings.Contains(all, secret) {
				t.Errorf("secret %q stored in the log: %s", secret, all)
			}
		}
		if !strings.Contains(all, "admin:***@prod") {
			t.Errorf("redacted text lost its context: %s", all)
		}
	})
}

func TestDrift(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *Client, db *clickhousetest.DB) {
		ctx := context.Background()
		db.Exec(t, deployedDDL()...)
		if err := c.Record(ctx, &Deployment{Author: "a", Files: deployedFiles(), Outcome: OutcomeSuccess}); err != nil {
			t.Fatal(err)
		}
		status := func() map[string]DriftItem {
			t.Helper()
			s, err := c.Snapshot(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			r, err := c.Drift(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]DriftItem{}
			for _, it := range r.Items {
				if it.Error != "" {
					t.Errorf("%s: %s", it.Name, it.Error)
				}
				out[it.Name] = it
			}
			return out
		}
		st := status()
		for _, name := range []string{"events", "daily", "daily_mv"} {
			if st[name].Status != InSync {
				t.Errorf("%s = %+v, want in sync right after the deployment", name, st[name])
			}
		}
		if _, ok := st["top"]; ok {
			t.Error("an endpoint pipe has no DDL and cannot drift")
		}
		if _, ok := st[DeploymentsTable]; ok {
			t.Error("the deployment log is listed as a resource")
		}
		db.Exec(t,
			"ALTER TABLE events ADD COLUMN hand_made UInt8",
			"DROP TABLE daily_mv",
			"CREATE MATERIALIZED VIEW daily_mv TO daily AS SELECT toDate(ts) AS day, user_id, countState() AS c FROM events GROUP BY day, user_id",
			"CREATE TABLE scratch (a UInt8) ENGINE = Memory",
		)
		st = status()
		if it := st["events"]; it.Status != Drifted || len(it.Changes) != 1 || it.Changes[0].Column != "hand_made" {
			t.Errorf("events = %+v, want drifted by hand_made", it)
		}
		if it := st["daily_mv"]; it.Status != Drifted || it.Changes[0].Field != "query" {
			t.Errorf("daily_mv = %+v, want a drifted query", it)
		}
		if st["scratch"].Status != Unmanaged || st["daily"].Status != InSync {
			t.Errorf("scratch = %+v, daily = %+v", st["scratch"], st["daily"])
		}
		db.Exec(t, "DROP TABLE daily_mv", "DROP TABLE daily")
		st = status()
		if st["daily"].Status != Missing || st["daily_mv"].Status != Missing {
			t.Errorf("daily = %+v, daily_mv = %+v, want missing", st["daily"], st["daily_mv"])
		}
	})
}

func TestDriftWithoutDeployment(t *testing.T) {
	s := &Snapshot{Database: "d", Objects: map[string]*Object{
		"t": {Name: "t", Kind: KindTable}, "_perch_deployments": {Name: "_perch_deployments", Kind: KindTable, Internal: true},
	}}
	r, err := ComputeDrift(nil, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Items) != 1 || r.Items[0].Status != Unmanaged || r.Summary() != "1 unmanaged" {
		t.Errorf("report = %+v (%s)", r, r.Summary())
	}
}

// TestRecordLargeDeployment: datafile texts beyond the server's default
// max_query_size (256 KiB) are recorded whole.
func TestRecordLargeDeployment(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *Client, _ *clickhousetest.DB) {
		big := strings.Repeat("SELECT 'x' -- a long node\n", 60000) // ~1.5 MB
		d := &Deployment{Author: "a", Outcome: OutcomeSuccess, Files: []DeployedFile{{"pipes/big.pipe", big}}}
		if err := c.Record(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		got, err := c.Get(context.Background(), d.ID)
		if err != nil || len(got.Files) != 1 || got.Files[0].Text != big {
			t.Fatalf("large file not kept: %v", err)
		}
	})
}
