package plan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/workspace/compare"
	"github.com/perchdata/perch/workspace/ddl"
)

func (p *planner) planViews() {
	for _, name := range sortedKeys(p.views) {
		mv := p.views[name]
		live := p.remote.Views[name]
		if live == nil {
			p.planCreateView(mv)
			continue
		}
		var parts []string
		if live.Target != mv.target {
			parts = append(parts, "target "+live.Target+" -> "+mv.target)
		}
		if !compare.SameViewQuery(live.Query, mv.query, p.remote.Database) {
			parts = append(parts, "view query")
		}
		if len(parts) == 0 {
			if dep := p.deployedPipe(name); dep != nil {
				if mp := PipeDiff(mv.pipe, dep); len(mp) > 0 {
					p.add(metadataChange(name, KindMatView, mp), 4)
				}
			}
			continue
		}
		p.planViewChange(mv, live, parts)
	}
}

func (p *planner) deployedPipe(name string) *datafiles.Pipe {
	if p.remote.Deployed == nil {
		return nil
	}
	return p.remote.Deployed.Pipes[name]
}

// sourceRows returns the live rows and bytes of the table firing a view.
func (p *planner) sourceRows(mv *matView) (rows, bytes uint64, exists bool) {
	t := p.remote.Tables[mv.sources[0]]
	if t == nil {
		return 0, 0, false
	}
	return t.Rows, t.Bytes, true
}

func (p *planner) planCreateView(mv *matView) {
	c := &Change{
		ID: "create:" + mv.name, Resource: mv.name, Kind: KindMatView, Action: Create,
		Downstream: []string{mv.target}, Risk: Safe,
	}
	for _, s := range append([]string{mv.target}, mv.sources...) {
		if ch := p.changes[s]; ch != nil {
			c.DependsOn = append(c.DependsOn, ch.ID)
		}
	}
	p.checkChain(mv)
	rows, bytes, exists := p.sourceRows(mv)
	target := p.remote.Tables[mv.target]
	switch {
	case exists && rows > 0 && !p.backfillSkip(mv) && target != nil && target.Rows > 0 && p.changes[mv.target] == nil:
		// The target already holds rows (an interrupted change, or data of
		// its own): recompute it rather than add the source's rows twice.
		c.Action, c.Risk, c.EstRows, c.EstBytes = Replace, Rewrites, rows, bytes
		c.Reasons = []string{fmt.Sprintf("not in the workspace, and %s already holds %d rows: recompute it from %s", mv.target, target.Rows, mv.sources[0])}
		p.checkBackfillable(mv)
		p.exactOrApproximate(c, mv, nil, true, "new view over "+mv.sources[0]+", which holds rows, into "+mv.target+", which holds rows too")
	case exists && rows > 0 && !p.backfillSkip(mv):
		c.EstRows, c.EstBytes = rows, bytes
		c.Reasons = []string{fmt.Sprintf("not in the workspace; %s already holds %d rows to materialize", mv.sources[0], rows)}
		p.checkBackfillable(mv)
		p.exactOrApproximate(c, mv, nil, false, "new view over "+mv.sources[0]+", which holds rows to materialize")
	default:
		c.Method = MethodCreate
		c.Reasons = []string{"not in the workspace"}
		if exists && rows > 0 {
			c.Reasons = append(c.Reasons, mv.target+" says BACKFILL skip: the rows already in "+mv.sources[0]+" are not materialized")
			c.Notes = append(c.Notes, "exact for BACKFILL skip: every insert that starts after the view is created is materialized, and none twice",
				"readers of "+mv.target+" see only rows of inserts made after the view exists")
		}
		c.Steps = []Step{{ID: "create", Kind: StepSQL, Title: "create materialized view " + mv.name + " to " + mv.target,
			SQL: []string{p.g.CreateMaterializedView(mv.name, mv.target, mv.query)}, Undo: []string{p.g.DropTable(mv.name, true)}}}
	}
	p.add(c, 3)
}

// checkBackfillable makes a plan error of a backfill whose target feeds other
// materialized views: the backfill is attached to the target, which fires no
// view, and recomputing the target would feed them its rows twice.
//
// With queryID() the tracked method runs them (planner.downstream).
func (p *planner) checkBackfillable(mv *matView) {
	if p.remote.Capabilities.QueryID {
		return
	}
	if chained := p.viewsReading(mv.target); len(chained) > 0 {
		p.errorf("%s: %s: materialized views %s read %s: its backfill would not reach them, and recomputing it would feed them twice; "+
			"to make it possible: set BACKFILL skip on %s, or remove %s in this deploy and add them back in the next one (they are backfilled from %s then)",
			mv.pos, mv.name, strings.Join(chained, ", "), mv.target, mv.target, strings.Join(chained, ", "), mv.target)
	}
}

// checkChain makes a plan error of a view reading the target of another
// materialized view on a server whose views fire only from the upstream
// view's name (18.16): rows the upstream view writes would never reach it.
func (p *planner) checkChain(mv *matView) {
	if p.remote.Capabilities.ViewsFireOnTarget {
		return
	}
	for _, s := range mv.sources {
		var ups []string
		for _, v := range p.views {
			if v.name != mv.name && v.target == s {
				ups = append(ups, v.name)
			}
		}
		if len(ups) > 0 {
			sort.Strings(ups)
			p.errorf("%s: %s reads %s, the target of materialized view %s: on server %s a view on a view's target never fires for the rows the upstream view writes, so %s would miss them; "+
				"to make it possible: read the upstream data source directly, or use a server of 20.x or later",
				mv.pos, mv.name, s, strings.Join(ups, ", "), p.remote.Capabilities.Version, mv.target)
		}
	}
}

// watermarkColumn picks the DateTime column of the firing table to cut at W:
// the first one in its sorting or partition key, else the first DateTime column.
func watermarkColumn(ds *datafiles.Datasource) string {
	isTime := func(t string) bool {
		return strings.HasPrefix(sqltext.NormalizeType(t), "DateTime") && !strings.HasPrefix(sqltext.NormalizeType(t), "DateTime64")
	}
	for _, key := range []string{ds.Engine.SortingKey, ds.Engine.PartitionKey} {
		for _, col := range ds.Columns {
			if isTime(col.Type) && mentions(key, col.Name) {
				return col.Name
			}
		}
	}
	for _, col := range ds.Columns {
		if isTime(col.Type) {
			return col.Name
		}
	}
	return ""
}

// watermarkSteps fills a change with the watermark method. With rebuild, the
// target is replaced by an empty copy of its local definition first (the old
// one is kept as backup) and fully recomputed.
func (p *planner) watermarkSteps(c *Change, mv *matView, rebuild bool) bool {
	g := p.g
	src := mv.sources[0]
	ds := p.local.Datasources[src]
	col := watermarkColumn(ds)
	if col == "" {
		p.errorf("%s: %s: %s has no DateTime column to set a watermark on", mv.pipe.Pos, mv.name, src)
		return false
	}
	create, ok1 := WithOuterWatermark(mv.query, ddl.Ident(col)), true
	backfill, ok2 := WithWatermark(mv.query, src, ddl.Ident(col), "<")
	if !ok1 || !ok2 {
		p.errorf("%s: %s: cannot find %s in the view query to set a watermark", mv.pipe.Pos, mv.name, src)
		return false
	}
	c.Notes = append(c.Notes,
		fmt.Sprintf("relies on an event-time watermark on %s.%s: W is set %ds in the future", src, col, p.opts.WatermarkMargin))
	t := mv.target
	if rebuild {
		tNew, tOld := t+SuffixNew, t+SuffixOld
		create, err := g.CreateTable(tNew, p.local.Datasources[t])
		if err != nil {
			p.errorf("%v", err)
			return false
		}
		c.Notes = append(c.Notes, t+" is recomputed from "+src+": readers see partial data until the backfill finishes; the old table is kept as "+tOld)
		c.Steps = append(c.Steps,
			Step{ID: "prepare", Kind: StepSQL, Title: "create an empty " + tNew + " with the target's definition",
				SQL: []string{g.DropTable(tNew, true), create}, Undo: []string{g.DropTable(tNew, true)}, Creates: []string{tNew}},
			Step{ID: "drop-old-backup", Kind: StepSQL, Title: "drop the backup of the previous deploy, if any",
				SQL: []string{g.DropTable(tOld, true)}},
			Step{ID: "drop-view", Kind: StepSQL, Title: "drop the old view", SQL: []string{g.DropTable(mv.name, true)}, Commit: true, Drops: mv.name},
			Step{ID: "swap", Kind: StepSwap, Title: "swap the empty table in as " + t + "; keep the old one as " + tOld,
				Table: t, Dest: tNew, Backup: tOld, SQL: g.Swap(t, tNew, tOld)})
	} else if live := p.remote.Views[mv.name]; live != nil {
		c.Steps = append(c.Steps, Step{ID: "drop-view", Kind: StepSQL, Title: "drop the old view", SQL: []string{g.DropTable(mv.name, true)}, Commit: true, Drops: mv.name})
	}
	c.Steps = append(c.Steps,
		Step{ID: "view", Kind: StepWatermark, Title: fmt.Sprintf("create the view for rows with %s >= W (now + %ds)", col, p.opts.WatermarkMargin),
			View: mv.name, Table: t, Source: src, WatermarkColumn: col, MarginSeconds: p.opts.WatermarkMargin, Query: create,
			SQL: []string{g.CreateMaterializedView(mv.name, t, create)}, Undo: []string{g.DropTable(mv.name, true)}},
		Step{ID: "wait", Kind: StepWaitUntil, Title: "wait until W has passed and inserts started before it have finished"},
		Step{ID: "backfill", Kind: StepBackfill, Title: fmt.Sprintf("backfill rows with %s < W into %s, one partition of %s at a time", col, t, src),
			Table: t, Source: src, Query: backfill, SQL: []string{g.InsertSelect(t, nil, backfill)},
			Check: "every partition of " + src + " below W is inserted once"},
		Step{ID: "check-views", Kind: StepCheckDeps, Title: "check " + mv.name + " is attached to " + src, Table: src, Views: []string{mv.name}})
	return true
}

func (p *planner) planViewChange(mv *matView, live *View, parts []string) {
	rows, bytes, _ := p.sourceRows(mv)
	c := &Change{
		ID: "change:" + mv.name, Resource: mv.name, Kind: KindMatView, Parts: parts,
		Downstream: []string{mv.target},
	}
	p.checkChain(mv)
	targetChange := p.changes[mv.target]
	sameTarget := live.Target == mv.target
	caps := p.remote.Capabilities
	noHistory := mv.alter || p.backfillSkip(mv)
	why := "DEPLOYMENT_METHOD alter"
	if !mv.alter {
		why = "BACKFILL skip on " + mv.target
	}
	switch {
	case noHistory && sameTarget && caps.ModifyQuery:
		sql, _ := p.g.ModifyQuery(mv.name, mv.query)
		c.Action, c.Method, c.Risk = Update, MethodModifyQuery, Safe
		c.Reasons = []string{fmt.Sprintf("view query changed with %s: server %s swaps it with MODIFY QUERY without stopping ingestion", why, caps.Version)}
		c.Notes = append(c.Notes,
			"exact for "+why+": MODIFY QUERY swaps the query between inserts, so each insert into "+mv.sources[0]+" is processed once, by the old query or by the new one",
			"rows already in "+mv.target+" are kept as the old query made them (not recomputed); readers see new rows made by the new query from the swap on")
		c.Steps = []Step{{ID: "modify-query", Kind: StepSQL, Title: "modify the query of " + mv.name + ": each insert is processed by the old or the new query, never both", SQL: []string{sql},
			Undo: []string{mustModify(p, mv.name, live.Query)}}}
		if targetChange != nil {
			c.DependsOn = append(c.DependsOn, targetChange.ID)
		}
	case mv.alter:
		// Without MODIFY QUERY (or moving to another target), a recreate has a
		// cut where inserts see both views or neither.
		if sameTarget {
			p.errorf("%s: %s: DEPLOYMENT_METHOD alter needs MODIFY QUERY (23.12+), which server %s lacks: recreating the view would process the inserts running at the cut twice or not at all; "+
				"to make it possible: apply it on a newer server, or remove DEPLOYMENT_METHOD alter to recompute %s from %s", mv.pos, mv.name, caps.Version, mv.target, mv.sources[0])
		} else {
			p.errorf("%s: %s: DEPLOYMENT_METHOD alter cannot move the view from %s to %s: no statement swaps a view's target between inserts; "+
				"to make it possible: remove DEPLOYMENT_METHOD alter to backfill %s from %s, or set BACKFILL skip on %s to start it without history", mv.pos, mv.name, live.Target, mv.target, mv.target, mv.sources[0], mv.target)
		}
		c.Action, c.Method = Replace, MethodRefused
	case noHistory:
		// BACKFILL skip without MODIFY QUERY: drop, then create. An insert
		// sees at most one of the two views, and every insert that starts
		// after the create is materialized.
		c.Action, c.Method, c.Risk = Replace, MethodRecreateNoHistory, Safe
		c.Reasons = []string{fmt.Sprintf("view changed with BACKFILL skip on %s: drop the old view, create the new one; no history", mv.target)}
		c.Notes = append(c.Notes, "exact for BACKFILL skip: every insert that starts after the new view exists is materialized by it, and no insert by both views; rows already in "+mv.target+" stay as they are",
			"readers of "+mv.target+" see the rows it holds, then the rows of new inserts made by the new query")
		c.Steps = []Step{
			{ID: "drop-view", Kind: StepSQL, Title: "drop the old view", SQL: []string{p.g.DropTable(mv.name, true)}, Commit: true, Drops: mv.name},
			{ID: "create", Kind: StepSQL, Title: "create materialized view " + mv.name + " to " + mv.target,
				SQL: []string{strings.Replace(p.g.CreateMaterializedView(mv.name, mv.target, mv.query), "CREATE MATERIALIZED VIEW ", "CREATE MATERIALIZED VIEW IF NOT EXISTS ", 1)}},
		}
		if targetChange != nil {
			c.DependsOn = append(c.DependsOn, targetChange.ID)
		}
	case sameTarget:
		// Recompute the target from its source with the new query.
		if other := p.otherWriters(mv); len(other) > 0 {
			p.errorf("%s: %s: %s is also fed by %s; recomputing it from one view would drop their rows (to make it possible: give each view its own target, or set DEPLOYMENT_METHOD alter)", mv.pos, mv.name, mv.target, strings.Join(other, ", "))
		}
		p.checkBackfillable(mv)
		c.Action, c.Risk, c.EstRows, c.EstBytes = Replace, Rewrites, rows, bytes
		c.Reasons = []string{fmt.Sprintf("view query changed: %s is recomputed from %s with the new query", mv.target, mv.sources[0])}
		if targetChange != nil {
			// The target is recreated from its local definition: its own change is part of this one.
			c.Parts = append(c.Parts, targetChange.Parts...)
			c.Reasons = append(c.Reasons, mv.target+" is recreated from its local definition ("+strings.Join(targetChange.Parts, ", ")+")")
			if targetChange.Destructive {
				// Folding the target's change in keeps what it destroys.
				c.Risk, c.Destructive = Destroys, true
				c.Reasons = append(c.Reasons, targetChange.Reasons...)
			}
			p.drop(targetChange)
			p.folded[mv.target] = true
		}
		p.exactOrApproximate(c, mv, live, true, "view query changed (the target is recomputed)")
	default:
		c.Action, c.Risk, c.EstRows, c.EstBytes = Replace, Safe, rows, bytes
		c.Reasons = []string{"the view writes to another table now: recreate it on " + mv.target + " and backfill it from " + mv.sources[0]}
		if targetChange != nil {
			c.DependsOn = append(c.DependsOn, targetChange.ID)
		}
		p.checkBackfillable(mv)
		target := p.remote.Tables[mv.target]
		rebuild := target != nil && target.Rows > 0 && targetChange == nil
		p.exactOrApproximate(c, mv, live, rebuild, "view moved from "+live.Target+" to "+mv.target)
	}
	p.add(c, 3)
}

func mustModify(p *planner, view, query string) string {
	s, _ := p.g.ModifyQuery(view, query)
	return s
}

// drop removes a change subsumed by another.
func (p *planner) drop(c *Change) {
	out := p.plan.Changes[:0]
	for _, x := range p.plan.Changes {
		if x != c {
			out = append(out, x)
		}
	}
	p.plan.Changes = out
	delete(p.changes, c.Resource)
}

// otherWriters lists other views (local or live) writing into mv's target.
func (p *planner) otherWriters(mv *matView) []string {
	seen := map[string]bool{}
	for _, v := range p.views {
		if v.name != mv.name && v.target == mv.target {
			seen[v.name] = true
		}
	}
	for _, v := range p.remote.Views {
		if v.Name != mv.name && v.Materialized && v.Target == mv.target {
			seen[v.Name] = true
		}
	}
	return sortedKeys(seen)
}

// viewsReading lists materialized views (local or live) that read table.
func (p *planner) viewsReading(table string) []string {
	seen := map[string]bool{}
	for _, v := range p.views {
		for _, s := range v.sources {
			if s == table {
				seen[v.name] = true
			}
		}
	}
	if t := p.remote.Tables[table]; t != nil {
		for _, v := range t.ReadBy {
			seen[v] = true
		}
	}
	return sortedKeys(seen)
}

// planPipes records endpoint, copy, sink and plain pipes: metadata only.
func (p *planner) planPipes() {
	for _, name := range p.local.PipeNames() {
		if p.views[name] != nil || p.uncompiled[name] {
			continue // a view, or one whose node did not compile (a plan error)
		}
		pipe := p.local.Pipes[name]
		kind := string(pipe.Kind())
		dep := p.deployedPipe(name)
		if dep == nil {
			c := metadataChange(name, KindPipe, []string{kind})
			c.ID, c.Action = "create:"+name, Create
			c.Reasons = []string{"new " + kind + ": no DDL, recorded in the deployment log"}
			p.add(c, 4)
			continue
		}
		if parts := PipeDiff(pipe, dep); len(parts) > 0 {
			p.add(metadataChange(name, KindPipe, parts), 4)
		}
	}
	if p.remote.Deployed == nil {
		return
	}
	for _, name := range p.remote.Deployed.PipeNames() {
		if p.local.Pipes[name] == nil && p.remote.Views[name] == nil {
			c := metadataChange(name, KindPipe, []string{"removed"})
			c.ID, c.Action, c.Reasons = "delete:"+name, Delete, []string{"removed from the project: no DDL, recorded in the deployment log"}
			p.add(c, 4)
		}
	}
}

// planDrops drops live views and tables the project no longer has: views
// first, then tables (which need --allow-destructive).
func (p *planner) planDrops() {
	for _, name := range sortedKeys(p.remote.Views) {
		if p.views[name] != nil || p.uncompiled[name] || internal(name) {
			continue
		}
		v := p.remote.Views[name]
		kind := KindView
		if v.Materialized {
			kind = KindMatView
		}
		undo := p.g.CreateView(name, v.Query)
		if v.Materialized {
			undo = p.g.CreateMaterializedView(name, v.Target, v.Query)
		}
		p.add(&Change{
			ID: "delete:" + name, Resource: name, Kind: kind, Action: Delete, Method: MethodDrop, Risk: Safe,
			Reasons: []string{"not in the project: the view is dropped (it holds no data)"},
			Steps:   []Step{{ID: "drop", Kind: StepSQL, Title: "drop view " + name, SQL: []string{p.g.DropTable(name, true)}, Undo: []string{undo}}},
		}, 1)
	}
	for _, name := range sortedKeys(p.remote.Tables) {
		if p.local.Datasources[name] != nil || internal(name) {
			continue
		}
		if _, _, ok := isLeftover(name); ok {
			continue
		}
		t := p.remote.Tables[name]
		p.add(&Change{
			ID: "delete:" + name, Resource: name, Kind: KindDatasource, Action: Delete, Method: MethodDrop,
			Risk: Destroys, Destructive: true, EstRows: t.Rows, EstBytes: t.Bytes, Downstream: p.readersOf(name),
			Reasons: []string{fmt.Sprintf("not in the project: dropping it destroys %d rows", t.Rows)},
			Steps:   []Step{{ID: "drop", Kind: StepSQL, Title: "drop table " + name, SQL: []string{p.g.DropTable(name, false)}}},
		}, 5)
	}
}

// order sorts changes by phase (cleanup, view drops, tables, views,
// metadata, table drops), then by dependencies, then by name.
func (p *planner) order() {
	sort.SliceStable(p.plan.Changes, func(i, j int) bool {
		a, b := p.plan.Changes[i], p.plan.Changes[j]
		if pa, pb := p.phase[a.Resource], p.phase[b.Resource]; pa != pb {
			return pa < pb
		}
		return a.Resource < b.Resource
	})
	// A change comes after the changes it depends on.
	orderChanges(p.plan.Changes)
}
