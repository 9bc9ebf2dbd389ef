package plan

import (
	"strings"

	"github.com/perchdata/perch/datafiles/sqltext"
)

// fromRef is a table named after FROM or JOIN: toks[db] (or -1) and
// toks[name] are its parts.
type fromRef struct {
	db, name int
	table    string // the name, unquoted
}

// fromRefs lists the table references after FROM and JOIN, in order:
// [db.]name, quoted or not. Literals and comments are never references.
func fromRefs(sql string, toks []sqltext.Token) []fromRef {
	var out []fromRef
	for i := 0; i+1 < len(toks); i++ {
		if !toks[i].IsWord(sql, "FROM") && !toks[i].IsWord(sql, "JOIN") {
			continue
		}
		ref := fromRef{db: -1, name: i + 1}
		if i+3 < len(toks) && toks[i+2].IsPunct(sql, ".") {
			ref.db, ref.name = i+1, i+3
		}
		if ref.db >= 0 {
			if _, ok := toks[ref.db].Name(sql); !ok {
				continue
			}
		}
		name, ok := toks[ref.name].Name(sql)
		if !ok {
			continue
		}
		ref.table = name
		out = append(out, ref)
	}
	return out
}

// aliasStop are words that may follow a table reference without being its alias.
var aliasStop = map[string]bool{
	"where": true, "group": true, "order": true, "limit": true, "join": true, "left": true, "right": true,
	"inner": true, "full": true, "cross": true, "array": true, "final": true, "prewhere": true, "sample": true,
	"union": true, "having": true, "settings": true, "format": true, "on": true, "using": true, "any": true,
	"all": true, "global": true, "asof": true, "semi": true, "anti": true, "window": true, "qualify": true,
}

// WithWatermark rewrites the first reference to source in a view's query into
// a subquery filtered on column against the watermark placeholder {W}
// (unix seconds): op is ">=" for the new view and "<" for the backfill. A
// materialized view over such a subquery still fires on inserts into source.
func WithWatermark(sql, source, column, op string) (string, bool) {
	return WithSourceFilter(sql, source, column+" "+op+" toDateTime({W})")
}

// WithSourceFilter rewrites the first reference to source in a view's query
// into the subquery (SELECT * FROM source WHERE cond), keeping its alias.
func WithSourceFilter(sql, source, cond string) (string, bool) {
	return withSourceFrom(sql, source, "", cond)
}

// withSourceFrom is WithSourceFilter reading from instead of source (a
// qualified, quoted table name; "" keeps the reference as written), with
// source as the alias when the reference has none.
func withSourceFrom(sql, source, from, cond string) (string, bool) {
	toks := sqltext.Tokens(sql)
	for _, r := range fromRefs(sql, toks) {
		if r.table != source {
			continue
		}
		start, end := toks[r.name].Start, toks[r.name].End
		if r.db >= 0 {
			start = toks[r.db].Start
		}
		table := sql[start:end]
		if from != "" {
			table = from
		}
		sub := "(SELECT * FROM " + table + " WHERE " + cond + ")"
		if next := r.name + 1; next >= len(toks) || !hasAlias(sql, toks[next]) {
			sub += " AS " + source
		}
		return sql[:start] + sub + sql[end:], true
	}
	return sql, false
}

// hasAlias reports whether t, the token after a table reference, starts its alias.
func hasAlias(sql string, t sqltext.Token) bool {
	switch t.Kind {
	case sqltext.QuotedIdent:
		return true
	case sqltext.Word:
		return t.IsWord(sql, "AS") || !aliasStop[strings.ToLower(t.Text(sql))]
	}
	return false
}

// mentions reports whether sql uses word as a whole identifier
// (case-insensitive, not after a dot), or as a whole word of a string
// literal, as templates name columns: column(c, 'total'), columns('a,total').
// Comments do not count.
func mentions(sql, word string) bool {
	if !strings.Contains(strings.ToLower(sql), strings.ToLower(word)) {
		return false
	}
	toks := sqltext.Tokens(sql)
	for i, t := range toks {
		var name string
		switch t.Kind {
		case sqltext.Word, sqltext.QuotedIdent:
			if i > 0 && toks[i-1].IsPunct(sql, ".") {
				continue
			}
			name, _ = t.Name(sql)
		case sqltext.String:
			if containsWord(sqltext.Unquote(t.Text(sql)), word) {
				return true
			}
			continue
		default:
			continue
		}
		if strings.EqualFold(name, word) {
			return true
		}
	}
	return false
}

// containsWord reports whether s holds word between non-word bytes
// (case-insensitive): 'a,total' holds total.
func containsWord(s, word string) bool {
	lower, w := strings.ToLower(s), strings.ToLower(word)
	for from := 0; w != ""; {
		i := strings.Index(lower[from:], w)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(w)
		if (i == 0 || !sqltext.IsWordByte(lower[i-1])) && (end == len(lower) || !sqltext.IsWordByte(lower[end])) {
			return true
		}
		from = i + 1
	}
	return false
}
