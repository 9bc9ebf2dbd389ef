package apply

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

// TestMissingFunctionIsAPlanError plans, against the real server, a
// materialized pipe calling JSONExtractString (which 18.16 lacks) and one
// calling countIf (count with the If combinator, which it has): the first is
// a plan error at the node's datafile position, the second applies. On an
// engine that has both (the embedded 26.x one) the whole project applies.
func TestMissingFunctionIsAPlanError(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *workspace.Client, _ *clickhousetest.DB) { missingFunctionIsAPlanError(t, c) })
}

func missingFunctionIsAPlanError(t *testing.T, c *workspace.Client) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("datasources/events.datasource", "SCHEMA >\n    `ts` DateTime,\n    `payload` String,\n    `value` UInt64\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"ts\"\n")
	write("datasources/daily.datasource", "SCHEMA >\n    `day` Date,\n    `n` UInt64\n\nENGINE \"SummingMergeTree\"\nENGINE_SORTING_KEY \"day\"\n")
	write("datasources/names.datasource", "SCHEMA >\n    `day` Date,\n    `name` String\n\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"day\"\n")
	write("pipes/mat_daily.pipe", "NODE agg\nSQL >\n    SELECT toDate(ts) AS day, countIf(value > 0) AS n FROM events GROUP BY day\n\nTYPE materialized\nDATASOURCE daily\n")
	write("pipes/mat_names.pipe", "NODE extract\nSQL >\n    SELECT toDate(ts) AS day, JSONExtractString(payload, 'name') AS name FROM events\n\nTYPE materialized\nDATASOURCE names\n")
	local, err := datafiles.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	p := planFor(t, c, local)
	v := c.Capabilities().Version
	if v.AtLeast(19, 1) {
		// The engine has JSONExtractString: no plan error, both views apply and run.
		if len(p.Errors) > 0 {
			t.Fatalf("server %s has JSONExtractString, yet plan errors: %v", v, p.Errors)
		}
		if _, err := Apply(context.Background(), c, p, Options{}); err != nil {
			t.Fatalf("apply on %s: %v", v, err)
		}
		ctx := context.Background()
		if err := c.Conn().Exec(ctx, `INSERT INTO events VALUES (now(), '{"name":"ann"}', 1)`); err != nil {
			t.Fatal(err)
		}
		var name string
		if err := c.Conn().QueryRow(ctx, "SELECT name FROM names").Scan(&name); err != nil || name != "ann" {
			t.Fatalf("mat_names wrote %q (%v), want ann", name, err)
		}
		return
	}
	node := local.Pipes["mat_names"].Nodes[0]
	want := node.Pos.String() + ": mat_names.extract: server " + v.String() + " has no function JSONExtractString"
	if len(p.Errors) != 1 || p.Errors[0] != want {
		t.Fatalf("plan errors = %q\nwant [%q]", p.Errors, want)
	}
	if !strings.Contains(want, "mat_names.pipe:1:") {
		t.Errorf("error %q does not give the node's line in the pipe's datafile", want)
	}
	t.Log(want)

	// Without the failing pipe the plan (countIf included) applies.
	delete(local.Pipes, "mat_names")
	p = planFor(t, c, local)
	if len(p.Errors) > 0 {
		t.Fatalf("plan errors without mat_names: %v", p.Errors)
	}
	if _, err := Apply(context.Background(), c, p, Options{Files: keptFiles(local)}); err != nil {
		t.Fatalf("apply with countIf: %v", err)
	}
}
