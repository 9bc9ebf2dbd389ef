package sqltext

import "strings"

// canonical is SQL text re-spelled for comparison.
type canonical struct {
	// text is for the parser: the original spacing collapsed to single
	// spaces, without comments, a final semicolon or database prefixes,
	// and with count(*) as count().
	text string
	// key has the same tokens, each once, separated by one space, with
	// string literals and names in one spelling: the comparison key of
	// text the parser does not read.
	key string
}

// canonicalize re-spells sql; ok is false when it has no tokens.
func canonicalize(sql, database string) (canonical, bool) {
	toks := TokensWithComments(sql)
	var text, key strings.Builder
	text.Grow(len(sql))
	key.Grow(len(sql) + len(sql)/4)
	gap := false // white space or a comment since the last written token
	last := -1   // end of the last token read
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if last >= 0 && t.Start > last {
			gap = true
		}
		last = t.End
		if t.Kind == Comment {
			gap = true
			continue
		}
		if t.IsPunct(sql, ";") && onlyCommentsAfter(toks, i) {
			continue
		}
		if database != "" && isDatabasePrefix(sql, toks, i, database) {
			i++ // the name and its dot
			last = toks[i].End
			continue
		}
		word := t.Text(sql)
		if t.IsWord(sql, "count") && i+3 < len(toks) && toks[i+1].IsPunct(sql, "(") && toks[i+2].IsPunct(sql, "*") && toks[i+3].IsPunct(sql, ")") {
			word += "()"
			i += 3
			last = toks[i].End
		}
		if text.Len() > 0 {
			if gap {
				text.WriteByte(' ')
			}
			key.WriteByte(' ')
		}
		gap = false
		text.WriteString(word)
		key.WriteString(tokenKey(sql, t, word))
	}
	return canonical{text: text.String(), key: key.String()}, key.Len() > 0
}

// tokenKey is one token's spelling in a comparison key.
func tokenKey(src string, t Token, text string) string {
	switch t.Kind {
	case String:
		return QuoteString(Unquote(text))
	case QuotedIdent:
		return Ident(Unquote(text))
	case Word:
		return Ident(text)
	}
	return text
}

func onlyCommentsAfter(toks []Token, i int) bool {
	for _, t := range toks[i+1:] {
		if t.Kind != Comment {
			return false
		}
	}
	return true
}

// isDatabasePrefix reports whether toks[i] names database and is followed
// by a dot and a name (db.t, db.*), and is not itself after a dot.
func isDatabasePrefix(src string, toks []Token, i int, database string) bool {
	name, ok := toks[i].Name(src)
	if !ok || name != database || i+2 >= len(toks) || !toks[i+1].IsPunct(src, ".") {
		return false
	}
	if i > 0 && toks[i-1].IsPunct(src, ".") {
		return false // x.db.y: db is not the first part
	}
	n := toks[i+2]
	return n.Kind == Word || n.Kind == QuotedIdent || n.IsPunct(src, "*")
}

// StripDatabase removes the `database.` prefixes of names in sql and
// collapses runs of spaces (CollapseSpaces), keeping the text otherwise as
// written: the readable form of a query the server stored.
func StripDatabase(sql, database string) string {
	if !mayPrefix(sql, database) {
		return CollapseSpaces(sql)
	}
	toks := TokensWithComments(sql)
	var b strings.Builder
	last := 0
	for i := 0; i < len(toks); i++ {
		if toks[i].Kind != Comment && isDatabasePrefix(sql, toks, i, database) {
			b.WriteString(sql[last:toks[i].Start])
			last = toks[i+2].Start
			i++
		}
	}
	b.WriteString(sql[last:])
	return CollapseSpaces(b.String())
}

// mayPrefix reports whether sql may hold database as a name prefix (db.t,
// `db`.t, "db".t): a cheap test before tokenizing.
func mayPrefix(sql, database string) bool {
	return database != "" && (strings.Contains(sql, database+".") || strings.Contains(sql, database+"`") || strings.Contains(sql, database+"\""))
}

// CollapseSpaces turns each run of spaces and tabs outside literals, names
// and comments into one space, drops the spaces ending a line and trims the
// text.
func CollapseSpaces(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	l := Lexer{src: s}
	pos := 0
	gap := func(g string) {
		space := false
		for i := 0; i < len(g); i++ {
			c := g[i]
			if c == ' ' || c == '\t' {
				space = true
				continue
			}
			if space && c != '\n' && c != '\r' && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteByte(c)
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
	}
	for {
		t, ok := l.Next()
		if !ok {
			break
		}
		gap(s[pos:t.Start])
		b.WriteString(s[t.Start:t.End])
		pos = t.End
	}
	gap(s[pos:])
	return strings.TrimSpace(b.String())
}
