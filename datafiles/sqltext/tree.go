package sqltext

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/sqlc-dev/doubleclick/ast"
	"github.com/sqlc-dev/doubleclick/parser"
)

// Parse parses ClickHouse SQL with doubleclick; a parser panic is an error.
func Parse(sql string) (stmts []ast.Statement, err error) { return ParseBuffered(sql, nil) }

// ParseBuffered is Parse reading through br, reset on sql: the parser reads
// through a bufio.Reader of at least 4 KiB, and a caller parsing many
// statements saves allocating one each time by reusing its own. A nil br
// allocates one.
func ParseBuffered(sql string, br *bufio.Reader) (stmts []ast.Statement, err error) {
	defer func() {
		if r := recover(); r != nil {
			stmts, err = nil, fmt.Errorf("sql parser failed: %v", r)
		}
	}()
	var r io.Reader = strings.NewReader(sql)
	if br != nil {
		br.Reset(r)
		r = br
	}
	stmts, err = parser.Parse(context.Background(), r)
	if err == nil && len(stmts) == 0 {
		err = fmt.Errorf("no statement")
	}
	return stmts, err
}

// maxWalkDepth bounds the reflective walk of deeply nested syntax trees.
const maxWalkDepth = 500

// Walk visits every non-nil pointer of a doubleclick syntax tree by
// reflection, parents before children, so that every node type (present
// and future) is reached. visit sees each pointer before its fields.
func Walk(v reflect.Value, visit func(reflect.Value)) { walkDepth(v, visit, 0) }

func walkDepth(v reflect.Value, visit func(reflect.Value), depth int) {
	if depth > maxWalkDepth || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			walkDepth(v.Elem(), visit, depth+1)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkDepth(v.Index(i), visit, depth+1)
		}
	case reflect.Ptr:
		if v.IsNil() {
			return
		}
		visit(v)
		walkDepth(v.Elem(), visit, depth+1)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkDepth(v.Field(i), visit, depth+1)
			}
		}
	}
}

// treeKey is the comparison key of a parsed statement: its EXPLAIN AST
// (which maps operators to functions, INTERVAL 1 DAY to toIntervalDay(1),
// and ignores parentheses, spacing, keyword case and optional AS, as the
// server does), followed by the flags EXPLAIN AST does not print although
// they change what the query returns: sort direction, join kind, DISTINCT,
// FINAL, PREWHERE, UNION mode, WITH TOTALS, SETTINGS values...
func treeKey(stmt ast.Statement) (key string, err error) {
	defer func() {
		if r := recover(); r != nil {
			key, err = "", fmt.Errorf("explain failed: %v", r)
		}
	}()
	var b strings.Builder
	b.WriteString(parser.Explain(stmt))
	Walk(reflect.ValueOf(stmt), func(v reflect.Value) { writeFlags(&b, v.Interface()) })
	return b.String(), nil
}

// writeFlags writes the flags of one node that EXPLAIN AST leaves out.
func writeFlags(b *strings.Builder, node any) {
	flag := func(name string, on bool) {
		if on {
			b.WriteString("\n~" + name)
		}
	}
	word := func(name, v string) {
		if v != "" {
			b.WriteString("\n~" + name + "=" + v)
		}
	}
	settings := func(ss []*ast.SettingExpr) {
		for _, s := range ss {
			if s != nil {
				word("setting "+s.Name, exprExplain(s.Value))
			}
		}
	}
	switch n := node.(type) {
	case *ast.SelectWithUnionQuery:
		word("union", strings.Join(n.UnionModes, ","))
		settings(n.Settings)
	case *ast.SelectIntersectExceptQuery:
		word("ops", strings.Join(n.Operators, ","))
	case *ast.SelectQuery:
		flag("distinct", n.Distinct)
		flag("totals", n.WithTotals)
		flag("rollup", n.WithRollup)
		flag("cube", n.WithCube)
		flag("group by all", n.GroupByAll)
		flag("grouping sets", n.GroupingSets)
		flag("prewhere", n.PreWhere != nil)
		flag("limit by limit", n.LimitByHasLimit)
		settings(n.Settings)
		if n.Format != nil {
			word("format", n.Format.Name())
		}
	case *ast.OrderByElement:
		flag("desc", n.Descending)
		if n.NullsFirst != nil {
			flag("nulls first", *n.NullsFirst)
			flag("nulls last", !*n.NullsFirst)
		}
		word("collate", n.Collate)
		flag("with fill", n.WithFill)
	case *ast.TableJoin:
		strictness := string(n.Strictness)
		if strictness == "" && n.Type != ast.JoinCross && n.Type != ast.JoinPaste {
			strictness = string(ast.JoinStrictAll) // the server's join_default_strictness
		}
		word("join", string(n.Type)+" "+strictness)
		flag("global", n.Global)
	case *ast.TableExpression:
		flag("final", n.Final)
	case *ast.ArrayJoinClause:
		flag("left array join", n.Left)
	case *ast.WindowFrame:
		word("frame", string(n.Type))
	case *ast.FrameBound:
		word("bound", string(n.Type))
	case *ast.FunctionCall:
		flag("distinct", n.Distinct)
	}
}

// exprExplain is the EXPLAIN AST of one expression.
func exprExplain(e ast.Expression) string {
	if e == nil {
		return ""
	}
	return strings.ReplaceAll(parser.Explain(&ast.SelectQuery{Columns: []ast.Expression{e}}), "\n", " ")
}
