package lineage

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// dotShape is the Graphviz shape of each kind.
var dotShape = map[Kind]string{
	KindDatasource:      "cylinder",
	KindPipe:            "box",
	KindEndpoint:        "box\", style=\"rounded,bold",
	KindMaterialization: "box3d",
	KindCopy:            "component",
	KindSink:            "cds",
	KindConnection:      "hexagon",
	KindExternal:        "note\", style=\"dashed",
}

// WriteDOT writes the graph in Graphviz DOT, left to right, one shape per
// kind; edges other than reads carry their kind as a label; one-side-only
// nodes and edges of a comparison are dashed and say which side.
func WriteDOT(w io.Writer, g *Graph) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "digraph lineage {")
	fmt.Fprintln(bw, "  rankdir=LR;")
	fmt.Fprintln(bw, "  node [fontname=\"Helvetica\"];")
	for _, n := range g.Nodes {
		label := n.Name
		if n.Side != Both {
			label += "\\n(" + n.Side.String() + ")"
		}
		fmt.Fprintf(bw, "  %s [label=%s, shape=\"%s\", class=%q", strconv.Quote(n.Name), dotQuote(label), dotShape[n.Kind], string(n.Kind))
		if n.Side != Both {
			fmt.Fprint(bw, ", color=\"gray\", fontcolor=\"gray\"")
		}
		fmt.Fprintln(bw, "];")
	}
	for _, e := range g.Edges {
		fmt.Fprintf(bw, "  %s -> %s", strconv.Quote(e.From), strconv.Quote(e.To))
		var attrs []string
		if e.Kind != EdgeReads {
			attrs = append(attrs, "label="+strconv.Quote(string(e.Kind)))
		}
		if e.Side != Both {
			attrs = append(attrs, "style=\"dashed\"", "tooltip="+strconv.Quote(e.Side.String()))
		}
		if len(attrs) > 0 {
			fmt.Fprint(bw, " [")
			for i, a := range attrs {
				if i > 0 {
					fmt.Fprint(bw, ", ")
				}
				fmt.Fprint(bw, a)
			}
			fmt.Fprint(bw, "]")
		}
		fmt.Fprintln(bw, ";")
	}
	fmt.Fprintln(bw, "}")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("lineage dot: %w", err)
	}
	return nil
}

// dotQuote quotes a label keeping the \n escapes DOT understands.
func dotQuote(s string) string {
	out := []byte{'"'}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && s[i+1] == 'n':
			out = append(out, '\\', 'n')
			i++
		case c == '"' || c == '\\':
			out = append(out, '\\', c)
		default:
			out = append(out, c)
		}
	}
	return string(append(out, '"'))
}
