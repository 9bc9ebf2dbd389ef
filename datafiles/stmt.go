package datafiles

import (
	"fmt"
	"strings"
)

// stmt is one directive of a datafile: a single-line directive with its
// argument tokens, or a `DIRECTIVE >` multiline block with its body lines.
type stmt struct {
	Dir     string // upper case
	Pos     Pos    // position of the directive token
	Args    []lexToken
	IsBlock bool
	Block   []srcLine // body lines, blank and # lines dropped
}

// includeFunc resolves `INCLUDE path` written in file from: it returns the
// included file's name (as positions should show it) and its text.
type includeFunc func(from, path string) (file string, src []byte, err error)

// parseCtx carries what parsing one datafile needs and collects what it finds.
type parseCtx struct {
	kind    Kind
	env     func(string) (string, bool) // $VAR lookup for single-line values; nil: none
	include includeFunc                 // nil: INCLUDE is an error
	diags   []Diagnostic
	// includes lists the .incl files spliced in, directly or not, in order.
	includes []string
	markers  []marker
	scratch  []lexToken // reused by endsBlock
	// lineScratch is reused by statements for directive lines.
	lineScratch []lexToken
	// sqlScratch is reused by parseColumn.
	sqlScratch []sqlTok
}

func (c *parseCtx) errorf(pos Pos, format string, args ...any) {
	c.diags = append(c.diags, Diagnostic{Pos: pos, Severity: Error, Message: fmt.Sprintf(format, args...)})
}

func (c *parseCtx) warnf(pos Pos, format string, args ...any) {
	c.diags = append(c.diags, Diagnostic{Pos: pos, Severity: Warning, Message: fmt.Sprintf(format, args...)})
}

// mark records a keyword that only one generation of the format uses.
func (c *parseCtx) mark(g Generation, what string, pos Pos) {
	c.markers = append(c.markers, marker{gen: g, what: what, pos: pos})
}

// maxIncludeDepth bounds INCLUDE nesting.
const maxIncludeDepth = 16

// statements reads the lines of a file into directives, applying the
// lexical rules: blank and # lines are skipped, the first token is a
// case-insensitive directive, `DIRECTIVE >` opens a block that runs until a
// line in column 0 whose first token is a directive of this kind of file,
// and INCLUDE lines are replaced by the included file.
func (c *parseCtx) statements(lines []srcLine) []stmt {
	set := directives(c.kind)
	out := make([]stmt, 0, len(lines)/4)
	in := &lineStream{}
	in.push(lines)
	for {
		l, ok := in.peek()
		if !ok {
			return out
		}
		in.next()
		toks, bad := lexAppend(c.lineScratch[:0], l.Text)
		c.lineScratch = toks
		if len(toks) == 0 {
			continue
		}
		if bad != 0 {
			c.errorf(Pos{l.File, l.Num, bad}, "unbalanced quote: the %c here never closes, so this line cannot be read", l.Text[bad-1])
			continue
		}
		pos := Pos{l.File, l.Num, toks[0].Col}
		dir := toks[0].Text
		if maybeDirective(dir) { // ASCII only: ToUpper maps some letters (ſ, ı) onto ASCII
			dir = strings.ToUpper(dir)
		}
		isBlock := len(toks) >= 2 && toks[1].Raw == ">"
		if !set.allows(dir) {
			c.unknownDirective(dir, toks[0].Text, pos, set)
			if isBlock { // skip its body rather than report every line of it
				skip := stmt{}
				for {
					bl, ok := in.peek()
					if !ok || c.endsBlock(bl, dir, l.Num, set, &skip) {
						break
					}
					in.next()
				}
			}
			continue
		}
		if dir == "INCLUDE" && !isBlock {
			in.push(c.expandInclude(l, toks, pos))
			continue
		}
		s := stmt{Dir: dir, Pos: pos}
		if !isBlock {
			s.Args = append([]lexToken(nil), toks[1:]...)
			out = append(out, s)
			continue
		}
		s.IsBlock = true
		s.Block = make([]srcLine, 0, 4)
		if len(toks) > 2 { // text after `>` is the first body line
			col := toks[2].Col - 1
			first := srcLine{File: l.File, Num: l.Num, Text: strings.Repeat(" ", col) + l.Text[col:], Via: l.Via}
			c.endsBlock(first, dir, l.Num, set, &s) // indented: always added, and checked
		}
		for {
			bl, ok := in.peek()
			if !ok || c.endsBlock(bl, dir, l.Num, set, &s) {
				break
			}
			in.next()
		}
		out = append(out, s)
	}
}

// endsBlock reports whether line bl ends the block s opened at line open;
// when it does not, a line with tokens is added to the block.
func (c *parseCtx) endsBlock(bl srcLine, dir string, open int, set directiveSet, s *stmt) bool {
	if bl.indented() {
		switch indentedLine(bl.Text, set) {
		case lineBlank:
			return false // blank and # lines vanish
		case lineContent:
			s.Block = append(s.Block, bl)
			return false
		}
	}
	btoks, bbad := lexAppend(c.scratch[:0], bl.Text)
	c.scratch = btoks
	if len(btoks) == 0 {
		return false // blank and # lines vanish
	}
	if bbad == 0 && maybeDirective(btoks[0].Text) {
		bd := strings.ToUpper(btoks[0].Text)
		if !bl.indented() && set.allows(bd) {
			return true
		}
		if !bl.indented() && listBlock(dir) && isDirectiveShaped(btoks[0].Text) {
			return true // an unknown directive: reported by the caller's loop
		}
		if !bl.indented() && !listBlock(dir) {
			c.suggestDirective(btoks[0], bl, dir, open, set)
		}
		if bl.indented() && c.looksLikeDirective(bd, btoks, set) {
			c.errorf(Pos{bl.File, bl.Num, btoks[0].Col},
				"the %s > block opened at line %d never closes: this indented %q is read as part of it; a block ends only at a directive in column 0, so move %s to column 0",
				dir, open, strings.TrimSpace(bl.Text), btoks[0].Text)
		}
	}
	s.Block = append(s.Block, bl)
	return false
}

// What an indented block line is, decided without lexing it whole.
const (
	lineBlank   = iota // no token: blank or a # comment
	lineContent        // a body line that cannot end or break the block
	lineLex            // may look like a directive: lex it
)

// indentedLine classifies an indented line of a block from its first word
// alone: most body lines (SQL, columns) start with a word that is no
// directive of the file kind, and an indented line can do nothing but be
// added to the block unless it looks like a directive (see
// looksLikeDirective: an allowed directive, or NODE). Anything unusual
// (quotes, escapes in the first word) is left to the lexer.
func indentedLine(text string, set directiveSet) int {
	i := 0
	for i < len(text) && isSpace(text[i]) {
		i++
	}
	if i == len(text) || text[i] == '#' {
		return lineBlank
	}
	j := i
	for j < len(text) {
		ch := text[j]
		if isSpace(ch) {
			break
		}
		if ch == '\'' || ch == '"' || ch == '\\' || ch == '#' {
			return lineLex
		}
		j++
	}
	w := text[i:j]
	if !maybeDirective(w) {
		return lineContent
	}
	if d := strings.ToUpper(w); d == "NODE" || set.allows(d) {
		return lineLex
	}
	return lineContent
}

// lineStream yields lines from a stack of sources, so an INCLUDE pushes the
// included lines in front of the rest without copying.
type lineStream struct {
	frames [][]srcLine
}

func (s *lineStream) push(lines []srcLine) {
	if len(lines) > 0 {
		s.frames = append(s.frames, lines)
	}
}

// peek returns the next line without consuming it.
func (s *lineStream) peek() (srcLine, bool) {
	for len(s.frames) > 0 {
		top := s.frames[len(s.frames)-1]
		if len(top) > 0 {
			return top[0], true
		}
		s.frames = s.frames[:len(s.frames)-1]
	}
	return srcLine{}, false
}

// next consumes the line peek returned.
func (s *lineStream) next() {
	top := &s.frames[len(s.frames)-1]
	*top = (*top)[1:]
}

// listBlock reports whether a block holds a list (columns, indexes,
// workspaces) rather than free text or SQL. In such a block a column-0 line
// that starts with an upper-case word cannot be content, so it is read as a
// directive (and reported when it is not one).
func listBlock(dir string) bool {
	switch dir {
	case "SCHEMA", "INDEXES", "INDICES", "SHARED_WITH":
		return true
	}
	return false
}

// isDirectiveShaped reports whether a word looks like a directive: upper
// case letters, digits and underscores.
func isDirectiveShaped(w string) bool {
	if len(w) < 2 || w[0] < 'A' || w[0] > 'Z' {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// sqlKeywords are words that often start a column-0 SQL line and must not
// be mistaken for a misspelt directive.
var sqlKeywords = map[string]bool{
	"SELECT": true, "FROM": true, "WHERE": true, "PREWHERE": true, "GROUP": true, "ORDER": true, "LIMIT": true,
	"HAVING": true, "UNION": true, "WITH": true, "JOIN": true, "LEFT": true, "RIGHT": true, "INNER": true,
	"OUTER": true, "CASE": true, "WHEN": true, "THEN": true, "ELSE": true, "END": true, "AND": true, "OR": true,
	"NOT": true, "AS": true, "ON": true, "USING": true, "SETTINGS": true, "FORMAT": true, "ARRAY": true,
	"OFFSET": true, "DISTINCT": true, "INTERVAL": true, "DATE": true, "CROSS": true, "FULL": true, "ANY": true,
}

// suggestDirective warns when a column-0 line inside a SQL or text block
// starts with a near-miss of a directive (TPYE for TYPE): the line is read
// as part of the block, which is rarely what the user meant.
func (c *parseCtx) suggestDirective(tok lexToken, l srcLine, dir string, openLine int, set directiveSet) {
	w := tok.Text
	if !isDirectiveShaped(w) || len(w) < 4 || sqlKeywords[w] {
		return
	}
	for name := range set.exact {
		if len(name) >= 4 && nearMiss(w, name) {
			c.warnf(Pos{l.File, l.Num, tok.Col}, "%q in column 0 is read as part of the %s > block opened at line %d; did you mean the directive %s?", w, dir, openLine, name)
			return
		}
	}
}

// nearMiss reports whether a and b differ by one edit: a substitution,
// insertion, deletion or swap of two neighbouring letters.
func nearMiss(a, b string) bool {
	if a == b {
		return false
	}
	if len(a) == len(b) {
		var diff []int
		for i := 0; i < len(a); i++ {
			if a[i] != b[i] {
				diff = append(diff, i)
			}
		}
		return len(diff) == 1 || len(diff) == 2 && diff[1] == diff[0]+1 && a[diff[0]] == b[diff[1]] && a[diff[1]] == b[diff[0]]
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(a)-len(b) != 1 {
		return false
	}
	for i := 0; i < len(b); i++ {
		if a[i] != b[i] {
			return a[i+1:] == b[i:]
		}
	}
	return true
}

// looksLikeDirective reports whether an indented body line is almost
// certainly a misplaced directive: a block opener (`SQL >`) or a `NODE name`.
func (c *parseCtx) looksLikeDirective(dir string, toks []lexToken, set directiveSet) bool {
	if len(toks) >= 2 && toks[1].Raw == ">" && set.allows(dir) {
		return true
	}
	return c.kind == KindPipe && dir == "NODE" && len(toks) == 2 && isIdentifier(toks[1].Text)
}

// unknownDirective reports a directive this kind of file does not allow.
func (c *parseCtx) unknownDirective(dir, written string, pos Pos, set directiveSet) {
	switch {
	case dir == "SETTINGS":
		c.errorf(pos, "unknown directive SETTINGS in a .%s file: write ENGINE_SETTINGS \"key=value, key=value\" for table settings", c.kind)
	default:
		c.errorf(pos, "unknown directive %q in a .%s file; allowed here: %s", written, c.kind, set.list())
	}
}

// expandInclude returns the lines of the file named by an INCLUDE line, with
// its KEY=value arguments substituted for $KEY.
func (c *parseCtx) expandInclude(l srcLine, toks []lexToken, pos Pos) []srcLine {
	c.mark(GenerationClassic, "INCLUDE", pos)
	if len(toks) < 2 {
		c.errorf(pos, "INCLUDE needs a file: INCLUDE \"path/to/file.incl\" [\"KEY=value\" ...]")
		return nil
	}
	path := toks[1].Text
	argPos := Pos{l.File, l.Num, toks[1].Col}
	if c.include == nil {
		c.errorf(argPos, "INCLUDE %q cannot be resolved here", path)
		return nil
	}
	if len(l.Via.list()) >= maxIncludeDepth {
		c.errorf(argPos, "INCLUDE %q: includes nested more than %d deep", path, maxIncludeDepth)
		return nil
	}
	file, src, err := c.include(l.File, path)
	if err != nil {
		c.errorf(argPos, "INCLUDE %q: %v", path, err)
		return nil
	}
	if file == l.File {
		c.errorf(argPos, "INCLUDE %q: a file cannot include itself", path)
		return nil
	}
	for _, v := range l.Via.list() {
		if v == file {
			c.errorf(argPos, "INCLUDE %q: include cycle through %s", path, strings.Join(append(append([]string(nil), l.Via.list()...), file), " -> "))
			return nil
		}
	}
	vars := map[string]string{}
	for _, a := range toks[2:] {
		k, v, ok := strings.Cut(a.Text, "=")
		if !ok || k == "" {
			c.errorf(Pos{l.File, l.Num, a.Col}, "INCLUDE argument %q: want \"KEY=value\"", a.Text)
			continue
		}
		vars[k] = v
	}
	lookup := func(name string) (string, bool) { v, ok := vars[name]; return v, ok }
	via := &includeChain{files: append(append([]string(nil), l.Via.list()...), file)}
	inc := splitLines(file, string(src))
	for k := range inc {
		inc[k].Text = expandVars(inc[k].Text, lookup)
		inc[k].Via = via
	}
	c.addInclude(file)
	return inc
}

func (c *parseCtx) addInclude(file string) {
	for _, f := range c.includes {
		if f == file {
			return
		}
	}
	c.includes = append(c.includes, file)
}

// value is a directive's value: for a single-line directive the argument
// tokens as written joined by one space, one pair of surrounding quotes
// removed and $VAR / ${VAR} replaced from the environment; for a block its
// lines trimmed and joined by one space, one pair of quotes removed.
func (c *parseCtx) value(s stmt) string {
	if s.IsBlock {
		parts := make([]string, 0, len(s.Block))
		for _, l := range s.Block {
			parts = append(parts, strings.TrimSpace(l.Text))
		}
		return unquoteOnce(strings.Join(parts, " "))
	}
	return expandVars(unquoteOnce(joinRaw(s.Args)), c.env)
}

// text is a directive's text value: a block dedented and trimmed (lines kept),
// or the single-line value.
func (c *parseCtx) text(s stmt) string {
	if s.IsBlock {
		return dedent(s.Block).text
	}
	v := strings.TrimSpace(c.value(s)) // as a block would be
	c.blockSafe(s.Pos, s.Dir, v)
	return v
}

// blockSafe reports a single-line value that, written as the block the
// canonical format uses, would read as a directive (`DESCRIPTION SQL >`) or
// as a comment (`SQL '#x'`).
func (c *parseCtx) blockSafe(pos Pos, dir, text string) {
	set := directives(c.kind)
	for _, line := range strings.Split(text, "\n") {
		toks, bad := lexLine(line)
		if len(toks) == 0 && strings.TrimSpace(line) != "" {
			c.errorf(pos, "the %s value %q would read as a # comment in a block; quote it differently or write it as an indented block under `%s >`", dir, strings.TrimSpace(line), dir)
			return
		}
		if bad == 0 && len(toks) > 0 && c.looksLikeDirective(strings.ToUpper(toks[0].Text), toks, set) {
			c.errorf(pos, "the %s value %q reads as a directive; write it as an indented block under `%s >`", dir, strings.TrimSpace(line), dir)
			return
		}
	}
}

// body is the text of a block with where each of its lines came from.
type body struct {
	text        string
	lines       []int // file line of each text line
	indent      int   // bytes removed from the start of every line but a template's first
	firstIndent int   // bytes removed from the start of the first line
	file        string
}

// dedent removes the whitespace prefix common to every line and trailing
// whitespace. When the first character is % (a template), the first line
// is trimmed on its own and the prefix is computed over the other lines.
func dedent(lines []srcLine) body {
	if len(lines) == 0 {
		return body{}
	}
	b := body{file: lines[0].File, lines: make([]int, len(lines))}
	trimmed := make([]string, len(lines))
	for i, l := range lines {
		trimmed[i] = strings.TrimRight(l.Text, " \t\r\v\f")
		b.lines[i] = l.Num
	}
	first := strings.TrimLeft(trimmed[0], " \t")
	template := strings.HasPrefix(first, "%")
	from := 0
	if template {
		from = 1
	}
	prefix := ""
	for i := from; i < len(trimmed); i++ {
		lead := trimmed[i][:len(trimmed[i])-len(strings.TrimLeft(trimmed[i], " \t"))]
		if i == from {
			prefix = lead
			continue
		}
		prefix = commonPrefix(prefix, lead)
	}
	b.indent = len(prefix)
	var sb strings.Builder
	for i, t := range trimmed {
		if i > 0 {
			sb.WriteByte('\n')
		}
		if i == 0 && template {
			b.firstIndent = len(trimmed[0]) - len(first)
			sb.WriteString(first)
			continue
		}
		if i == 0 {
			b.firstIndent = len(prefix)
		}
		sb.WriteString(t[len(prefix):])
	}
	b.text = sb.String()
	return b
}

func commonPrefix(a, b string) string {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	return a[:i]
}
