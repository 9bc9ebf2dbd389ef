package render

// Neighbor returns the node to select when moving from the named node in
// direction d. Layered: up and down move within the column; left and right
// go to the nearest (by row) node it reads or that reads it, else the nearest
// node of the next column that has one. Tree: up and down move by row, left
// goes to the parent, right to the first child.
func (s *Scene) Neighbor(name string, d Direction) (string, bool) {
	i := s.g.Index(name)
	if i < 0 {
		return "", false
	}
	if s.mode == Tree {
		return s.treeNeighbor(i, d)
	}
	r := s.res
	layer := r.Layers[r.Layer[i]]
	switch d {
	case Up, Down:
		for k, v := range layer {
			if v != i {
				continue
			}
			if d == Up && k > 0 {
				return s.g.Nodes[layer[k-1]].Name, true
			}
			if d == Down && k+1 < len(layer) {
				return s.g.Nodes[layer[k+1]].Name, true
			}
		}
		return "", false
	}
	var linked []int
	edges := s.g.Out(name)
	if d == Left {
		edges = s.g.In(name)
	}
	for _, e := range edges {
		other := e.To
		if d == Left {
			other = e.From
		}
		j := s.g.Index(other)
		if (d == Left && r.Layer[j] < r.Layer[i]) || (d == Right && r.Layer[j] > r.Layer[i]) {
			linked = append(linked, j)
		}
	}
	if len(linked) == 0 {
		step := 1
		if d == Left {
			step = -1
		}
		for ly := r.Layer[i] + step; ly >= 0 && ly < len(r.Layers); ly += step {
			if len(r.Layers[ly]) > 0 {
				linked = r.Layers[ly]
				break
			}
		}
	}
	return s.nearest(i, linked)
}

// nearest returns the candidate whose port row is closest to node i's.
func (s *Scene) nearest(i int, cands []int) (string, bool) {
	best, bestDist := -1, 0
	cy := s.res.Rects[i].CenterY()
	for _, j := range cands {
		dist := s.res.Rects[j].CenterY() - cy
		if dist < 0 {
			dist = -dist
		}
		if best < 0 || dist < bestDist || (dist == bestDist && s.res.Rects[j].Y < s.res.Rects[best].Y) {
			best, bestDist = j, dist
		}
	}
	if best < 0 {
		return "", false
	}
	return s.g.Nodes[best].Name, true
}

func (s *Scene) treeNeighbor(i int, d Direction) (string, bool) {
	row := s.primary[i]
	if row < 0 {
		return "", false
	}
	target := -1
	switch d {
	case Up:
		target = row - 1
	case Down:
		target = row + 1
	case Left:
		target = s.rows[row].parent
	case Right:
		if row+1 < len(s.rows) && s.rows[row+1].parent == row {
			target = row + 1
		}
	}
	if target < 0 || target >= len(s.rows) {
		return "", false
	}
	return s.g.Nodes[s.rows[target].node].Name, true
}
