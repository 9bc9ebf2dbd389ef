package compile

import (
	"fmt"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/datafiles/template"
)

// Validate renders every node of every pipe in placeholder mode and compiles
// it, reporting template errors, cycles and bad references as errors with
// datafile positions, and as warnings names that are neither a node, a pipe
// nor a data source and compiled SQL that the SQL parser cannot read.
// `perch check` runs it.
func Validate(p *datafiles.Project) []datafiles.Diagnostic {
	var diags []datafiles.Diagnostic
	cache := NewCache()
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
			if !template.IsTemplate(n.SQL) && (strings.Contains(n.SQL, "{{") || strings.Contains(n.SQL, "{%")) {
				add(datafiles.Diagnostic{Pos: n.SQLPos, Severity: datafiles.Warning,
					Message: fmt.Sprintf("node %s uses template syntax but its SQL does not start with %%, so it is not rendered", n.Name)})
			}
			if template.IsTemplate(n.SQL) {
				if _, err := template.Parse(n.SQL); err != nil {
					add(diagnostic(templateError(n, NodeRef{name, n.Name}, err), datafiles.Error))
					continue
				}
			}
			res, err := Compile(p, name, n.Name, Options{Mode: template.Placeholders, Cache: cache})
			if err != nil {
				// An error in a node read by this one has the same position
				// and message for every reader: add deduplicates.
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
			if _, perr := sqltext.Parse(res.SQL); perr != nil {
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
