package workspace

import (
	"strings"

	"github.com/perchdata/perch/datafiles/compile"
	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/workspace/compare"
)

// parseObject classifies a live object and reads from its stored DDL what
// system.tables does not give directly: the engine clause, TTL, settings,
// indexes, the TO target and query of a view. The DDL is lexed once.
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
	cp := parseCreate(o.CreateQuery)
	o.EngineFull = cp.engine
	o.engineHead, o.clauses = splitEngine(cp.engine)
	o.TTL = sqltext.StripDatabase(o.clauses["TTL"], database)
	o.Settings = sqltext.NormalizeSettings(o.clauses["SETTINGS"])
	o.indexDefs = cp.indexes
	switch o.Kind {
	case KindMaterializedView:
		o.To = compare.Unqualify(cp.to, database)
		o.Query = sqltext.StripDatabase(cp.query, database)
	case KindView:
		o.Query = sqltext.StripDatabase(cp.query, database)
		o.Sources = QueryTables(o.Query, database)
	}
}

// createParts are the pieces of a stored CREATE statement.
type createParts struct {
	// to is the TO table of a materialized view.
	to string
	// engine is the text after ENGINE = (the engine_full of system.tables).
	engine string
	// query is the SELECT of a view.
	query string
	// indexes are the INDEX definitions of the column list.
	indexes []string
}

// parseCreate splits CREATE TABLE / [MATERIALIZED] VIEW name [TO t]
// [(columns)] [ENGINE = ...] [AS SELECT ...] into its pieces, reading the
// tokens at bracket depth 0 as they stream (a snapshot reads thousands).
func parseCreate(create string) createParts {
	var cp createParts
	l := sqltext.NewLexer(create)
	depth := 0
	open := -1     // where the body of the bracket opened at depth 0 starts
	engineAt := -1 // byte offset where the engine text starts
	var pending sqltext.Token
	have := false // pending holds a token read ahead
	next := func() (sqltext.Token, bool) {
		if have {
			have = false
			return pending, true
		}
		for {
			t, ok := l.Next()
			if !ok || t.Kind != sqltext.Comment {
				return t, ok
			}
		}
	}
	for {
		t, ok := next()
		if !ok {
			break
		}
		switch {
		case t.Opens(create):
			if depth == 0 {
				open = t.End
			}
			depth++
			continue
		case t.Closes(create):
			depth--
			if depth == 0 && open >= 0 && engineAt < 0 && cp.engine == "" {
				cp.indexes = append(cp.indexes, indexDefs(create[open:t.Start])...)
			}
			continue
		case depth != 0:
			continue
		case t.IsWord(create, "AS"):
			if engineAt >= 0 {
				cp.engine = strings.TrimSpace(create[engineAt:t.Start])
				engineAt = -1
			}
			cp.query = strings.TrimSpace(create[t.End:])
			return cp
		case t.IsWord(create, "ENGINE") && engineAt < 0 && cp.engine == "":
			engineAt = len(create)
			if n, ok := next(); ok {
				if n.IsPunct(create, "=") {
					n, ok = next()
				}
				if ok {
					engineAt = n.Start
					pending, have = n, true
				}
			}
		case t.IsWord(create, "TO") && cp.to == "" && engineAt < 0:
			var parts []string
			for {
				n, ok := next()
				name, isName := n.Name(create)
				if !ok || !isName {
					pending, have = n, ok
					break
				}
				parts = append(parts, name)
				if d, ok := next(); !ok || !d.IsPunct(create, ".") {
					pending, have = d, ok
					break
				}
			}
			cp.to = strings.Join(parts, ".")
		}
	}
	return finishEngine(cp, create, engineAt)
}

func finishEngine(cp createParts, create string, engineAt int) createParts {
	if engineAt >= 0 && cp.engine == "" {
		cp.engine = strings.TrimSpace(create[engineAt:])
	}
	return cp
}

// indexDefs returns the INDEX definitions of a column list.
func indexDefs(body string) []string {
	if !strings.Contains(strings.ToUpper(body), "INDEX") {
		return nil
	}
	var out []string
	for _, part := range sqltext.SplitTopLevel(body) {
		if toks := sqltext.Tokens(part); len(toks) > 0 && toks[0].IsWord(part, "INDEX") {
			out = append(out, part)
		}
	}
	return out
}

// engineClauses are the clauses after the engine name, in the order the server writes them.
// COMMENT (a table comment on modern servers) ends the SETTINGS clause.
var engineClauses = [][]string{{"PARTITION", "BY"}, {"ORDER", "BY"}, {"PRIMARY", "KEY"}, {"SAMPLE", "BY"}, {"TTL"}, {"SETTINGS"}, {"COMMENT"}}

// splitEngine splits an engine_full text into the engine with its arguments
// and its clauses by name (PARTITION BY, ORDER BY, PRIMARY KEY, SAMPLE BY,
// TTL, SETTINGS, COMMENT), each without its keywords.
func splitEngine(full string) (head string, clauses map[string]string) {
	clauses = map[string]string{}
	type mark struct {
		name       string
		start, end int // keyword start, body start
	}
	var marks []mark
	l := sqltext.NewLexer(full)
	depth := 0
	var prev sqltext.Token // the previous token at depth 0
	for {
		t, ok := l.Next()
		if !ok {
			break
		}
		switch {
		case t.Kind == sqltext.Comment:
			continue
		case t.Opens(full):
			depth++
		case t.Closes(full):
			depth--
		case depth == 0 && t.Kind == sqltext.Word:
			for _, c := range engineClauses {
				switch {
				case len(c) == 1 && t.IsWord(full, c[0]):
					marks = append(marks, mark{c[0], t.Start, t.End})
				case len(c) == 2 && t.IsWord(full, c[1]) && prev.IsWord(full, c[0]):
					marks = append(marks, mark{c[0] + " " + c[1], prev.Start, t.End})
				default:
					continue
				}
				break
			}
		}
		prev = t
	}
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
	return strings.TrimSpace(head[:i]), sqltext.SplitTopLevel(inner)
}

// QueryTables lists the tables (and views) a SELECT reads, sorted and
// without the workspace database prefix; table functions are not listed.
func QueryTables(sql, database string) []string {
	refs, err := compile.TableRefs(sql)
	if err != nil || refs.Fallback {
		return nil
	}
	var out []string
	for _, name := range refs.Names() {
		if name = compare.Unqualify(name, database); !contains(out, name) {
			out = append(out, name)
		}
	}
	sortStrings(out)
	return out
}
