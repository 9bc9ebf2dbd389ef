package template

// stmt is a node of the template tree.
type stmt interface{ stmtPos() int }

type textStmt struct {
	off  int
	text string
}

type outputStmt struct {
	off  int
	expr expr
}

type ifBranch struct {
	cond expr // nil for else
	body []stmt
}

type ifStmt struct {
	off      int
	branches []ifBranch
}

type forStmt struct {
	off     int
	targets []string
	iter    expr
	body    []stmt
	orElse  []stmt
}

type whileStmt struct {
	off    int
	cond   expr
	body   []stmt
	orElse []stmt
}

type setStmt struct {
	off     int
	targets []string
	value   expr
}

type tryStmt struct {
	off       int
	body      []stmt
	except    []stmt
	orElse    []stmt
	finally   []stmt
	hasExcept bool
}

type breakStmt struct{ off int }

type continueStmt struct{ off int }

func (s *textStmt) stmtPos() int     { return s.off }
func (s *outputStmt) stmtPos() int   { return s.off }
func (s *ifStmt) stmtPos() int       { return s.off }
func (s *forStmt) stmtPos() int      { return s.off }
func (s *whileStmt) stmtPos() int    { return s.off }
func (s *setStmt) stmtPos() int      { return s.off }
func (s *tryStmt) stmtPos() int      { return s.off }
func (s *breakStmt) stmtPos() int    { return s.off }
func (s *continueStmt) stmtPos() int { return s.off }

// expr is a node of an expression.
type expr interface{ exprPos() int }

type constExpr struct {
	off int
	val Value
}

type nameExpr struct {
	off  int
	name string
}

type listExpr struct {
	off   int
	items []expr
	tuple bool
}

type dictExpr struct {
	off    int
	keys   []expr
	values []expr
}

type kwarg struct {
	name  string
	value expr
}

type callExpr struct {
	off    int
	fn     expr
	args   []expr
	kwargs []kwarg
}

type attrExpr struct {
	off  int
	obj  expr
	name string
}

type indexExpr struct {
	off   int
	obj   expr
	index expr
}

type sliceExpr struct {
	off               int
	obj               expr
	start, stop, step expr // nil when omitted
}

type unaryExpr struct {
	off int
	op  string // "-", "+", "not"
	x   expr
}

type binaryExpr struct {
	off  int
	op   string // + - * / // % ** and or
	l, r expr
}

// compareExpr is a (possibly chained) comparison: a < b <= c.
type compareExpr struct {
	off      int
	first    expr
	ops      []string // == != < > <= >= in "not in" is "is not"
	operands []expr
}

type condExpr struct {
	off           int
	cond, yes, no expr
}

func (e *constExpr) exprPos() int   { return e.off }
func (e *nameExpr) exprPos() int    { return e.off }
func (e *listExpr) exprPos() int    { return e.off }
func (e *dictExpr) exprPos() int    { return e.off }
func (e *callExpr) exprPos() int    { return e.off }
func (e *attrExpr) exprPos() int    { return e.off }
func (e *indexExpr) exprPos() int   { return e.off }
func (e *sliceExpr) exprPos() int   { return e.off }
func (e *unaryExpr) exprPos() int   { return e.off }
func (e *binaryExpr) exprPos() int  { return e.off }
func (e *compareExpr) exprPos() int { return e.off }
func (e *condExpr) exprPos() int    { return e.off }
