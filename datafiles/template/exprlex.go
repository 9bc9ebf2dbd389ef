package template

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

type tokKind int

const (
	tkEOF tokKind = iota
	tkName
	tkInt
	tkFloat
	tkString
	tkOp
)

type token struct {
	kind tokKind
	text string // operator or name
	val  Value  // literal value for numbers and strings
	off  int    // absolute offset in the template source
}

// threeOps and twoOps are the multi-character operators, longest first.
var (
	twoOps = []string{"**", "//", "==", "!=", "<=", ">=", "<>"}
	oneOps = "()[]{},:.+-*/%<>=|&^~"
)

// lexExpr tokenizes a Python expression found at offset base of the source.
func lexExpr(src string, base int) ([]token, error) {
	toks := make([]token, 0, len(src)/4+2)
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\\' && i+1 < len(src) && src[i+1] == '\n':
			i++
			continue
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			continue
		case isNameStart(c):
			j := i
			for j < len(src) && isNameChar(src[j]) {
				j++
			}
			word := src[i:j]
			// string prefixes: r'..', u'..', b'..'
			if j < len(src) && (src[j] == '\'' || src[j] == '"') {
				lw := strings.ToLower(word)
				if lw == "r" || lw == "u" || lw == "b" || lw == "br" || lw == "rb" {
					s, n, err := lexString(src[j:], base+i, strings.Contains(lw, "r"))
					if err != nil {
						return nil, err
					}
					toks = append(toks, token{kind: tkString, val: s, off: base + i})
					i = j + n
					continue
				}
				if lw == "f" || lw == "rf" || lw == "fr" {
					return nil, errAt(base+i, "f-strings are not supported")
				}
			}
			toks = append(toks, token{kind: tkName, text: word, off: base + i})
			i = j
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			t, n, err := lexNumber(src[i:], base+i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i += n
		case c == '\'' || c == '"':
			s, n, err := lexString(src[i:], base+i, false)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tkString, val: s, off: base + i})
			i += n
		default:
			matched := false
			for _, op := range twoOps {
				if strings.HasPrefix(src[i:], op) {
					toks = append(toks, token{kind: tkOp, text: op, off: base + i})
					i += 2
					matched = true
					break
				}
			}
			if matched {
				continue
			}
			if strings.IndexByte(oneOps, c) >= 0 {
				toks = append(toks, token{kind: tkOp, text: string(c), off: base + i})
				i++
				continue
			}
			r, _ := utf8.DecodeRuneInString(src[i:])
			return nil, errAt(base+i, "unexpected character %q in expression", r)
		}
	}
	toks = append(toks, token{kind: tkEOF, off: base + len(src)})
	return toks, nil
}

func isNameStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isNameChar(c byte) bool { return isNameStart(c) || c >= '0' && c <= '9' }

func lexNumber(s string, off int) (token, int, error) {
	j := 0
	isFloat := false
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		j = 2
		for j < len(s) && (isHex(s[j]) || s[j] == '_') {
			j++
		}
		v, err := strconv.ParseInt(strings.ReplaceAll(s[2:j], "_", ""), 16, 64)
		if err != nil {
			return token{}, 0, errAt(off, "bad number %q", s[:j])
		}
		return token{kind: tkInt, val: v, off: off}, j, nil
	}
	for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '_') {
		j++
	}
	if j < len(s) && s[j] == '.' {
		isFloat = true
		j++
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '_') {
			j++
		}
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		k := j + 1
		if k < len(s) && (s[k] == '+' || s[k] == '-') {
			k++
		}
		if k < len(s) && s[k] >= '0' && s[k] <= '9' {
			isFloat = true
			j = k
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
		}
	}
	text := strings.ReplaceAll(s[:j], "_", "")
	if isFloat {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return token{}, 0, errAt(off, "bad number %q", s[:j])
		}
		return token{kind: tkFloat, val: f, off: off}, j, nil
	}
	v, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return token{}, 0, errAt(off, "integer %s is out of range", s[:j])
	}
	return token{kind: tkInt, val: v, off: off}, j, nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// lexString reads a Python string literal (single, double or triple quoted)
// and returns its value and length in bytes.
func lexString(s string, off int, raw bool) (string, int, error) {
	q := s[:1]
	if strings.HasPrefix(s, q+q+q) {
		q = q + q + q
	}
	var b strings.Builder
	i := len(q)
	for i < len(s) {
		if strings.HasPrefix(s[i:], q) {
			return b.String(), i + len(q), nil
		}
		c := s[i]
		if c == '\n' && len(q) == 1 {
			break
		}
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			i++
			continue
		}
		if raw {
			b.WriteByte(c)
			b.WriteByte(s[i+1])
			i += 2
			continue
		}
		e := s[i+1]
		i += 2
		switch e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '0':
			b.WriteByte(0)
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case '\\', '\'', '"':
			b.WriteByte(e)
		case '\n':
			// line continuation
		case 'x':
			if i+2 <= len(s) {
				if v, err := strconv.ParseUint(s[i:i+2], 16, 8); err == nil {
					b.WriteRune(rune(v))
					i += 2
					continue
				}
			}
			return "", 0, errAt(off+i-2, "bad \\x escape in string")
		case 'u':
			if i+4 <= len(s) {
				if v, err := strconv.ParseUint(s[i:i+4], 16, 32); err == nil {
					b.WriteRune(rune(v))
					i += 4
					continue
				}
			}
			return "", 0, errAt(off+i-2, "bad \\u escape in string")
		default:
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	return "", 0, errAt(off, "string literal is never closed")
}
