package layout

import (
	"container/heap"
	"slices"
)

// trunk is the vertical part shared by the bent edges leaving one node
// towards the next layer.
type trunk struct {
	src     int
	row     int   // the source's port row
	lo, hi  int   // rows the vertical spans
	targets []int // port rows of its targets
	channel int

	first, n int // where targets lie in the gap's row store
}

// route assigns each gap between layers its channels (one column per trunk,
// shared by trunks whose rows do not touch), places the columns, and
// records the channel of every source.
func (l *layering) route(minGap int) {
	nl := len(l.layers)
	l.colW = make([]int, nl)
	l.colX = make([]int, nl)
	l.gapStart = make([]int, nl)
	l.chanX = make([]int, len(l.layer))
	for ly, nodes := range l.layers {
		w := 1
		for _, v := range nodes {
			w = max(w, l.w[v])
		}
		l.colW[ly] = w
	}
	x := 0
	for ly := 0; ly < nl; ly++ {
		l.colX[ly] = x
		l.gapStart[ly] = x + l.colW[ly]
		if ly+1 == nl {
			break
		}
		trunks := l.trunks(ly)
		channels := assignChannels(trunks)
		for _, t := range trunks {
			l.chanX[t.src] = l.gapStart[ly] + 1 + t.channel
		}
		x = l.gapStart[ly] + max(minGap, channels+3)
	}
}

// trunks lists the trunks of the gap after layer ly.
func (l *layering) trunks(ly int) []*trunk {
	edges := 0
	for _, v := range l.layers[ly] {
		edges += len(l.succs[v])
	}
	store := make([]trunk, 0, len(l.layers[ly]))
	rows := make([]int, 0, edges) // the targets of every trunk, one backing array
	for _, v := range l.layers[ly] {
		row := l.center(v)
		start := len(rows)
		for _, s := range l.succs[v] {
			if tr := l.center(s); tr != row {
				rows = append(rows, tr)
			}
		}
		if len(rows) == start {
			continue
		}
		t := trunk{src: v, row: row, lo: row, hi: row}
		for _, tr := range rows[start:] {
			t.lo, t.hi = min(t.lo, tr), max(t.hi, tr)
		}
		t.first, t.n = start, len(rows)-start
		store = append(store, t)
	}
	out := make([]*trunk, len(store))
	for i := range store {
		store[i].targets = rows[store[i].first : store[i].first+store[i].n : store[i].first+store[i].n]
		out[i] = &store[i]
	}
	return out
}

// assignChannels gives each trunk a channel, lowest first, so that trunks on
// one channel are at least a row apart, and so that a trunk whose source row
// is the target row of another trunk lies left of it (otherwise the first
// one's stub and the second one's last leg would share cells). It returns
// the number of channels.
func assignChannels(ts []*trunk) int {
	if len(ts) == 0 {
		return 0
	}
	// ends lists (target row, trunk) pairs by row, to find the trunks
	// ending on a given row.
	var ends [][2]int
	for i, t := range ts {
		for _, r := range t.targets {
			ends = append(ends, [2]int{r, i})
		}
	}
	slices.SortFunc(ends, func(a, b [2]int) int { return a[0] - b[0] })
	// before[i] lists trunks that must lie right of trunk i.
	before := make([][]int, len(ts))
	indeg := make([]int, len(ts))
	for i, t := range ts {
		k, _ := slices.BinarySearchFunc(ends, t.row, func(e [2]int, row int) int { return e[0] - row })
		for ; k < len(ends) && ends[k][0] == t.row; k++ {
			if j := ends[k][1]; j != i {
				before[i] = append(before[i], j)
				indeg[j]++
			}
		}
	}
	// Kahn in rowHeap order; trunks left in a constraint cycle follow.
	order := make([]int, 0, len(ts))
	placed := make([]bool, len(ts))
	ready := &rowHeap{ts: ts}
	for i := range ts {
		if indeg[i] == 0 {
			ready.push(i)
		}
	}
	next := 0 // scan position for constraint cycles
	for len(order) < len(ts) {
		if len(ready.a) == 0 {
			for placed[next] {
				next++
			}
			ready.push(next)
		}
		i := ready.pop()
		if placed[i] {
			continue
		}
		placed[i] = true
		order = append(order, i)
		for _, j := range before[i] {
			if indeg[j]--; indeg[j] == 0 && !placed[j] {
				ready.push(j)
			}
		}
	}
	minCh := make([]int, len(ts))
	var used [][][2]int // per channel, its row spans sorted and disjoint
	for _, i := range order {
		t := ts[i]
		c := minCh[i]
		for ; c < len(used); c++ {
			if at, ok := fits(used[c], t.lo, t.hi); ok {
				used[c] = slices.Insert(used[c], at, [2]int{t.lo, t.hi})
				break
			}
		}
		if c == len(used) {
			used = append(used, [][2]int{{t.lo, t.hi}})
		}
		t.channel = c
		for _, j := range before[i] {
			minCh[j] = max(minCh[j], c+1)
		}
	}
	return len(used)
}

// fits reports whether rows lo..hi keep a blank row to every span of a
// channel (sorted by start, disjoint), and where the new span would go.
func fits(spans [][2]int, lo, hi int) (int, bool) {
	at, _ := slices.BinarySearchFunc(spans, lo, func(s [2]int, lo int) int { return s[0] - lo })
	if at < len(spans) && spans[at][0] <= hi+1 {
		return 0, false
	}
	if at > 0 && spans[at-1][1] >= lo-1 {
		return 0, false
	}
	return at, true
}

// result turns the layering into rectangles and routes.
func (l *layering) result() *Result {
	r := &Result{
		Rects:     make([]Rect, l.n),
		Layer:     make([]int, l.n),
		Layers:    make([][]int, len(l.layers)),
		Routes:    make([]Route, len(l.edges)),
		Crossings: l.crossings,
	}
	for v := 0; v < l.n; v++ {
		ly := l.layer[v]
		r.Rects[v] = Rect{X: l.colX[ly], Y: l.y[v], W: l.w[v], H: l.h[v]}
		r.Layer[v] = ly
	}
	for ly, nodes := range l.layers {
		for _, v := range nodes {
			if !l.isDummy(v) {
				r.Layers[ly] = append(r.Layers[ly], v)
			}
			r.Height = max(r.Height, l.y[v]+l.h[v])
		}
	}
	if n := len(l.layers); n > 0 {
		r.Width = l.colX[n-1] + l.colW[n-1]
	}
	for i := range l.edges {
		if l.chain[i] == nil {
			continue
		}
		r.Routes[i] = Route{Points: l.path(l.chain[i]), Reversed: l.reversed[i]}
	}
	return r
}

// path is the polyline of an edge through its chain of virtual nodes.
func (l *layering) path(chain []int) []Point {
	a := chain[0]
	pts := make([]Point, 1, 1+4*len(chain))
	pts[0] = Point{l.colX[l.layer[a]] + l.w[a], l.center(a)}
	for k := 0; k+1 < len(chain); k++ {
		u, v := chain[k], chain[k+1]
		lv := l.layer[v]
		sy, ty := l.center(u), l.center(v)
		if sy != ty {
			cx := l.chanX[u]
			pts = append(pts, Point{cx, sy}, Point{cx, ty})
		}
		pts = append(pts, Point{l.colX[lv] - 1, ty})
		if l.isDummy(v) {
			pts = append(pts, Point{l.gapStart[lv], ty})
		}
	}
	return simplify(pts)
}

// simplify drops repeated points and points in the middle of a straight run.
func simplify(pts []Point) []Point {
	out := pts[:0] // in place: out never passes the point being read
	for _, p := range pts {
		if n := len(out); n > 0 && out[n-1] == p {
			continue
		}
		if n := len(out); n >= 2 {
			a, b := out[n-2], out[n-1]
			if (a.X == b.X && b.X == p.X) || (a.Y == b.Y && b.Y == p.Y) {
				out[n-1] = p
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

// rowHeap orders trunk indices for channel assignment, leftmost first:
// trunks going down before trunks going up; among those going down, the
// one starting lowest first, and among those going up, the one starting
// highest first. Then a trunk's stub never crosses the trunks left of it
// that start above it (going down) or below it (going up).
type rowHeap struct {
	ts []*trunk
	a  []int
}

func (t *trunk) rank() (int, int) {
	if t.hi > t.row {
		return 0, -t.row
	}
	return 1, t.row
}

func (h *rowHeap) Len() int { return len(h.a) }
func (h *rowHeap) Less(i, j int) bool {
	gi, ki := h.ts[h.a[i]].rank()
	gj, kj := h.ts[h.a[j]].rank()
	if gi != gj {
		return gi < gj
	}
	return ki < kj || ki == kj && h.a[i] < h.a[j]
}
func (h *rowHeap) Swap(i, j int) { h.a[i], h.a[j] = h.a[j], h.a[i] }
func (h *rowHeap) Push(x any)    { h.a = append(h.a, x.(int)) }
func (h *rowHeap) Pop() any {
	x := h.a[len(h.a)-1]
	h.a = h.a[:len(h.a)-1]
	return x
}
func (h *rowHeap) push(i int) { heap.Push(h, i) }
func (h *rowHeap) pop() int   { return heap.Pop(h).(int) }
