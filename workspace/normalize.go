package workspace

import (
	"context"
	"sort"
	"strings"

	"github.com/sqlc-dev/doubleclick/parser"
	"github.com/sqlc-dev/doubleclick/token"
)

// The server rewrites the DDL it stores: it prefixes tables with their
// database, adds AS before aliases, changes spacing, case and quoting,
// turns count(*) into count() and INTERVAL 1 DAY into toIntervalDay(1).
// The helpers below bring a local and a remote text to one canonical form,
// so that an unchanged object never shows as changed. Their results are
// comparison keys, not for display (show the original text instead).

// NormalizeSQL returns a comparison key for a SELECT (or any statement):
// references to database are stripped, comments dropped, and the statement
// is parsed and printed as its ClickHouse syntax tree, so spacing, keyword
// case, quoting and optional AS do not matter. Text that does not parse is
// compared token by token.
func NormalizeSQL(sql, database string) string {
	text, ok := canonicalTokens(sql, database)
	if !ok {
		return ""
	}
	stmts, err := parser.Parse(context.Background(), strings.NewReader(text))
	if err == nil && len(stmts) == 1 {
		return "ast:" + parser.Explain(stmts[0])
	}
	return "tokens:" + text
}

// NormalizeExpr returns a comparison key for an expression (a default, a
// TTL, an engine argument).
func NormalizeExpr(expr, database string) string {
	if strings.TrimSpace(expr) == "" {
		return ""
	}
	return NormalizeSQL("SELECT "+expr, database)
}

// NormalizeKey returns a comparison key for a partition, sorting, primary or
// sampling key: "(a, b)" and "a, b" are the same key, "tuple()" is no key.
func NormalizeKey(key, database string) string {
	return NormalizeExpr(unwrapKey(key), database)
}

// unwrapKey removes the parentheses around a whole key and maps tuple() to "".
func unwrapKey(key string) string {
	k := strings.TrimSpace(key)
	for {
		if strings.EqualFold(strings.ReplaceAll(k, " ", ""), "tuple()") {
			return ""
		}
		toks := lexSQL(k)
		if len(toks) >= 2 && toks[0].tok == token.LPAREN && matchParen(toks, 0) == len(toks)-1 {
			k = strings.TrimSpace(k[toks[0].end:toks[len(toks)-1].start])
			continue
		}
		return k
	}
}

// canonicalTokens re-spells sql as its tokens separated by single spaces,
// without comments, a final semicolon or references to database, and with
// count(*) as count(). ok is false for empty input.
func canonicalTokens(sql, database string) (string, bool) {
	toks := lexSQL(sql)
	var b strings.Builder
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.tok == token.LINE_COMMENT:
			continue
		case t.tok == token.SEMICOLON && i == len(toks)-1:
			continue
		case database != "" && isDatabasePrefix(toks, i, database):
			i++ // skip the name and its dot
			continue
		case t.isWord("count") && i+3 < len(toks) && toks[i+1].tok == token.LPAREN && toks[i+2].tok == token.ASTERISK && toks[i+3].tok == token.RPAREN:
			b.WriteString(sql[t.start:t.end] + " ( )")
			i += 3
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		text := sql[t.start:t.end]
		if t.tok.IsKeyword() {
			text = strings.ToUpper(text)
		}
		b.WriteString(text)
	}
	return b.String(), b.Len() > 0
}

// isDatabasePrefix reports whether toks[i] is `database` followed by a dot
// and a name.
func isDatabasePrefix(toks []sqlToken, i int, database string) bool {
	t := toks[i]
	// The name may lex as a keyword: the local server's database is "default".
	if !(t.tok == token.IDENT || t.tok.IsKeyword()) || t.val != database || i+2 >= len(toks) || toks[i+1].tok != token.DOT {
		return false
	}
	if i > 0 && toks[i-1].tok == token.DOT {
		return false // x.db.y: db is not the first part
	}
	n := toks[i+2]
	return n.tok == token.IDENT || n.tok.IsKeyword() || n.tok == token.ASTERISK
}

// StripDatabase removes `database.` prefixes from sql and collapses runs of
// spaces, keeping the text otherwise as written: the readable form of a
// server-stored query.
func StripDatabase(sql, database string) string {
	if database == "" || !strings.Contains(sql, database) {
		return collapseSpaces(sql)
	}
	toks := lexSQL(sql)
	var b strings.Builder
	last := 0
	for i := 0; i < len(toks); i++ {
		if database != "" && isDatabasePrefix(toks, i, database) {
			b.WriteString(sql[last:toks[i].start])
			last = toks[i+2].start
			i++
		}
	}
	b.WriteString(sql[last:])
	return collapseSpaces(b.String())
}

// collapseSpaces turns runs of spaces and tabs outside quotes into one
// space and trims each line's end and the whole text.
func collapseSpaces(s string) string {
	var b strings.Builder
	var quote byte
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if quote != 0 {
			b.WriteByte(c)
			if c == '\\' && i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			} else if c == quote {
				quote = 0
			}
			continue
		}
		if c == ' ' || c == '\t' {
			space = true
			continue
		}
		if space && c != '\n' && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if c == '\'' || c == '"' || c == '`' {
			quote = c
		}
		b.WriteByte(c)
	}
	return strings.TrimSpace(b.String())
}

// NormalizeType returns a comparison key for a column type: whitespace
// outside quotes is dropped ("Decimal(10,2)" = "Decimal(10, 2)").
func NormalizeType(t string) string { return dropSpaces(strings.TrimSpace(t)) }

// NormalizeCodec returns a comparison key for a codec: "CODEC(ZSTD(1))" and
// "ZSTD(1)" are the same.
func NormalizeCodec(c string) string {
	c = strings.TrimSpace(c)
	if len(c) > 6 && strings.EqualFold(c[:6], "CODEC(") && strings.HasSuffix(c, ")") {
		c = c[6 : len(c)-1]
	}
	return dropSpaces(c)
}

func dropSpaces(s string) string {
	var b strings.Builder
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && i+1 < len(s) {
				b.WriteByte(c)
				i++
				c = s[i]
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// serverDefaultSettings are table settings the server adds to every
// MergeTree table's stored DDL although nobody wrote them.
var serverDefaultSettings = map[string]string{"index_granularity": "8192"}

// NormalizeSettings returns the canonical form of engine settings: "k = v"
// pairs sorted by name, without the defaults the server adds
// (index_granularity = 8192).
func NormalizeSettings(s string) string {
	if s = strings.TrimSpace(s); s == "" || s == "index_granularity = 8192" {
		return ""
	}
	var pairs []string
	for _, kv := range splitTopLevel(s) {
		k, v, ok := strings.Cut(kv, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			if kv != "" {
				pairs = append(pairs, dropSpaces(kv))
			}
			continue
		}
		if serverDefaultSettings[k] == strings.Trim(v, "'") {
			continue
		}
		pairs = append(pairs, k+" = "+v)
	}
	sort.Strings(pairs)
	return strings.Join(pairs, ", ")
}
