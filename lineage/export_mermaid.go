package lineage

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// mermaidShape holds the opening and closing brackets of each kind's shape.
var mermaidShape = map[Kind][2]string{
	KindDatasource:      {"[(", ")]"},   // cylinder
	KindPipe:            {"[", "]"},     // rectangle
	KindEndpoint:        {"([", "])"},   // stadium
	KindMaterialization: {"[[", "]]"},   // subroutine
	KindCopy:            {"[/", "/]"},   // parallelogram
	KindSink:            {"[\\", "\\]"}, // parallelogram, leaning left
	KindConnection:      {"{{", "}}"},   // hexagon
	KindExternal:        {"((", "))"},   // circle
}

// mermaidClass is the classDef style of each kind.
var mermaidClass = map[Kind]string{
	KindDatasource:      "fill:#e3f2fd,stroke:#1565c0",
	KindPipe:            "fill:#f5f5f5,stroke:#616161",
	KindEndpoint:        "fill:#e8f5e9,stroke:#2e7d32",
	KindMaterialization: "fill:#fff3e0,stroke:#ef6c00",
	KindCopy:            "fill:#f3e5f5,stroke:#6a1b9a",
	KindSink:            "fill:#fce4ec,stroke:#ad1457",
	KindConnection:      "fill:#e0f7fa,stroke:#00838f",
	KindExternal:        "fill:#fafafa,stroke:#9e9e9e,stroke-dasharray:3 3",
}

// MermaidIDs returns the Mermaid node id of every node: the kind's prefix and
// the name with anything but letters, digits and _ replaced, made unique.
func MermaidIDs(g *Graph) map[string]string {
	ids := make(map[string]string, len(g.Nodes))
	used := map[string]bool{}
	for _, n := range g.Nodes {
		var b strings.Builder
		b.WriteString(kindPrefix(n.Kind))
		for _, r := range n.Name {
			if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
				b.WriteRune(r)
			} else {
				b.WriteByte('_')
			}
		}
		id := b.String()
		for k := 2; used[id]; k++ {
			id = fmt.Sprintf("%s_%d", b.String(), k)
		}
		used[id] = true
		ids[n.Name] = id
	}
	return ids
}

func kindPrefix(k Kind) string {
	switch k {
	case KindDatasource:
		return "ds_"
	case KindEndpoint:
		return "ep_"
	case KindMaterialization:
		return "mv_"
	case KindCopy:
		return "cp_"
	case KindSink:
		return "sk_"
	case KindConnection:
		return "cn_"
	case KindExternal:
		return "ex_"
	}
	return "pp_"
}

// WriteMermaid writes the graph as a Mermaid flowchart, left to right: one
// shape and class per kind, edges labelled with their kind unless they
// read; one-side-only nodes and edges of a comparison are dotted and named.
func WriteMermaid(w io.Writer, g *Graph) error {
	bw := bufio.NewWriter(w)
	ids := MermaidIDs(g)
	fmt.Fprintln(bw, "flowchart LR")
	byKind := map[Kind][]string{}
	var sides [3][]string
	for _, n := range g.Nodes {
		label := n.Name
		if n.Side != Both {
			label += " (" + n.Side.String() + ")"
		}
		sh := mermaidShape[n.Kind]
		fmt.Fprintf(bw, "  %s%s\"%s\"%s\n", ids[n.Name], sh[0], mermaidEscape(label), sh[1])
		byKind[n.Kind] = append(byKind[n.Kind], ids[n.Name])
		sides[n.Side] = append(sides[n.Side], ids[n.Name])
	}
	for _, e := range g.Edges {
		arrow := "-->"
		if e.Side != Both {
			arrow = "-.->"
		}
		label := ""
		if e.Kind != EdgeReads {
			label = string(e.Kind)
		}
		if e.Side != Both {
			label = strings.TrimSpace(label + " " + e.Side.String())
		}
		if label != "" {
			arrow += "|" + mermaidEscape(label) + "|"
		}
		fmt.Fprintf(bw, "  %s %s %s\n", ids[e.From], arrow, ids[e.To])
	}
	for _, k := range Kinds() {
		if len(byKind[k]) == 0 {
			continue
		}
		fmt.Fprintf(bw, "  classDef %s %s\n", k, mermaidClass[k])
		fmt.Fprintf(bw, "  class %s %s\n", strings.Join(byKind[k], ","), k)
	}
	if len(sides[LocalOnly]) > 0 {
		fmt.Fprintln(bw, "  classDef localOnly stroke-dasharray:5 5,color:#2e7d32")
		fmt.Fprintf(bw, "  class %s localOnly\n", strings.Join(sides[LocalOnly], ","))
	}
	if len(sides[RemoteOnly]) > 0 {
		fmt.Fprintln(bw, "  classDef remoteOnly stroke-dasharray:5 5,color:#c62828")
		fmt.Fprintf(bw, "  class %s remoteOnly\n", strings.Join(sides[RemoteOnly], ","))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("lineage mermaid: %w", err)
	}
	return nil
}

// mermaidEscape makes text safe inside a quoted Mermaid label or an edge
// label, using Mermaid's entity codes.
func mermaidEscape(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "|", "#124;", "<", "#lt;", ">", "#gt;")
	return r.Replace(s)
}
