// Package lineage builds the graph of a datafile project, from data sources
// and connections through pipes to endpoints, copies and sinks: who reads
// whom, what a materialization writes, what a change upstream reaches. It
// answers impact questions (upstream and downstream closures, endpoints
// reached, a deploy order) and exports the graph as JSON, DOT or Mermaid.
// Layout and terminal drawing live in lineage/layout and lineage/render.
package lineage

import (
	"fmt"
	"sort"

	"github.com/perchdata/perch/datafiles"
)

// Kind is what a graph node stands for.
type Kind string

// The kinds of graph node. Pipes take the kind of the typed node they hold.
const (
	KindDatasource      Kind = "datasource"
	KindPipe            Kind = "pipe"
	KindEndpoint        Kind = "endpoint"
	KindMaterialization Kind = "materialization"
	KindCopy            Kind = "copy"
	KindSink            Kind = "sink"
	KindConnection      Kind = "connection"
	KindExternal        Kind = "external"
)

// Kinds returns every node kind in the order legends show them.
func Kinds() []Kind {
	return []Kind{KindDatasource, KindPipe, KindEndpoint, KindMaterialization,
		KindCopy, KindSink, KindConnection, KindExternal}
}

// IsPipe reports whether nodes of this kind are pipes.
func (k Kind) IsPipe() bool {
	switch k {
	case KindPipe, KindEndpoint, KindMaterialization, KindCopy, KindSink:
		return true
	}
	return false
}

// EdgeKind says how data moves along an edge.
type EdgeKind string

// The kinds of edge. Every edge points the way data flows.
const (
	// EdgeReads: a pipe reads a data source, another pipe or an external table.
	EdgeReads EdgeKind = "reads"
	// EdgeMaterializes: a materialized node writes its target data source.
	EdgeMaterializes EdgeKind = "materializes"
	// EdgeCopies: a copy node writes its target data source.
	EdgeCopies EdgeKind = "copies"
	// EdgeFeeds: a connection (Kafka, S3, ...) feeds a data source.
	EdgeFeeds EdgeKind = "feeds"
	// EdgeExports: a sink node exports to a connection.
	EdgeExports EdgeKind = "exports"
)

// Side marks, in a comparison of a local and a remote graph, where a node or
// an edge exists.
type Side int

// The sides of a comparison. Graphs that are not comparisons hold only Both.
const (
	Both Side = iota
	LocalOnly
	RemoteOnly
)

// String returns "both", "local only" or "remote only".
func (s Side) String() string {
	switch s {
	case LocalOnly:
		return "local only"
	case RemoteOnly:
		return "remote only"
	}
	return "both"
}

// Node is one resource of the graph.
type Node struct {
	// Name is the resource name (data source, pipe or connection name), the
	// qualified table name of an external table (system.numbers) or the
	// function of a table function (numbers()).
	Name string
	Kind Kind
	// File is the datafile relative to the project root; empty for external
	// nodes and for connections that have no file.
	File string
	// Line is the line of the resource in File (1 when unknown).
	Line int
	// Steps are the nodes of a pipe, in order; nil for other kinds.
	Steps []Step
	// Side is set by Compare.
	Side Side
}

// Step is one node of a pipe, as seen by lineage.
type Step struct {
	Name string
	Type datafiles.NodeType
	// Reads are the graph nodes this step reads (resources and externals).
	Reads []string
	// Uses are the earlier steps of the same pipe this step reads.
	Uses []string
}

// Edge is a directed edge, From the producer To the consumer.
type Edge struct {
	From string
	To   string
	Kind EdgeKind
	// Side is set by Compare.
	Side Side
}

// Unresolved is a table reference that names nothing in the project.
type Unresolved struct {
	File string
	Line int
	// Name is the reference as written.
	Name string
	// Pipe and Step say which node holds the reference.
	Pipe, Step string
	// Reason explains why it did not resolve.
	Reason string
}

// Graph is the lineage of a project: nodes sorted by name, edges sorted by
// From, To and Kind, and the references that did not resolve.
type Graph struct {
	Nodes      []*Node
	Edges      []Edge
	Unresolved []Unresolved
	// Diagnostics are problems met while building: SQL whose references
	// could not be read, names used twice.
	Diagnostics []datafiles.Diagnostic

	index map[string]int
	out   [][]int // edge indices leaving each node
	in    [][]int // edge indices entering each node
}

// Node returns the node with the given name, or nil.
func (g *Graph) Node(name string) *Node {
	if i, ok := g.index[name]; ok {
		return g.Nodes[i]
	}
	return nil
}

// Index returns the position of a node in Nodes, or -1.
func (g *Graph) Index(name string) int {
	if i, ok := g.index[name]; ok {
		return i
	}
	return -1
}

// Out returns the edges leaving the named node.
func (g *Graph) Out(name string) []Edge { return g.edgesOf(g.out, name) }

// In returns the edges entering the named node.
func (g *Graph) In(name string) []Edge { return g.edgesOf(g.in, name) }

func (g *Graph) edgesOf(adj [][]int, name string) []Edge {
	i, ok := g.index[name]
	if !ok {
		return nil
	}
	out := make([]Edge, len(adj[i]))
	for k, e := range adj[i] {
		out[k] = g.Edges[e]
	}
	return out
}

// finish sorts nodes, edges and unresolved references, drops duplicate
// edges and rebuilds the index and the adjacency lists. Every builder of a
// Graph ends with it.
func (g *Graph) finish() {
	sort.Slice(g.Nodes, func(i, j int) bool { return g.Nodes[i].Name < g.Nodes[j].Name })
	g.index = make(map[string]int, len(g.Nodes))
	for i, n := range g.Nodes {
		g.index[n.Name] = i
	}
	sort.Slice(g.Edges, func(i, j int) bool { return edgeLess(g.Edges[i], g.Edges[j]) })
	edges := g.Edges[:0]
	for i, e := range g.Edges {
		if i > 0 && e.From == g.Edges[i-1].From && e.To == g.Edges[i-1].To && e.Kind == g.Edges[i-1].Kind {
			continue
		}
		edges = append(edges, e)
	}
	g.Edges = edges
	g.out = make([][]int, len(g.Nodes))
	g.in = make([][]int, len(g.Nodes))
	for k, e := range g.Edges {
		f, t := g.index[e.From], g.index[e.To]
		g.out[f] = append(g.out[f], k)
		g.in[t] = append(g.in[t], k)
	}
	sort.Slice(g.Unresolved, func(i, j int) bool {
		a, b := g.Unresolved[i], g.Unresolved[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Name < b.Name
	})
}

func edgeLess(a, b Edge) bool {
	if a.From != b.From {
		return a.From < b.From
	}
	if a.To != b.To {
		return a.To < b.To
	}
	return a.Kind < b.Kind
}

// Subgraph returns the graph restricted to the named nodes: the edges between
// them and the unresolved references of their files. Unknown names are ignored.
func (g *Graph) Subgraph(names []string) *Graph {
	keep := make(map[string]bool, len(names))
	files := map[string]bool{}
	sub := &Graph{}
	for _, name := range names {
		n := g.Node(name)
		if n == nil || keep[name] {
			continue
		}
		keep[name] = true
		if n.File != "" {
			files[n.File] = true
		}
		sub.Nodes = append(sub.Nodes, n)
	}
	for _, e := range g.Edges {
		if keep[e.From] && keep[e.To] {
			sub.Edges = append(sub.Edges, e)
		}
	}
	for _, u := range g.Unresolved {
		if files[u.File] {
			sub.Unresolved = append(sub.Unresolved, u)
		}
	}
	sub.finish()
	return sub
}

// NewGraph returns a graph of the given nodes and edges, for graphs that do
// not come from a project (tests, generated graphs, other tools). Every edge
// must join two of the nodes and names must be unique.
func NewGraph(nodes []*Node, edges []Edge) (*Graph, error) {
	g := &Graph{Nodes: append([]*Node(nil), nodes...), Edges: append([]Edge(nil), edges...)}
	seen := make(map[string]bool, len(nodes))
	for _, n := range nodes {
		if seen[n.Name] {
			return nil, fmt.Errorf("lineage: node %q given twice", n.Name)
		}
		seen[n.Name] = true
	}
	for _, e := range edges {
		if !seen[e.From] || !seen[e.To] {
			return nil, fmt.Errorf("lineage: edge %s -> %s joins an unknown node", e.From, e.To)
		}
	}
	g.finish()
	return g, nil
}
