package lineage

import (
	"fmt"
	"sort"
	"strings"
)

// Upstream returns every node the named node depends on, directly or not,
// sorted by name (the node itself excluded).
func (g *Graph) Upstream(name string) []string { return g.closure(name, g.in, true) }

// Downstream returns every node that depends on the named node, directly or
// not, sorted by name (the node itself excluded).
func (g *Graph) Downstream(name string) []string { return g.closure(name, g.out, false) }

func (g *Graph) closure(name string, adj [][]int, up bool) []string {
	start, ok := g.index[name]
	if !ok {
		return nil
	}
	seen := make([]bool, len(g.Nodes))
	seen[start] = true
	stack := []int{start}
	var out []string
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, e := range adj[i] {
			other := g.Edges[e].To
			if up {
				other = g.Edges[e].From
			}
			j := g.index[other]
			if !seen[j] {
				seen[j] = true
				out = append(out, other)
				stack = append(stack, j)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Impact returns the named node with its upstream and downstream closures:
// what a lineage view highlights for a selection.
func (g *Graph) Impact(name string) map[string]bool {
	if g.Node(name) == nil {
		return nil
	}
	set := map[string]bool{name: true}
	for _, n := range g.Upstream(name) {
		set[n] = true
	}
	for _, n := range g.Downstream(name) {
		set[n] = true
	}
	return set
}

// EndpointsReached returns the endpoints a change to the named node reaches:
// the endpoints downstream of it, and the node itself when it is one.
func (g *Graph) EndpointsReached(name string) []string {
	n := g.Node(name)
	if n == nil {
		return nil
	}
	var out []string
	if n.Kind == KindEndpoint {
		out = append(out, name)
	}
	for _, d := range g.Downstream(name) {
		if g.Node(d).Kind == KindEndpoint {
			out = append(out, d)
		}
	}
	sort.Strings(out)
	return out
}

// Focus returns the subgraph of the named node and everything upstream and
// downstream of it.
func (g *Graph) Focus(name string) (*Graph, error) {
	if g.Node(name) == nil {
		return nil, fmt.Errorf("focus: no node named %q", name)
	}
	names := append([]string{name}, g.Upstream(name)...)
	names = append(names, g.Downstream(name)...)
	return g.Subgraph(names), nil
}

// CycleError reports a cycle in the graph; Cycle lists its nodes in order,
// the first repeated at the end.
type CycleError struct {
	Cycle []string
}

// Error names the cycle: "lineage cycle: a → b → a".
func (e *CycleError) Error() string {
	return "lineage cycle: " + strings.Join(e.Cycle, " → ")
}

// TopoOrder returns the nodes in data-flow order: every node after the
// nodes it reads (data sources before the pipes that read them, a
// materialization before the table it writes). Ties break by name. A cycle
// gives a *CycleError naming it.
func (g *Graph) TopoOrder() ([]string, error) {
	return g.order(func(e Edge) (string, string) { return e.From, e.To })
}

// DeployOrder returns the order in which to create resources: every node
// after what it needs to exist: what it reads, the table a materialization
// or copy writes (a ClickHouse view `TO` a table needs the table), the
// connection that feeds a data source or receives a sink. A cycle gives a
// *CycleError.
func (g *Graph) DeployOrder() ([]string, error) {
	return g.order(func(e Edge) (string, string) {
		switch e.Kind {
		case EdgeMaterializes, EdgeCopies, EdgeExports:
			return e.To, e.From
		}
		return e.From, e.To
	})
}

// order is Kahn's algorithm over the edges oriented by dir (first before
// second), taking the smallest ready name first.
func (g *Graph) order(dir func(Edge) (string, string)) ([]string, error) {
	n := len(g.Nodes)
	indeg := make([]int, n)
	after := make([][]int, n)
	for _, e := range g.Edges {
		a, b := dir(e)
		i, j := g.index[a], g.index[b]
		after[i] = append(after[i], j)
		indeg[j]++
	}
	ready := &intHeap{}
	for i := range indeg {
		if indeg[i] == 0 {
			ready.push(i)
		}
	}
	out := make([]string, 0, n)
	for ready.len() > 0 {
		i := ready.pop()
		out = append(out, g.Nodes[i].Name)
		for _, j := range after[i] {
			indeg[j]--
			if indeg[j] == 0 {
				ready.push(j)
			}
		}
	}
	if len(out) < n {
		return nil, &CycleError{Cycle: g.findCycle(indeg, after)}
	}
	return out, nil
}

// findCycle walks from a node left with incoming edges; every such node has
// a predecessor also left, so following successors among them ends in a cycle.
func (g *Graph) findCycle(indeg []int, after [][]int) []string {
	left := func(i int) bool { return indeg[i] > 0 }
	start := -1
	for i := range indeg {
		if left(i) {
			start = i
			break
		}
	}
	// Every remaining node keeps a remaining predecessor; walk predecessors.
	pred := make([][]int, len(indeg))
	for i, js := range after {
		for _, j := range js {
			pred[j] = append(pred[j], i)
		}
	}
	pos := map[int]int{}
	var path []int
	for i := start; ; {
		if p, ok := pos[i]; ok {
			cyc := path[p:]
			names := make([]string, 0, len(cyc)+1)
			for k := len(cyc) - 1; k >= 0; k-- { // predecessors walked: reverse
				names = append(names, g.Nodes[cyc[k]].Name)
			}
			return append(names, names[0])
		}
		pos[i] = len(path)
		path = append(path, i)
		next := -1
		for _, p := range pred[i] {
			if left(p) {
				next = p
				break
			}
		}
		if next < 0 { // cannot happen: a left node has a left predecessor
			return []string{g.Nodes[i].Name}
		}
		i = next
	}
}

// intHeap is a min-heap of node indices; since nodes are sorted by name, the
// smallest index is the smallest name.
type intHeap struct{ a []int }

func (h *intHeap) len() int { return len(h.a) }

func (h *intHeap) push(x int) {
	h.a = append(h.a, x)
	for i := len(h.a) - 1; i > 0; {
		p := (i - 1) / 2
		if h.a[p] <= h.a[i] {
			break
		}
		h.a[p], h.a[i] = h.a[i], h.a[p]
		i = p
	}
}

func (h *intHeap) pop() int {
	top := h.a[0]
	last := len(h.a) - 1
	h.a[0] = h.a[last]
	h.a = h.a[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < last && h.a[l] < h.a[m] {
			m = l
		}
		if r < last && h.a[r] < h.a[m] {
			m = r
		}
		if m == i {
			return top
		}
		h.a[i], h.a[m] = h.a[m], h.a[i]
		i = m
	}
}
