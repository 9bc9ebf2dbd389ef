package compile

import (
	"strings"
)

// sqlTokKind is the kind of a SQL token.
type sqlTokKind uint8

const (
	sqlIdent  sqlTokKind = iota // bare word (keyword or identifier)
	sqlQuoted                   // `name` or "name"
	sqlString                   // 'text'
	sqlNumber
	sqlPunct
)

// sqlTok is one token of ClickHouse SQL, with its byte range. text is the
// raw text of words and punctuation; for quoted identifiers it is set only
// when unquoting needed a copy (see name).
type sqlTok struct {
	text       string
	start, end int32
	kind       sqlTokKind
}

func (t sqlTok) is(word string) bool {
	return t.kind == sqlIdent && strings.EqualFold(t.text, word)
}

func (t sqlTok) punct(p string) bool { return t.kind == sqlPunct && t.text == p }

// name returns the identifier a token names (bare or quoted) and whether it does.
func (t sqlTok) name() (string, bool) {
	switch t.kind {
	case sqlIdent, sqlQuoted:
		return t.text, true
	}
	return "", false
}

// tokenizeSQL splits ClickHouse SQL into tokens, dropping whitespace and
// comments. It never fails: an unterminated literal runs to the end.
func tokenizeSQL(s string) []sqlTok {
	toks := make([]sqlTok, 0, len(s)/6+4)
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				i = len(s)
			} else {
				i += end + 4
			}
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			escaped := false
			for j < len(s) {
				if s[j] == '\\' && j+1 < len(s) {
					escaped = true
					j += 2
					continue
				}
				if s[j] == c {
					if j+1 < len(s) && s[j+1] == c { // doubled quote
						escaped = true
						j += 2
						continue
					}
					j++
					break
				}
				j++
			}
			if c == '\'' {
				// string contents are never needed
				toks = append(toks, sqlTok{kind: sqlString, start: int32(i), end: int32(j)})
			} else {
				toks = append(toks, sqlTok{kind: sqlQuoted, text: unquote(s[i:j], escaped), start: int32(i), end: int32(j)})
			}
			i = j
		case isIdentStart(c):
			j := i + 1
			for j < len(s) && isIdentChar(s[j]) {
				j++
			}
			toks = append(toks, sqlTok{kind: sqlIdent, text: s[i:j], start: int32(i), end: int32(j)})
			i = j
		case c >= '0' && c <= '9':
			j := i + 1
			for j < len(s) && (isIdentChar(s[j]) || s[j] == '.' ||
				(s[j] == '+' || s[j] == '-') && (s[j-1] == 'e' || s[j-1] == 'E')) {
				j++
			}
			toks = append(toks, sqlTok{kind: sqlNumber, start: int32(i), end: int32(j)})
			i = j
		default:
			n := 1
			if c >= 0x80 {
				// a UTF-8 identifier character
				j := i + 1
				for j < len(s) && (s[j] >= 0x80 || isIdentChar(s[j])) {
					j++
				}
				toks = append(toks, sqlTok{kind: sqlIdent, text: s[i:j], start: int32(i), end: int32(j)})
				i = j
				continue
			}
			for _, op := range []string{"::", "->", "<=", ">=", "!=", "<>", "||", "=="} {
				if strings.HasPrefix(s[i:], op) {
					n = 2
					break
				}
			}
			toks = append(toks, sqlTok{kind: sqlPunct, text: s[i : i+n], start: int32(i), end: int32(i + n)})
			i += n
		}
	}
	return toks
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '$'
}

func isIdentChar(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

// sqlRef is a table reference found by the token scan.
type sqlRef struct {
	Database string
	Name     string
	Func     bool // table function: numbers(10)
	Start    int  // byte range of the reference (db.name) in the SQL
	End      int
	HasAlias bool // followed by an alias (FROM t a, FROM t AS a)
	In       bool // `x IN name`
}

// aliasStop are words that may follow a table and are not its alias.
var aliasStop = wordSet(`WHERE PREWHERE GROUP ORDER LIMIT HAVING SETTINGS FORMAT UNION EXCEPT
	INTERSECT JOIN INNER LEFT RIGHT FULL CROSS OUTER ANY ALL ASOF SEMI ANTI GLOBAL ARRAY ON
	USING FINAL SAMPLE WINDOW QUALIFY OFFSET INTO PASTE LOCAL WITH SELECT FROM BY AS`)

// clauseEnd are words that end a FROM list at their depth.
var clauseEnd = wordSet(`WHERE PREWHERE GROUP ORDER LIMIT HAVING SETTINGS FORMAT UNION EXCEPT
	INTERSECT ON USING WINDOW QUALIFY SELECT ARRAY INTO`)

// notCallers are keywords that open a parenthesis without being a function.
var notCallers = wordSet(`FROM JOIN IN AS SELECT WHERE PREWHERE AND OR NOT ON EXISTS USING
	HAVING BY WITH THEN ELSE WHEN CASE IS LIKE ILIKE BETWEEN UNION ALL ANY DISTINCT VALUES
	LIMIT OFFSET SETTINGS INTERVAL`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// unquote returns the name inside a quoted identifier (`a`, "a").
func unquote(q string, escaped bool) string {
	if len(q) < 2 || q[len(q)-1] != q[0] {
		return q[1:]
	}
	inner := q[1 : len(q)-1]
	if !escaped {
		return inner
	}
	var b strings.Builder
	for i := 0; i < len(inner); i++ {
		if inner[i] == '\\' && i+1 < len(inner) || inner[i] == q[0] && i+1 < len(inner) && inner[i+1] == q[0] {
			i++
		}
		b.WriteByte(inner[i])
	}
	return b.String()
}

// inSet reports whether a bare word is in a set of upper-case keywords,
// without allocating.
func inSet(set map[string]bool, t sqlTok) bool {
	if t.kind != sqlIdent || len(t.text) > 16 {
		return false
	}
	var buf [16]byte
	n := copy(buf[:], t.text)
	for i := 0; i < n; i++ {
		if c := buf[i]; c >= 'a' && c <= 'z' {
			buf[i] = c - 32
		}
	}
	return set[string(buf[:n])]
}

// scanRefs finds the table references of SQL by scanning tokens: the table
// after FROM and JOIN (and after commas of a FROM list), and `IN name`.
func scanRefs(sql string) []sqlRef {
	toks := tokenizeSQL(sql)
	var refs []sqlRef
	type paren struct {
		call     bool // a function call's argument list
		subquery bool // starts with SELECT or WITH
		fromList bool // inside a FROM list at this depth
	}
	stack := []paren{{}}
	top := func() *paren { return &stack[len(stack)-1] }
	at := func(i int) sqlTok {
		if i < len(toks) {
			return toks[i]
		}
		return sqlTok{kind: sqlPunct, start: int32(len(sql)), end: int32(len(sql))}
	}
	// table reads a table expression at i; it returns the reference found (if any).
	table := func(i int) (sqlRef, bool) {
		t := at(i)
		name, ok := t.name()
		if !ok || inSet(aliasStop, t) && !at(i+1).punct(".") {
			return sqlRef{}, false
		}
		ref := sqlRef{Name: name, Start: int(t.start), End: int(t.end)}
		j := i + 1
		if at(j).punct(".") {
			if n, ok := at(j + 1).name(); ok {
				ref.Database, ref.Name, ref.End = name, n, int(at(j+1).end)
				j += 2
			}
		}
		if at(j).punct("(") {
			ref.Func = true
			return ref, true
		}
		next := at(j)
		if next.is("AS") {
			ref.HasAlias = true
		} else if _, ok := next.name(); ok && !inSet(aliasStop, next) {
			ref.HasAlias = true
		}
		return ref, true
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.punct("("):
			prev := sqlTok{}
			if i > 0 {
				prev = toks[i-1]
			}
			call := (prev.kind == sqlIdent && !inSet(notCallers, prev)) || prev.kind == sqlQuoted
			sub := at(i+1).is("SELECT") || at(i+1).is("WITH")
			stack = append(stack, paren{call: call, subquery: sub})
		case t.punct(")"):
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case t.is("FROM"):
			if p := top(); p.call && !p.subquery {
				continue // EXTRACT(DAY FROM x), trim(BOTH ' ' FROM s)
			}
			top().fromList = true
			if ref, ok := table(i + 1); ok {
				refs = append(refs, ref)
			}
		case t.is("JOIN"):
			if i > 0 && toks[i-1].is("ARRAY") {
				top().fromList = false
				continue
			}
			top().fromList = true
			if ref, ok := table(i + 1); ok {
				refs = append(refs, ref)
			}
		case t.punct(","):
			if top().fromList {
				if ref, ok := table(i + 1); ok {
					refs = append(refs, ref)
				}
			}
		case t.is("IN"):
			n := at(i + 1)
			if _, ok := n.name(); ok && !at(i+2).punct("(") && !at(i+2).punct(".") && !inSet(aliasStop, n) {
				refs = append(refs, sqlRef{Name: n.text, Start: int(n.start), End: int(n.end), In: true})
			}
		case inSet(clauseEnd, t):
			top().fromList = false
		}
	}
	return refs
}
