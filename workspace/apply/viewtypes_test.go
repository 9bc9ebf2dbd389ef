package apply

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/engine"
	"github.com/perchdata/perch/workspace/journal"
	"github.com/perchdata/perch/workspace/plan"
)

// A view keeping an aggregate state of duration_ms (issue 20, case 1: a
// customer_id UInt32 -> UInt64 under uniqState into AggregateFunction(uniq, UInt32)).
const visitorsFile = `SCHEMA >
    date Date,
    durations AggregateFunction(uniq, UInt32)

ENGINE "AggregatingMergeTree"
ENGINE_SORTING_KEY "date"
`

const visitorsPipe = `NODE v
SQL >
    SELECT toDate(timestamp) AS date, uniqState(duration_ms) AS durations
    FROM events
    WHERE event_type = 'purchase'
    GROUP BY date
TYPE materialized
DATASOURCE visitors
`

func visitorFiles() map[string]string {
	f := streamFiles()
	f["datasources/visitors.datasource"] = visitorsFile
	f["pipes/visitors_mv.pipe"] = visitorsPipe
	return f
}

// wideDuration changes duration_ms from UInt32 to UInt64: a rebuild, and the
// view's uniqState then produces AggregateFunction(uniq, UInt64).
func wideDuration(f map[string]string) map[string]string {
	f["datasources/events.datasource"] = strings.Replace(f["datasources/events.datasource"], "duration_ms UInt32", "duration_ms UInt64", 1)
	return f
}

// TestTypeChangeThroughViews reproduces issue 20 case 1 on 18.16 with a
// producer streaming (and resending failed batches identical): the planner
// types every view reading the changed table against the new definition
// and refuses, naming the view, the column and both types; a plan that
// skipped the check (an older saved plan) is stopped by apply's check before
// the swap and rolled back; inserts never fail, nothing is stored twice; a
// view that keeps its type (an explicit cast) lets the change through, and
// the apply proves an insert flows through it before calling it done.
func TestTypeChangeThroughViews(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) { typeChangeThroughViews(t, c, db) })
}

func typeChangeThroughViews(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
	ctx := context.Background()
	if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, visitorFiles())), Options{}); err != nil {
		t.Fatal(err)
	}
	db.Exec(t, initialInsert)
	prod := startProducer(t, db)

	// 1. The plan refuses, saying why.
	p := planFor(t, c, writeProject(t, wideDuration(visitorFiles())))
	want := "visitors_mv (events -> visitors) would break"
	if len(p.Errors) != 1 || !strings.Contains(p.Errors[0], want) || !strings.Contains(p.Errors[0], "AggregateFunction(uniq, UInt64)") || !strings.Contains(p.Errors[0], "AggregateFunction(uniq, UInt32)") {
		t.Fatalf("plan errors = %q, want one naming %q and both types", p.Errors, want)
	}

	// 2. The same plan without the server check: apply refuses before the swap.
	local := writeProject(t, wideDuration(visitorFiles()))
	remote, _, err := plan.Against(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	unchecked, err := plan.Build(local, remote, plan.Options{Compile: plan.Compile})
	if err != nil || len(unchecked.Errors) > 0 {
		t.Fatalf("build: %v %q", err, unchecked.Errors)
	}
	res, err := Apply(ctx, c, unchecked, Options{})
	if err == nil || !strings.Contains(err.Error(), "check-flow-new") || !strings.Contains(err.Error(), "visitors_mv") {
		t.Fatalf("apply of the unchecked plan: err = %v, want a refusal at check-flow-new naming visitors", err)
	}
	if !res.Undone {
		t.Errorf("the refused change was not undone: %+v", res)
	}
	if got := db.QueryString(t, "SELECT type FROM system.columns WHERE database = currentDatabase() AND table = 'events' AND name = 'duration_ms'"); got != "UInt32" {
		t.Errorf("duration_ms is %s after the refused apply", got)
	}
	if n := db.QueryString(t, "SELECT toString(count()) FROM system.tables WHERE database = currentDatabase() AND (endsWith(name, '__new') OR startsWith(name, '_perch_scratch'))"); n != "0" {
		t.Errorf("%s helper tables left after the refusal", n)
	}
	if d, err := c.Get(ctx, res.DeploymentID); err != nil || d.Outcome != workspace.OutcomeFailed {
		t.Errorf("refused deployment recorded as %v (%v)", d, err)
	}

	prod.stop()
	checkRows(t, db, prod.tally, 0)
	checkView(t, db)

	// 3. A view that keeps its type: the change applies, checked through the view.
	db = srv.NewDatabaseOn(t, db.Kind)
	c = openOn(t, db)
	keep := visitorFiles()
	keep["pipes/visitors_mv.pipe"] = strings.Replace(visitorsPipe, "uniqState(duration_ms)", "uniqState(toUInt32(duration_ms))", 1)
	if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, keep)), Options{}); err != nil {
		t.Fatal(err)
	}
	db.Exec(t, initialInsert)
	prod = startProducer(t, db)
	if db.Kind == engine.KindEmbedded {
		// On 26.x an insert racing the EXCHANGE of the swap can land in the
		// backup without firing the views (the tail then attaches it
		// without them): a known gap of the 26.x swap, outside what this
		// test is about, so the producer stops before the swap here.
		prod.stop()
	}
	keep = wideDuration(keep)
	p = planFor(t, c, writeProject(t, keep))
	if len(p.Errors) > 0 {
		t.Fatalf("a view keeping its types is refused: %q", p.Errors)
	}
	var flowed []string
	if _, err := Apply(ctx, c, p, Options{OnEvent: func(e Event) {
		if e.Kind == CheckPassed && e.Step == "check-flow" {
			flowed = append(flowed, e.Message)
		}
	}}); err != nil {
		t.Fatal(err)
	}
	if len(flowed) != 1 || !strings.Contains(flowed[0], "visitors_mv") || !strings.Contains(flowed[0], "sales") {
		t.Errorf("after the swap, the flow check reported %q, want both views", flowed)
	}
	prod.stop()
	checkRows(t, db, prod.tally, 0)
	checkView(t, db)
	if got := db.QueryString(t, "SELECT type FROM system.columns WHERE database = currentDatabase() AND table = 'events' AND name = 'duration_ms'"); got != "UInt64" {
		t.Errorf("duration_ms is %s", got)
	}
}

// TestTypeChangeThroughViewsDownstream covers the downstream side: a
// scalar read by a view into a column of the old type, on a server that
// refuses any type difference at insert time (18.16). Changing only the
// source is refused with the fix (change the target too); changing both is
// refused too, with the reason (no order keeps inserts flowing).
func TestTypeChangeThroughViewsDownstream(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) { typeChangeDownstream(t, c) })
}

func typeChangeDownstream(t *testing.T, c *workspace.Client) {
	ctx := context.Background()
	// 18.16 refuses any type difference when a view pushes a block; newer
	// servers convert (UInt64 into UInt32 can then change values).
	strict := !c.Capabilities().Version.AtLeast(19, 13)
	files := streamFiles()
	files["datasources/longest.datasource"] = "SCHEMA >\n    date Date,\n    longest UInt32\n\nENGINE \"ReplacingMergeTree\"\nENGINE_SORTING_KEY \"date\"\n"
	files["pipes/longest_mv.pipe"] = "NODE l\nSQL >\n    SELECT toDate(timestamp) AS date, max(duration_ms) AS longest FROM events GROUP BY date\nTYPE materialized\nDATASOURCE longest\n"
	if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, files)), Options{}); err != nil {
		t.Fatal(err)
	}
	files = wideDuration(files)
	p := planFor(t, c, writeProject(t, files))
	why := "can change values"
	if strict {
		why = "requires the exact type"
	}
	if len(p.Errors) != 1 || !strings.Contains(p.Errors[0], "longest as UInt64 into a column of type UInt32") || !strings.Contains(p.Errors[0], why) || !strings.Contains(p.Errors[0], "change longest in the project") {
		t.Fatalf("plan errors = %q", p.Errors)
	}
	files["datasources/longest.datasource"] = strings.Replace(files["datasources/longest.datasource"], "longest UInt32", "longest UInt64", 1)
	p = planFor(t, c, writeProject(t, files))
	if strict {
		if len(p.Errors) == 0 || !strings.Contains(strings.Join(p.Errors, "\n"), "no order of the changes of events and longest") {
			t.Fatalf("plan errors = %q", p.Errors)
		}
		return
	}
	// A converting server takes UInt32 into UInt64: longest changes first.
	if len(p.Errors) > 0 {
		t.Fatalf("plan errors = %q", p.Errors)
	}
	ev := p.Change("events")
	if ev == nil || len(ev.DependsOn) != 1 || ev.DependsOn[0] != "change:longest" || p.Changes[0].Resource == "events" {
		t.Fatalf("events must change after longest:\n%s", render(p))
	}
	if _, err := Apply(ctx, c, p, Options{}); err != nil {
		t.Fatal(err)
	}
}

// TestFlowCheckAfterSwapIsNeverSuccess: when inserts stop flowing through a
// view after the swap (here its target is altered behind perch's back
// between the two checks), the apply is not reported done: it fails after
// its commit point, the deployment is recorded as failed and the journal
// keeps it for `perch apply` to finish.
func TestFlowCheckAfterSwapIsNeverSuccess(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) { flowCheckAfterSwap(t, c, db) })
}

func flowCheckAfterSwap(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
	ctx := context.Background()
	if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, visitorFiles())), Options{}); err != nil {
		t.Fatal(err)
	}
	db.Exec(t, initialInsert)
	files := visitorFiles()
	files["datasources/events.datasource"] = rebuiltFiles()["datasources/events.datasource"]
	p := planFor(t, c, writeProject(t, files))
	res, err := Apply(ctx, c, p, Options{RetryWait: time.Millisecond, OnEvent: func(e Event) {
		if e.Kind == StepStarted && e.Step == "check-flow" {
			db.Exec(t, "DROP TABLE visitors", "CREATE TABLE visitors (date Date, durations AggregateFunction(uniq, UInt64)) ENGINE = AggregatingMergeTree ORDER BY date")
		}
	}})
	if err == nil || !strings.Contains(err.Error(), "check-flow") || !strings.Contains(err.Error(), "visitors_mv") {
		t.Fatalf("apply err = %v, want a failure of the check after the swap naming visitors_mv", err)
	}
	if !res.Incomplete || len(res.Applied) != 0 {
		t.Errorf("result = %+v, want the change incomplete and nothing applied", res)
	}
	d, gerr := c.Get(ctx, res.DeploymentID)
	if gerr != nil || d.Outcome != workspace.OutcomeFailed {
		t.Fatalf("deployment recorded as %v (%v), want failed", d, gerr)
	}
	entries, err := journal.Unfinished(ctx, c)
	if err != nil || len(entries) != 1 || entries[0].Deployment != res.DeploymentID || entries[0].Status != journal.Incomplete {
		t.Fatalf("journal = %+v %v, want the apply incomplete", entries, err)
	}
}
