package template

// maxDepth bounds expression nesting so hostile input cannot exhaust the stack.
const maxDepth = 100

// exprParser is a recursive-descent parser for the Python expression subset.
type exprParser struct {
	toks  []token
	i     int
	depth int
}

// parseExpr parses a whole expression (a bare tuple `a, b` allowed) found at
// offset base of the source.
func parseExpr(src string, base int) (expr, error) {
	p, err := newExprParser(src, base)
	if err != nil {
		return nil, err
	}
	if p.peek().kind == tkEOF {
		return nil, errAt(base, "empty expression")
	}
	e, err := p.tupleOrExpr()
	if err != nil {
		return nil, err
	}
	return e, p.expectEOF()
}

func newExprParser(src string, base int) (*exprParser, error) {
	toks, err := lexExpr(src, base)
	if err != nil {
		return nil, err
	}
	return &exprParser{toks: toks}, nil
}

func (p *exprParser) peek() token { return p.toks[p.i] }

func (p *exprParser) next() token {
	t := p.toks[p.i]
	if t.kind != tkEOF {
		p.i++
	}
	return t
}

func (p *exprParser) isOp(op string) bool {
	t := p.peek()
	return t.kind == tkOp && t.text == op
}

func (p *exprParser) isWord(w string) bool {
	t := p.peek()
	return t.kind == tkName && t.text == w
}

func (p *exprParser) expectOp(op string) error {
	if !p.isOp(op) {
		return p.unexpected("expected " + op)
	}
	p.next()
	return nil
}

func (p *exprParser) expectEOF() error {
	if p.peek().kind != tkEOF {
		return p.unexpected("expected end of expression")
	}
	return nil
}

func (p *exprParser) unexpected(want string) error {
	t := p.peek()
	switch t.kind {
	case tkEOF:
		return errAt(t.off, "%s, found end of expression", want)
	case tkName, tkOp:
		return errAt(t.off, "%s, found %q", want, t.text)
	}
	return errAt(t.off, "%s, found a literal", want)
}

func (p *exprParser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return errAt(p.peek().off, "expression nested too deeply")
	}
	return nil
}

func (p *exprParser) leave() { p.depth-- }

// tupleOrExpr parses `a` or `a, b, ...` (a tuple).
func (p *exprParser) tupleOrExpr() (expr, error) {
	off := p.peek().off
	first, err := p.expr()
	if err != nil {
		return nil, err
	}
	if !p.isOp(",") {
		return first, nil
	}
	items := []expr{first}
	for p.isOp(",") {
		p.next()
		if p.endOfList() {
			break
		}
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		items = append(items, e)
	}
	return &listExpr{off: off, items: items, tuple: true}, nil
}

func (p *exprParser) endOfList() bool {
	t := p.peek()
	return t.kind == tkEOF || t.kind == tkOp && (t.text == ")" || t.text == "]" || t.text == "}" || t.text == "=")
}

// expr parses a conditional expression: x if c else y.
func (p *exprParser) expr() (expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	if p.isWord("lambda") {
		return nil, errAt(p.peek().off, "lambda is not supported in templates")
	}
	yes, err := p.or()
	if err != nil {
		return nil, err
	}
	if !p.isWord("if") {
		return yes, nil
	}
	off := p.next().off
	cond, err := p.or()
	if err != nil {
		return nil, err
	}
	if !p.isWord("else") {
		return nil, p.unexpected("expected else")
	}
	p.next()
	no, err := p.expr()
	if err != nil {
		return nil, err
	}
	return &condExpr{off: off, cond: cond, yes: yes, no: no}, nil
}

func (p *exprParser) or() (expr, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.isWord("or") {
		off := p.next().off
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{off: off, op: "or", l: l, r: r}
	}
	return l, nil
}

func (p *exprParser) and() (expr, error) {
	l, err := p.not()
	if err != nil {
		return nil, err
	}
	for p.isWord("and") {
		off := p.next().off
		r, err := p.not()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{off: off, op: "and", l: l, r: r}
	}
	return l, nil
}

func (p *exprParser) not() (expr, error) {
	if !p.isWord("not") {
		return p.comparison()
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	off := p.next().off
	x, err := p.not()
	if err != nil {
		return nil, err
	}
	return &unaryExpr{off: off, op: "not", x: x}, nil
}

func (p *exprParser) compareOp() (string, bool) {
	t := p.peek()
	if t.kind == tkOp {
		switch t.text {
		case "==", "!=", "<", ">", "<=", ">=":
			p.next()
			return t.text, true
		case "<>":
			p.next()
			return "!=", true
		}
		return "", false
	}
	if t.kind != tkName {
		return "", false
	}
	switch t.text {
	case "in":
		p.next()
		return "in", true
	case "not":
		if n := p.toks[p.i+1]; n.kind == tkName && n.text == "in" {
			p.i += 2
			return "not in", true
		}
	case "is":
		p.next()
		if p.isWord("not") {
			p.next()
			return "is not", true
		}
		return "is", true
	}
	return "", false
}

func (p *exprParser) comparison() (expr, error) {
	off := p.peek().off
	first, err := p.arith()
	if err != nil {
		return nil, err
	}
	var ops []string
	var operands []expr
	for {
		op, ok := p.compareOp()
		if !ok {
			break
		}
		r, err := p.arith()
		if err != nil {
			return nil, err
		}
		ops = append(ops, op)
		operands = append(operands, r)
	}
	if len(ops) == 0 {
		return first, nil
	}
	return &compareExpr{off: off, first: first, ops: ops, operands: operands}, nil
}

func (p *exprParser) arith() (expr, error) {
	l, err := p.term()
	if err != nil {
		return nil, err
	}
	for p.isOp("+") || p.isOp("-") {
		t := p.next()
		r, err := p.term()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{off: t.off, op: t.text, l: l, r: r}
	}
	return l, nil
}

func (p *exprParser) term() (expr, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.isOp("*") || p.isOp("/") || p.isOp("//") || p.isOp("%") {
		t := p.next()
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{off: t.off, op: t.text, l: l, r: r}
	}
	return l, nil
}

func (p *exprParser) unary() (expr, error) {
	if !p.isOp("-") && !p.isOp("+") {
		return p.power()
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	t := p.next()
	x, err := p.unary()
	if err != nil {
		return nil, err
	}
	return &unaryExpr{off: t.off, op: t.text, x: x}, nil
}

func (p *exprParser) power() (expr, error) {
	base, err := p.postfix()
	if err != nil {
		return nil, err
	}
	if !p.isOp("**") {
		return base, nil
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	t := p.next()
	exp, err := p.unary()
	if err != nil {
		return nil, err
	}
	return &binaryExpr{off: t.off, op: "**", l: base, r: exp}, nil
}

func (p *exprParser) postfix() (expr, error) {
	x, err := p.atom()
	if err != nil {
		return nil, err
	}
	for {
		switch {
		case p.isOp("("):
			x, err = p.call(x)
		case p.isOp("["):
			x, err = p.subscript(x)
		case p.isOp("."):
			t := p.next()
			name := p.next()
			if name.kind != tkName {
				return nil, errAt(name.off, "expected an attribute name after .")
			}
			x = &attrExpr{off: t.off, obj: x, name: name.text}
		default:
			return x, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func (p *exprParser) call(fn expr) (expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	c := &callExpr{off: fn.exprPos(), fn: fn}
	p.next() // (
	for !p.isOp(")") {
		if p.peek().kind == tkName && p.toks[p.i+1].kind == tkOp && p.toks[p.i+1].text == "=" {
			name := p.next().text
			p.next()
			v, err := p.expr()
			if err != nil {
				return nil, err
			}
			for _, kw := range c.kwargs {
				if kw.name == name {
					return nil, errAt(v.exprPos(), "keyword argument %s repeated", name)
				}
			}
			c.kwargs = append(c.kwargs, kwarg{name: name, value: v})
		} else {
			if p.isOp("*") || p.isOp("**") {
				return nil, errAt(p.peek().off, "argument unpacking is not supported")
			}
			if len(c.kwargs) > 0 {
				return nil, errAt(p.peek().off, "positional argument after a keyword argument")
			}
			v, err := p.expr()
			if err != nil {
				return nil, err
			}
			c.args = append(c.args, v)
		}
		if p.isOp(",") {
			p.next()
			continue
		}
		if !p.isOp(")") {
			return nil, p.unexpected("expected , or ) in call")
		}
	}
	p.next()
	return c, nil
}

func (p *exprParser) subscript(obj expr) (expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	off := p.next().off // [
	var parts [3]expr
	n := 0
	isSlice := false
	for {
		if p.isOp(":") {
			isSlice = true
			n++
			if n > 2 {
				return nil, errAt(p.peek().off, "too many : in slice")
			}
			p.next()
			continue
		}
		if p.isOp("]") {
			break
		}
		if parts[n] != nil {
			return nil, p.unexpected("expected ] or :")
		}
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		parts[n] = e
	}
	p.next() // ]
	if !isSlice {
		if parts[0] == nil {
			return nil, errAt(off, "empty index")
		}
		return &indexExpr{off: off, obj: obj, index: parts[0]}, nil
	}
	return &sliceExpr{off: off, obj: obj, start: parts[0], stop: parts[1], step: parts[2]}, nil
}

func (p *exprParser) atom() (expr, error) {
	t := p.peek()
	switch t.kind {
	case tkEOF:
		return nil, p.unexpected("expected a value")
	case tkInt, tkFloat:
		p.next()
		return &constExpr{off: t.off, val: t.val}, nil
	case tkString:
		p.next()
		s := t.val.(string)
		// adjacent literals concatenate: 'a' 'b'
		for p.peek().kind == tkString {
			s += p.next().val.(string)
		}
		return &constExpr{off: t.off, val: s}, nil
	case tkName:
		p.next()
		switch t.text {
		case "True":
			return &constExpr{off: t.off, val: true}, nil
		case "False":
			return &constExpr{off: t.off, val: false}, nil
		case "None":
			return &constExpr{off: t.off, val: nil}, nil
		case "and", "or", "not", "in", "is", "if", "else", "for", "lambda", "import", "from", "yield", "await":
			return nil, errAt(t.off, "unexpected keyword %q", t.text)
		}
		return &nameExpr{off: t.off, name: t.text}, nil
	}
	switch t.text {
	case "(":
		return p.parenthesized()
	case "[":
		return p.listLiteral()
	case "{":
		return p.dictLiteral()
	}
	return nil, p.unexpected("expected a value")
}

func (p *exprParser) parenthesized() (expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	off := p.next().off
	if p.isOp(")") {
		p.next()
		return &listExpr{off: off, tuple: true}, nil
	}
	first, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.isOp(")") {
		p.next()
		return first, nil
	}
	items := []expr{first}
	for p.isOp(",") {
		p.next()
		if p.isOp(")") {
			break
		}
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		items = append(items, e)
	}
	if err := p.expectOp(")"); err != nil {
		return nil, err
	}
	return &listExpr{off: off, items: items, tuple: true}, nil
}

func (p *exprParser) listLiteral() (expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	off := p.next().off
	l := &listExpr{off: off}
	for !p.isOp("]") {
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		if p.isWord("for") {
			return nil, errAt(p.peek().off, "comprehensions are not supported in templates")
		}
		l.items = append(l.items, e)
		if p.isOp(",") {
			p.next()
			continue
		}
		if !p.isOp("]") {
			return nil, p.unexpected("expected , or ] in list")
		}
	}
	p.next()
	return l, nil
}

func (p *exprParser) dictLiteral() (expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	off := p.next().off
	d := &dictExpr{off: off}
	for !p.isOp("}") {
		k, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp(":"); err != nil {
			return nil, err
		}
		v, err := p.expr()
		if err != nil {
			return nil, err
		}
		d.keys = append(d.keys, k)
		d.values = append(d.values, v)
		if p.isOp(",") {
			p.next()
			continue
		}
		if !p.isOp("}") {
			return nil, p.unexpected("expected , or } in dict")
		}
	}
	p.next()
	return d, nil
}
