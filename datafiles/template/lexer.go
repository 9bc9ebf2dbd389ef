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

// lex splits src into text, expression, statement and comment segments the
// way Tornado does: a tag runs to the first closing delimiter; `{{!`, `{%!`
// and `{#!` print the delimiter literally.
func lex(src string) ([]segment, error) {
	var segs []segment
	textStart := 0
	var text strings.Builder
	flush := func(end int) {
		if text.Len() > 0 {
			segs = append(segs, segment{kind: segText, text: text.String(), off: textStart, start: textStart})
			text.Reset()
		}
		textStart = end
	}
	i := 0
	for i < len(src) {
		j := strings.IndexByte(src[i:], '{')
		if j < 0 || i+j+1 >= len(src) {
			text.WriteString(src[i:])
			break
		}
		j += i
		var closer string
		var kind segKind
		switch src[j+1] {
		case '{':
			closer, kind = "}}", segExpr
		case '%':
			closer, kind = "%}", segStmt
		case '#':
			closer, kind = "#}", segComment
		default:
			text.WriteString(src[i : j+1])
			i = j + 1
			continue
		}
		if text.Len() == 0 {
			textStart = i
		}
		text.WriteString(src[i:j])
		// {{! {%! {#! escape the delimiter.
		if j+2 < len(src) && src[j+2] == '!' {
			text.WriteString(src[j : j+2])
			i = j + 3
			continue
		}
		end := strings.Index(src[j+2:], closer)
		if end < 0 {
			what := map[segKind]string{segExpr: "{{", segStmt: "{%", segComment: "{#"}[kind]
			return nil, errAt(j, "%s is never closed: missing %s", what, closer)
		}
		flush(j)
		content := src[j+2 : j+2+end]
		segs = append(segs, segment{kind: kind, text: content, off: j + 2, start: j})
		i = j + 2 + end + 2
		textStart = i
	}
	flush(len(src))
	return segs, nil
}

// stripPercent blanks the leading `%` that marks a node's SQL as a template,
// keeping every other byte (and so every position) in place.
func stripPercent(src string) string {
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case ' ', '\t', '\n', '\r':
			continue
		case '%':
			return src[:i] + " " + src[i+1:]
		}
		return src
	}
	return src
}

// IsTemplate reports whether a node's SQL is a template: its first non-blank
// character is `%`.
func IsTemplate(sql string) bool {
	s := strings.TrimLeft(sql, " \t\r\n")
	return strings.HasPrefix(s, "%") && !strings.HasPrefix(s, "%}")
}
