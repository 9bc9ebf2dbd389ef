package compile

import (
	"fmt"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/template"
)

// NodeInfo says how NodeRefs rendered a templated node.
type NodeInfo struct {
	// Renders is the number of distinct renders read: the ordinary one
	// and one per branch it did not take (template.Cover).
	Renders int
	// Fallback is set when the placeholder render failed and another mode
	// rendered the node.
	Fallback *Fallback
	// MissingSecrets and MissingVars name the tb_secret() and tb_var()
	// values read that were not set (they printed a placeholder).
	MissingSecrets []string
	MissingVars    []string
}

// NodeRefs returns the table references of one node as written, before
// references to other nodes and pipes are inlined, whatever the parameters:
// a template is rendered in placeholder mode (falling back to the other
// modes when that fails), then once for every branch of every if/elif/else
// and loop body that render did not take (template.Cover), and the
// references of all these renders are merged, so that a table read only
// when, say, date_from == date_to is found too. Each table appears once, at
// its first mention; Line and Col are mapped back to the node's SQL
// (node.FilePos turns them into a datafile position). Renders of forced
// branches whose SQL the parser cannot read add nothing (a token scan could
// invent names). Lineage uses it.
func NodeRefs(node *datafiles.Node) (Refs, error) {
	refs, _, err := NodeRefsInfo(node, nil)
	return refs, err
}

// NodeRefsInfo is NodeRefs with how the node rendered, reusing the parsed
// templates and SQL of cache (nil: none).
func NodeRefsInfo(node *datafiles.Node, cache *Cache) (Refs, NodeInfo, error) {
	var info NodeInfo
	if !template.IsTemplate(node.SQL) {
		refs, err := TableRefs(node.SQL)
		if err != nil {
			return Refs{}, info, fmt.Errorf("node %s: %w", node.Name, err)
		}
		return dropPlaceholders(refs), info, nil
	}
	tpl, err := cache.template(node.SQL)
	if err != nil {
		return Refs{}, info, fmt.Errorf("node %s: %w", node.Name, err)
	}
	base, fb, err := renderTemplate(tpl, Options{Mode: template.Placeholders})
	if err != nil {
		return Refs{}, info, fmt.Errorf("node %s: %w", node.Name, err)
	}
	info.Fallback = fb
	mode := template.Placeholders
	if fb != nil {
		mode = fb.Mode
	}
	renders := []*template.Result{base}
	seenSQL := map[string]bool{base.SQL: true}
	for _, res := range tpl.Cover(template.RenderOptions{Mode: mode}, 0) {
		if !seenSQL[res.SQL] {
			seenSQL[res.SQL] = true
			renders = append(renders, res)
		}
	}
	info.Renders = len(renders)
	var out Refs
	seen := map[Ref]bool{}
	for i, res := range renders {
		info.MissingSecrets = appendNew(info.MissingSecrets, res.MissingSecrets...)
		info.MissingVars = appendNew(info.MissingVars, res.MissingVars...)
		if strings.TrimSpace(res.SQL) == "" {
			continue
		}
		refs, err := TableRefs(res.SQL)
		if err != nil {
			continue
		}
		if refs.Fallback {
			if i > 0 {
				continue
			}
			out.Fallback, out.ParseError = true, refs.ParseError
		}
		starts := lineOffsets(res.SQL)
		for _, r := range dropPlaceholders(refs).Tables {
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
	return out, info, nil
}

// dropPlaceholders leaves out the placeholder table of table(x) with no
// value (template.PlaceholderIdent): it is no table.
func dropPlaceholders(refs Refs) Refs {
	out := refs.Tables[:0:0]
	for _, r := range refs.Tables {
		if r.Database == "" && r.Name == template.PlaceholderIdent {
			continue
		}
		out = append(out, r)
	}
	refs.Tables = out
	return refs
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

// TemplateSecrets names the tb_secret() and tb_var() values a templated
// node reads (in its placeholder render, or the render that works) and that
// are not set: they print a placeholder outside a request.
func TemplateSecrets(node *datafiles.Node) (secrets, vars []string) {
	tpl, err := template.Parse(node.SQL)
	if err != nil {
		return nil, nil
	}
	res, _, err := renderTemplate(tpl, Options{Mode: template.Placeholders})
	if err != nil {
		return nil, nil
	}
	return res.MissingSecrets, res.MissingVars
}
