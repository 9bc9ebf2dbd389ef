package template

import (
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Template is a parsed node template. It is immutable once parsed: one
// Template may be rendered from several goroutines at once.
type Template struct {
	src        string
	lineStarts []int
	body       []stmt
	texts      int // number of text pieces, to size a render's source map

	paramsOnce sync.Once
	params     []Param
	chooseOnce sync.Once
	chosen     map[string]Value
}

// forbidden are the Tornado tags that datafile templates may not use.
var forbidden = map[string]bool{
	"extends": true, "include": true, "import": true, "from": true, "autoescape": true,
	"raw": true, "module": true, "apply": true, "block": true,
}

// Parse parses a node's SQL template. A leading `%` (the template marker) is
// ignored. Errors are *Error values with the line and column in src.
func Parse(src string) (*Template, error) {
	t := &Template{src: src, lineStarts: lineStarts(src)}
	segs, err := lex(src, markerOffset(src))
	if err != nil {
		return nil, t.wrap(err)
	}
	p := &parser{segs: segs}
	body, end, err := p.block("", 0, nil)
	if err != nil {
		return nil, t.wrap(err)
	}
	if end != nil {
		return nil, t.wrap(errAt(end.off, "{%% %s %%} has no matching block", end.word))
	}
	t.body = body
	for _, seg := range segs {
		if seg.kind == segText {
			t.texts++
		}
	}
	return t, nil
}

// Source returns the template text as given to Parse.
func (t *Template) Source() string { return t.src }

func lineStarts(src string) []int {
	starts := []int{0}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// position converts a byte offset of the source to a 1-based line and column
// (the column counts characters).
func (t *Template) position(off int) (line, col int) {
	if off < 0 {
		off = 0
	}
	if off > len(t.src) {
		off = len(t.src)
	}
	i := sort.Search(len(t.lineStarts), func(i int) bool { return t.lineStarts[i] > off }) - 1
	return i + 1, utf8.RuneCountInString(t.src[t.lineStarts[i]:off]) + 1
}

// Position converts a byte offset of the template source to a 1-based line and
// column.
func (t *Template) Position(off int) (line, col int) { return t.position(off) }

// wrap turns a *posError into an *Error with a line and column.
func (t *Template) wrap(err error) error {
	pe, ok := err.(*posError)
	if !ok {
		return err
	}
	line, col := t.position(pe.off)
	return &Error{Line: line, Col: col, Msg: pe.msg, User: pe.user, Code: pe.code}
}

// tag is a parsed {% word rest %}.
type tag struct {
	word    string
	rest    string
	off     int // offset of word
	restOff int
	start   int // offset of {%
}

func parseTag(s segment) tag {
	lead := len(s.text) - len(strings.TrimLeft(s.text, " \t\r\n"))
	body := strings.TrimSpace(s.text)
	word, rest, _ := strings.Cut(body, " ")
	if i := strings.IndexAny(word, "\t\r\n"); i >= 0 {
		word, rest = body[:i], body[i+1:]
	}
	restLead := len(rest) - len(strings.TrimLeft(rest, " \t\r\n"))
	return tag{
		word:    word,
		rest:    strings.TrimSpace(rest),
		off:     s.off + lead,
		restOff: s.off + lead + len(word) + 1 + restLead,
		start:   s.start,
	}
}

type parser struct {
	segs      []segment
	i         int
	loopDepth int
	depth     int // block nesting, bounded by maxBlockDepth
}

// maxBlockDepth bounds {% if %}/{% for %}/... nesting so hostile input cannot
// exhaust the stack.
const maxBlockDepth = 200

// The tags that end each kind of block.
var (
	ifStops      = map[string]bool{"elif": true, "else": true, "end": true}
	loopStops    = map[string]bool{"else": true, "end": true}
	endStops     = map[string]bool{"end": true}
	tryStops     = map[string]bool{"except": true, "else": true, "finally": true, "end": true}
	exceptStops  = map[string]bool{"except": true, "else": true, "finally": true, "end": true}
	finallyStops = map[string]bool{"finally": true, "end": true}
)

// tryOrder is the order of the clauses of {% try %}.
var tryOrder = map[string]int{"try": 0, "except": 1, "else": 2, "finally": 3}

// closers are the tags that end or continue a block.
var closers = map[string]bool{"end": true, "elif": true, "else": true, "except": true, "finally": true}

// block parses statements until one of the stop tags (returned) or the end of
// the input (nil tag; an error when opener is not empty).
func (p *parser) block(opener string, openOff int, stops map[string]bool) ([]stmt, *tag, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxBlockDepth {
		return nil, nil, errAt(openOff, "blocks nested more than %d deep", maxBlockDepth)
	}
	var body []stmt
	for p.i < len(p.segs) {
		s := p.segs[p.i]
		p.i++
		switch s.kind {
		case segText:
			body = append(body, &textStmt{off: s.off, text: s.text})
		case segComment:
		case segExpr:
			e, err := parseExpr(s.text, s.off)
			if err != nil {
				return nil, nil, err
			}
			body = append(body, &outputStmt{off: s.start, expr: e})
		case segStmt:
			tg := parseTag(s)
			if stops[tg.word] {
				return body, &tg, nil
			}
			if closers[tg.word] {
				if opener == "" {
					return nil, nil, errAt(tg.off, "{%% %s %%} has no matching block", tg.word)
				}
				return nil, nil, errAt(tg.off, "{%% %s %%} is not allowed inside {%% %s %%}", tg.word, opener)
			}
			st, err := p.statement(tg)
			if err != nil {
				return nil, nil, err
			}
			if st != nil {
				body = append(body, st)
			}
		}
	}
	if opener != "" {
		return nil, nil, errAt(openOff, "{%% %s %%} is never closed: missing {%% end %%}", opener)
	}
	return body, nil, nil
}

func (p *parser) statement(tg tag) (stmt, error) {
	switch tg.word {
	case "":
		return nil, errAt(tg.start, "empty {%% %%} tag")
	case "comment":
		return nil, nil
	case "if":
		return p.ifStmt(tg)
	case "for":
		return p.forStmt(tg)
	case "while":
		return p.whileStmt(tg)
	case "try":
		return p.tryStmt(tg)
	case "set":
		return p.setStmt(tg)
	case "break", "continue":
		if tg.rest != "" {
			return nil, errAt(tg.restOff, "{%% %s %%} takes no argument", tg.word)
		}
		if p.loopDepth == 0 {
			return nil, errAt(tg.off, "{%% %s %%} outside a loop", tg.word)
		}
		if tg.word == "break" {
			return &breakStmt{off: tg.off}, nil
		}
		return &continueStmt{off: tg.off}, nil
	}
	if forbidden[tg.word] {
		return nil, errAt(tg.off, "{%% %s %%} is not allowed in datafile templates", tg.word)
	}
	return nil, errAt(tg.off, "unknown template tag {%% %s %%}", tg.word)
}

func (p *parser) cond(tg tag) (expr, error) {
	if tg.rest == "" {
		return nil, errAt(tg.off, "{%% %s %%} needs a condition", tg.word)
	}
	return parseExpr(tg.rest, tg.restOff)
}

func (p *parser) ifStmt(tg tag) (stmt, error) {
	st := &ifStmt{off: tg.off}
	cond, err := p.cond(tg)
	if err != nil {
		return nil, err
	}
	for {
		body, end, err := p.block("if", tg.off, ifStops)
		if err != nil {
			return nil, err
		}
		st.branches = append(st.branches, ifBranch{cond: cond, body: body})
		switch end.word {
		case "end":
			return st, nil
		case "elif":
			if cond == nil {
				return nil, errAt(end.off, "{%% elif %%} after {%% else %%}")
			}
			if cond, err = p.cond(*end); err != nil {
				return nil, err
			}
		case "else":
			if cond == nil {
				return nil, errAt(end.off, "{%% else %%} repeated")
			}
			cond = nil
		}
	}
}

// loopBody parses a loop body and its optional else, up to {% end %}.
func (p *parser) loopBody(word string, off int) (body, orElse []stmt, err error) {
	p.loopDepth++
	body, end, err := p.block(word, off, loopStops)
	p.loopDepth--
	if err != nil {
		return nil, nil, err
	}
	if end.word == "else" {
		orElse, _, err = p.block(word, off, endStops)
		if err != nil {
			return nil, nil, err
		}
	}
	return body, orElse, nil
}

func (p *parser) forStmt(tg tag) (stmt, error) {
	ep, err := newExprParser(tg.rest, tg.restOff)
	if err != nil {
		return nil, err
	}
	targets, err := ep.targets()
	if err != nil {
		return nil, err
	}
	if !ep.isWord("in") {
		return nil, ep.unexpected("expected in")
	}
	ep.next()
	iter, err := ep.tupleOrExpr()
	if err != nil {
		return nil, err
	}
	if err := ep.expectEOF(); err != nil {
		return nil, err
	}
	body, orElse, err := p.loopBody("for", tg.off)
	if err != nil {
		return nil, err
	}
	return &forStmt{off: tg.off, targets: targets, iter: iter, body: body, orElse: orElse}, nil
}

func (p *parser) whileStmt(tg tag) (stmt, error) {
	cond, err := p.cond(tg)
	if err != nil {
		return nil, err
	}
	body, orElse, err := p.loopBody("while", tg.off)
	if err != nil {
		return nil, err
	}
	return &whileStmt{off: tg.off, cond: cond, body: body, orElse: orElse}, nil
}

func (p *parser) setStmt(tg tag) (stmt, error) {
	if tg.rest == "" {
		return nil, errAt(tg.off, "{%% set %%} needs name = value")
	}
	ep, err := newExprParser(tg.rest, tg.restOff)
	if err != nil {
		return nil, err
	}
	targets, err := ep.targets()
	if err != nil {
		return nil, err
	}
	if err := ep.expectOp("="); err != nil {
		return nil, err
	}
	if ep.peek().kind == tkEOF {
		return nil, ep.unexpected("expected a value")
	}
	v, err := ep.tupleOrExpr()
	if err != nil {
		return nil, err
	}
	if err := ep.expectEOF(); err != nil {
		return nil, err
	}
	return &setStmt{off: tg.off, targets: targets, value: v}, nil
}

func (p *parser) tryStmt(tg tag) (stmt, error) {
	st := &tryStmt{off: tg.off}
	body, end, err := p.block("try", tg.off, tryStops)
	if err != nil {
		return nil, err
	}
	st.body = body
	seen := "try"
	for end.word != "end" {
		if tryOrder[end.word] <= tryOrder[seen] && !(end.word == "except" && seen == "except") {
			return nil, errAt(end.off, "{%% %s %%} out of order in {%% try %%}", end.word)
		}
		if end.word == "else" && !st.hasExcept {
			return nil, errAt(end.off, "{%% else %%} in {%% try %%} needs an {%% except %%}")
		}
		word := end.word
		stops := finallyStops
		if word == "except" {
			stops = exceptStops
		}
		b, next, err := p.block("try", tg.off, stops)
		if err != nil {
			return nil, err
		}
		switch word {
		case "except":
			st.hasExcept = true
			st.except = append(st.except, b...)
		case "else":
			st.orElse = b
		case "finally":
			st.finally = b
		}
		seen, end = word, next
	}
	if !st.hasExcept && st.finally == nil {
		return nil, errAt(tg.off, "{%% try %%} needs an {%% except %%} or {%% finally %%}")
	}
	return st, nil
}

// targets parses assignment targets: a, b or (a, b).
func (p *exprParser) targets() ([]string, error) {
	paren := p.isOp("(")
	if paren {
		p.next()
	}
	var names []string
	for {
		t := p.next()
		if t.kind != tkName || t.text == "in" {
			return nil, errAt(t.off, "expected a variable name")
		}
		names = append(names, t.text)
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	if paren {
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
	}
	return names, nil
}
