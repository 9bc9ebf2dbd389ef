package datafiles

import "strconv"

// versioned returns name__vN for a Classic VERSION n > 0, else name.
func versioned(name string, version int) string {
	if version > 0 {
		return name + "__v" + strconv.Itoa(version)
	}
	return name
}

// DeployedName is the name Classic deployed the data source under:
// name__vN when the file has VERSION n, else its name.
func (d *Datasource) DeployedName() string { return versioned(d.Name, d.Version) }

// DeployedName is the name Classic deployed the pipe under: name__vN when
// the file has VERSION n, else its name.
func (p *Pipe) DeployedName() string { return versioned(p.Name, p.Version) }

// Published returns the node a pipe publishes as an endpoint, or nil: the
// node of TYPE endpoint; in a Classic project also the last node of a pipe
// with no typed node (Forward treats such a pipe as a plain reusable pipe).
func (p *Project) Published(pipe *Pipe) *Node {
	for _, n := range pipe.Nodes {
		if n.Type == NodeEndpoint {
			return n
		}
	}
	if p.Generation == GenerationForward || pipe.Kind() != PipePlain || len(pipe.Nodes) == 0 {
		return nil
	}
	return pipe.Nodes[len(pipe.Nodes)-1]
}
