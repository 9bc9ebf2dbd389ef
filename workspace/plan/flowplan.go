package plan

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/perchdata/perch/workspace"
)

// flowCase is a materialized view whose path from source to target the
// plan changes, to check on the server (CheckViews): the view's query typed
// against the new definitions, its output compared with its target's.
type flowCase struct {
	view, source, target string
	// change is the id of the change the verdict belongs to (errors and notes name it).
	change string
	// alts are the states to try, in order: one for a single change, two
	// when the source and the target change separately (either may go
	// first); the first state that passes decides the order.
	alts []flowAlt
	// liveQuery is the view's query as it runs today: its mismatches with
	// the live target are accepted (the server takes them today). Empty for
	// a view that does not exist yet.
	liveQuery string
	what      string
}

// flowAlt is one state of a flowCase. first and second, when set, are the
// change ids this state assumes run in that order.
type flowAlt struct {
	query         string
	state         map[string]tableDef
	first, second string
}

// newDefs returns the tables the plan creates or changes, by name, with
// their local definitions.
func (p *planner) newDefs() map[string]*Change {
	out := map[string]*Change{}
	for _, c := range p.plan.Changes {
		if c.Kind == KindDatasource && (c.Action == Create || c.Action == Replace || c.Action == Update) && c.Method != MethodMetadata {
			out[c.Resource] = c
		}
	}
	return out
}

// collectFlows lists the views to check: every local materialized view in
// the final state when it, its sources or its target change, and every live
// view in the states between two table changes it straddles.
func (p *planner) collectFlows() {
	defs := p.newDefs()
	def := func(name string) tableDef { return tableDef{ds: p.local.Datasources[name]} }
	for _, name := range sortedKeys(p.views) {
		mv := p.views[name]
		state := map[string]tableDef{}
		for _, s := range append([]string{mv.target}, mv.sources...) {
			if defs[s] != nil || p.folded[s] {
				state[s] = def(s)
			}
		}
		vc := p.changes[name]
		if len(state) == 0 && (vc == nil || vc.Method == MethodMetadata) {
			continue
		}
		fc := flowCase{view: name, source: mv.sources[0], target: mv.target, what: "after this plan",
			alts: []flowAlt{{query: mv.query, state: state}}}
		if live := p.remote.Views[name]; live != nil && live.Materialized && live.Target == mv.target {
			fc.liveQuery = live.Query
		}
		switch {
		case vc != nil && vc.Method != MethodMetadata:
			fc.change = vc.ID
		case defs[mv.sources[0]] != nil:
			fc.change = defs[mv.sources[0]].ID
		case defs[mv.target] != nil:
			fc.change = defs[mv.target].ID
		}
		p.plan.flows = append(p.plan.flows, fc)
	}
	for _, name := range sortedKeys(p.remote.Views) {
		v := p.remote.Views[name]
		if !v.Materialized || v.Target == "" {
			continue
		}
		src := p.liveSource(name)
		if src == "" || p.remote.Tables[src] == nil || p.remote.Tables[v.Target] == nil {
			continue
		}
		sc, tc := defs[src], defs[v.Target]
		if (sc == nil || sc.Action == Create) && (tc == nil || tc.Action == Create) {
			continue
		}
		if mv := p.views[name]; mv != nil && mv.target == v.Target && (sc == nil || tc == nil) {
			if vc := p.changes[name]; vc == nil || vc.Method == MethodMetadata {
				continue // the final state, checked above, is this state
			}
		}
		fc := flowCase{view: name, source: src, target: v.Target, liveQuery: v.Query, what: "while the plan runs"}
		switch {
		case sc != nil && tc != nil:
			fc.change = sc.ID
			fc.alts = []flowAlt{
				{query: v.Query, state: map[string]tableDef{v.Target: def(v.Target)}, first: tc.ID, second: sc.ID},
				{query: v.Query, state: map[string]tableDef{src: def(src)}, first: sc.ID, second: tc.ID},
			}
		case sc != nil:
			fc.change, fc.alts = sc.ID, []flowAlt{{query: v.Query, state: map[string]tableDef{src: def(src)}}}
		default:
			fc.change, fc.alts = tc.ID, []flowAlt{{query: v.Query, state: map[string]tableDef{v.Target: def(v.Target)}}}
		}
		p.plan.flows = append(p.plan.flows, fc)
	}
}

// liveSource returns the live table whose inserts fire a live view: the
// first table, by name, that lists it among its readers. The index from view
// to table is built on first use, once per plan (the remote state does not
// change while planning).
func (p *planner) liveSource(view string) string {
	if p.liveSources == nil {
		p.liveSources = map[string]string{}
		for _, name := range sortedKeys(p.remote.Tables) {
			for _, r := range p.remote.Tables[name].ReadBy {
				if _, ok := p.liveSources[r]; !ok {
					p.liveSources[r] = name
				}
			}
		}
	}
	return p.liveSources[view]
}

// CheckViews checks, on the server and without touching user data, every
// materialized view whose path the plan changes: its query is typed against
// scratch Null-engine copies of the new table definitions and its output
// compared with its target's columns. A view whose inserts would fail (an
// aggregate state of another type, a type an old server will not convert,
// a missing column) or whose values would change is a plan error naming
// the view, the column and what to change, unless the live workspace
// already has the same difference. When a view's source and target both
// change, the order that keeps every insert flowing is chosen (the second
// change depends on the first); with none, the plan is refused. A check the
// server cannot run is a warning: apply checks again before its swap.
func CheckViews(ctx context.Context, c *workspace.Client, p *Plan) error {
	if len(p.Errors) > 0 {
		return nil // views may fail for the reasons already given
	}
	for _, fc := range p.flows {
		accepted := map[string]bool{}
		if fc.liveQuery != "" {
			ms, err := flowState{view: fc.view, query: fc.liveQuery, source: fc.source, target: fc.target}.check(ctx, c, false)
			if err != nil {
				p.Warnings = append(p.Warnings, fmt.Sprintf("%s: view %s could not be typed as it runs today: %v", fc.change, fc.view, err))
				continue
			}
			for _, m := range ms {
				accepted[m.key()] = true
			}
		}
		var first []mismatch
		passed := false
		for i, alt := range fc.alts {
			ms, err := flowState{view: fc.view, query: alt.query, source: fc.source, target: fc.target, state: alt.state}.check(ctx, c, false)
			if err != nil {
				p.Errors = append(p.Errors, fmt.Sprintf("%s: materialized view %s cannot run against the new definitions %s: %v", fc.change, fc.view, fc.what, err))
				passed = true // reported
				break
			}
			var left []mismatch
			for _, m := range ms {
				if !accepted[m.key()] {
					left = append(left, m)
				}
			}
			if len(left) == 0 {
				if alt.first != "" {
					dependOn(p, alt.second, alt.first)
				}
				passed = true
				break
			}
			if i == 0 {
				first = left
			}
		}
		if passed {
			continue
		}
		var why []string
		for _, m := range first {
			why = append(why, m.String())
		}
		msg := fmt.Sprintf("%s: materialized view %s (%s -> %s) would break %s: %s", fc.change, fc.view, fc.source, fc.target, fc.what, strings.Join(why, "; "))
		switch {
		case len(fc.alts) > 1:
			msg += "; no order of the changes of " + fc.source + " and " + fc.target + " keeps every insert flowing (a view on this server needs its source and target changed together, with the view recreated between them)"
		case fc.liveQuery == "" && allLossy(first):
			p.Warnings = append(p.Warnings, msg)
			continue
		default:
			msg += "; change " + fc.target + " in the project to match (perch then changes it too), or make the view produce the target's types"
		}
		p.Errors = append(p.Errors, msg)
	}
	orderChanges(p.Changes)
	return nil
}

func allLossy(ms []mismatch) bool {
	for _, m := range ms {
		if !m.lossy {
			return false
		}
	}
	return true
}

// dependOn makes change id depend on dep.
func dependOn(p *Plan, id, dep string) {
	c := p.Change(id)
	if c == nil {
		return
	}
	for _, d := range c.DependsOn {
		if d == dep {
			return
		}
	}
	c.DependsOn = append(c.DependsOn, dep)
}

// orderChanges keeps the phase order (stable) and moves every change after
// the changes it depends on.
func orderChanges(cs []*Change) {
	pos := map[string]int{}
	for i, c := range cs {
		pos[c.ID] = i
	}
	out := make([]*Change, 0, len(cs))
	placed := map[string]bool{}
	var place func(c *Change, depth int)
	place = func(c *Change, depth int) {
		if placed[c.ID] || depth > len(cs) {
			return
		}
		placed[c.ID] = true
		for _, d := range c.DependsOn {
			if i, ok := pos[d]; ok {
				place(cs[i], depth+1)
			}
		}
		out = append(out, c)
	}
	for _, c := range cs {
		place(c, 0)
	}
	copy(cs, out)
	for _, c := range cs {
		sort.Slice(c.DependsOn, func(i, j int) bool { return pos[c.DependsOn[i]] < pos[c.DependsOn[j]] })
	}
}

// CheckFlows proves, without touching user data, that an insert into table
// flows through every materialized view reading it and every view writing
// into it: each view's query is typed with table's structure (or like's, a
// replacement about to be swapped in) and compared with its target, then
// one synthetic row is pushed through scratch Null copies of the source, the
// view and the target. Differences listed in accepted ("view.column",
// FlowMismatches of the state before) are the server's today and pass. It
// returns the views checked and the differences found.
func CheckFlows(ctx context.Context, c *workspace.Client, table, like string, accepted []string) (checked, found []string, err error) {
	cases, err := flowCases(ctx, c, table, like)
	if err != nil {
		return nil, nil, err
	}
	ok := map[string]bool{}
	for _, a := range accepted {
		ok[a] = true
	}
	for _, fs := range cases {
		ms, err := fs.check(ctx, c, false)
		if err != nil {
			return checked, found, fmt.Errorf("view %s: %w", fs.view, err)
		}
		var bad []string
		for _, m := range ms {
			k := fs.view + "." + m.column
			found = append(found, k)
			if !ok[k] {
				bad = append(bad, m.String())
			}
		}
		if len(bad) > 0 {
			return checked, found, fmt.Errorf("inserts into %s would fail or change values in view %s: %s", fs.source, fs.view, strings.Join(bad, "; "))
		}
		if _, err := fs.check(ctx, c, true); err != nil {
			return checked, found, fmt.Errorf("view %s: %w", fs.view, err)
		}
		checked = append(checked, fs.view)
	}
	return checked, found, nil
}

// FlowMismatches returns the differences between the output of every view
// reading or writing table and its target, as the workspace is now
// ("view.column" each): the server takes them today.
func FlowMismatches(ctx context.Context, c *workspace.Client, table string) ([]string, error) {
	cases, err := flowCases(ctx, c, table, "")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, fs := range cases {
		ms, err := fs.check(ctx, c, false)
		if err != nil {
			return nil, fmt.Errorf("view %s: %w", fs.view, err)
		}
		for _, m := range ms {
			out = append(out, fs.view+"."+m.column)
		}
	}
	return out, nil
}

// flowCases lists the live materialized views reading or writing table,
// each in the state where table has like's structure (when like is set).
func flowCases(ctx context.Context, c *workspace.Client, table, like string) ([]flowState, error) {
	s, err := c.Snapshot(ctx, c.Database())
	if err != nil {
		return nil, fmt.Errorf("check views of %s: %w", table, err)
	}
	var state map[string]tableDef
	if like != "" {
		state = map[string]tableDef{table: {like: like}}
	}
	var cases []flowState
	if t := s.Objects[table]; t != nil {
		for _, v := range t.Dependents {
			if o := s.Objects[v]; o != nil && o.To != "" && !workspace.IsPerchInternal(v) {
				cases = append(cases, flowState{view: v, query: o.Query, source: table, target: o.To, state: state})
			}
		}
	}
	for _, name := range s.Names() {
		o := s.Objects[name]
		if o.Kind != workspace.KindMaterializedView || o.To != table || workspace.IsPerchInternal(name) {
			continue
		}
		for _, n := range s.Names() {
			for _, d := range s.Objects[n].Dependents {
				if d == name && n != table {
					cases = append(cases, flowState{view: name, query: o.Query, source: n, target: table, state: state})
				}
			}
		}
	}
	return cases, nil
}
