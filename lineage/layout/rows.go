package layout

import "sort"

// assignRows stacks each layer top to bottom with gap blank rows between
// nodes, moving each node down to line its port up with its median
// predecessor when there is room (so chains and long edges run straight),
// then moving sources toward their median successor.
func (l *layering) assignRows(gap int) {
	l.y = make([]int, len(l.layer))
	for ly, nodes := range l.layers {
		next := 0
		for _, v := range nodes {
			y := next
			if ly > 0 && len(l.preds[v]) > 0 {
				if want := l.center(l.median(l.preds[v])) - l.h[v]/2; want > y {
					y = want
				}
			}
			l.y[v] = y
			next = y + l.h[v] + gap
		}
	}
	for ly := len(l.layers) - 2; ly >= 0; ly-- {
		nodes := l.layers[ly]
		for i, v := range nodes {
			if len(l.preds[v]) > 0 || len(l.succs[v]) == 0 {
				continue
			}
			lo := 0
			if i > 0 {
				p := nodes[i-1]
				lo = l.y[p] + l.h[p] + gap
			}
			want := l.center(l.median(l.succs[v])) - l.h[v]/2
			if i+1 < len(nodes) {
				hi := l.y[nodes[i+1]] - gap - l.h[v]
				want = min(want, hi)
			}
			l.y[v] = max(want, lo)
		}
	}
}

func (l *layering) center(v int) int { return l.y[v] + l.h[v]/2 }

// median returns the neighbour in the middle of the list by position.
func (l *layering) median(vs []int) int {
	if len(vs) == 1 {
		return vs[0]
	}
	s := append([]int(nil), vs...)
	sort.Slice(s, func(i, j int) bool { return l.pos[s[i]] < l.pos[s[j]] })
	return s[(len(s)-1)/2]
}
