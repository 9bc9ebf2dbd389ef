package plan

import (
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
)

// combinators are the suffixes an aggregate function takes (countIf,
// uniqMergeState, sumIfState); they stack, so each is stripped in turn.
var combinators = []string{"SimpleState", "MergeState", "OrDefault", "Resample", "Distinct", "ForEach", "OrNull", "Merge", "State", "Array", "If"}

// knownFunction reports whether the server has function name: listed as is,
// lower-cased (a case-insensitive function), or an aggregate function with
// combinator suffixes. fns maps names to whether they are aggregates.
func knownFunction(fns map[string]bool, name string) bool {
	if _, ok := lookup(fns, name); ok {
		return true
	}
	return combined(fns, name)
}

// knownAggregate reports whether name is an aggregate function, possibly combined.
func knownAggregate(fns map[string]bool, name string) bool {
	if agg, ok := lookup(fns, name); ok {
		return agg
	}
	return combined(fns, name)
}

// combined reports whether name is a known aggregate plus a combinator.
func combined(fns map[string]bool, name string) bool {
	for _, c := range combinators {
		if base, ok := strings.CutSuffix(name, c); ok && base != "" && knownAggregate(fns, base) {
			return true
		}
	}
	return false
}

func lookup(fns map[string]bool, name string) (agg, ok bool) {
	if agg, ok = fns[name]; ok {
		return agg, true
	}
	agg, ok = fns[strings.ToLower(name)]
	return agg, ok
}

// checkFunctions makes a plan error of every function that the query of a
// materialized view or copy pipe the plan creates or changes calls and the
// server lacks. An empty function set (unknown server) checks nothing.
func (p *planner) checkFunctions() {
	if len(p.remote.Functions) == 0 {
		return
	}
	for _, c := range p.plan.Changes {
		if c.Action == Delete {
			continue
		}
		switch {
		case c.Kind == KindMatView && c.Method != MethodMetadata && p.views[c.Resource] != nil:
			mv := p.views[c.Resource]
			if n := nodeOfType(mv.pipe, datafiles.NodeMaterialized); n != nil {
				p.checkQueryFunctions(mv.pipe, n, mv.query)
			}
		case c.Kind == KindPipe && p.local.Pipes[c.Resource] != nil:
			pipe := p.local.Pipes[c.Resource]
			n := nodeOfType(pipe, datafiles.NodeCopy)
			if n == nil {
				continue
			}
			q, ok := p.nodeQuery(pipe, n)
			if !ok {
				continue
			}
			p.checkQueryFunctions(pipe, n, q)
		}
	}
}

// checkQueryFunctions reports the functions of one query the server lacks;
// a query the parser cannot read is left to the server.
func (p *planner) checkQueryFunctions(pipe *datafiles.Pipe, n *datafiles.Node, query string) {
	names, err := compile.FunctionNames(query)
	if err != nil {
		return
	}
	for _, f := range names {
		if !knownFunction(p.remote.Functions, f) {
			p.errorf("%s: %s.%s: server %s has no function %s", n.Pos, pipe.Name, n.Name, p.remote.Capabilities.Version, f)
		}
	}
}

func nodeOfType(pipe *datafiles.Pipe, t datafiles.NodeType) *datafiles.Node {
	for _, n := range pipe.Nodes {
		if n.Type == t {
			return n
		}
	}
	return nil
}
