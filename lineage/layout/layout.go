// Package layout places a directed graph on a character grid, layered from
// left to right (a Sugiyama-style layout): cycles broken by reversing back
// edges, longest-path layers, dummy nodes on long edges, barycentre sweeps to
// reduce crossings, rows aligned with their neighbours, and orthogonal edge
// routes through vertical channels between the columns. It knows nothing of
// lineage: nodes are sizes and edges are index pairs.
package layout

// Size is the width and height of a node in cells.
type Size struct{ W, H int }

// Edge is a directed edge between node indices.
type Edge struct{ From, To int }

// Point is a cell on the grid.
type Point struct{ X, Y int }

// Rect is a rectangle of cells.
type Rect struct{ X, Y, W, H int }

// Contains reports whether the cell (x, y) is inside r.
func (r Rect) Contains(x, y int) bool {
	return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H
}

// CenterY is the row of r's ports.
func (r Rect) CenterY() int { return r.Y + r.H/2 }

// Route is the path of one edge: axis-parallel segments through Points,
// from the cell right of the source (or, Reversed, of the target) to the
// cell left of the other end, where the arrowhead goes.
type Route struct {
	Points []Point
	// Reversed marks an edge turned around to break a cycle: it is routed
	// from its target to its source and its arrowhead belongs at Points[0].
	Reversed bool
}

// Options tunes the layout; zero values take the defaults.
type Options struct {
	// ColumnGap is the least number of cells between two columns (default 4).
	ColumnGap int
	// RowGap is the number of blank rows between nodes of a column (default 1).
	RowGap int
	// Sweeps is the number of down-and-up barycentre sweeps (default 8).
	Sweeps int
}

func (o Options) withDefaults() Options {
	if o.ColumnGap < 3 {
		o.ColumnGap = 4
	}
	if o.RowGap < 0 {
		o.RowGap = 0
	} else if o.RowGap == 0 {
		o.RowGap = 1
	}
	if o.Sweeps <= 0 {
		o.Sweeps = 8
	}
	return o
}

// Result is a finished layout.
type Result struct {
	// Rects is the place of each node, by input index.
	Rects []Rect
	// Layer is the column of each node.
	Layer []int
	// Layers lists the nodes of each column from top to bottom.
	Layers [][]int
	// Routes is the path of each edge, by input index; nil Points for a
	// self-loop.
	Routes []Route
	// Width and Height are the size of the whole drawing.
	Width, Height int
	// Crossings is the number of crossings between adjacent columns after
	// ordering (counted on the layered graph, dummies included).
	Crossings int
}

// Layered lays the graph out from left to right.
func Layered(sizes []Size, edges []Edge, opt Options) *Result {
	opt = opt.withDefaults()
	l := newLayering(sizes, edges)
	l.assignLayers()
	l.addDummies()
	l.order(opt.Sweeps)
	l.assignRows(opt.RowGap)
	l.route(opt.ColumnGap)
	return l.result()
}
