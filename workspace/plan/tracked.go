package plan

import (
	"fmt"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/workspace/compare"
	"github.com/perchdata/perch/workspace/ddl"
)

// The tracked view method (MethodTracked) creates a materialized view V on a
// source S that already holds rows, and fills its target T with exactly the
// rows V did not process, whatever their event times:
//
//   - merges on S are stopped, so each insert block stays one part per
//     partition of S, with a fingerprint (rows and two sums of row hashes)
//     that its rows have wherever they are;
//   - before V exists, a tracking view on S records per insert block and
//     partition queryID() and that fingerprint, and a tracking view on T
//     records the queryID() of every insert V writes into T;
//   - V is created with its final query and target: an insert that sees V
//     also sees the source tracker (created first), so after draining the
//     inserts that started before V, a part of S that no tracked insert V
//     processed is exactly a part V never saw;
//   - those parts are backfilled with V's query through a stage attached to T
//     (no view fires twice), matching parts to tracker rows as multisets:
//     identical batches resent form identical parts, each counted once.
//
// It needs queryID() (Capabilities.QueryID); elsewhere the change is a plan
// error, or the approximate watermark method with AllowApproximateBackfill.

// Prefixes of the tracking objects (internal: the planner never diffs them).
const (
	TrackPrefix = "_perch_track_"
)

// trackNames are the tracking objects of a view: the tables and the views
// writing into them.
type trackNames struct {
	src, out, srcView, outView string
}

func trackFor(view string) trackNames {
	base := TrackPrefix + view
	return trackNames{src: base + "_src", out: base + "_out", srcView: base + "_src_mv", outView: base + "_out_mv"}
}

// TrackObjects lists the tracking objects a tracked change of view creates
// (tables and views), for cleanup and `perch status`.
func TrackObjects(view string) []string {
	n := trackFor(view)
	return []string{n.srcView, n.outView, n.src, n.out}
}

// TrackedView reports whether name is a tracking object of a tracked view
// change (TrackObjects), with the view it tracks.
func TrackedView(name string) (string, bool) {
	if !strings.HasPrefix(name, TrackPrefix) {
		return "", false
	}
	rest := strings.TrimPrefix(name, TrackPrefix)
	for _, suffix := range []string{"_src_mv", "_out_mv", "_src", "_out"} {
		if strings.HasSuffix(rest, suffix) && len(rest) > len(suffix) {
			return strings.TrimSuffix(rest, suffix), true
		}
	}
	return "", false
}

// Fingerprint is the SELECT list perch computes over rows of a source to
// match an insert block with the part it formed: the partition (as text),
// the row count and two independent sums of row hashes over the stored
// columns. The same list runs in the tracking view (over a block) and at
// backfill (over a part).
func Fingerprint(ds *datafiles.Datasource) string {
	var cols []string
	for _, c := range ds.Columns {
		switch strings.ToUpper(c.DefaultKind) {
		case "MATERIALIZED", "ALIAS", "EPHEMERAL":
			continue
		}
		cols = append(cols, ddl.Ident(c.Name))
	}
	pk := "''"
	if k := strings.TrimSpace(ds.Engine.PartitionKey); k != "" && k != "tuple()" {
		pk = "toString(" + k + ")"
	}
	list := strings.Join(cols, ", ")
	return pk + " AS p, count() AS n, sum(cityHash64(" + list + ")) AS h1, sum(sipHash64(" + list + ")) AS h2"
}

// trackedSteps fills c with the tracked method. With rebuild, T is first
// replaced by an empty copy of its local definition (the old table is kept
// as T__old) after the old view is dropped and drained; live is the view
// being replaced, nil for a new one.
func (p *planner) trackedSteps(c *Change, mv *matView, live *View, rebuild bool) bool {
	g := p.g
	src, t := mv.sources[0], mv.target
	ds := p.local.Datasources[src]
	if ds == nil || !strings.Contains(ds.Engine.Name, "MergeTree") {
		p.errorf("%s: %s: %s is not a MergeTree table: perch cannot tell which of its rows the new view saw; set BACKFILL skip on %s to create the view without history", mv.pos, mv.name, src, t)
		return false
	}
	if e := compare.EngineFamily(ds.Engine.Name); e != "MergeTree" {
		p.errorf("%s: %s: %s is a %s: its inserts are collapsed when they form parts (optimize_on_insert), so a part no longer has the rows of the insert block the view saw, and perch cannot prove which parts the view processed; "+
			"to make it possible: land the rows in a MergeTree table the view reads, or set BACKFILL skip on %s to create the view without history", mv.pos, mv.name, src, e, t)
		return false
	}
	if w := outerClause(mv.query, "HAVING", "LIMIT"); w != "" {
		p.errorf("%s: %s: its query has %s: its output for a block can be empty while its output for part of the block is not, so perch cannot prove which rows it processed; "+
			"to make it possible: filter with WHERE instead, or set BACKFILL skip on %s", mv.pos, mv.name, w, t)
		return false
	}
	backfill, ok := WithSourceFilter(mv.query, src, "_part IN ({parts})")
	if !ok {
		p.errorf("%s: %s: cannot find %s in the view query to backfill it", mv.pos, mv.name, src)
		return false
	}
	down, ok := p.downstream(mv, rebuild)
	if !ok {
		return false
	}
	tr := trackFor(mv.name)
	fp := Fingerprint(ds)
	srcTrack := "CREATE TABLE IF NOT EXISTS " + g.Table(tr.src) + " (qid String, p String, n UInt64, h1 UInt64, h2 UInt64) ENGINE = MergeTree ORDER BY (p, n, h1, h2)"
	outTrack := "CREATE TABLE IF NOT EXISTS " + g.Table(tr.out) + " (qid String) ENGINE = MergeTree ORDER BY qid"
	dropTracks := []string{g.DropTable(tr.srcView, true), g.DropTable(tr.outView, true), g.DropTable(tr.src, true), g.DropTable(tr.out, true)}
	createView := strings.Replace(g.CreateMaterializedView(mv.name, t, mv.query), "CREATE MATERIALIZED VIEW ", "CREATE MATERIALIZED VIEW IF NOT EXISTS ", 1)
	trackSQL := []string{
		strings.Replace(g.CreateMaterializedView(tr.outView, tr.out, "SELECT queryID() AS qid FROM "+g.Table(t)+" GROUP BY qid"), "CREATE MATERIALIZED VIEW ", "CREATE MATERIALIZED VIEW IF NOT EXISTS ", 1),
		strings.Replace(g.CreateMaterializedView(tr.srcView, tr.src, "SELECT queryID() AS qid, "+fp+" FROM "+g.Table(src)+" GROUP BY p"), "CREATE MATERIALIZED VIEW ", "CREATE MATERIALIZED VIEW IF NOT EXISTS ", 1),
	}
	prepare := append(append([]string{}, dropTracks...), srcTrack, outTrack)
	creates := []string{tr.src, tr.out}
	if rebuild {
		tNew := t + SuffixNew
		create, err := g.CreateTable(tNew, p.local.Datasources[t])
		if err != nil {
			p.errorf("%v", err)
			return false
		}
		prepare = append(prepare, g.DropTable(tNew, true), create)
		creates = append(creates, tNew)
		for _, d := range down {
			create, err := g.CreateTable(d.target+SuffixNew, p.local.Datasources[d.target])
			if err != nil {
				p.errorf("%v", err)
				return false
			}
			prepare = append(prepare, g.DropTable(d.target+SuffixNew, true), create)
			creates = append(creates, d.target+SuffixNew)
		}
	}
	c.Steps = append(c.Steps,
		Step{ID: "prepare", Kind: StepSQL, Title: "create the tracking tables" + map[bool]string{true: " and an empty " + t + SuffixNew + " with the target's definition"}[rebuild],
			SQL: prepare, Undo: dropTracks, Creates: creates},
		Step{ID: "stop-merges", Kind: StepSQL, Title: "stop merges on " + src + " so each insert stays one part per partition, with its fingerprint",
			SQL: []string{g.StopMerges(src)}, Undo: []string{g.StartMerges(src)}, StopsMerges: src})
	if rebuild {
		tNew, tOld := t+SuffixNew, t+SuffixOld
		c.Steps = append(c.Steps,
			Step{ID: "drop-old-backup", Kind: StepDropBackup, Title: "drop the backup of the previous deploy, if any, once its rows are proven to be in " + t,
				Table: tOld, Source: t, SQL: []string{g.DropTable(tOld, true)}})
		for _, d := range down {
			c.Steps = append(c.Steps, Step{ID: "drop-old-backup-" + d.target, Kind: StepDropBackup, Title: "drop the backup of the previous deploy of " + d.target + ", if any, once its rows are proven to be in " + d.target,
				Table: d.target + SuffixOld, Source: d.target, SQL: []string{g.DropTable(d.target+SuffixOld, true)}})
		}
		if live != nil {
			c.Steps = append(c.Steps,
				Step{ID: "drop-view", Kind: StepSQL, Title: "drop the old view: " + t + " no longer receives rows (it is recomputed whole)",
					SQL: []string{g.DropTable(mv.name, true)}, Commit: true, Drops: mv.name},
				Step{ID: "drain-old", Kind: StepDrain, Title: "wait for inserts that still run the old view to finish",
					Check: "no INSERT that started before the drop is still running"})
		}
		c.Steps = append(c.Steps,
			Step{ID: "swap", Kind: StepSwap, Title: "swap the empty " + tNew + " in as " + t + "; keep the old one as " + tOld,
				Table: t, Dest: tNew, Backup: tOld, SQL: g.Swap(t, tNew, tOld), Commit: live == nil, EmptyDest: true,
				Check: "exactly one of " + t + "/" + tNew + " is gone and " + t + " and " + tOld + " exist"})
		for _, d := range down {
			dNew, dOld := d.target+SuffixNew, d.target+SuffixOld
			c.Steps = append(c.Steps, Step{ID: "swap-" + d.target, Kind: StepSwap,
				Title: "swap the empty " + dNew + " in as " + d.target + " (" + d.name + " reads " + t + ", recomputed: " + d.target + " is recomputed with it); keep the old one as " + dOld,
				Table: d.target, Dest: dNew, Backup: dOld, SQL: g.Swap(d.target, dNew, dOld), EmptyDest: true,
				Check: "exactly one of " + d.target + "/" + dNew + " is gone and " + d.target + " and " + dOld + " exist"})
		}
	} else if live != nil {
		c.Steps = append(c.Steps, Step{ID: "drop-view", Kind: StepSQL, Title: "drop the old view (it writes to " + live.Target + ")",
			SQL: []string{g.DropTable(mv.name, true)}, Commit: true, Drops: mv.name})
	}
	var cascade []Cascade
	backfillSQL := []string{g.InsertSelect(t+SuffixStage, nil, backfill), createView}
	for _, d := range down {
		q, _ := withSourceFrom(d.query, t, g.Table(t+SuffixStage), "1")
		cascade = append(cascade, Cascade{View: d.name, Table: d.target, Stage: d.target + SuffixStage, Query: q})
		backfillSQL = append(backfillSQL, g.InsertSelect(d.target+SuffixStage, nil, q)) // shown in the plan; the apply runs Cascade
		c.Downstream = append(c.Downstream, d.target)
	}
	backfillTitle := "backfill into " + t + " exactly the parts of " + src + " the view did not process"
	if len(down) > 0 {
		backfillTitle += ", and run " + downNames(down) + " over those rows into " + downTargets(down) + " before they are attached"
	}
	c.Steps = append(c.Steps,
		Step{ID: "track", Kind: StepTrack, Title: "record the fingerprint and query id of every insert block into " + src + ", and the query id of every insert the new view writes into " + t,
			Source: src, Table: t, SQL: trackSQL, Creates: []string{tr.srcView, tr.outView},
			Check: "the tracking views exist before the view: an insert that sees the view also sees the trackers"},
		Step{ID: "view", Kind: StepSQL, Title: "create materialized view " + mv.name + " to " + t + " with its new query",
			View: mv.name, SQL: []string{createView}, Undo: []string{g.DropTable(mv.name, true)}, Creates: []string{mv.name}, Commit: live == nil && !rebuild},
		Step{ID: "drain", Kind: StepDrain, Title: "wait for inserts that started before the view existed to finish",
			Check: "no INSERT that started before the view is still running"},
		Step{ID: "backfill", Kind: StepTrackedBackfill, Title: backfillTitle, Cascade: cascade,
			View: mv.name, Source: src, Table: t, Stage: t + SuffixStage, Query: backfill, Select: fp,
			Views: []string{tr.src, tr.out}, SQL: backfillSQL,
			Check: "every part of " + src + " is matched to an insert the view processed, or backfilled once; parts are matched to tracked blocks as multisets"},
		Step{ID: "cleanup", Kind: StepSQL, Title: "drop the tracking views and tables, restart merges on " + src,
			SQL: append(append([]string{}, dropTracks...), g.StartMerges(src))},
		Step{ID: "check-views", Kind: StepCheckDeps, Title: "check " + mv.name + " is attached to " + src, Table: src, Views: []string{mv.name}})
	if len(down) > 0 {
		names := make([]string, len(down))
		for i, d := range down {
			names[i] = d.name
		}
		c.Steps = append(c.Steps, Step{ID: "check-downstream", Kind: StepCheckDeps, Title: "check that " + t + " is still read by " + downNames(down), Table: t, Views: names})
	}
	c.Notes = append(c.Notes,
		"exact: an insert into "+src+" that sees the new view also sees a tracker created before it, which records its query id and the fingerprint of each block it adds; once the inserts that started before the view have finished, the parts of "+src+" (merges stopped) that no insert processed by the view formed are backfilled with the view's query, so every row of "+src+" reaches "+t+" exactly once, whatever its event time, and rows resent count once per copy",
		"merges on "+src+" are stopped from the start of the change until the backfill is attached (perch watches the part count; if perch dies, the next perch command restarts them, and `perch apply` then starts the tracking over: "+t+" is emptied and recomputed the same way)")
	readers := "readers of " + t + " see it empty, then the rows of new inserts, and the history once the backfill is attached partition by partition"
	if rebuild {
		readers = "readers of " + t + " see the old table until the swap, then an empty table filling with the rows of new inserts, and the history once the backfill is attached partition by partition; the old table is kept as " + t + SuffixOld + " until the next deploy"
	}
	c.Notes = append(c.Notes, readers)
	if len(down) > 0 {
		note := "downstream of " + t + " (" + downNames(down) + ", into " + downTargets(down) + "): each such view fires on the rows new inserts bring to " + t + " as always; the backfilled rows fire no view (they are attached), so they are run through each from " + t + "'s stage into its target before the stage is attached, and each target equals its view over every row of " + t + " (the stage's rows, as " + t + " stores them, count as one insert)"
		if rebuild {
			note += "; those targets are recomputed with " + t + ": swapped for empty tables right after it, their old contents kept with the suffix " + SuffixOld + ", so their readers see them empty from the swap until the backfill is attached"
		}
		c.Notes = append(c.Notes, note)
	}
	return true
}

// downView is a materialized view firing on the target of a tracked change.
type downView struct {
	name, target, query string
}

// downstream lists the views that fire on mv's target and must receive the
// rows its tracked backfill attaches there (an attach fires no view). It
// makes a plan error, with what would make it possible, of the shapes perch
// cannot run exactly: a view changed, added or dropped in the same deploy,
// one with HAVING or LIMIT (it runs over the backfill whole, not per
// insert), one whose own target is read by views (chains of more than two
// views) or, when mv's target is recomputed, is fed by other views too.
func (p *planner) downstream(mv *matView, rebuild bool) ([]downView, bool) {
	t := mv.target
	var out []downView
	for _, name := range p.viewsReading(t) {
		d, live := p.views[name], p.remote.Views[name]
		if d != nil && d.sources[0] != t {
			continue // it reads t in a join: t's rows do not fire it
		}
		fail := func(why, fix string) ([]downView, bool) {
			p.errorf("%s: %s: materialized view %s reads %s, which this change backfills: %s; to make it possible: %s", mv.pos, mv.name, name, t, why, fix)
			return nil, false
		}
		switch {
		case d == nil && live != nil && live.Materialized && !p.uncompiled[name] && !internal(name):
			// Dropped in this deploy (planDrops), before this change: view
			// drops run first, so the backfill has no reader to carry rows to,
			// and its target keeps the rows it holds.
			continue
		case d == nil || live == nil || !live.Materialized:
			return fail("it is added or dropped in this deploy", "deploy "+name+" separately, before or after this change")
		case live.Target != d.target || !compare.SameViewQuery(live.Query, d.query, p.remote.Database) || p.changes[d.target] != nil:
			return fail("it changes in this deploy too", "deploy the change of "+name+" separately")
		}
		if w := outerClause(d.query, "HAVING", "LIMIT"); w != "" {
			return fail("its query has "+w+", so its output over the backfilled rows at once differs from its output insert by insert", "filter with WHERE instead, or set BACKFILL skip on "+t)
		}
		if _, found := withSourceFrom(d.query, t, "x", "1"); !found {
			return fail("perch cannot find "+t+" in its query to run it over the backfilled rows", "read "+t+" by name in its FROM clause")
		}
		if readers := p.viewsReading(d.target); len(readers) > 0 {
			return fail("its target "+d.target+" is read by views too ("+strings.Join(readers, ", ")+"): perch carries backfilled rows one view down, not further", "change "+mv.name+" with BACKFILL skip on "+t+", or shorten the chain")
		}
		if rebuild {
			if other := p.otherWriters(d); len(other) > 0 {
				return fail(d.target+", which is recomputed with "+t+", is also fed by "+strings.Join(other, ", "), "give "+name+" its own target")
			}
		} else if tt := p.remote.Tables[d.target]; tt != nil && tt.Rows > 0 {
			// an interrupted tracking starts over by emptying t and d.target
			return fail(d.target+" holds rows while "+t+" is empty, and perch would have to empty it if the change is interrupted", "empty "+d.target+" first, or deploy "+name+" after this change")
		}
		out = append(out, downView{name: name, target: d.target, query: d.query})
	}
	return out, true
}

// downNames joins the names of the views, downTargets their targets.
func downNames(ds []downView) string { return joinDown(ds, func(d downView) string { return d.name }) }

func downTargets(ds []downView) string {
	return joinDown(ds, func(d downView) string { return d.target })
}

func joinDown(ds []downView, field func(downView) string) string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = field(d)
	}
	return strings.Join(out, ", ")
}

// exactOrApproximate fills c with the exact tracked method where the server
// has it, else with the watermark method when the approximate backfill is
// allowed, else makes it a plan error naming the change and what would make
// it possible.
func (p *planner) exactOrApproximate(c *Change, mv *matView, live *View, rebuild bool, what string) {
	caps := p.remote.Capabilities
	switch {
	case caps.QueryID:
		c.Method = MethodTracked
		p.trackedSteps(c, mv, live, rebuild)
	case p.opts.AllowApproximateBackfill:
		c.Method = MethodWatermark
		if p.watermarkSteps(c, mv, rebuild) {
			c.Notes = append(c.Notes, fmt.Sprintf("APPROXIMATE (--allow-approximate-backfill): rows of %s that arrive late, with an event time before W after the backfill read their partition, or at or after W before the view existed, are never in %s; with events up to an hour late this left the target 8-9%% short in perch's tests. It is exact only if nothing is inserted into %s during the apply", mv.sources[0], mv.target, mv.sources[0]))
		}
	default:
		c.Method = MethodRefused
		p.errorf("%s: %s: %s: server %s cannot do this exactly while rows are inserted into %s (no queryID() to track which inserts the new view processed, 21.9+); "+
			"to make it possible: apply it on a newer server, or set BACKFILL skip on %s to create the view without history, "+
			"or pass --allow-approximate-backfill to use an event-time watermark that misses late rows (exact only if nothing is inserted during the apply)",
			mv.pos, mv.name, what, caps.Version, mv.sources[0], mv.target)
	}
}

// backfillSkip reports whether the view's target says BACKFILL skip: a new
// target without history.
func (p *planner) backfillSkip(mv *matView) bool {
	ds := p.local.Datasources[mv.target]
	return ds != nil && strings.EqualFold(strings.TrimSpace(ds.Backfill), "skip")
}

// outerClause returns the first of words found as a clause of the outermost
// SELECT of sql, or "".
func outerClause(sql string, words ...string) string {
	toks := sqltext.Tokens(sql)
	depths := sqltext.Depths(sql, toks)
	for i, t := range toks {
		if depths[i] != 0 || t.Kind != sqltext.Word {
			continue
		}
		for _, w := range words {
			if t.IsWord(sql, w) {
				return w
			}
		}
	}
	return ""
}
