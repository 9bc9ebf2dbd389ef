package compile

import (
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/template"
)

// Validate renders every node of every pipe in placeholder mode and compiles
// it, reporting template errors (only when no render mode produces SQL),
// cycles and bad references as errors with datafile positions, and as
// warnings names that are neither a node, a pipe nor a data source, secrets
// and variables that are not set (rendered as placeholders) and compiled SQL
// that the SQL parser cannot read. `perch check` runs it. Nodes are checked
// on every core; the diagnostics are sorted.
func Validate(p *datafiles.Project) []datafiles.Diagnostic {
	type job struct {
		pipe string
		node *datafiles.Node
	}
	var jobs []job
	for _, name := range p.PipeNames() {
		for _, n := range p.Pipes[name].Nodes {
			jobs = append(jobs, job{name, n})
		}
	}
	cache := NewCache()
	results := make([][]datafiles.Diagnostic, len(jobs))
	workers := min(runtime.GOMAXPROCS(0), len(jobs)/16+1)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(jobs); i += workers {
				results[i] = validateNode(p, jobs[i].pipe, jobs[i].node, cache)
			}
		}(w)
	}
	wg.Wait()
	var diags []datafiles.Diagnostic
	seen := map[string]bool{}
	for _, ds := range results {
		for _, d := range ds {
			// An error in a node read by others has the same position and
			// message for every reader: report it once.
			if key := d.String(); !seen[key] {
				seen[key] = true
				diags = append(diags, d)
			}
		}
	}
	datafiles.SortDiagnostics(diags)
	return diags
}

// validateNode returns the diagnostics of one node.
func validateNode(p *datafiles.Project, pipe string, n *datafiles.Node, cache *Cache) []datafiles.Diagnostic {
	var out []datafiles.Diagnostic
	warn := func(pos datafiles.Pos, format string, args ...any) {
		out = append(out, datafiles.Diagnostic{Pos: pos, Severity: datafiles.Warning, Message: fmt.Sprintf(format, args...)})
	}
	self := NodeRef{pipe, n.Name}
	if template.IsTemplate(n.SQL) {
		if _, err := cache.template(n.SQL); err != nil {
			return append(out, diagnostic(templateError(n, self, err), datafiles.Error))
		}
	} else if strings.Contains(n.SQL, "{{") || strings.Contains(n.SQL, "{%") {
		warn(n.SQLPos, "node %s uses template syntax but its SQL does not start with %%, so it is not rendered", n.Name)
	}
	res, err := Compile(p, pipe, n.Name, Options{Mode: template.Placeholders, Cache: cache})
	if err != nil {
		return append(out, diagnostic(err, datafiles.Error))
	}
	for _, u := range res.Unresolved {
		if u.Node == self {
			warn(u.Pos, "node %s reads %s, which is not a node, pipe or data source of the project", n.Name, u.Name)
		}
	}
	if own := res.rendered[self]; own != nil && own.res != nil {
		for _, s := range own.res.MissingSecrets {
			warn(n.SQLPos, "node %s reads secret %s, which is not set: checked with a placeholder; preview and apply need its value", n.Name, s)
		}
		for _, v := range own.res.MissingVars {
			warn(n.SQLPos, "node %s reads variable %s, which is not set: checked with a placeholder; preview and apply need its value", n.Name, v)
		}
	}
	if perr := compiledParses(res, cache); perr != nil {
		warn(n.SQLPos, "node %s: compiled SQL does not parse: %v", n.Name, perr)
	}
	return out
}

// compiledParses returns the parser's error for a compiled node's SQL, or
// nil when it parses. The SQL of every node inlined is parsed on its own
// first (once per node, through the cache): when all of them parse, so does
// their composition, and the compiled text is not parsed again.
func compiledParses(res *Result, cache *Cache) error {
	for _, k := range res.Nodes {
		r := res.rendered[k]
		if r == nil || r.sql == "" || cache.parses(r.sql) != nil {
			_, err := parse(res.SQL)
			return err
		}
	}
	return nil
}

func diagnostic(err error, sev datafiles.Severity) datafiles.Diagnostic {
	if ce, ok := err.(*Error); ok {
		return datafiles.Diagnostic{Pos: ce.Pos, Severity: sev, Message: ce.Msg}
	}
	return datafiles.Diagnostic{Severity: sev, Message: err.Error()}
}
