package layout

import (
	"math/rand"
	"testing"
)

func boxes(n int) []Size {
	s := make([]Size, n)
	for i := range s {
		s[i] = Size{W: 8, H: 3}
	}
	return s
}

func TestLayeredLayers(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		edges  []Edge
		layers []int
	}{
		{"chain", 3, []Edge{{0, 1}, {1, 2}}, []int{0, 1, 2}},
		{"diamond", 4, []Edge{{0, 1}, {0, 2}, {1, 3}, {2, 3}}, []int{0, 1, 1, 2}},
		{"longest path wins", 3, []Edge{{0, 1}, {1, 2}, {0, 2}}, []int{0, 1, 2}},
		{"source pulled next to its reader", 4, []Edge{{0, 1}, {1, 2}, {3, 2}}, []int{0, 1, 2, 1}},
		{"cycle broken", 3, []Edge{{0, 1}, {1, 2}, {2, 0}}, []int{0, 1, 2}},
		{"self loop ignored", 2, []Edge{{0, 0}, {0, 1}}, []int{0, 1}},
		{"isolated", 2, nil, []int{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Layered(boxes(tt.n), tt.edges, Options{})
			for i, want := range tt.layers {
				if r.Layer[i] != want {
					t.Errorf("node %d: layer %d, want %d (all %v)", i, r.Layer[i], want, r.Layer)
				}
			}
			checkNoOverlap(t, r)
			checkRoutes(t, r, tt.edges)
		})
	}
}

func checkNoOverlap(t *testing.T, r *Result) {
	t.Helper()
	for i, a := range r.Rects {
		for j, b := range r.Rects {
			if i < j && a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H {
				t.Errorf("nodes %d %v and %d %v overlap", i, a, j, b)
			}
		}
	}
}

// checkRoutes asserts that each route is axis-parallel, starts right of
// one end and ends left of the other, and crosses no node box.
func checkRoutes(t *testing.T, r *Result, edges []Edge) {
	t.Helper()
	for i, e := range edges {
		rt := r.Routes[i]
		if e.From == e.To {
			if rt.Points != nil {
				t.Errorf("self loop %d routed", i)
			}
			continue
		}
		from, to := r.Rects[e.From], r.Rects[e.To]
		if rt.Reversed {
			from, to = to, from
		}
		first, last := rt.Points[0], rt.Points[len(rt.Points)-1]
		if first != (Point{from.X + from.W, from.CenterY()}) {
			t.Errorf("edge %d starts at %v, source %v", i, first, from)
		}
		if last != (Point{to.X - 1, to.CenterY()}) {
			t.Errorf("edge %d ends at %v, target %v", i, last, to)
		}
		for k := 0; k+1 < len(rt.Points); k++ {
			a, b := rt.Points[k], rt.Points[k+1]
			if a.X != b.X && a.Y != b.Y {
				t.Errorf("edge %d: diagonal segment %v-%v", i, a, b)
			}
			for _, c := range cells(a, b) {
				for v, box := range r.Rects {
					if box.Contains(c.X, c.Y) {
						t.Errorf("edge %d passes through node %d at %v", i, v, c)
					}
				}
			}
		}
	}
}

func cells(a, b Point) []Point {
	var out []Point
	dx, dy := sign(b.X-a.X), sign(b.Y-a.Y)
	for p := a; ; p = (Point{p.X + dx, p.Y + dy}) {
		out = append(out, p)
		if p == b {
			return out
		}
	}
}

func sign(x int) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

func TestSweepsReduceCrossings(t *testing.T) {
	// Two layers wired in reverse order: 0-5, 1-4, 2-3 cross pairwise (3
	// crossings) in index order; sweeps untangle them.
	edges := []Edge{{0, 5}, {1, 4}, {2, 3}}
	r := Layered(boxes(6), edges, Options{})
	if r.Crossings != 0 {
		t.Errorf("crossings = %d, want 0", r.Crossings)
	}
}

func TestInversions(t *testing.T) {
	tests := []struct {
		seq  []int
		n    int
		want int
	}{
		{[]int{0, 1, 2}, 3, 0},
		{[]int{2, 1, 0}, 3, 3},
		{[]int{1, 1, 0}, 2, 2},
		{nil, 0, 0},
	}
	for _, tt := range tests {
		var buf []int
		if got := inversions(tt.seq, tt.n, &buf); got != tt.want {
			t.Errorf("inversions(%v) = %d, want %d", tt.seq, got, tt.want)
		}
	}
}

func TestRandomGraphsAreSound(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for round := 0; round < 20; round++ {
		n := 5 + rng.Intn(40)
		var edges []Edge
		for i := 0; i < n*2; i++ {
			a, b := rng.Intn(n), rng.Intn(n)
			edges = append(edges, Edge{a, b})
		}
		r := Layered(boxes(n), edges, Options{})
		checkNoOverlap(t, r)
		checkRoutes(t, r, edges)
		for i, e := range edges {
			if e.From == e.To {
				continue
			}
			lf, lt := r.Layer[e.From], r.Layer[e.To]
			if r.Routes[i].Reversed {
				lf, lt = lt, lf
			}
			if lf >= lt {
				t.Errorf("round %d edge %d: layers %d -> %d", round, i, lf, lt)
			}
		}
	}
}

// FuzzLayered lays out graphs read from bytes (node count, then pairs of
// node indices) and checks the layout invariants.
func FuzzLayered(f *testing.F) {
	f.Add([]byte{3, 0, 1, 1, 2, 2, 0})
	f.Add([]byte{6, 0, 5, 1, 4, 2, 3, 0, 0, 3, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		n := 1 + int(data[0])%40
		var edges []Edge
		for i := 1; i+1 < len(data) && len(edges) < 200; i += 2 {
			edges = append(edges, Edge{int(data[i]) % n, int(data[i+1]) % n})
		}
		sizes := make([]Size, n)
		for i := range sizes {
			sizes[i] = Size{W: 3 + i%7, H: 1 + 2*(i%2)}
		}
		r := Layered(sizes, edges, Options{})
		checkNoOverlap(t, r)
		checkRoutes(t, r, edges)
	})
}
