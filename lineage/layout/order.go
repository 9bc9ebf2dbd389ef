package layout

import (
	"slices"
	"sort"
)

// order arranges each layer to reduce edge crossings: barycentre sweeps down
// (by the mean position of predecessors) and up (of successors), keeping the
// best ordering seen.
func (l *layering) order(sweeps int) {
	if len(l.layers) == 0 {
		return
	}
	l.initialOrder()
	best := l.countCrossings()
	bestOrder := l.snapshot()
	stale := 0
	for it := 0; it < sweeps && best > 0; it++ {
		for ly := 1; ly < len(l.layers); ly++ {
			l.sortLayer(ly, l.preds)
		}
		for ly := len(l.layers) - 2; ly >= 0; ly-- {
			l.sortLayer(ly, l.succs)
		}
		c := l.countCrossings()
		if c < best {
			best, bestOrder, stale = c, l.snapshot(), 0
			continue
		}
		if stale++; stale >= 2 {
			break
		}
	}
	l.restore(bestOrder)
	l.crossings = best
}

// initialOrder places each layer after the first by a depth-first walk from
// the first layer's nodes, which keeps chains together before any sweep.
func (l *layering) initialOrder() {
	seen := make([]bool, len(l.layer))
	next := make([][]int, len(l.layers))
	var visit func(v int)
	visit = func(v int) {
		seen[v] = true
		next[l.layer[v]] = append(next[l.layer[v]], v)
		for _, s := range l.succs[v] {
			if !seen[s] {
				visit(s)
			}
		}
	}
	for _, ly := range l.layers {
		for _, v := range ly {
			if !seen[v] && len(l.preds[v]) == 0 {
				visit(v)
			}
		}
	}
	for _, ly := range l.layers { // nodes only reachable from later layers' roots
		for _, v := range ly {
			if !seen[v] {
				visit(v)
			}
		}
	}
	l.layers = next
	l.renumber()
}

// sortLayer reorders one layer by the barycentre of each node's neighbours
// in adj; a node without neighbours keeps its position as its key.
func (l *layering) sortLayer(ly int, adj [][]int) {
	nodes := l.layers[ly]
	// Each key packs the barycentre (fixed point, 10 fraction bits) above
	// the current position, so sorting plain integers is stable.
	keys := l.scratch[:0]
	sorted := true
	for i, v := range nodes {
		bary := uint64(l.pos[v]) << 10
		if len(adj[v]) > 0 {
			sum := 0
			for _, u := range adj[v] {
				sum += l.pos[u]
			}
			bary = uint64(sum<<10) / uint64(len(adj[v]))
		}
		k := bary<<32 | uint64(i)
		if i > 0 && k < keys[i-1] {
			sorted = false
		}
		keys = append(keys, k)
	}
	l.scratch = keys
	if sorted {
		return
	}
	slices.Sort(keys)
	old := append(l.scratchNodes[:0], nodes...)
	l.scratchNodes = old
	for i, k := range keys {
		v := old[k&0xffffffff]
		nodes[i] = v
		l.pos[v] = i
	}
}

func (l *layering) snapshot() [][]int {
	out := make([][]int, len(l.layers))
	for i, ly := range l.layers {
		out[i] = append([]int(nil), ly...)
	}
	return out
}

func (l *layering) restore(order [][]int) {
	l.layers = order
	l.renumber()
}

// countCrossings counts the crossings between every pair of adjacent layers:
// the inversions among the lower ends of edges listed by their upper ends,
// counted with a Fenwick tree (O(E log V)).
func (l *layering) countCrossings() int {
	total := 0
	var seq []int
	for ly := 0; ly+1 < len(l.layers); ly++ {
		seq = seq[:0]
		for _, v := range l.layers[ly] {
			start := len(seq)
			for _, s := range l.succs[v] {
				seq = append(seq, l.pos[s])
			}
			sort.Ints(seq[start:])
		}
		total += inversions(seq, len(l.layers[ly+1]), &l.fenwick)
	}
	return total
}

// inversions counts pairs i<j with seq[i] > seq[j]; values are in [0, n).
// buf is reused for the tree.
func inversions(seq []int, n int, buf *[]int) int {
	tree := slices.Grow((*buf)[:0], n+1)[:n+1]
	clear(tree)
	*buf = tree
	count := 0
	for k, x := range seq {
		// elements seen so far that are <= x
		le := 0
		for i := x + 1; i > 0; i -= i & -i {
			le += tree[i]
		}
		count += k - le
		for i := x + 1; i <= n; i += i & -i {
			tree[i]++
		}
	}
	return count
}
