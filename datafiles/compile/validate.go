package compile

import (
	"fmt"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/template"
)

// Validate renders every node of every pipe in placeholder mode and compiles
// it, reporting template errors, cycles and bad references as errors with
// datafile positions, and as warnings names that are neither a node, a pipe
// nor a data source and compiled SQL that the SQL parser cannot read.
// `perch check` runs it.
func Validate(p *datafiles.Project) []datafiles.Diagnostic {
	var diags []datafiles.Diagnostic
	seen := map[string]bool{}
	add := func(d datafiles.Diagnostic) {
		key := d.String()
		if !seen[key] {
			seen[key] = true
			diags = append(diags, d)
		}
	}
	for _, name := range p.PipeNames() {
		pipe := p.Pipes[name]
		for _, n := range pipe.Nodes {
			if template.IsTemplate(n.SQL) {
				if _, err := template.Parse(n.SQL); err != nil {
					add(diagnostic(templateError(n, NodeRef{name, n.Name}, err), datafiles.Error))
					continue
				}
			}
			res, err := Compile(p, name, n.Name, Options{Mode: template.Placeholders})
			if err != nil {
				if ce, ok := err.(*Error); ok && ce.Node != (NodeRef{name, n.Name}) {
					continue // reported on the node it belongs to
				}
				add(diagnostic(err, datafiles.Error))
				continue
			}
			for _, u := range res.Unresolved {
				if u.Node != (NodeRef{name, n.Name}) {
					continue
				}
				add(datafiles.Diagnostic{Pos: u.Pos, Severity: datafiles.Warning,
					Message: fmt.Sprintf("node %s reads %s, which is not a node, pipe or data source of the project", n.Name, u.Name)})
			}
			if _, perr := Parse(res.SQL); perr != nil {
				add(datafiles.Diagnostic{Pos: n.SQLPos, Severity: datafiles.Warning,
					Message: fmt.Sprintf("node %s: compiled SQL does not parse: %v", n.Name, perr)})
			}
		}
	}
	datafiles.SortDiagnostics(diags)
	return diags
}

func diagnostic(err error, sev datafiles.Severity) datafiles.Diagnostic {
	if ce, ok := err.(*Error); ok {
		return datafiles.Diagnostic{Pos: ce.Pos, Severity: sev, Message: ce.Msg}
	}
	return datafiles.Diagnostic{Severity: sev, Message: err.Error()}
}
