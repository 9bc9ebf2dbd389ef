package template

import "sort"

// Coverage renders: the SQL a template can produce whatever the parameters.
//
// Lineage and impact need every table a node can read, also those read only
// in some {% if %} branch or loop body. Cover renders the template once as
// asked, then again for every branch that render did not take, forcing the
// way to it (each enclosing branch, loop bodies run at least once), until
// every branch of every if/elif/else and every loop body has run or a limit
// of renders is reached.

// branch is one body of the template: branch i of the {% if %} at off, or
// (i = 0) the body of the loop at off.
type branch struct {
	off, i int
}

// goal is a body to reach and the bodies enclosing it, outermost first.
type goal struct {
	at   branch
	loop bool
	path []branch
}

// DefaultMaxCoverRenders bounds the renders of one Cover call.
const DefaultMaxCoverRenders = 64

// Cover renders the template as opts asks, then once more for each branch
// of an {% if %} / {% elif %} / {% else %} and each loop body not run yet,
// with the branches leading to it forced and loops over nothing run once
// with placeholder items. It returns the renders that succeeded, each
// rendered SQL once, the ordinary render first when it succeeded; renders
// that fail (a forced branch calling error(), say) are skipped. max bounds
// the renders (0: DefaultMaxCoverRenders).
func (t *Template) Cover(opts RenderOptions, max int) []*Result {
	if max <= 0 {
		max = DefaultMaxCoverRenders
	}
	var out []*Result
	seen := map[string]bool{}
	visited := map[branch]bool{}
	add := func(res *Result) {
		if !seen[res.SQL] {
			seen[res.SQL] = true
			out = append(out, res)
		}
	}
	base := &control{visited: visited}
	if res, err := t.render(opts, base); err == nil {
		add(res)
	} else if res, err := t.Render(opts); err == nil {
		add(res) // the placeholder retry with chosen values
	}
	renders := 1
	for _, g := range t.goals() {
		if visited[g.at] {
			continue
		}
		if renders >= max {
			break
		}
		renders++
		ctl := &control{force: map[int]int{}, loops: true, visited: map[branch]bool{}}
		for _, b := range g.path {
			ctl.force[b.off] = b.i
		}
		if !g.loop {
			ctl.force[g.at.off] = g.at.i
		}
		res, err := t.render(opts, ctl)
		if err != nil {
			continue
		}
		for b := range ctl.visited {
			visited[b] = true
		}
		add(res)
	}
	return out
}

// goals lists every branch and loop body of the template, in source order,
// with the bodies enclosing it.
func (t *Template) goals() []goal {
	var out []goal
	var walk func(body []stmt, path []branch)
	walk = func(body []stmt, path []branch) {
		for _, s := range body {
			switch s := s.(type) {
			case *ifStmt:
				for i, b := range s.branches {
					at := branch{s.off, i}
					out = append(out, goal{at: at, path: path})
					walk(b.body, appendPath(path, at))
				}
			case *forStmt:
				at := branch{s.off, 0}
				out = append(out, goal{at: at, loop: true, path: path})
				walk(s.body, appendPath(path, at))
				walk(s.orElse, path)
			case *whileStmt:
				at := branch{s.off, 0}
				out = append(out, goal{at: at, loop: true, path: path})
				walk(s.body, appendPath(path, at))
				walk(s.orElse, path)
			case *tryStmt:
				walk(s.body, path)
				walk(s.except, path)
				walk(s.orElse, path)
				walk(s.finally, path)
			}
		}
	}
	walk(t.body, nil)
	sort.SliceStable(out, func(i, j int) bool { return out[i].at.off < out[j].at.off })
	return out
}

func appendPath(path []branch, b branch) []branch {
	return append(append(make([]branch, 0, len(path)+1), path...), b)
}

// visit records that a body ran, in a render that records.
func (r *renderer) visit(off, i int) {
	if r.ctl != nil && r.ctl.visited != nil {
		r.ctl.visited[branch{off, i}] = true
	}
}

// forced returns the branch a coverage render must take at an {% if %}.
func (r *renderer) forced(s *ifStmt) (int, bool) {
	if r.ctl == nil || r.ctl.force == nil {
		return 0, false
	}
	i, ok := r.ctl.force[s.off]
	return i, ok && i < len(s.branches)
}

// forceLoops reports whether loops over nothing run once (coverage renders).
func (r *renderer) forceLoops() bool { return r.ctl != nil && r.ctl.loops }
