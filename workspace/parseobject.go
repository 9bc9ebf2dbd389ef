package workspace

import (
	"strings"
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
	o.TTL = StripDatabase(o.clauses["TTL"], database)
	o.Settings = NormalizeSettings(o.clauses["SETTINGS"])
	o.indexDefs = cp.indexes
	switch o.Kind {
	case KindMaterializedView:
		o.To = unqualify(cp.to, database)
		o.Query = StripDatabase(cp.query, database)
	case KindView:
		o.Query = StripDatabase(cp.query, database)
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

// The single keywords parseCreate looks for.
var (
	kwIndex  = kw("INDEX")
	kwAS     = kw("AS")
	kwEngine = kw("ENGINE")
	kwTO     = kw("TO")
)

// parseCreate splits CREATE TABLE / [MATERIALIZED] VIEW name [TO t]
// [(columns)] [ENGINE = ...] [AS SELECT ...] into its pieces.
func parseCreate(create string) createParts {
	var cp createParts
	engineAt := -1
	skipUntil := -1
	scanTop(create, func(i, depth int) bool {
		if i < skipUntil || depth != 0 {
			return true
		}
		c := create[i]
		switch {
		case c == '(':
			end := matchClose(create, i)
			if end < 0 {
				return false
			}
			if engineAt < 0 && cp.engine == "" {
				body := create[i+1 : end]
				if strings.Contains(strings.ToUpper(body), "INDEX") {
					for _, part := range splitTopLevel(body) {
						if _, ok := wordsAt(part, 0, kwIndex); ok {
							cp.indexes = append(cp.indexes, part)
						}
					}
				}
			}
			skipUntil = end + 1
		case c == 'A' || c == 'a':
			if j, ok := wordsAt(create, i, kwAS); ok {
				if engineAt >= 0 {
					cp.engine = strings.TrimSpace(create[engineAt:i])
					engineAt = -1
				}
				cp.query = strings.TrimSpace(create[j:])
				return false
			}
		case c == 'E' || c == 'e':
			if j, ok := wordsAt(create, i, kwEngine); ok && engineAt < 0 && cp.engine == "" {
				j = skipSpace(create, j)
				if j < len(create) && create[j] == '=' {
					j = skipSpace(create, j+1)
				}
				engineAt = j
				skipUntil = j
			}
		case c == 'T' || c == 't':
			if j, ok := wordsAt(create, i, kwTO); ok && cp.to == "" && engineAt < 0 {
				j = skipSpace(create, j)
				k := nameEnd(create, j)
				cp.to = unquoteName(create[j:k])
				skipUntil = k
			}
		}
		return true
	})
	if engineAt >= 0 && cp.engine == "" {
		cp.engine = strings.TrimSpace(create[engineAt:])
	}
	return cp
}

// nameEnd returns the end of the (possibly quoted, dotted) name at s[i].
func nameEnd(s string, i int) int {
	for i < len(s) {
		switch c := s[i]; c {
		case '`', '"':
			for i++; i < len(s) && s[i] != c; i++ {
				if s[i] == '\\' {
					i++
				}
			}
			i++
		case ' ', '(', '\n', '\t', '\r':
			return i
		default:
			i++
		}
	}
	return min(i, len(s))
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r') {
		i++
	}
	return i
}

// unquoteName turns `db`.`my table` into db.my table.
func unquoteName(s string) string {
	if !strings.ContainsAny(s, "`\"") {
		return s
	}
	var parts []string
	for _, p := range splitDotted(s) {
		if len(p) >= 2 && (p[0] == '`' || p[0] == '"') && p[len(p)-1] == p[0] {
			p = strings.ReplaceAll(p[1:len(p)-1], "\\"+p[:1], p[:1])
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ".")
}

// splitDotted splits a.b at dots outside quotes.
func splitDotted(s string) []string {
	var out []string
	from := 0
	scanTop(s, func(i, _ int) bool {
		if s[i] == '.' {
			out = append(out, s[from:i])
			from = i + 1
		}
		return true
	})
	return append(out, s[from:])
}

// engineClauses are the clauses after the engine name, in the order the server writes them.
// COMMENT (a table comment on modern servers) ends the SETTINGS clause.
var engineClauses = []keywords{kw("PARTITION BY"), kw("ORDER BY"), kw("PRIMARY KEY"), kw("SAMPLE BY"), kw("TTL"), kw("SETTINGS"), kw("COMMENT")}

// splitEngine splits an engine_full text into the engine with its arguments
// and its clauses by name (PARTITION BY, ORDER BY, PRIMARY KEY, SAMPLE BY,
// TTL, SETTINGS), each without its keywords.
func splitEngine(full string) (head string, clauses map[string]string) {
	clauses = map[string]string{}
	type mark struct {
		name       string
		start, end int // keyword start, body start
	}
	var marks []mark
	scanTop(full, func(i, depth int) bool {
		if depth != 0 || i > 0 && isWordByte(full[i-1]) || !isWordByte(full[i]) {
			return true
		}
		for _, c := range engineClauses {
			if j, ok := wordsAt(full, i, c); ok {
				marks = append(marks, mark{c.String(), i, j})
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
