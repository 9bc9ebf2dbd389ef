package datafiles

import "strings"

// srcLine is one physical line of a datafile after INCLUDE expansion. Lines
// spliced in from an .incl file keep that file's name and line number, so
// diagnostics point at the text the user wrote.
type srcLine struct {
	File string
	Num  int
	Text string // without the line ending
	// Via lists the .incl files this line came through, outermost first
	// (used to detect include cycles); nil for lines of the file itself.
	Via *includeChain
}

// includeChain is the list of .incl files a line came through, shared by
// every line of one inclusion.
type includeChain struct {
	files []string
}

// list returns the files of the chain (nil for none).
func (v *includeChain) list() []string {
	if v == nil {
		return nil
	}
	return v.files
}

// indented reports whether the line starts with a space or a tab, i.e. it
// can never end a multiline block.
func (l srcLine) indented() bool {
	return len(l.Text) > 0 && (l.Text[0] == ' ' || l.Text[0] == '\t')
}

// splitLines cuts src into lines numbered from 1, dropping "\n" and "\r\n"
// endings.
func splitLines(file, text string) []srcLine {
	text = strings.TrimPrefix(text, "\ufeff") // a byte-order mark, as some editors save
	n := strings.Count(text, "\n") + 1
	lines := make([]srcLine, 0, n)
	num := 0
	for len(text) > 0 || num == 0 {
		num++
		i := strings.IndexByte(text, '\n')
		var line string
		if i < 0 {
			line, text = text, ""
		} else {
			line, text = text[:i], text[i+1:]
		}
		line = strings.TrimSuffix(line, "\r")
		lines = append(lines, srcLine{File: file, Num: num, Text: line})
		if i < 0 {
			break
		}
	}
	return lines
}

// lexToken is one shell-style token of a line.
type lexToken struct {
	// Raw is the token as written, quotes and backslashes included.
	Raw string
	// Text is the token with quotes removed and backslash escapes applied.
	Text string
	// Col is the 1-based byte column of the token's first character.
	Col int
}

// isSpace reports whether c separates tokens.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

// lexLine splits a line into tokens shell-style: whitespace separates,
// ' and " quote (a backslash escapes " and \ inside double quotes and any
// character outside quotes), and # at the start of a token begins a comment
// that runs to the end of the line.
//
// When a quote never closes, badCol is the 1-based column of the opening
// quote and, as the format requires, the whole trimmed line is returned as a
// single token. badCol is 0 when the quotes balance.
func lexLine(s string) (toks []lexToken, badCol int) {
	return lexAppend(nil, s)
}

// lexAppend is lexLine appending the tokens to dst, so callers that only
// look at the tokens can reuse one buffer.
func lexAppend(dst []lexToken, s string) (toks []lexToken, badCol int) {
	toks = dst
	i, n := 0, len(s)
	for {
		for i < n && isSpace(s[i]) {
			i++
		}
		if i >= n || s[i] == '#' {
			return toks, 0
		}
		start := i
		plain := true // Text == Raw so far: no quotes, no escapes
		var b strings.Builder
		for i < n && !isSpace(s[i]) {
			c := s[i]
			switch c {
			case '\'':
				j := strings.IndexByte(s[i+1:], '\'')
				if j < 0 {
					return append(dst[:0], wholeLine(s)), i + 1
				}
				if plain {
					b.WriteString(s[start:i])
					plain = false
				}
				b.WriteString(s[i+1 : i+1+j])
				i += j + 2
			case '"':
				if plain {
					b.WriteString(s[start:i])
					plain = false
				}
				j := i + 1
				closed := false
				for j < n {
					if s[j] == '\\' && j+1 < n && (s[j+1] == '"' || s[j+1] == '\\') {
						b.WriteByte(s[j+1])
						j += 2
						continue
					}
					if s[j] == '"' {
						closed = true
						break
					}
					b.WriteByte(s[j])
					j++
				}
				if !closed {
					return append(dst[:0], wholeLine(s)), i + 1
				}
				i = j + 1
			case '\\':
				if plain {
					b.WriteString(s[start:i])
					plain = false
				}
				if i+1 < n {
					b.WriteByte(s[i+1])
					i += 2
				} else {
					b.WriteByte(c)
					i++
				}
			default:
				if !plain {
					b.WriteByte(c)
				}
				i++
			}
		}
		raw := s[start:i]
		text := raw
		if !plain {
			text = b.String()
		}
		toks = append(toks, lexToken{Raw: raw, Text: text, Col: start + 1})
	}
}

// wholeLine returns the trimmed line as one token (the rule for lines whose
// quotes do not balance).
func wholeLine(s string) lexToken {
	t := strings.TrimLeft(s, " \t\r\v\f")
	col := len(s) - len(t) + 1
	t = strings.TrimRight(t, " \t\r\v\f")
	return lexToken{Raw: t, Text: t, Col: col}
}

// maybeDirective reports whether a word could be a directive at all, so
// the common SQL line is not upper-cased just to be looked up.
func maybeDirective(w string) bool {
	if len(w) < 2 {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// firstWord returns the first token of a line as written (for deciding
// whether a line inside a block is a directive) and whether the line has any
// token at all. It is a cheaper lexLine for the common case of body lines.
func firstWord(s string) (word string, empty bool) {
	toks, bad := lexLine(s)
	if len(toks) == 0 {
		return "", true
	}
	if bad != 0 {
		return "", false // a line with unbalanced quotes is one token, never a directive
	}
	return toks[0].Text, false
}

// joinRaw joins tokens as written with single spaces: the value of a
// single-line directive before its quotes are removed.
func joinRaw(toks []lexToken) string {
	switch len(toks) {
	case 0:
		return ""
	case 1:
		return toks[0].Raw
	}
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.Raw)
	}
	return b.String()
}

// unquoteOnce removes one pair of surrounding quotes (' or ") from s.
func unquoteOnce(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// expandVars replaces $NAME and ${NAME} in s with lookup(NAME); names that
// lookup does not know are left as written. A nil lookup returns s.
func expandVars(s string, lookup func(string) (string, bool)) string {
	if lookup == nil || strings.IndexByte(s, '$') < 0 {
		return s
	}
	var b strings.Builder
	i := 0
	for i < len(s) {
		c := s[i]
		if c != '$' || i+1 >= len(s) {
			b.WriteByte(c)
			i++
			continue
		}
		braced := s[i+1] == '{'
		j := i + 1
		if braced {
			j++
		}
		k := j
		for k < len(s) && isNameByte(s[k], k == j) {
			k++
		}
		name := s[j:k]
		end := k
		if braced {
			if k >= len(s) || s[k] != '}' {
				name = ""
			} else {
				end = k + 1
			}
		}
		if v, ok := lookup(name); ok && name != "" {
			b.WriteString(v)
			i = end
			continue
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// isNameByte reports whether c may appear in a variable name (first says it
// is the first character).
func isNameByte(c byte, first bool) bool {
	switch {
	case c == '_', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		return true
	case c >= '0' && c <= '9':
		return !first
	}
	return false
}

// isIdentifier reports whether s is a plain SQL identifier (letters, digits
// and underscores, not starting with a digit).
func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i], i == 0) {
			return false
		}
	}
	return true
}
