package workspace

import (
	"strings"
	"unicode/utf8"

	"github.com/sqlc-dev/doubleclick/lexer"
	"github.com/sqlc-dev/doubleclick/token"
)

// sqlToken is one lexical token of a ClickHouse statement with its byte
// range in the source text.
type sqlToken struct {
	tok        token.Token
	val        string
	start, end int
}

// upper is the token's value in upper case (for keyword comparisons).
func (t sqlToken) upper() string { return strings.ToUpper(t.val) }

// isWord reports whether the token is an identifier or keyword spelled w
// (case-insensitive).
func (t sqlToken) isWord(w string) bool {
	return (t.tok == token.IDENT || t.tok.IsKeyword()) && strings.EqualFold(t.val, w)
}

// lexSQL splits s into tokens (comments included as LINE_COMMENT).
func lexSQL(s string) []sqlToken {
	l := lexer.New(strings.NewReader(s))
	var out []sqlToken
	for i := 0; i < 1_000_000; i++ {
		it := l.NextToken()
		if it.Token == token.EOF {
			break
		}
		start := it.Pos.Offset
		if start > len(s) {
			start = len(s)
		}
		if start > 0 {
			_, size := utf8.DecodeLastRuneInString(s[:start])
			start -= size
		}
		out = append(out, sqlToken{tok: it.Token, val: it.Value, start: start})
	}
	for i := range out {
		end := len(s)
		if i+1 < len(out) {
			end = out[i+1].start
		}
		out[i].end = out[i].start + len(strings.TrimRight(s[out[i].start:end], " \t\r\n"))
	}
	return out
}

// depthScan calls fn for each token with the bracket depth before it; fn
// returns false to stop.
func depthScan(toks []sqlToken, fn func(i, depth int) bool) {
	depth := 0
	for i, t := range toks {
		if t.tok == token.RPAREN || t.tok == token.RBRACKET {
			depth--
		}
		if !fn(i, depth) {
			return
		}
		if t.tok == token.LPAREN || t.tok == token.LBRACKET {
			depth++
		}
	}
}

// matchParen returns the index of the token closing the bracket at toks[i],
// or -1.
func matchParen(toks []sqlToken, i int) int {
	depth := 0
	for j := i; j < len(toks); j++ {
		switch toks[j].tok {
		case token.LPAREN, token.LBRACKET:
			depth++
		case token.RPAREN, token.RBRACKET:
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}
