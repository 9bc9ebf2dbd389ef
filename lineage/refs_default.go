package lineage

import (
	"fmt"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
	"github.com/perchdata/perch/datafiles/template"
)

// DefaultRefs extracts the table references of a node with
// compile.NodeRefs: the node's template rendered with placeholders, its SQL
// parsed (CTE names left out), before other nodes and pipes are inlined.
// Lines of a templated node are those of the rendered SQL, not of the file,
// so they are dropped and the builder finds the name in the source instead.
func DefaultRefs(_ *datafiles.Project, pipe *datafiles.Pipe, node *datafiles.Node) ([]Ref, error) {
	refs, err := compile.NodeRefs(node)
	if err != nil {
		return nil, fmt.Errorf("pipe %s: %w", pipe.Name, err)
	}
	templated := template.IsTemplate(node.SQL)
	out := make([]Ref, 0, len(refs.Tables))
	for _, r := range refs.Tables {
		ref := Ref{Database: r.Database, Name: r.Name, Func: r.Func, In: r.In, Line: r.Line}
		if templated {
			ref.Line = 0
		}
		out = append(out, ref)
	}
	return out, nil
}
