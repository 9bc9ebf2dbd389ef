package template

import "strings"

// segKind is the kind of a piece of template source.
type segKind int

const (
	segText    segKind = iota // literal SQL
	segExpr                   // {{ expr }}
	segStmt                   // {% stmt %}
	segComment                // {# ... #}
)

// segment is one piece of the template. off is the byte offset of its
// content (after the opening delimiter for tags) in the source.
type segment struct {
	kind  segKind
	text  string
	off   int // offset of text in the source
	start int // offset of the opening delimiter (== off for text)
}

// closers of each tag kind, by the character after `{`.
var tagKinds = map[byte]struct {
	kind   segKind
	closer string
}{'{': {segExpr, "}}"}, '%': {segStmt, "%}"}, '#': {segComment, "#}"}}

// lex splits src into text, expression, statement and comment segments the
// way Tornado does: a tag runs to the first closing delimiter; `{{!`, `{%!`
// and `{#!` print the delimiter literally. Text segments are substrings of
// src (no copies). skip is the offset of a byte to leave out of the text (the
// template marker %), or -1.
func lex(src string, skip int) ([]segment, error) {
	segs := make([]segment, 0, 8)
	text := func(from, to int) {
		if skip >= from && skip < to {
			text0 := func(a, b int) {
				if a < b {
					segs = append(segs, segment{kind: segText, text: src[a:b], off: a, start: a})
				}
			}
			text0(from, skip)
			text0(skip+1, to)
			return
		}
		if from < to {
			segs = append(segs, segment{kind: segText, text: src[from:to], off: from, start: from})
		}
	}
	textStart, i := 0, 0
	for i < len(src) {
		j := strings.IndexByte(src[i:], '{')
		if j < 0 {
			break
		}
		j += i
		if j+1 >= len(src) {
			break
		}
		tk, ok := tagKinds[src[j+1]]
		if !ok {
			i = j + 1
			continue
		}
		// {{! {%! {#! print the delimiter itself.
		if j+2 < len(src) && src[j+2] == '!' {
			text(textStart, j+2)
			i, textStart = j+3, j+3
			continue
		}
		end := strings.Index(src[j+2:], tk.closer)
		if end < 0 {
			return nil, errAt(j, "%s is never closed: missing %s", src[j:j+2], tk.closer)
		}
		text(textStart, j)
		segs = append(segs, segment{kind: tk.kind, text: src[j+2 : j+2+end], off: j + 2, start: j})
		i = j + 2 + end + 2
		textStart = i
	}
	text(textStart, len(src))
	return segs, nil
}

// markerOffset is the offset of the leading `%` that marks a node's SQL as a
// template, or -1.
func markerOffset(src string) int {
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case ' ', '\t', '\n', '\r':
			continue
		case '%':
			return i
		}
		return -1
	}
	return -1
}

// IsTemplate reports whether a node's SQL is a template: its first non-blank
// character is `%`.
func IsTemplate(sql string) bool {
	s := strings.TrimLeft(sql, " \t\r\n")
	return strings.HasPrefix(s, "%") && !strings.HasPrefix(s, "%}")
}
