package layout

import "slices"

// layering is the working state of a layout: the input, then the virtual
// graph with dummy nodes, their layers, order, rows and columns.
type layering struct {
	n        int
	sizes    []Size
	edges    []Edge
	reversed []bool
	selfLoop []bool

	// Virtual nodes: the first n are the input nodes, then dummies.
	layer []int
	w, h  []int
	y     []int
	preds [][]int
	succs [][]int
	// chain is, per input edge, the virtual nodes it passes through.
	chain [][]int

	layers       [][]int // virtual nodes per layer, in order
	pos          []int   // position of each virtual node in its layer
	crossings    int
	scratch      []uint64
	scratchNodes []int
	fenwick      []int

	colX, colW []int
	chanX      []int // per virtual node, the column of its trunk
	gapStart   []int
}

func newLayering(sizes []Size, edges []Edge) *layering {
	n := len(sizes)
	l := &layering{n: n, sizes: sizes, edges: edges,
		reversed: make([]bool, len(edges)), selfLoop: make([]bool, len(edges))}
	l.breakCycles()
	return l
}

// breakCycles marks the back edges of a depth-first search (in index order)
// as reversed, which leaves the graph acyclic.
func (l *layering) breakCycles() {
	out := make([][]int, l.n)
	for i, e := range l.edges {
		if e.From == e.To {
			l.selfLoop[i] = true
			continue
		}
		out[e.From] = append(out[e.From], i)
	}
	const (
		unseen = iota
		onStack
		done
	)
	state := make([]uint8, l.n)
	type frame struct{ v, next int }
	var stack []frame
	for root := 0; root < l.n; root++ {
		if state[root] != unseen {
			continue
		}
		state[root] = onStack
		stack = append(stack[:0], frame{root, 0})
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.next == len(out[f.v]) {
				state[f.v] = done
				stack = stack[:len(stack)-1]
				continue
			}
			e := out[f.v][f.next]
			f.next++
			to := l.edges[e].To
			switch state[to] {
			case onStack:
				l.reversed[e] = true
			case unseen:
				state[to] = onStack
				stack = append(stack, frame{to, 0})
			}
		}
	}
}

// dag returns edge i oriented for layering, and false for a self-loop.
func (l *layering) dag(i int) (int, int, bool) {
	if l.selfLoop[i] {
		return 0, 0, false
	}
	e := l.edges[i]
	if l.reversed[i] {
		return e.To, e.From, true
	}
	return e.From, e.To, true
}

// assignLayers gives every node its longest-path layer from the sources,
// then pulls each source right next to its nearest successor so that
// connections and data sources sit beside what reads them.
func (l *layering) assignLayers() {
	l.layer = make([]int, l.n)
	indeg := make([]int, l.n)
	succ := make([][]int, l.n)
	for i := range l.edges {
		a, b, ok := l.dag(i)
		if !ok {
			continue
		}
		succ[a] = append(succ[a], b)
		indeg[b]++
	}
	queue := make([]int, 0, l.n)
	for v := 0; v < l.n; v++ {
		if indeg[v] == 0 {
			queue = append(queue, v)
		}
	}
	isSource := make([]bool, l.n)
	for _, v := range queue {
		isSource[v] = true
	}
	for k := 0; k < len(queue); k++ {
		v := queue[k]
		for _, s := range succ[v] {
			if l.layer[v]+1 > l.layer[s] {
				l.layer[s] = l.layer[v] + 1
			}
			indeg[s]--
			if indeg[s] == 0 {
				queue = append(queue, s)
			}
		}
	}
	for v := 0; v < l.n; v++ {
		if !isSource[v] || len(succ[v]) == 0 {
			continue
		}
		best := -1
		for _, s := range succ[v] {
			if best < 0 || l.layer[s] < best {
				best = l.layer[s]
			}
		}
		l.layer[v] = best - 1
	}
}

// addDummies splits every edge that spans more than one layer with a dummy
// node per layer crossed.
func (l *layering) addDummies() {
	l.w = make([]int, l.n)
	l.h = make([]int, l.n)
	for v, s := range l.sizes {
		l.w[v], l.h[v] = s.W, max(s.H, 1)
	}
	// Count the dummies first so every slice is allocated once; a dummy's
	// single predecessor and successor live in one slab.
	dummies := 0
	for i := range l.edges {
		if a, b, ok := l.dag(i); ok && l.layer[b]-l.layer[a] > 1 {
			dummies += l.layer[b] - l.layer[a] - 1
		}
	}
	total := l.n + dummies
	l.layer = slices.Grow(l.layer, dummies)
	l.w = slices.Grow(l.w, dummies)
	l.h = slices.Grow(l.h, dummies)
	l.preds = make([][]int, l.n, total)
	l.succs = make([][]int, l.n, total)
	slab := make([]int, 2*dummies)
	l.chain = make([][]int, len(l.edges))
	for i := range l.edges {
		a, b, ok := l.dag(i)
		if !ok {
			continue
		}
		c := make([]int, 0, l.layer[b]-l.layer[a]+1)
		c = append(c, a)
		prev := a
		for ly := l.layer[a] + 1; ly < l.layer[b]; ly++ {
			d := len(l.layer)
			k := 2 * (d - l.n)
			l.layer = append(l.layer, ly)
			l.w = append(l.w, 0)
			l.h = append(l.h, 1)
			l.preds = append(l.preds, slab[k:k:k+1])
			l.succs = append(l.succs, slab[k+1:k+1:k+2])
			l.link(prev, d)
			c = append(c, d)
			prev = d
		}
		l.link(prev, b)
		l.chain[i] = append(c, b)
	}
	top := 0
	for _, ly := range l.layer {
		top = max(top, ly)
	}
	l.layers = make([][]int, top+1)
	if len(l.layer) == 0 {
		l.layers = nil
	}
	for v, ly := range l.layer {
		l.layers[ly] = append(l.layers[ly], v)
	}
	l.pos = make([]int, len(l.layer))
	l.renumber()
}

func (l *layering) link(a, b int) {
	l.succs[a] = append(l.succs[a], b)
	l.preds[b] = append(l.preds[b], a)
}

func (l *layering) renumber() {
	for _, ly := range l.layers {
		for i, v := range ly {
			l.pos[v] = i
		}
	}
}

func (l *layering) isDummy(v int) bool { return v >= l.n }
