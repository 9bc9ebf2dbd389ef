// Package sqltext is perch's one reading of ClickHouse SQL text: a
// tokenizer that splits text the way the server's lexer does, string and
// identifier quoting with one escaping rule, and the normalizations that
// turn an expression, a key, a type, a codec, a TTL or a SETTINGS list into
// a comparison key, so that the server's rewriting of what it stores never
// shows as a change. Structure comes from the doubleclick parser where it
// can parse, from the tokenizer where it cannot.
package sqltext

import "strings"

// Kind is the kind of a token.
type Kind uint8

// The token kinds.
const (
	// Word is a bare identifier or keyword: [A-Za-z_$][A-Za-z0-9_$]*, and
	// any byte of a multi-byte UTF-8 character.
	Word Kind = iota + 1
	// QuotedIdent is an identifier in backquotes or double quotes.
	QuotedIdent
	// String is a string literal in single quotes, or a heredoc ($$...$$).
	String
	// Number is a numeric literal (decimal, hexadecimal, binary, float).
	Number
	// Punct is an operator or a delimiter.
	Punct
	// Comment is a comment: -- to the end of the line, # followed by a
	// space or !, or /* ... */ (nested).
	Comment
)

// Token is one token of SQL text: its kind and byte range.
type Token struct {
	Kind       Kind
	Start, End int
	// Unterminated is set on a quoted token or block comment whose end is
	// missing: it runs to the end of the text.
	Unterminated bool
}

// Text is the token's text in src.
func (t Token) Text(src string) string { return src[t.Start:t.End] }

// IsWord reports whether the token is the bare word w (case-insensitive).
func (t Token) IsWord(src, w string) bool {
	return t.Kind == Word && t.End-t.Start == len(w) && strings.EqualFold(src[t.Start:t.End], w)
}

// IsPunct reports whether the token is the operator or delimiter p.
func (t Token) IsPunct(src, p string) bool {
	return t.Kind == Punct && src[t.Start:t.End] == p
}

// Name returns the identifier a bare word or quoted identifier names, with
// the quotes removed and escapes decoded.
func (t Token) Name(src string) (string, bool) {
	switch t.Kind {
	case Word:
		return src[t.Start:t.End], true
	case QuotedIdent:
		return Unquote(src[t.Start:t.End]), true
	}
	return "", false
}

// Opens reports whether the token opens a bracket: ( [ or {.
func (t Token) Opens(src string) bool {
	return t.Kind == Punct && t.End-t.Start == 1 && (src[t.Start] == '(' || src[t.Start] == '[' || src[t.Start] == '{')
}

// Closes reports whether the token closes a bracket: ) ] or }.
func (t Token) Closes(src string) bool {
	return t.Kind == Punct && t.End-t.Start == 1 && (src[t.Start] == ')' || src[t.Start] == ']' || src[t.Start] == '}')
}

// Lexer reads SQL one token at a time. It never fails: a byte it does not
// know is a one-byte Punct, an unterminated literal runs to the end.
type Lexer struct {
	src  string
	pos  int
	last Kind // kind of the previous non-comment token, 0 at the start
	// lastClose is set when the previous token is ) or ].
	lastClose bool
}

// NewLexer returns a lexer at the start of src.
func NewLexer(src string) *Lexer { return &Lexer{src: src} }

// Tokens splits src into tokens, without comments.
func Tokens(src string) []Token {
	l := Lexer{src: src}
	out := make([]Token, 0, len(src)/5+2)
	for {
		t, ok := l.Next()
		if !ok {
			return out
		}
		if t.Kind != Comment {
			out = append(out, t)
		}
	}
}

// TokensWithComments splits src into tokens, comments included.
func TokensWithComments(src string) []Token {
	l := Lexer{src: src}
	var out []Token
	for {
		t, ok := l.Next()
		if !ok {
			return out
		}
		out = append(out, t)
	}
}

// IsSpace reports whether c is white space for the server's lexer.
func IsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// IsWordByte reports whether c may continue a bare word.
func IsWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

func isWordStart(c byte) bool { return IsWordByte(c) && !(c >= '0' && c <= '9') }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// Next returns the next token (comments included), or false at the end.
func (l *Lexer) Next() (Token, bool) {
	s := l.src
	i := l.pos
	for i < len(s) && IsSpace(s[i]) {
		i++
	}
	if i >= len(s) {
		l.pos = i
		return Token{}, false
	}
	t := l.scan(i)
	l.pos = t.End
	if t.Kind != Comment {
		l.last = t.Kind
		l.lastClose = t.IsPunct(s, ")") || t.IsPunct(s, "]")
	}
	return t, true
}

// scan reads the token starting at s[i] (not white space).
func (l *Lexer) scan(i int) Token {
	s := l.src
	c := s[i]
	switch {
	case c == '-' && i+1 < len(s) && s[i+1] == '-', c == '#' && i+1 < len(s) && (s[i+1] == ' ' || s[i+1] == '!'):
		j := strings.IndexByte(s[i:], '\n')
		if j < 0 {
			return Token{Kind: Comment, Start: i, End: len(s)}
		}
		return Token{Kind: Comment, Start: i, End: i + j}
	case c == '/' && i+1 < len(s) && s[i+1] == '*':
		return blockComment(s, i)
	case c == '\'':
		return quoted(s, i, String)
	case c == '"' || c == '`':
		return quoted(s, i, QuotedIdent)
	case c == '$':
		if t, ok := heredoc(s, i); ok {
			return t
		}
		return word(s, i)
	case isDigit(c), c == '.' && i+1 < len(s) && isDigit(s[i+1]) && !l.afterOperand():
		return number(s, i)
	case isWordStart(c):
		return word(s, i)
	}
	n := 1
	if i+2 < len(s) && s[i:i+3] == "<=>" {
		n = 3
	} else if i+1 < len(s) {
		switch s[i : i+2] {
		case "::", "->", "<=", ">=", "!=", "<>", "||", "==", "=>":
			n = 2
		}
	}
	return Token{Kind: Punct, Start: i, End: i + n}
}

// afterOperand reports whether the previous token is a name or a closing
// bracket, so that a dot after it is member access (t.1) rather than the
// start of a number, as the server reads it.
func (l *Lexer) afterOperand() bool {
	return l.last == Word || l.last == QuotedIdent || l.lastClose
}

func word(s string, i int) Token {
	j := i + 1
	for j < len(s) && IsWordByte(s[j]) {
		j++
	}
	return Token{Kind: Word, Start: i, End: j}
}

// number reads a numeric literal: digits with an optional fraction and
// exponent, 0x and 0b forms, and any word bytes stuck to it (1e-3, 0xFF,
// 10u are one token, as the server reads them or rejects them whole).
func number(s string, i int) Token {
	j := i
	for j < len(s) {
		c := s[j]
		switch {
		case IsWordByte(c) || c == '.':
			j++
		case (c == '+' || c == '-') && j > i && (s[j-1] == 'e' || s[j-1] == 'E') && !isHexPrefixed(s[i:j]):
			j++
		default:
			return Token{Kind: Number, Start: i, End: j}
		}
	}
	return Token{Kind: Number, Start: i, End: j}
}

func isHexPrefixed(n string) bool { return len(n) > 1 && n[0] == '0' && (n[1] == 'x' || n[1] == 'X') }

// quoted reads a literal in quotes (SkipQuoted).
func quoted(s string, i int, kind Kind) Token {
	if end := SkipQuoted(s, i); end >= 0 {
		return Token{Kind: kind, Start: i, End: end}
	}
	return Token{Kind: kind, Start: i, End: len(s), Unterminated: true}
}

// SkipQuoted returns the offset just past the quote closing the one at
// s[i] (a backslash escapes the next byte, a doubled quote stands for
// itself), or -1 when it never closes.
func SkipQuoted(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case q:
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return -1
}

// blockComment reads /* ... */, which nests.
func blockComment(s string, i int) Token {
	depth := 0
	for j := i; j+1 < len(s); {
		switch {
		case s[j] == '/' && s[j+1] == '*':
			depth++
			j += 2
		case s[j] == '*' && s[j+1] == '/':
			depth--
			j += 2
			if depth == 0 {
				return Token{Kind: Comment, Start: i, End: j}
			}
		default:
			j++
		}
	}
	return Token{Kind: Comment, Start: i, End: len(s), Unterminated: true}
}

// heredoc reads $tag$ ... $tag$ (the tag may be empty), as the server does:
// the tag runs to the next $, and without a closing tag it is no heredoc.
func heredoc(s string, i int) (Token, bool) {
	j := strings.IndexByte(s[i+1:], '$')
	if j < 0 {
		return Token{}, false
	}
	tag := s[i : i+j+2]
	k := strings.Index(s[i+len(tag):], tag)
	if k < 0 {
		return Token{}, false
	}
	return Token{Kind: String, Start: i, End: i + len(tag) + k + len(tag)}, true
}
