package compile

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/sqlc-dev/doubleclick/ast"
)

// FunctionNames returns the distinct names of the functions a ClickHouse
// statement calls, sorted, as written (case kept). Table functions
// (numbers(10), url(...)) are left out: they are not in system.functions.
// The error is non-nil when the SQL is empty or does not parse.
func FunctionNames(sql string) ([]string, error) {
	if strings.TrimSpace(sql) == "" {
		return nil, fmt.Errorf("function names: empty SQL")
	}
	stmts, err := sqltext.Parse(sql)
	if err != nil {
		return nil, fmt.Errorf("function names: %w", err)
	}
	w := &funcWalker{seen: map[string]bool{}, tableFuncs: map[*ast.FunctionCall]bool{}}
	for _, s := range stmts {
		sqltext.Walk(reflect.ValueOf(s), w.visit)
	}
	sort.Strings(w.names)
	return w.names, nil
}

// funcWalker collects function calls from a doubleclick AST by reflection,
// skipping the function of a table expression (a table function) but not
// its arguments.
type funcWalker struct {
	names      []string
	seen       map[string]bool
	tableFuncs map[*ast.FunctionCall]bool
}

var funcCallType = reflect.TypeOf(&ast.FunctionCall{})

// visit records a function call, unless it is a table expression's function.
func (w *funcWalker) visit(v reflect.Value) {
	switch v.Type() {
	case tableExprType:
		if f, ok := v.Interface().(*ast.TableExpression).Table.(*ast.FunctionCall); ok {
			w.tableFuncs[f] = true
		}
	case funcCallType:
		if f := v.Interface().(*ast.FunctionCall); !w.tableFuncs[f] && f.Name != "" && !w.seen[f.Name] {
			w.seen[f.Name] = true
			w.names = append(w.names, f.Name)
		}
	}
}
