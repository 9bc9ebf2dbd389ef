// Package render draws a lineage graph into a grid of styled cells for a
// terminal: a layered left-to-right drawing with box-drawing characters, or
// a tree when the layered drawing would not fit the width. It draws any
// viewport of the scene (scrolling), marks a selection and a highlight set,
// and answers the navigation questions of a TUI (what is at this cell, which
// node is left of this one). It imports no terminal library: cells carry a
// Style the caller turns into colours.
package render

import "github.com/perchdata/perch/lineage"

// Class is what a cell shows, for the caller to colour.
type Class uint8

// The classes of cell.
const (
	ClassBlank Class = iota
	ClassEdge
	ClassDatasource
	ClassPipe
	ClassEndpoint
	ClassMaterialization
	ClassCopy
	ClassSink
	ClassConnection
	ClassExternal
)

// Style is a Class plus flags. It is a small value, cheap to compare, so
// runs of equal style form spans.
type Style uint16

// The flags of a style.
const (
	// Highlight: the node or edge is in the highlight set.
	Highlight Style = 1 << (8 + iota)
	// Selected: the cell belongs to the selected node.
	Selected
	// Dim: a highlight set is shown and this is not in it.
	Dim
	// LocalOnly and RemoteOnly: present on one side of a comparison.
	LocalOnly
	RemoteOnly
	// Upstream and Downstream: the node feeds the selection (or is fed by
	// it), or the edge lies on such a path.
	Upstream
	Downstream
	// Changed: the node is in State.Changed.
	Changed
)

// Class returns the class of the style.
func (s Style) Class() Class { return Class(s & 0xff) }

// Has reports whether every flag of f is set.
func (s Style) Has(f Style) bool { return s&f == f }

// KindClass is the class of a node kind.
func KindClass(k lineage.Kind) Class {
	switch k {
	case lineage.KindDatasource:
		return ClassDatasource
	case lineage.KindEndpoint:
		return ClassEndpoint
	case lineage.KindMaterialization:
		return ClassMaterialization
	case lineage.KindCopy:
		return ClassCopy
	case lineage.KindSink:
		return ClassSink
	case lineage.KindConnection:
		return ClassConnection
	case lineage.KindExternal:
		return ClassExternal
	}
	return ClassPipe
}

// Glyph is the symbol drawn before a node's name, one per kind.
func Glyph(k lineage.Kind) rune {
	switch k {
	case lineage.KindDatasource:
		return '▣'
	case lineage.KindEndpoint:
		return '◉'
	case lineage.KindMaterialization:
		return '◆'
	case lineage.KindCopy:
		return '⧉'
	case lineage.KindSink:
		return '⇥'
	case lineage.KindConnection:
		return '⌁'
	case lineage.KindExternal:
		return '◌'
	}
	return '○'
}

// Legend returns one line naming the glyph of every kind.
func Legend() string {
	out := ""
	for i, k := range lineage.Kinds() {
		if i > 0 {
			out += "  "
		}
		out += string(Glyph(k)) + " " + string(k)
	}
	return out
}

// Stylist turns a run of text of one style into what the terminal shows
// (a Lip Gloss render, ANSI codes, or the text itself).
type Stylist func(s Style, text string) string
