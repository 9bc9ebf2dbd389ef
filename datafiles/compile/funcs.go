package compile

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

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
	stmts, err := parse(sql)
	if err != nil {
		return nil, fmt.Errorf("function names: %w", err)
	}
	w := &funcWalker{seen: map[string]bool{}, tableFuncs: map[*ast.FunctionCall]bool{}}
	for _, s := range stmts {
		w.walk(reflect.ValueOf(s))
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
	depth      int
}

var funcCallType = reflect.TypeOf(&ast.FunctionCall{})

func (w *funcWalker) walk(v reflect.Value) {
	w.depth++
	defer func() { w.depth-- }()
	if w.depth > 500 || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			w.walk(v.Elem())
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			w.walk(v.Index(i))
		}
	case reflect.Ptr:
		if v.IsNil() {
			return
		}
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
		w.walk(v.Elem())
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				w.walk(v.Field(i))
			}
		}
	}
}
