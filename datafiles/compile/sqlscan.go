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

// sqlLexer reads ClickHouse SQL one token at a time, skipping whitespace and
// comments. It never fails: an unterminated literal runs to the end.
type sqlLexer struct {
	s string
	i int
}

// tokenizeSQL splits ClickHouse SQL into tokens.
func tokenizeSQL(s string) []sqlTok {
	l := sqlLexer{s: s}
	toks := make([]sqlTok, 0, len(s)/6+4)
	for {
		t, ok := l.next()
		if !ok {
			return toks
		}
		toks = append(toks, t)
	}
}

// next returns the next token, or false at the end.
func (l *sqlLexer) next() (sqlTok, bool) {
	s := l.s
	i := l.i
	defer func() { l.i = i }()
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
			start := i
			i = j
			if c == '\'' {
				// string contents are never needed
				return sqlTok{kind: sqlString, start: int32(start), end: int32(j)}, true
			}
			return sqlTok{kind: sqlQuoted, text: unquote(s[start:j], escaped), start: int32(start), end: int32(j)}, true
		case isIdentStart(c) || c >= 0x80:
			j := i + 1
			for j < len(s) && (isIdentChar(s[j]) || s[j] >= 0x80) {
				j++
			}
			start := i
			i = j
			return sqlTok{kind: sqlIdent, text: s[start:j], start: int32(start), end: int32(j)}, true
		case c >= '0' && c <= '9':
			j := i + 1
			for j < len(s) && (isIdentChar(s[j]) || s[j] == '.' ||
				(s[j] == '+' || s[j] == '-') && (s[j-1] == 'e' || s[j-1] == 'E')) {
				j++
			}
			start := i
			i = j
			return sqlTok{kind: sqlNumber, start: int32(start), end: int32(j)}, true
		default:
			n := 1
			if i+1 < len(s) {
				switch s[i : i+2] {
				case "::", "->", "<=", ">=", "!=", "<>", "||", "==":
					n = 2
				}
			}
			start := i
			i += n
			return sqlTok{kind: sqlPunct, text: s[start : start+n], start: int32(start), end: int32(start + n)}, true
		}
	}
	return sqlTok{}, false
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
// after FROM and JOIN (and after commas of a FROM list), and `IN name`. It
// streams tokens through a small window instead of tokenizing the whole SQL.
func scanRefs(sql string) []sqlRef {
	var refs []sqlRef
	type paren struct {
		call     bool // a function call's argument list
		subquery bool // starts with SELECT or WITH
		fromList bool // inside a FROM list at this depth
	}
	stack := []paren{{}}
	top := func() *paren { return &stack[len(stack)-1] }

	lex := sqlLexer{s: sql}
	const window = 6
	var win [window]sqlTok
	n := 0
	eof := sqlTok{kind: sqlPunct, start: int32(len(sql)), end: int32(len(sql))}
	fill := func() {
		for n < window {
			t, ok := lex.next()
			if !ok {
				return
			}
			win[n] = t
			n++
		}
	}
	// at returns the token k places after the current one.
	at := func(k int) sqlTok {
		if k < n {
			return win[k]
		}
		return eof
	}
	// table reads a table expression k tokens ahead; it returns the
	// reference found (if any).
	table := func(k int) (sqlRef, bool) {
		t := at(k)
		name, ok := t.name()
		if !ok || inSet(aliasStop, t) && !at(k+1).punct(".") {
			return sqlRef{}, false
		}
		ref := sqlRef{Name: name, Start: int(t.start), End: int(t.end)}
		j := k + 1
		if at(j).punct(".") {
			if nm, ok := at(j + 1).name(); ok {
				ref.Database, ref.Name, ref.End = name, nm, int(at(j+1).end)
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
	var prev sqlTok
	for fill(); n > 0; {
		t := win[0]
		switch {
		case t.punct("("):
			call := (prev.kind == sqlIdent && !inSet(notCallers, prev)) || prev.kind == sqlQuoted
			sub := at(1).is("SELECT") || at(1).is("WITH")
			stack = append(stack, paren{call: call, subquery: sub})
		case t.punct(")"):
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case t.is("FROM"):
			if p := top(); p.call && !p.subquery {
				break // EXTRACT(DAY FROM x), trim(BOTH ' ' FROM s)
			}
			top().fromList = true
			if ref, ok := table(1); ok {
				refs = append(refs, ref)
			}
		case t.is("JOIN"):
			if prev.is("ARRAY") {
				top().fromList = false
				break
			}
			top().fromList = true
			if ref, ok := table(1); ok {
				refs = append(refs, ref)
			}
		case t.punct(","):
			if top().fromList {
				if ref, ok := table(1); ok {
					refs = append(refs, ref)
				}
			}
		case t.is("IN"):
			nt := at(1)
			if _, ok := nt.name(); ok && !at(2).punct("(") && !at(2).punct(".") && !inSet(aliasStop, nt) {
				refs = append(refs, sqlRef{Name: nt.text, Start: int(nt.start), End: int(nt.end), In: true})
			}
		case inSet(clauseEnd, t):
			top().fromList = false
		}
		prev = t
		copy(win[:], win[1:n])
		n--
		fill()
	}
	return refs
}
