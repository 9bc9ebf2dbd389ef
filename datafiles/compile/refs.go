package compile

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/sqlc-dev/doubleclick/ast"
)

// Ref is one table reference in SQL.
type Ref struct {
	// Database is the qualifier (system in system.numbers), empty if none.
	Database string `json:"database,omitempty"`
	// Name is the table name, or the function name of a table function.
	Name string `json:"name"`
	// Func marks a table function: numbers(10), url(...), s3(...).
	Func bool `json:"func,omitempty"`
	// In marks `x IN name`, which names a table (or a set) without FROM.
	In bool `json:"in,omitempty"`
	// Line and Col are 1-based, in the SQL given.
	Line int `json:"line"`
	Col  int `json:"col"`
}

// Qualified returns db.name, or name when there is no database.
func (r Ref) Qualified() string {
	if r.Database == "" {
		return r.Name
	}
	return r.Database + "." + r.Name
}

// Refs are the table references of a statement.
type Refs struct {
	Tables []Ref `json:"tables"`
	// Fallback is true when the SQL parser failed and the references come
	// from a token scan (FROM/JOIN/IN followed by a name); ParseError says why.
	Fallback   bool   `json:"fallback,omitempty"`
	ParseError string `json:"parse_error,omitempty"`
}

// Names returns the distinct qualified table names (table functions left
// out), sorted.
func (r Refs) Names() []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range r.Tables {
		if t.Func || seen[t.Qualified()] {
			continue
		}
		seen[t.Qualified()] = true
		out = append(out, t.Qualified())
	}
	sort.Strings(out)
	return out
}

// TableRefs extracts the table references (FROM, JOIN, IN subqueries and
// `IN table`, table functions, database-qualified names) of a ClickHouse
// statement, with the doubleclick parser. Names of WITH subqueries (CTEs) are
// left out. Where the parser fails, a token scan answers and Refs.Fallback is
// set; the error is non-nil only when SQL is empty.
func TableRefs(sql string) (Refs, error) {
	if strings.TrimSpace(sql) == "" {
		return Refs{}, fmt.Errorf("table refs: empty SQL")
	}
	stmts, err := sqltext.Parse(sql)
	if err != nil {
		return Refs{Tables: scanTableRefs(sql), Fallback: true, ParseError: err.Error()}, nil
	}
	w := &refWalker{ctes: map[string]bool{}}
	for _, s := range stmts {
		sqltext.Walk(reflect.ValueOf(s), w.visit)
	}
	out := w.refs[:0]
	for _, r := range w.refs {
		if r.Database == "" && !r.Func && w.ctes[r.Name] {
			continue
		}
		out = append(out, r)
	}
	return Refs{Tables: out}, nil
}

// scanTableRefs is the token-scan fallback of TableRefs.
func scanTableRefs(sql string) []Ref {
	var out []Ref
	ctes := cteNames(sql)
	for _, r := range scanRefs(sql) {
		if r.Database == "" && !r.Func && ctes[r.Name] {
			continue
		}
		line := 1 + strings.Count(sql[:r.Start], "\n")
		col := r.Start - strings.LastIndex(sql[:r.Start], "\n")
		out = append(out, Ref{Database: r.Database, Name: r.Name, Func: r.Func, In: r.In, Line: line, Col: col})
	}
	return out
}

// cteNames finds `name AS (SELECT|WITH` in a token stream.
func cteNames(sql string) map[string]bool {
	toks := tokenizeSQL(sql)
	out := map[string]bool{}
	for i := 0; i+3 < len(toks); i++ {
		if n, ok := toks[i].name(); ok && toks[i+1].is("AS") && toks[i+2].punct("(") && (toks[i+3].is("SELECT") || toks[i+3].is("WITH")) {
			out[n] = true
		}
	}
	return out
}

// refWalker collects table references from a doubleclick AST by reflection,
// so that every node type (present and future) is visited.
type refWalker struct {
	refs []Ref
	ctes map[string]bool
}

var (
	tableExprType = reflect.TypeOf(&ast.TableExpression{})
	inExprType    = reflect.TypeOf(&ast.InExpr{})
	withType      = reflect.TypeOf(&ast.WithElement{})
)

// visit records the table references of one AST node.
func (w *refWalker) visit(v reflect.Value) {
	switch v.Type() {
	case tableExprType:
		w.table(v.Interface().(*ast.TableExpression))
	case inExprType:
		w.in(v.Interface().(*ast.InExpr))
	case withType:
		if we := v.Interface().(*ast.WithElement); !we.ScalarWith {
			w.ctes[we.Name] = true
		}
	}
}

func (w *refWalker) table(t *ast.TableExpression) {
	switch x := t.Table.(type) {
	case *ast.TableIdentifier:
		w.refs = append(w.refs, Ref{Database: x.Database, Name: x.Table, Line: x.Position.Line, Col: x.Position.Column})
	case *ast.FunctionCall:
		w.refs = append(w.refs, Ref{Name: x.Name, Func: true, Line: x.Position.Line, Col: x.Position.Column})
	}
}

func (w *refWalker) in(e *ast.InExpr) {
	if e.Query != nil || len(e.List) != 1 {
		return
	}
	id, ok := e.List[0].(*ast.Identifier)
	if !ok || id.Parenthesized || len(id.Parts) == 0 || len(id.Parts) > 2 {
		return
	}
	r := Ref{Name: id.Parts[len(id.Parts)-1], In: true, Line: id.Position.Line, Col: id.Position.Column}
	if len(id.Parts) == 2 {
		r.Database = id.Parts[0]
	}
	w.refs = append(w.refs, r)
}
