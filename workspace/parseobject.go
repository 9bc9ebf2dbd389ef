package workspace

import (
	"strings"

	"github.com/sqlc-dev/doubleclick/token"
)

// parseObject classifies a live object and reads from its stored DDL what
// system.tables does not give directly: TTL, settings, the TO target and
// query of a view.
func parseObject(o *Object, database string) {
	switch o.Engine {
	case "MaterializedView":
		o.Kind = KindMaterializedView
	case "View", "LiveView", "WindowView":
		o.Kind = KindView
	case "Dictionary":
		o.Kind = KindDictionary
	default:
		o.Kind = KindTable
	}
	_, clauses := splitEngine(o.EngineFull)
	o.TTL = StripDatabase(clauses["TTL"], database)
	o.Settings = NormalizeSettings(clauses["SETTINGS"])
	switch o.Kind {
	case KindMaterializedView:
		o.To = unqualify(viewTarget(o.CreateQuery), database)
		o.Query = StripDatabase(viewQuery(o.CreateQuery), database)
	case KindView:
		o.Query = StripDatabase(viewQuery(o.CreateQuery), database)
		o.Sources = QueryTables(o.Query, database)
	}
}

// engineClauses are the clauses after the engine name, in the order the server writes them.
var engineClauses = []struct{ words []string }{
	{[]string{"PARTITION", "BY"}}, {[]string{"ORDER", "BY"}}, {[]string{"PRIMARY", "KEY"}},
	{[]string{"SAMPLE", "BY"}}, {[]string{"TTL"}}, {[]string{"SETTINGS"}},
}

// splitEngine splits an engine_full text into the engine with its arguments
// and its clauses by name (PARTITION BY, ORDER BY, PRIMARY KEY, SAMPLE BY,
// TTL, SETTINGS), each without its keywords.
func splitEngine(full string) (head string, clauses map[string]string) {
	clauses = map[string]string{}
	toks := lexSQL(full)
	type mark struct {
		name       string
		start, end int // keyword start, body start
	}
	var marks []mark
	depthScan(toks, func(i, depth int) bool {
		if depth != 0 {
			return true
		}
		for _, c := range engineClauses {
			if i+len(c.words) > len(toks) {
				continue
			}
			ok := true
			for k, w := range c.words {
				if !toks[i+k].isWord(w) {
					ok = false
					break
				}
			}
			if ok {
				marks = append(marks, mark{strings.Join(c.words, " "), toks[i].start, toks[i+len(c.words)-1].end})
				break
			}
		}
		return true
	})
	head = full
	if len(marks) > 0 {
		head = full[:marks[0].start]
	}
	for i, m := range marks {
		end := len(full)
		if i+1 < len(marks) {
			end = marks[i+1].start
		}
		clauses[m.name] = strings.TrimSpace(full[m.end:end])
	}
	return strings.TrimSpace(head), clauses
}

// engineArgs returns the arguments of "Name(a, b)" split at top-level commas.
func engineArgs(head string) (name string, args []string) {
	i := strings.IndexByte(head, '(')
	if i < 0 || !strings.HasSuffix(head, ")") {
		return strings.TrimSpace(head), nil
	}
	inner := strings.TrimSpace(head[i+1 : len(head)-1])
	if inner == "" {
		return strings.TrimSpace(head[:i]), nil
	}
	return strings.TrimSpace(head[:i]), splitTopLevel(inner)
}

// viewTarget returns the TO table of a CREATE MATERIALIZED VIEW, or "".
func viewTarget(create string) string {
	toks := lexSQL(create)
	// CREATE MATERIALIZED VIEW [IF NOT EXISTS] name [ON CLUSTER c] TO target ...
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.tok == token.LPAREN || t.tok == token.AS || t.isWord("ENGINE") {
			return ""
		}
		if t.isWord("TO") && i+1 < len(toks) {
			j := i + 1
			name := toks[j].val
			for j+2 < len(toks) && toks[j+1].tok == token.DOT {
				name += "." + toks[j+2].val
				j += 2
			}
			return name
		}
	}
	return ""
}

// viewQuery returns the SELECT of a CREATE [MATERIALIZED] VIEW: the text
// after the first AS outside brackets.
func viewQuery(create string) string {
	toks := lexSQL(create)
	q := ""
	depthScan(toks, func(i, depth int) bool {
		if depth == 0 && toks[i].tok == token.AS && i+1 < len(toks) {
			q = strings.TrimSpace(create[toks[i+1].start:])
			return false
		}
		return true
	})
	return q
}

// unqualify drops "database." from a table name of the workspace database.
func unqualify(name, database string) string {
	if rest, ok := strings.CutPrefix(name, database+"."); ok {
		return rest
	}
	return name
}

// QueryTables lists the tables (and views) a SELECT reads, sorted and
// without the workspace database prefix; table functions are not listed.
func QueryTables(sql, database string) []string {
	key := NormalizeSQL(sql, database)
	if !strings.HasPrefix(key, "ast:") {
		return nil
	}
	var out []string
	for _, line := range strings.Split(key, "\n") {
		l := strings.TrimSpace(line)
		name, ok := strings.CutPrefix(l, "TableIdentifier ")
		if !ok {
			continue
		}
		if i := strings.Index(name, " ("); i >= 0 {
			name = name[:i] // " (alias x)"
		}
		name = unqualify(name, database)
		if !contains(out, name) {
			out = append(out, name)
		}
	}
	sortStrings(out)
	return out
}

// indexDefs returns the INDEX lines of a CREATE TABLE's column list.
func indexDefs(create string) []string {
	toks := lexSQL(create)
	var out []string
	for i, t := range toks {
		if t.tok == token.LPAREN {
			end := matchParen(toks, i)
			if end < 0 {
				return nil
			}
			for _, part := range splitTopLevel(create[t.end:toks[end].start]) {
				if len(part) > 6 && strings.EqualFold(part[:6], "INDEX ") {
					out = append(out, part)
				}
			}
			return out
		}
		if t.tok == token.AS || t.isWord("ENGINE") {
			return nil
		}
	}
	return nil
}
