package plan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/workspace/compare"
)

// The swap tracker of a rebuild (issue 12). On a server that swaps with
// EXCHANGE TABLES (26.x), an INSERT whose pipeline is built while the
// exchange runs fires no materialized view at all and writes into the old
// table; the tail copy attaches its parts to the new table, which fires no
// view either, so every view target of the rebuilt table would miss them.
// Before the swap, a tracking view on the table records queryID(), the time
// and the fingerprint (plan.Fingerprint) of every insert block; the inserts
// that started before it are drained and their parts copied. An insert fires
// all the views of the table or none, the tracker among them, so after the
// swap a part of the old table not copied yet that matches no tracker record
// (as multisets: identical resent batches form identical parts) is exactly
// the rows no view saw: each view's query is run over those parts into its
// target, through a stage attached there, before the tail is attached.

// SwapTrackPrefix prefixes the swap tracker's table, and
// SwapTrackViewPrefix its view (internal: the planner never diffs them).
const (
	SwapTrackPrefix     = "_perch_swaptrack_"
	SwapTrackViewPrefix = "_perch_swaptrackmv_"
)

// SwapTrackObjects lists the swap tracker objects of a rebuild of table:
// the view, then the table it writes into.
func SwapTrackObjects(table string) []string {
	return []string{SwapTrackViewPrefix + table, SwapTrackPrefix + table}
}

// SwapTracked reports whether name is a swap tracker object
// (SwapTrackObjects), with the table whose rebuild created it.
func SwapTracked(name string) (string, bool) {
	for _, prefix := range []string{SwapTrackViewPrefix, SwapTrackPrefix} {
		if rest, ok := strings.CutPrefix(name, prefix); ok && rest != "" {
			return rest, true
		}
	}
	return "", false
}

// swapFingerprint is the fingerprint list of the swap tracker: over the
// stored columns the old and the new definition share with the same type
// (the tracker keeps running on the new table after the swap, so it may
// only name what both have), and the old partition key. ok is false when
// that key needs a column the new definition lacks.
func swapFingerprint(old, local *datafiles.Datasource) (string, bool) {
	common := &datafiles.Datasource{Engine: old.Engine}
	newType := map[string]string{}
	for _, c := range local.Columns {
		switch strings.ToUpper(c.DefaultKind) {
		case "MATERIALIZED", "ALIAS", "EPHEMERAL":
			continue
		}
		newType[c.Name] = sqltext.NormalizeType(c.Type)
	}
	for _, c := range old.Columns {
		switch strings.ToUpper(c.DefaultKind) {
		case "MATERIALIZED", "ALIAS", "EPHEMERAL":
			continue
		}
		if nt, ok := newType[c.Name]; ok && nt == sqltext.NormalizeType(c.Type) {
			common.Columns = append(common.Columns, c)
			continue
		}
		if mentions(old.Engine.PartitionKey, c.Name) {
			return "", false
		}
	}
	if len(common.Columns) == 0 {
		return "", false
	}
	return Fingerprint(common), true
}

// swapTrackSteps returns the steps a rebuild of t adds around its swap when
// the server swaps with EXCHANGE TABLES and materialized views read t:
// before the swap (track), and after its drain (match, then one push per
// view), and the step dropping the tracker. ok is false after a plan error.
func (p *planner) swapTrackSteps(ds *datafiles.Datasource, live *Table, insert string) (before, after []Step, untrack *Step, ok bool) {
	g := p.g
	t := ds.Name
	tNew, tOld := t+SuffixNew, t+SuffixOld
	var views []*View
	for _, name := range live.ReadBy {
		if v := p.remote.Views[name]; v != nil && v.Materialized && v.Target != "" {
			views = append(views, v)
		}
	}
	if !p.remote.Capabilities.ExchangeTables || len(views) == 0 {
		return nil, nil, nil, true
	}
	sort.Slice(views, func(i, j int) bool { return views[i].Name < views[j].Name })
	if name := p.remote.Cluster; name != "" {
		p.errorf("%s: rebuild %s on cluster %s: materialized views read %s and %s swaps with EXCHANGE TABLES, under which a racing insert fires no view; perch's swap tracker, which finds those rows, records the inserts of one server and is not built for a cluster (no cluster of such servers is tested); "+
			"to make it possible: change it on a single server, or drop the views reading %s, rebuild it, and create them again with BACKFILL skip on their targets",
			ds.Pos, t, name, t, p.remote.Capabilities.Version, t)
		return nil, nil, nil, false
	}
	if e := compare.EngineFamily(live.Datasource.Engine.Name); e != "MergeTree" {
		p.errorf("%s: rebuild %s: it is a %s: its inserts are collapsed when they form parts (optimize_on_insert), so perch cannot match the parts of inserts racing the swap to the blocks its views saw (on %s an insert racing EXCHANGE TABLES fires no view); "+
			"to make it possible: rebuild %s while nothing is inserted into it, or apply it on a server that swaps with RENAME",
			ds.Pos, t, e, p.remote.Capabilities.Version, t)
		return nil, nil, nil, false
	}
	fp, fine := swapFingerprint(live.Datasource, ds)
	if !fine {
		p.errorf("%s: rebuild %s: its partition key %s needs a column the new definition drops or retypes, so perch cannot fingerprint the inserts racing the swap (on %s an insert racing EXCHANGE TABLES fires no view); "+
			"to make it possible: keep the partition key's columns and types in this change, and change them in a later one",
			ds.Pos, t, live.Datasource.Engine.PartitionKey, p.remote.Capabilities.Version)
		return nil, nil, nil, false
	}
	var pushes []Step
	for _, v := range views {
		if tt := p.remote.Tables[v.Target]; tt != nil && len(tt.ReadBy) > 0 {
			p.errorf("%s: rebuild %s: view %s writes into %s, which views read (%s): rows an insert racing the swap brought would be pushed into %s without firing them (on %s an insert racing EXCHANGE TABLES fires no view); "+
				"to make it possible: rebuild %s while nothing is inserted into it, or apply it on a server that swaps with RENAME",
				ds.Pos, t, v.Name, v.Target, strings.Join(tt.ReadBy, ", "), v.Target, p.remote.Capabilities.Version, t)
			return nil, nil, nil, false
		}
		if w := outerClause(v.Query, "HAVING", "LIMIT"); w != "" {
			p.errorf("%s: rebuild %s: view %s has %s: perch cannot push the rows of an insert racing the swap through it part by part (on %s such an insert fires no view); "+
				"to make it possible: filter with WHERE instead, or rebuild %s while nothing is inserted into it", ds.Pos, t, v.Name, w, p.remote.Capabilities.Version, t)
			return nil, nil, nil, false
		}
		q, found := withSourceFrom(v.Query, t, g.Table(tOld), "_part IN ({parts})")
		if !found {
			p.errorf("%s: rebuild %s: cannot find %s in the query of view %s to push the rows of an insert racing the swap through it", ds.Pos, t, t, v.Name)
			return nil, nil, nil, false
		}
		stage := v.Target + SuffixStage
		pushes = append(pushes, Step{ID: "push-" + v.Name, Kind: StepPushUnseen,
			Title: "run " + v.Name + " over the parts of " + tOld + " no view processed, into " + v.Target + " through " + stage,
			View:  v.Name, Source: tOld, Table: v.Target, Stage: stage, Query: q,
			SQL:   []string{g.InsertSelect(stage, nil, q), g.AttachPartitionFrom(v.Target, "{partition}", stage), g.DropTable(stage, true)},
			Check: "each partition attached exactly once"})
	}
	objs := SwapTrackObjects(t)
	mv, table := objs[0], objs[1]
	drop := []string{g.DropTable(mv, true), g.DropTable(table, true)}
	create := []string{
		"CREATE TABLE IF NOT EXISTS " + g.Table(table) + " (qid String, at DateTime64(6), p String, n UInt64, h1 UInt64, h2 UInt64) ENGINE = MergeTree ORDER BY (p, n, h1, h2)",
		strings.Replace(g.CreateMaterializedView(mv, table, "SELECT queryID() AS qid, now64(6) AS at, "+fp+" FROM "+g.Table(t)+" GROUP BY p"), "CREATE MATERIALIZED VIEW ", "CREATE MATERIALIZED VIEW IF NOT EXISTS ", 1),
	}
	before = []Step{{ID: "track-swap", Kind: StepTrackSwap,
		Title:  "record the query id and fingerprint of every insert block into " + t + ", wait for the inserts that started before, and copy their parts into " + tNew,
		Source: t, Dest: tNew, View: table, Select: insert, SQL: append(append([]string{}, drop...), create...), Undo: drop, Creates: []string{mv, table},
		Check: "every part of " + t + " not copied before the swap comes from an insert the tracker saw, or from one that fired no view"}}
	after = append([]Step{{ID: "match-tail", Kind: StepMatchTail,
		Title:  "match the parts of " + tOld + " not copied yet to the insert blocks the tracker saw",
		Source: tOld, View: table, Select: fp,
		Check: "a part matching no tracked block (as multisets of fingerprints) came from an insert that fired no view"}}, pushes...)
	untrack = &Step{ID: "untrack", Kind: StepSQL, Title: "drop the swap tracker of " + t, SQL: drop}
	return before, after, untrack, true
}

// swapTrackNote is the change note of a tracked swap.
func swapTrackNote(t string, version string) string {
	return fmt.Sprintf("on %s an insert racing EXCHANGE TABLES can fire no view: a tracker on %s records every insert block from before the swap, and the rows of %s%s no view processed are run through each view into its target before the tail is attached", version, t, t, SuffixOld)
}
