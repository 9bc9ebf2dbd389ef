package lineage

import (
	"fmt"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
	"github.com/perchdata/perch/datafiles/template"
)

// renderModes are the ways a templated node is rendered to find what it
// may read. Placeholders takes every branch that tests a parameter as if
// it were given; Given (no parameter given) and Defaults take the other
// side of `{% if defined(x) %} ... {% else %} ... {% end %}`. The node reads
// the union.
var renderModes = []template.Mode{template.Placeholders, template.Given, template.Defaults}

// DefaultRefs extracts the table references of a node with the datafiles
// compile package: SQL parsed with compile.TableRefs (CTE names left out),
// before other nodes and pipes are inlined. A templated node is rendered in
// each of renderModes and the references of every render are kept; only the
// placeholder render must succeed, the others add what they find when they
// render and parse. Lines of a templated node are those of a rendered SQL,
// not of the file, so they are dropped and the builder finds the name in the
// source instead.
func DefaultRefs(_ *datafiles.Project, _ *datafiles.Pipe, node *datafiles.Node) ([]Ref, error) {
	if !template.IsTemplate(node.SQL) {
		refs, err := compile.TableRefs(node.SQL)
		if err != nil {
			return nil, err // already says "table refs: ..."
		}
		return convertRefs(nil, refs, true), nil
	}
	tpl, err := template.Parse(node.SQL)
	if err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	var out []Ref
	rendered := map[string]bool{}
	for i, mode := range renderModes {
		res, err := tpl.Render(template.RenderOptions{Mode: mode})
		if err != nil {
			if i == 0 {
				return nil, fmt.Errorf("render template with %s: %w", mode, err)
			}
			continue
		}
		if rendered[res.SQL] {
			continue
		}
		rendered[res.SQL] = true
		refs, err := compile.TableRefs(res.SQL)
		if err != nil {
			if i == 0 {
				return nil, fmt.Errorf("rendered with %s: %w", mode, err)
			}
			continue
		}
		if i > 0 && refs.Fallback {
			continue // a partial render that does not parse: its token scan could invent names
		}
		out = convertRefs(out, refs, false)
	}
	return out, nil
}

// convertRefs appends the references not already in out; keepLines keeps
// the line of each (true when the SQL is the node's own text).
func convertRefs(out []Ref, refs compile.Refs, keepLines bool) []Ref {
	for _, r := range refs.Tables {
		ref := Ref{Database: r.Database, Name: r.Name, Func: r.Func, In: r.In}
		if keepLines {
			ref.Line = r.Line
		}
		dup := false
		for _, o := range out {
			if o.Database == ref.Database && o.Name == ref.Name && o.Func == ref.Func && o.In == ref.In {
				dup = true
				break
			}
		}
		if !dup || keepLines {
			out = append(out, ref)
		}
	}
	return out
}
