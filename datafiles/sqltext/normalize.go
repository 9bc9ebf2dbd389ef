package sqltext

import (
	"strconv"
	"strings"
)

// The server rewrites what it stores: it prefixes tables with their
// database, adds AS before aliases, changes spacing, case and quoting,
// turns count(*) into count() and INTERVAL 1 DAY into toIntervalDay(1),
// wraps a default in CAST, gives codecs their default arguments. The
// Normalize functions bring a local and a remote text to one key, so that
// an unchanged object never shows as changed and a changed one always does.
// Their results are comparison keys, not for display.

// NormalizeQuery returns the comparison key of a statement: references to
// database are stripped, comments dropped, and the statement is parsed and
// keyed by its syntax tree (treeKey), so spacing, keyword case, quoting,
// parentheses and optional AS do not matter. Text that does not parse as
// one statement is keyed token by token. Empty text has the key "".
func NormalizeQuery(sql, database string) string {
	c, ok := canonicalize(sql, database)
	if !ok {
		return ""
	}
	if stmts, err := Parse(c.text); err == nil && len(stmts) == 1 {
		if k, err := treeKey(stmts[0]); err == nil {
			return "ast:" + k
		}
	}
	return "tokens:" + c.key
}

// TokenKey returns the token-by-token key of sql (what NormalizeQuery falls
// back to): cheaper than parsing, and equal for texts that differ only in
// spacing, comments, quoting and database prefixes.
func TokenKey(sql, database string) string {
	c, _ := canonicalize(sql, database)
	return c.key
}

// NormalizeExpr returns the comparison key of an expression (a default, an
// engine argument, an index expression).
func NormalizeExpr(expr, database string) string {
	if strings.TrimSpace(expr) == "" {
		return ""
	}
	return NormalizeQuery("SELECT "+expr, database)
}

// NormalizeKey returns the comparison key of a partition, sorting, primary
// or sampling key: (a, b), tuple(a, b) and a, b are the same key, tuple()
// is no key.
func NormalizeKey(key, database string) string {
	return NormalizeExpr(UnwrapKey(key), database)
}

// NormalizeType returns the canonical text of a column type: no spaces but
// one between words, names and string literals in one spelling
// ("Decimal(10,2)" for Decimal( 10, 2 ), "Tuple(a String)" for
// Tuple(`a`  String)). It is also a readable type for prefix tests
// (Nullable(, DateTime64...).
func NormalizeType(t string) string { return typeText(t, false) }

// FormatType spaces a type as the server prints it: ", " after commas,
// " = " around =, one space between words, none elsewhere. (Text where a
// space would change the tokens, as in "#=", keeps the NormalizeType form.)
func FormatType(t string) string {
	spaced, compact := typeText(t, true), typeText(t, false)
	if typeText(spaced, false) != compact {
		return compact
	}
	return spaced
}

func typeText(t string, spaced bool) string {
	var b strings.Builder
	b.Grow(len(t))
	prev, wordish := "", false
	l := Lexer{src: t}
	for {
		tok, ok := l.Next()
		if !ok {
			return b.String()
		}
		if tok.Kind == Comment {
			continue
		}
		text := tokenKey(t, tok, tok.Text(t))
		w := tok.Kind == Word || tok.Kind == QuotedIdent || tok.Kind == Number || tok.Kind == String
		switch {
		case spaced && tok.IsPunct(t, ","):
			b.WriteString(", ")
			text = ""
		case spaced && tok.IsPunct(t, "="):
			b.WriteString(" = ")
			text = ""
		case prev != "" && (w && wordish || !separate(prev, text)):
			b.WriteByte(' ')
		}
		b.WriteString(text)
		prev, wordish = text, w && text != ""
	}
}

// separate reports whether the token texts a and b, written one after the
// other without a space, still read as the two tokens.
func separate(a, b string) bool {
	l := Lexer{src: a + b}
	t, _ := l.Next()
	return t.End == len(a)
}

// NormalizeDefault returns the comparison key of a column default: a CAST
// of the value to the column's own type (how old servers store a literal
// default) is the value itself.
func NormalizeDefault(expr, columnType, database string) string {
	if inner, typ, ok := castOf(expr); ok && NormalizeType(typ) == NormalizeType(columnType) {
		expr = inner
	}
	return NormalizeExpr(expr, database)
}

// castOf splits CAST(x, 'T') and CAST(x AS T) into x and T.
func castOf(expr string) (inner, typ string, ok bool) {
	toks := Tokens(expr)
	if len(toks) < 5 || !toks[0].IsWord(expr, "CAST") || !toks[1].IsPunct(expr, "(") || MatchClose(expr, toks, 1) != len(toks)-1 {
		return "", "", false
	}
	body := toks[2 : len(toks)-1]
	depths := Depths(expr, body)
	for i, t := range body {
		if depths[i] != 0 || i == 0 {
			continue
		}
		switch {
		case t.IsPunct(expr, ",") && i == len(body)-2 && body[i+1].Kind == String:
			return expr[body[0].Start:body[i-1].End], Unquote(body[i+1].Text(expr)), true
		case t.IsWord(expr, "AS") && i < len(body)-1:
			return expr[body[0].Start:body[i-1].End], expr[body[i+1].Start:body[len(body)-1].End], true
		}
	}
	return "", "", false
}

// NormalizeCodec returns the comparison key of a column codec: CODEC(...)
// and its list are the same, and a codec without arguments equals the one
// with the defaults modern servers print: ZSTD(1), LZ4HC(0), FPC(12),
// Delta(n) and Gorilla(n) with n the byte width of columnType.
func NormalizeCodec(codec, columnType string) string {
	c := strings.TrimSpace(codec)
	if toks := Tokens(c); len(toks) >= 3 && toks[0].IsWord(c, "CODEC") && toks[1].IsPunct(c, "(") && MatchClose(c, toks, 1) == len(toks)-1 {
		c = c[toks[2].Start:toks[len(toks)-1].Start]
	}
	parts := SplitTopLevel(c)
	for i, p := range parts {
		p = NormalizeType(p)
		name := strings.TrimSuffix(p, "()")
		switch {
		case name == "ZSTD":
			p = "ZSTD(1)"
		case name == "LZ4HC":
			p = "LZ4HC(0)"
		case name == "FPC":
			p = "FPC(12)"
		case name == "Delta" || name == "Gorilla":
			if n := byteWidth(columnType); n > 0 {
				p = name + "(" + strconv.Itoa(n) + ")"
			}
		}
		parts[i] = p
	}
	return strings.Join(parts, ",")
}

// byteWidth is the size in bytes of a fixed-width type, 0 when unknown.
func byteWidth(t string) int {
	t = NormalizeType(t)
	name, args, _ := strings.Cut(strings.TrimSuffix(t, ")"), "(")
	switch name {
	case "UInt8", "Int8", "Enum8", "Bool":
		return 1
	case "UInt16", "Int16", "Date", "Enum16":
		return 2
	case "UInt32", "Int32", "Float32", "DateTime", "Date32", "IPv4", "Decimal32":
		return 4
	case "UInt64", "Int64", "Float64", "DateTime64", "Decimal64":
		return 8
	case "UInt128", "Int128", "Decimal128", "UUID", "IPv6":
		return 16
	case "UInt256", "Int256", "Decimal256":
		return 32
	case "Decimal":
		p, err := strconv.Atoi(strings.TrimSpace(strings.Split(args, ",")[0]))
		switch {
		case err != nil:
			return 0
		case p <= 9:
			return 4
		case p <= 18:
			return 8
		case p <= 38:
			return 16
		}
		return 32
	}
	return 0
}
