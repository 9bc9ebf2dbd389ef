package compile

import (
	"fmt"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/template"
)

// NodeRefs returns the table references of one node as written, before
// references to other nodes and pipes are inlined. A template is rendered in
// placeholder mode (every parameter defined), then with defaults and with no
// parameters, and the references of the renders that succeed are merged, so
// that a table read only in an {% else %} branch is found too; each table
// appears once, at its first mention. Line and Col
// are mapped back to the node's SQL (node.FilePos turns them into a datafile
// position). Lineage uses it.
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
	var out Refs
	seen := map[Ref]bool{}
	for i, mode := range []template.Mode{template.Placeholders, template.Defaults, template.Given} {
		res, err := tpl.Render(template.RenderOptions{Mode: mode})
		if err != nil {
			if i == 0 {
				return Refs{}, fmt.Errorf("node %s: %w", node.Name, err)
			}
			continue // error() branches and required parameters
		}
		refs, err := TableRefs(res.SQL)
		if err != nil {
			if i == 0 {
				return Refs{}, fmt.Errorf("node %s: %w", node.Name, err)
			}
			continue
		}
		if refs.Fallback && !out.Fallback {
			out.Fallback, out.ParseError = true, refs.ParseError
		}
		starts := lineOffsets(res.SQL)
		for _, r := range refs.Tables {
			key := Ref{Database: r.Database, Name: r.Name, Func: r.Func, In: r.In}
			if seen[key] {
				continue
			}
			seen[key] = true
			if r.Line >= 1 && r.Line <= len(starts) {
				off := min(starts[r.Line-1]+r.Col-1, len(res.SQL))
				src := res.SourceOffset(off)
				r.Line = 1 + strings.Count(node.SQL[:src], "\n")
				r.Col = src - strings.LastIndex(node.SQL[:src], "\n")
			}
			out.Tables = append(out.Tables, r)
		}
	}
	return out, nil
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
