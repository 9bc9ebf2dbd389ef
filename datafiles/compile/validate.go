package compile

import (
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/datafiles/template"
)

// Validate renders every node of every pipe in placeholder mode and compiles
// it, reporting template errors (only when no render mode produces SQL),
// cycles and bad references as errors with datafile positions, and as
// warnings names that are neither a node, a pipe nor a data source, secrets
// and variables that are not set (rendered as placeholders) and compiled SQL
// that the SQL parser cannot read. Pipes are checked on every core; the
// diagnostics are sorted. No secret or variable is set: ValidateEnv reads
// them.
func Validate(p *datafiles.Project) []datafiles.Diagnostic { return ValidateEnv(p, nil) }

// ValidateEnv is Validate with getenv answering tb_secret() and tb_var()
// (Options.Getenv), as `perch compile` reads them: only those it does not
// answer are warned about. `perch check` and the TUI run it with the
// environment.
func ValidateEnv(p *datafiles.Project, getenv func(string) string) []datafiles.Diagnostic {
	names := p.PipeNames()
	cache := NewCache()
	results := make([][]datafiles.Diagnostic, len(names))
	workers := min(runtime.GOMAXPROCS(0), len(names)/8+1)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(names); i += workers {
				results[i] = validatePipe(p, names[i], cache, getenv)
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

// validatePipe returns the diagnostics of every node of a pipe. Nodes are
// compiled last first; a node that a successful compile of a later node
// inlined (with every piece of SQL parsing) is checked from that compile,
// which renders and resolves it exactly as its own compile would.
func validatePipe(p *datafiles.Project, pipe string, cache *Cache, getenv func(string) string) []datafiles.Diagnostic {
	var out []datafiles.Diagnostic
	nodes := p.Pipes[pipe].Nodes
	covered := make(map[string]bool, len(nodes))
	for i := len(nodes) - 1; i >= 0; i-- {
		n := nodes[i]
		out = append(out, syntaxWarnings(n)...)
		if covered[n.Name] {
			continue
		}
		self := NodeRef{pipe, n.Name}
		if template.IsTemplate(n.SQL) {
			if _, err := cache.template(n.SQL); err != nil {
				out = append(out, diagnostic(templateError(n, self, err), datafiles.Error))
				continue
			}
		}
		res, err := Compile(p, pipe, n.Name, Options{Mode: template.Placeholders, Cache: cache, Getenv: getenv})
		if err != nil {
			out = append(out, diagnostic(err, datafiles.Error))
			continue
		}
		out = append(out, nodeWarnings(res, self)...)
		if perr := compiledParses(res, cache); perr != nil {
			out = append(out, parseWarning(n, perr))
			continue // the nodes it inlined get their own compile
		}
		for _, k := range res.Nodes[1:] {
			if k.Pipe == pipe && !covered[k.Node] {
				covered[k.Node] = true
				out = append(out, nodeWarnings(res, k)...)
			}
		}
	}
	return out
}

// syntaxWarnings flags template syntax in SQL that is not a template.
func syntaxWarnings(n *datafiles.Node) []datafiles.Diagnostic {
	if template.IsTemplate(n.SQL) || !(strings.Contains(n.SQL, "{{") || strings.Contains(n.SQL, "{%")) {
		return nil
	}
	return []datafiles.Diagnostic{{Pos: n.SQLPos, Severity: datafiles.Warning,
		Message: fmt.Sprintf("node %s uses template syntax but its SQL does not start with %%, so it is not rendered", n.Name)}}
}

// nodeWarnings are the warnings of node k found by a compile that
// rendered it: names it reads that resolve to nothing, secrets and
// variables that are not set.
func nodeWarnings(res *Result, k NodeRef) []datafiles.Diagnostic {
	var out []datafiles.Diagnostic
	warn := func(pos datafiles.Pos, format string, args ...any) {
		out = append(out, datafiles.Diagnostic{Pos: pos, Severity: datafiles.Warning, Message: fmt.Sprintf(format, args...)})
	}
	for _, u := range res.Unresolved {
		if u.Node == k {
			warn(u.Pos, "node %s reads %s, which is not a node, pipe or data source of the project", k.Node, u.Name)
		}
	}
	r := res.rendered[k]
	if r == nil || r.res == nil {
		return out
	}
	for _, s := range r.res.MissingSecrets {
		warn(r.node.SQLPos, "node %s reads secret %s, which is not set: checked with a placeholder; preview and apply need its value", k.Node, s)
	}
	for _, v := range r.res.MissingVars {
		warn(r.node.SQLPos, "node %s reads variable %s, which is not set: checked with a placeholder; preview and apply need its value", k.Node, v)
	}
	return out
}

func parseWarning(n *datafiles.Node, err error) datafiles.Diagnostic {
	return datafiles.Diagnostic{Pos: n.SQLPos, Severity: datafiles.Warning,
		Message: fmt.Sprintf("node %s: compiled SQL does not parse: %v", n.Name, err)}
}

// compiledParses returns the parser's error for a compiled node's SQL, or
// nil when it parses. The SQL of every node inlined is parsed on its own
// first (once per node, through the cache): when all of them parse, so does
// their composition, and the compiled text is not parsed again.
func compiledParses(res *Result, cache *Cache) error {
	for _, k := range res.Nodes {
		r := res.rendered[k]
		if r == nil || r.sql == "" || cache.parses(r.sql) != nil {
			_, err := sqltext.Parse(res.SQL)
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
