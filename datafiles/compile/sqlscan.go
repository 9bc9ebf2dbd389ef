package compile

import (
	"strings"

	"github.com/perchdata/perch/datafiles/sqltext"
)

// sqlTok is one token of ClickHouse SQL (sqltext's tokenizer) with the text
// it needs: the SQL it comes from.
type sqlTok struct {
	sqltext.Token
	src string
}

func (t sqlTok) is(word string) bool { return t.IsWord(t.src, word) }

func (t sqlTok) punct(p string) bool { return t.IsPunct(t.src, p) }

// name returns the identifier a token names (bare or quoted) and whether it does.
func (t sqlTok) name() (string, bool) { return t.Name(t.src) }

// tokenizeSQL splits ClickHouse SQL into tokens, comments left out.
func tokenizeSQL(s string) []sqlTok {
	toks := sqltext.Tokens(s)
	out := make([]sqlTok, len(toks))
	for i, t := range toks {
		out[i] = sqlTok{t, s}
	}
	return out
}

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

// inSet reports whether a bare word is in a set of upper-case keywords,
// without allocating.
func inSet(set map[string]bool, t sqlTok) bool {
	if t.Kind != sqltext.Word || t.End-t.Start > 16 {
		return false
	}
	var buf [16]byte
	n := copy(buf[:], t.src[t.Start:t.End])
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

	lex := sqltext.NewLexer(sql)
	const window = 6
	var win [window]sqlTok
	n := 0
	eof := sqlTok{sqltext.Token{Kind: sqltext.Punct, Start: len(sql), End: len(sql)}, sql}
	fill := func() {
		for n < window {
			t, ok := lex.Next()
			if !ok {
				return
			}
			if t.Kind == sqltext.Comment {
				continue
			}
			win[n] = sqlTok{t, sql}
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
		ref := sqlRef{Name: name, Start: t.Start, End: t.End}
		j := k + 1
		if at(j).punct(".") {
			if nm, ok := at(j + 1).name(); ok {
				ref.Database, ref.Name, ref.End = name, nm, at(j+1).End
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
			call := (prev.Kind == sqltext.Word && !inSet(notCallers, prev)) || prev.Kind == sqltext.QuotedIdent
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
				name, _ := nt.name()
				refs = append(refs, sqlRef{Name: name, Start: nt.Start, End: nt.End, In: true})
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
