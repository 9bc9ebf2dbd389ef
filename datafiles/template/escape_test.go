package template

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/sqlc-dev/doubleclick/ast"
	chparser "github.com/sqlc-dev/doubleclick/parser"
)

// injections are values that try to leave a string literal or an identifier.
var injections = []string{
	`'`, `\`, "`", "\n", `''`, `\'`, `\\'`, `' OR 1=1 --`, `x' OR 'a'='a`,
	"'; DROP TABLE events; --", `\'; DROP TABLE t; --`, "a\nb\r\tc\x00d\x1b", "%_%", "50% off",
	"`; DROP TABLE t; `", `"double" quotes`, "unicode ñ 日本 '", "/* comment */", "-- comment",
	"{{ tb_secret('X') }}", `\x27`, `\u0027`, "\\\n'",
}

// decodeCHLiteral reads a ClickHouse single-quoted literal the way the server
// does and returns the value and the index just past its closing quote.
func decodeCHLiteral(t *testing.T, s string) (string, int) {
	t.Helper()
	if !strings.HasPrefix(s, "'") {
		t.Fatalf("not a literal: %q", s)
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\'':
			if i+1 < len(s) && s[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			return b.String(), i + 1
		case '\\':
			if i+1 >= len(s) {
				t.Fatalf("dangling backslash in %q", s)
			}
			i++
			switch e := s[i]; e {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case '0':
				b.WriteByte(0)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'x':
				v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
				if err != nil {
					t.Fatalf("bad \\x in %q", s)
				}
				b.WriteByte(byte(v))
				i += 2
			case '\\', '\'', '"', '`', '/', '=':
				b.WriteByte(e)
			default:
				// ClickHouse keeps the backslash of \% and \_ for LIKE.
				b.WriteByte('\\')
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
		}
	}
	t.Fatalf("literal never closed: %q", s)
	return "", 0
}

func parseOneColumn(t *testing.T, sql string) ast.Expression {
	t.Helper()
	stmts, err := chparser.Parse(context.Background(), strings.NewReader(sql))
	if err != nil || len(stmts) != 1 {
		t.Fatalf("%q: %d statements, %v", sql, len(stmts), err)
	}
	u, ok := stmts[0].(*ast.SelectWithUnionQuery)
	if !ok || len(u.Selects) != 1 {
		t.Fatalf("%q: not one SELECT", sql)
	}
	sel := u.Selects[0].(*ast.SelectQuery)
	if len(sel.Columns) != 1 || sel.From != nil || sel.Where != nil {
		t.Fatalf("%q: the value changed the query shape", sql)
	}
	return sel.Columns[0]
}

func TestInjectionStaysInsideLiteral(t *testing.T) {
	tpl, err := Parse("%\nSELECT {{ String(v) }}")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range injections {
		res, err := tpl.Render(RenderOptions{Mode: Given, Params: map[string]string{"v": v}})
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		lit := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(res.SQL), "SELECT"))
		got, end := decodeCHLiteral(t, lit)
		if end != len(lit) {
			t.Errorf("%q: literal ends at %d of %q", v, end, lit)
		}
		if want := strings.ReplaceAll(v, "%", `\%`); got != want {
			t.Errorf("%q: server would read %q", v, got)
		}
		col := parseOneColumn(t, strings.TrimSpace(res.SQL))
		if l, ok := col.(*ast.Literal); !ok || l.Type != ast.LiteralString {
			t.Errorf("%q: parsed as %T, not a string literal", v, col)
		}
	}
}

func TestInjectionInArraysAndIdentifiers(t *testing.T) {
	arr, _ := Parse("SELECT {{ Array(v, 'String') }}")
	col, _ := Parse("SELECT {{ column(v) }}")
	sym, _ := Parse("SELECT {{ symbol(v) }}")
	for _, v := range injections {
		if strings.Contains(v, ",") {
			continue // the array separator
		}
		res, err := arr.Render(RenderOptions{Mode: Given, Params: map[string]string{"v": v}})
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		if c := parseOneColumn(t, res.SQL); c == nil {
			t.Errorf("%q: array broke the query", v)
		}
		for _, tpl := range []*Template{col, sym} {
			res, err := tpl.Render(RenderOptions{Mode: Given, Params: map[string]string{"v": v}})
			if err != nil {
				continue // column('') and friends refuse empty names
			}
			if strings.Contains(v, ".") && tpl == col {
				continue // column() splits db.table
			}
			c := parseOneColumn(t, res.SQL)
			id, ok := c.(*ast.Identifier)
			if !ok || len(id.Parts) != 1 {
				t.Errorf("%q: %s parsed as %T %v", v, res.SQL, c, c)
			}
		}
	}
}

func TestSQLUnescapeRefusesQuotes(t *testing.T) {
	tpl, _ := Parse("{{ sql_unescape(String(v), \"'\") }}")
	if _, err := tpl.Render(RenderOptions{Mode: Given, Params: map[string]string{"v": "x' OR 1"}}); err == nil {
		t.Fatal("sql_unescape un-escaped a quote")
	}
	tpl, _ = Parse("SELECT {{ sql_unescape(String(v), '%') }}")
	for _, v := range injections {
		res, err := tpl.Render(RenderOptions{Mode: Given, Params: map[string]string{"v": v}})
		if err != nil {
			t.Fatal(err)
		}
		lit := strings.TrimPrefix(res.SQL, "SELECT ")
		got, end := decodeCHLiteral(t, lit)
		if end != len(lit) || got != v {
			t.Errorf("%q: decoded %q, end %d of %d", v, got, end, len(lit))
		}
	}
}

func TestQuoteString(t *testing.T) {
	for in, want := range map[string]string{
		"plain":     `'plain'`,
		"it's":      `'it\'s'`,
		`a\b`:       `'a\\b'`,
		"100%":      `'100\%'`,
		"`x`":       "'\\`x\\`'",
		"l1\nl2":    `'l1\nl2'`,
		"\x01":      `'\x01'`,
		"\x7f":      `'\x7F'`,
		"tab\tcr\r": `'tab\tcr\r'`,
	} {
		if got := QuoteString(in); got != want {
			t.Errorf("QuoteString(%q) = %s, want %s", in, got, want)
		}
	}
}
