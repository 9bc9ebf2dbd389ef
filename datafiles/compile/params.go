package compile

import (
	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/template"
)

// Params returns every parameter that compiling pipe.node needs: those of the
// node and of every node and pipe it reads, merged by name (the first typed
// declaration wins; missing metadata is filled from later ones). The nodes
// read are found by compiling in placeholder mode; when that fails, only the
// node's own parameters are returned, with the error.
func Params(p *datafiles.Project, pipe, node string) ([]template.Param, error) {
	start, err := resolveNode(p, pipe, node)
	if err != nil {
		return nil, err
	}
	nodes := []NodeRef{start}
	res, cerr := Compile(p, pipe, start.Node, Options{Mode: template.Placeholders})
	if cerr == nil {
		nodes = res.Nodes
	}
	var out []template.Param
	index := map[string]int{}
	for _, k := range nodes {
		n := p.Pipes[k.Pipe].Node(k.Node)
		if !template.IsTemplate(n.SQL) {
			continue
		}
		tpl, err := template.Parse(n.SQL)
		if err != nil {
			if cerr == nil {
				cerr = templateError(n, k, err)
			}
			continue
		}
		for _, prm := range tpl.Params() {
			i, ok := index[prm.Name]
			if !ok {
				index[prm.Name] = len(out)
				out = append(out, prm)
				continue
			}
			mergeParam(&out[i], prm)
		}
	}
	return out, cerr
}

func mergeParam(dst *template.Param, src template.Param) {
	if dst.Type == "" {
		dst.Type = src.Type
	}
	if dst.Default == nil {
		dst.Default, dst.DefaultSQL = src.Default, src.DefaultSQL
	}
	dst.Required = dst.Required || src.Required
	if dst.Description == "" {
		dst.Description = src.Description
	}
	if dst.Example == "" {
		dst.Example = src.Example
	}
	if dst.Format == "" {
		dst.Format = src.Format
	}
	if dst.Enum == nil {
		dst.Enum = src.Enum
	}
}
