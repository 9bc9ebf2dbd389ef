package compile

import (
	"fmt"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/template"
)

// NodeRefs returns the table references of one node as written, before
// references to other nodes and pipes are inlined: the node is rendered in
// placeholder mode and its SQL read with TableRefs. Line and Col are mapped
// back to the node's SQL (node.FilePos turns them into a datafile position).
// Lineage uses it.
func NodeRefs(node *datafiles.Node) (Refs, error) {
	if !template.IsTemplate(node.SQL) {
		refs, err := TableRefs(node.SQL)
		if err != nil {
			return Refs{}, fmt.Errorf("node %s: %w", node.Name, err)
		}
		return refs, nil
	}
	tpl, err := template.Parse(node.SQL)
	if err != nil {
		return Refs{}, fmt.Errorf("node %s: %w", node.Name, err)
	}
	res, err := tpl.Render(template.RenderOptions{Mode: template.Placeholders})
	if err != nil {
		return Refs{}, fmt.Errorf("node %s: %w", node.Name, err)
	}
	refs, err := TableRefs(res.SQL)
	if err != nil {
		return Refs{}, fmt.Errorf("node %s: %w", node.Name, err)
	}
	starts := lineOffsets(res.SQL)
	for i, r := range refs.Tables {
		if r.Line < 1 || r.Line > len(starts) {
			continue
		}
		off := starts[r.Line-1] + r.Col - 1
		if off > len(res.SQL) {
			off = len(res.SQL)
		}
		src := res.SourceOffset(off)
		refs.Tables[i].Line = 1 + strings.Count(node.SQL[:src], "\n")
		refs.Tables[i].Col = src - strings.LastIndex(node.SQL[:src], "\n")
	}
	return refs, nil
}

func lineOffsets(s string) []int {
	out := []int{0}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, i+1)
		}
	}
	return out
}
