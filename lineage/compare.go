package lineage

// Compare returns the union of a local and a remote graph with every node
// and edge marked Both, LocalOnly or RemoteOnly. Nodes present on both sides
// keep the local file and steps; the unresolved references and diagnostics
// are the local graph's.
func Compare(local, remote *Graph) *Graph {
	g := &Graph{Unresolved: local.Unresolved, Diagnostics: local.Diagnostics}
	for _, n := range local.Nodes {
		c := *n
		c.Side = LocalOnly
		if remote.Node(n.Name) != nil {
			c.Side = Both
		}
		g.Nodes = append(g.Nodes, &c)
	}
	for _, n := range remote.Nodes {
		if local.Node(n.Name) == nil {
			c := *n
			c.Side = RemoteOnly
			g.Nodes = append(g.Nodes, &c)
		}
	}
	type key struct {
		from, to string
		kind     EdgeKind
	}
	remoteEdges := make(map[key]bool, len(remote.Edges))
	for _, e := range remote.Edges {
		remoteEdges[key{e.From, e.To, e.Kind}] = true
	}
	localEdges := make(map[key]bool, len(local.Edges))
	for _, e := range local.Edges {
		k := key{e.From, e.To, e.Kind}
		localEdges[k] = true
		e.Side = LocalOnly
		if remoteEdges[k] {
			e.Side = Both
		}
		g.Edges = append(g.Edges, e)
	}
	for _, e := range remote.Edges {
		if !localEdges[key{e.From, e.To, e.Kind}] {
			e.Side = RemoteOnly
			g.Edges = append(g.Edges, e)
		}
	}
	g.finish()
	return g
}
