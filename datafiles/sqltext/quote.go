package sqltext

import "strings"

// One escaping rule for everything perch writes into SQL: a backslash
// before \, ' and `, named escapes for the usual control characters and
// \xHH for the others and DEL. The server decodes these the same way in
// string literals and in quoted identifiers, so no value can end a literal
// or a name early, whatever it holds.

const hexDigits = "0123456789ABCDEF"

// escape writes s with the rule above, also backslash-escaping every byte
// of also.
func escape(b *strings.Builder, s, also string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '\'', '`':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case 0:
			b.WriteString(`\0`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			switch {
			case c < 0x20 || c == 0x7f:
				b.WriteString(`\x`)
				b.WriteByte(hexDigits[c>>4])
				b.WriteByte(hexDigits[c&15])
			case also != "" && strings.IndexByte(also, c) >= 0:
				b.WriteByte('\\')
				b.WriteByte(c)
			default:
				b.WriteByte(c)
			}
		}
	}
}

// QuoteString returns s as a single-quoted string literal.
func QuoteString(s string) string { return QuoteStringEscaping(s, "") }

// QuoteStringEscaping is QuoteString that also backslash-escapes the bytes
// of also (the template language escapes % this way; the server keeps such
// a backslash, for LIKE patterns).
func QuoteStringEscaping(s, also string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	escape(&b, s, also)
	b.WriteByte('\'')
	return b.String()
}

// QuoteIdent returns name as a backquoted identifier.
func QuoteIdent(name string) string {
	var b strings.Builder
	b.Grow(len(name) + 2)
	b.WriteByte('`')
	escape(&b, name, "")
	b.WriteByte('`')
	return b.String()
}

// IsPlainName reports whether name can be written as a bare word: a letter
// or _ first, then letters, digits and _.
func IsPlainName(name string) bool {
	if name == "" || !(name[0] == '_' || name[0] >= 'a' && name[0] <= 'z' || name[0] >= 'A' && name[0] <= 'Z') {
		return false
	}
	for i := 1; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// Ident writes name bare when it is a plain name, else backquoted.
func Ident(name string) string {
	if IsPlainName(name) {
		return name
	}
	return QuoteIdent(name)
}

// Unquote decodes a quoted token ('...', "...", `...` or a heredoc) as the
// server reads it: a doubled quote is one quote; \n, \t, \r, \0, \a, \b,
// \e, \f, \v and \xHH are control characters; a backslash before \ ' " `
// / = or a control character stands for that character, before anything
// else it is kept (the server leaves 'a\%b' as a\%b, for LIKE). Text that is
// not quoted is returned as it is; an unterminated literal decodes to its
// end.
func Unquote(q string) string {
	if len(q) == 0 {
		return q
	}
	c := q[0]
	if c == '$' {
		if j := strings.IndexByte(q[1:], '$'); j >= 0 && len(q) >= 2*(j+2) {
			tag := q[:j+2]
			if strings.HasSuffix(q, tag) {
				return q[len(tag) : len(q)-len(tag)]
			}
		}
		return q
	}
	if c != '\'' && c != '"' && c != '`' {
		return q
	}
	body := q[1:]
	if len(body) > 0 && body[len(body)-1] == c && closes(q) {
		body = body[:len(body)-1]
	}
	if strings.IndexByte(body, '\\') < 0 && strings.IndexByte(body, c) < 0 {
		return body
	}
	var b strings.Builder
	b.Grow(len(body))
	for i := 0; i < len(body); i++ {
		ch := body[i]
		switch {
		case ch == c && i+1 < len(body) && body[i+1] == c:
			b.WriteByte(c)
			i++
		case ch == '\\' && i+1 < len(body):
			i++
			i = unescape(&b, body, i)
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}

// closes reports whether the quoted text q ends with its closing quote
// (and not with an escaped or doubled one).
func closes(q string) bool {
	t := quoted(q, 0, String)
	return !t.Unterminated && t.End == len(q)
}

// unescape writes the character of the escape whose letter is body[i] and
// returns the index of the last byte it used.
func unescape(b *strings.Builder, body string, i int) int {
	e := body[i]
	var d byte
	switch e {
	case 'x':
		if i+2 < len(body) && isHex(body[i+1]) && isHex(body[i+2]) {
			b.WriteByte(unhex(body[i+1])<<4 | unhex(body[i+2]))
			return i + 2
		}
		d = 'x'
	case 'N':
		return i // \N reads as nothing
	case 'a':
		d = '\a'
	case 'b':
		d = '\b'
	case 'e':
		d = 0x1b
	case 'f':
		d = '\f'
	case 'n':
		d = '\n'
	case 'r':
		d = '\r'
	case 't':
		d = '\t'
	case 'v':
		d = '\v'
	case '0':
		d = 0
	default:
		d = e
	}
	if d != '\\' && d != '\'' && d != '"' && d != '`' && d != '/' && d != '=' && !(d < 0x20 || d == 0x7f) {
		b.WriteByte('\\')
	}
	b.WriteByte(d)
	return i
}

func isHex(c byte) bool { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
