package datafiles

import (
	"sort"
	"strconv"
	"strings"

	"github.com/perchdata/perch/datafiles/sqltext"
)

// sqlTok is a token of a column or index definition.
type sqlTok struct {
	kind       byte // 'w' word, '`' backquoted, 'q' quoted string, '(' parenthesised group, 'o' other
	start, end int  // byte offsets in the definition
}

func isWordByte(c byte) bool {
	return c == '_' || c == '.' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// skipQuoted returns the offset just past the quote that closes the one at
// s[i], or -1 when it never closes (sqltext.SkipQuoted).
func skipQuoted(s string, i int) int { return sqltext.SkipQuoted(s, i) }

// sqlTokens splits a definition into words, quoted names and strings,
// balanced parenthesised groups and single punctuation characters. bad is
// the offset of an unclosed quote or parenthesis, or -1.
func sqlTokens(s string) (toks []sqlTok, bad int) {
	return sqlTokensAppend(nil, s)
}

// sqlTokensAppend is sqlTokens appending to dst, so one buffer serves every
// column of a file.
func sqlTokensAppend(dst []sqlTok, s string) (toks []sqlTok, bad int) {
	toks = dst
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case isSQLSpace(c):
			i++
		case c == '`' || c == '\'' || c == '"':
			j := skipQuoted(s, i)
			if j < 0 {
				return toks, i
			}
			k := byte('q')
			if c == '`' {
				k = '`'
			}
			toks = append(toks, sqlTok{k, i, j})
			i = j
		case c == '(':
			depth, j := 0, i
			for ; j < len(s); j++ {
				switch s[j] {
				case '(':
					depth++
				case ')':
					depth--
				case '\'', '"', '`':
					e := skipQuoted(s, j)
					if e < 0 {
						return toks, j
					}
					j = e - 1
				}
				if depth == 0 {
					break
				}
			}
			if depth != 0 {
				return toks, i
			}
			toks = append(toks, sqlTok{'(', i, j + 1})
			i = j + 1
		case isWordByte(c):
			j := i
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			toks = append(toks, sqlTok{'w', i, j})
			i = j
		default:
			toks = append(toks, sqlTok{'o', i, i + 1})
			i++
		}
	}
	return toks, -1
}

// isSQLSpace reports whether c is white space in a definition (what
// strings.TrimSpace removes, for ASCII).
func isSQLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// collapseSpace replaces every run of whitespace outside quotes by one space
// and trims the ends.
func collapseSpace(s string) string {
	s = strings.TrimSpace(s)
	if !strings.ContainsAny(s, "\n\t\r\v\f") && !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\'' || c == '"' || c == '`' {
			if j := skipQuoted(s, i); j > 0 {
				if space {
					b.WriteByte(' ')
					space = false
				}
				b.WriteString(s[i:j])
				i = j - 1
				continue
			}
		}
		if isSQLSpace(c) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteByte(c)
	}
	return b.String()
}

// unquoteName removes backquotes or double quotes around a column name,
// decoding its escapes as the server does (sqltext.Unquote).
func unquoteName(s string) string {
	if len(s) < 2 || (s[0] != '`' && s[0] != '"') || s[len(s)-1] != s[0] {
		return s
	}
	return sqltext.Unquote(s)
}

// backquote writes a name in backquotes, escaping backslashes and
// backquotes so that unquoteName reads it back.
func backquote(name string) string {
	return "`" + strings.ReplaceAll(strings.ReplaceAll(name, `\`, `\\`), "`", "``") + "`"
}

// schemaText is a SCHEMA body as one string with a map from offsets back to
// file positions.
type schemaText struct {
	s      string
	starts []int // offset of each line
	lines  []srcLine
}

func newSchemaText(lines []srcLine) schemaText {
	var b strings.Builder
	st := schemaText{starts: make([]int, len(lines)), lines: lines}
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		st.starts[i] = b.Len()
		b.WriteString(l.Text)
	}
	st.s = b.String()
	return st
}

func (st schemaText) pos(off int) Pos {
	i := sort.Search(len(st.starts), func(k int) bool { return st.starts[k] > off }) - 1
	if i < 0 {
		i = 0
	}
	l := st.lines[i]
	return Pos{l.File, l.Num, off - st.starts[i] + 1}
}

// parseSchema reads the columns of a SCHEMA block: comma-separated column
// definitions (commas inside parentheses and quotes do not count), with
// `-- comments` kept on the column they follow on the same line (or the next
// column when they stand on their own line).
func (c *parseCtx) parseSchema(lines []srcLine) []Column {
	st := newSchemaText(lines)
	s := st.s
	cols := make([]Column, 0, len(lines))
	segStart := -1
	var blank [][2]int // comment ranges inside the current column, read as spaces
	var comments, pending []string
	lastEndLine := -1
	depth := 0
	finish := func(end int, comma bool) {
		if segStart < 0 && comma {
			c.errorf(st.pos(end), "empty column definition in the SCHEMA (a stray comma?)")
		}
		if segStart < 0 {
			if len(pending) > 0 && len(cols) > 0 {
				cols[len(cols)-1].Comment = joinComments(cols[len(cols)-1].Comment, pending)
				pending = nil
			}
			return
		}
		def := s[segStart:end]
		if len(blank) > 0 {
			b := []byte(def)
			for _, r := range blank {
				for k := r[0]; k < r[1]; k++ {
					b[k-segStart] = ' '
				}
			}
			def = string(b)
		}
		col := c.parseColumn(def, st.pos(segStart))
		col.Comment = joinComments(joinComments("", pending), comments)
		cols = append(cols, col)
		lastEndLine = st.pos(end).Line
		segStart, comments, pending, blank = -1, nil, nil, blank[:0]
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '\'' || ch == '"' || ch == '`':
			j := skipQuoted(s, i)
			if j < 0 {
				c.errorf(st.pos(i), "unbalanced quote: the %c here never closes in the SCHEMA", ch)
				j = len(s)
			}
			if segStart < 0 {
				segStart = i
			}
			i = j - 1
			continue
		case ch == '-' && i+1 < len(s) && s[i+1] == '-':
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				j = len(s) - i
			}
			text := strings.TrimSpace(s[i+2 : i+j])
			switch {
			case segStart >= 0:
				comments = append(comments, text)
			case len(cols) > 0 && lastEndLine == st.pos(i).Line:
				cols[len(cols)-1].Comment = joinComments(cols[len(cols)-1].Comment, []string{text})
			default:
				pending = append(pending, text)
			}
			if segStart >= 0 {
				blank = append(blank, [2]int{i, i + j})
			}
			i += j - 1
			continue
		case ch == '(':
			depth++
		case ch == ')':
			depth--
		case ch == ',' && depth <= 0:
			finish(i, true)
			depth = 0
			continue
		}
		if segStart < 0 {
			if isSQLSpace(ch) {
				continue
			}
			segStart = i
		}
	}
	finish(len(s), false)
	if depth > 0 {
		c.errorf(st.pos(len(s)), "unbalanced parenthesis in the SCHEMA: %d never closed", depth)
	}
	return cols
}

func joinComments(base string, more []string) string {
	parts := make([]string, 0, len(more)+1)
	if base != "" {
		parts = append(parts, base)
	}
	for _, m := range more {
		if m != "" {
			parts = append(parts, m)
		}
	}
	return strings.Join(parts, " ")
}

// columnKeywords end a column's type or default expression.
func isColumnKeyword(w string) bool {
	switch strings.ToUpper(w) {
	case "DEFAULT", "MATERIALIZED", "ALIAS", "CODEC":
		return true
	}
	return false
}

// parseColumn reads one column: name Type [`json:path`] [DEFAULT expr]
// [CODEC(...)], also MATERIALIZED expr / ALIAS expr (Classic).
func (c *parseCtx) parseColumn(def string, pos Pos) Column {
	def = strings.TrimSpace(def)
	col := Column{Pos: pos}
	toks, bad := sqlTokensAppend(c.sqlScratch[:0], def)
	c.sqlScratch = toks
	if bad >= 0 {
		c.errorf(pos, "column definition %q: unbalanced quote or parenthesis", def)
		return col
	}
	if len(toks) == 0 {
		c.errorf(pos, "empty column definition in the SCHEMA (a stray comma?)")
		return col
	}
	name := toks[0]
	if name.kind != 'w' && name.kind != '`' && name.kind != 'q' {
		c.errorf(pos, "column definition %q: expected a column name first", def)
		return col
	}
	col.Name = unquoteName(def[name.start:name.end])
	if col.Name == "" {
		c.errorf(pos, "column definition %q: the column name is empty", def)
		return col
	}
	if len(toks) < 2 || toks[1].kind != 'w' || isColumnKeyword(def[toks[1].start:toks[1].end]) {
		c.errorf(pos, "column %s has no type: write `%s` Type", col.Name, col.Name)
		return col
	}
	i := 2
	typeEnd := toks[1].end
	if i < len(toks) && toks[i].kind == '(' {
		typeEnd = toks[i].end
		i++
	}
	col.Type = collapseSpace(def[toks[1].start:typeEnd])
	for i < len(toks) {
		t := toks[i]
		text := def[t.start:t.end]
		switch {
		case t.kind == '`' && strings.HasPrefix(text, "`json:"):
			col.JSONPath = strings.TrimSpace(unquoteName(text)[len("json:"):])
			i++
		case t.kind == 'w' && strings.EqualFold(text, "CODEC") && i+1 < len(toks) && toks[i+1].kind == '(':
			g := toks[i+1]
			col.Codec = collapseSpace(def[g.start+1 : g.end-1])
			i += 2
		case t.kind == 'w' && (strings.EqualFold(text, "DEFAULT") || strings.EqualFold(text, "MATERIALIZED") || strings.EqualFold(text, "ALIAS")):
			kind := strings.ToUpper(text)
			if kind != "DEFAULT" {
				c.mark(GenerationClassic, kind+" column", pos)
			}
			j := i + 1
			for j < len(toks) {
				tt := def[toks[j].start:toks[j].end]
				if toks[j].kind == '`' && strings.HasPrefix(tt, "`json:") ||
					toks[j].kind == 'w' && isColumnKeyword(tt) && (!strings.EqualFold(tt, "CODEC") || j+1 < len(toks) && toks[j+1].kind == '(') {
					break
				}
				j++
			}
			if j == i+1 {
				c.errorf(pos, "column %s: %s needs an expression", col.Name, kind)
				i = j
				continue
			}
			col.DefaultKind = kind
			col.Default = collapseSpace(def[toks[i+1].start:toks[j-1].end])
			i = j
		default:
			c.errorf(pos, "column %s: unexpected %q; after the type come `json:$.path`, DEFAULT expr, MATERIALIZED expr, ALIAS expr or CODEC(...)", col.Name, text)
			return col
		}
	}
	return col
}

// parseIndexes reads an INDEXES block: one index per line,
// `name expr TYPE type[(args)] [GRANULARITY n]`, with an optional INDEX
// prefix and trailing comma.
func (c *parseCtx) parseIndexes(lines []srcLine) []Index {
	var out []Index
	for _, l := range lines {
		text := strings.TrimSpace(l.Text)
		col := len(l.Text) - len(strings.TrimLeft(l.Text, " \t")) + 1
		pos := Pos{l.File, l.Num, col}
		text = strings.TrimSpace(strings.TrimSuffix(text, ","))
		if len(text) > 6 && strings.EqualFold(text[:6], "INDEX ") {
			text = strings.TrimSpace(text[6:])
		}
		if idx, ok := c.parseIndex(text, pos); ok {
			out = append(out, idx)
		}
	}
	return out
}

func (c *parseCtx) parseIndex(text string, pos Pos) (Index, bool) {
	idx := Index{Pos: pos}
	toks, bad := sqlTokens(text)
	if bad >= 0 {
		c.errorf(pos, "index %q: unbalanced quote or parenthesis", text)
		return idx, false
	}
	typeAt := -1
	for i, t := range toks {
		if i >= 2 && t.kind == 'w' && strings.EqualFold(text[t.start:t.end], "TYPE") {
			typeAt = i
		}
	}
	if len(toks) < 2 || typeAt < 0 || typeAt+1 >= len(toks) {
		c.errorf(pos, "index %q: want `name expr TYPE type [GRANULARITY n]`", text)
		return idx, false
	}
	idx.Name = unquoteName(text[toks[0].start:toks[0].end])
	idx.Expr = collapseSpace(text[toks[1].start:toks[typeAt-1].end])
	end := len(toks)
	for i := typeAt + 1; i < len(toks); i++ {
		if toks[i].kind == 'w' && strings.EqualFold(text[toks[i].start:toks[i].end], "GRANULARITY") {
			end = i
			break
		}
	}
	if end == typeAt+1 {
		c.errorf(pos, "index %s: TYPE needs a value such as bloom_filter(0.01)", idx.Name)
		return idx, false
	}
	idx.Type = collapseSpace(text[toks[typeAt+1].start:toks[end-1].end])
	if end < len(toks) {
		if end+1 >= len(toks) {
			c.errorf(pos, "index %s: GRANULARITY needs a number", idx.Name)
			return idx, false
		}
		g := text[toks[end+1].start:toks[len(toks)-1].end]
		n, err := strconv.Atoi(g)
		if err != nil || n <= 0 {
			c.errorf(pos, "index %s: GRANULARITY %q is not a positive integer", idx.Name, g)
			return idx, false
		}
		idx.Granularity = n
	}
	return idx, true
}
