package compare

import "github.com/perchdata/perch/datafiles"

// Resources compares two definitions of one resource (*Datasource,
// *Pipe or *Connection; resources of different kinds differ as a whole).
// deployed says that remote is the deployed datafile rather than the model
// of a live object: only then does what the server does not keep
// (descriptions, tokens, a pipe's nodes) count, as for the planner.
func Resources(local, remote any, database string, deployed bool) []Change {
	switch l := local.(type) {
	case *datafiles.Datasource:
		r, ok := remote.(*datafiles.Datasource)
		if !ok || l == nil || r == nil {
			break
		}
		out := Datasources(l, r, database)
		if deployed {
			out = append(out, DatasourceMetadata(l, r)...)
		}
		return out
	case *datafiles.Pipe:
		if r, ok := remote.(*datafiles.Pipe); ok && l != nil && r != nil {
			return Pipes(l, r)
		}
	case *datafiles.Connection:
		if r, ok := remote.(*datafiles.Connection); ok {
			if datafiles.EqualConnections(l, r) {
				return nil
			}
			return []Change{{Field: Connection}}
		}
	}
	return []Change{{Field: Kind}}
}

// Equal reports whether two definitions of a resource compare equal
// (Resources finds no change).
func Equal(local, remote any, database string, deployed bool) bool {
	return len(Resources(local, remote, database, deployed)) == 0
}
