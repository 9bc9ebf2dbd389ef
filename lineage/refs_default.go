package lineage

import (
	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
	"github.com/perchdata/perch/datafiles/template"
)

// DefaultRefs extracts the table references of a node with the datafiles
// compile package (compile.NodeRefs): SQL parsed with compile.TableRefs
// (CTE names left out), before other nodes and pipes are inlined. A
// templated node is rendered in placeholder mode (or, when that fails, in
// another mode) and then once per branch and loop body that render did not
// take, and the references of every render are kept, so that a table read
// only in some branch still has its edge. Lines are mapped back to the
// node's SQL.
func DefaultRefs(_ *datafiles.Project, _ *datafiles.Pipe, node *datafiles.Node) ([]Ref, error) {
	refs, err := compile.NodeRefs(node)
	if err != nil {
		return nil, err // already says which node and why
	}
	return convertRefs(nil, refs), nil
}

// convertRefs appends the references not already in out.
func convertRefs(out []Ref, refs compile.Refs) []Ref {
	for _, r := range refs.Tables {
		ref := Ref{Database: r.Database, Name: r.Name, Func: r.Func, In: r.In, Line: r.Line}
		dup := false
		for _, o := range out {
			if o.Database == ref.Database && o.Name == ref.Name && o.Func == ref.Func && o.In == ref.In {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, ref)
		}
	}
	return out
}

// nodeSecrets names the tb_secret() and tb_var() values a templated node
// reads that are not set: lineage draws the node with placeholders and says
// so.
func nodeSecrets(node *datafiles.Node) (secrets, vars []string) {
	if !template.IsTemplate(node.SQL) {
		return nil, nil
	}
	return compile.TemplateSecrets(node)
}
