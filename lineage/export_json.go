package lineage

import (
	"encoding/json"
	"fmt"
	"io"
)

// jsonGraph is the stable JSON form of a graph (see the README):
// {"nodes":[{"name","kind","file"}],"edges":[{"from","to","kind"}],
// "unresolved":[{"file","line","name"}]}.
type jsonGraph struct {
	Nodes      []jsonNode       `json:"nodes"`
	Edges      []jsonEdge       `json:"edges"`
	Unresolved []jsonUnresolved `json:"unresolved"`
}

type jsonNode struct {
	Name string `json:"name"`
	Kind Kind   `json:"kind"`
	File string `json:"file"`
}

type jsonEdge struct {
	From string   `json:"from"`
	To   string   `json:"to"`
	Kind EdgeKind `json:"kind"`
}

type jsonUnresolved struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Name string `json:"name"`
}

// WriteJSON writes the graph as indented JSON in the stable shape above.
// Lists are never null; nodes, edges and unresolved references are sorted.
func WriteJSON(w io.Writer, g *Graph) error {
	out := jsonGraph{
		Nodes:      make([]jsonNode, 0, len(g.Nodes)),
		Edges:      make([]jsonEdge, 0, len(g.Edges)),
		Unresolved: make([]jsonUnresolved, 0, len(g.Unresolved)),
	}
	for _, n := range g.Nodes {
		out.Nodes = append(out.Nodes, jsonNode{Name: n.Name, Kind: n.Kind, File: n.File})
	}
	for _, e := range g.Edges {
		out.Edges = append(out.Edges, jsonEdge{From: e.From, To: e.To, Kind: e.Kind})
	}
	for _, u := range g.Unresolved {
		out.Unresolved = append(out.Unresolved, jsonUnresolved{File: u.File, Line: u.Line, Name: u.Name})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("lineage json: %w", err)
	}
	return nil
}
