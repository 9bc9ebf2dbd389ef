package plan

import (
	"context"
	"regexp"
	"sort"
	"strings"

	"github.com/sqlc-dev/doubleclick/parser"
)

// NormalizeExpr removes whitespace and backquotes outside string literals, so
// `toYYYYMM(timestamp)` and the server's `toYYYYMM( timestamp )` compare equal.
func NormalizeExpr(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if quote != 0 {
			b.WriteByte(c)
			if c == '\\' && i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			} else if c == quote {
				quote = 0
			}
			continue
		}
		switch c {
		case '\'':
			quote = c
			b.WriteByte(c)
		case '`':
		case ' ', '\t', '\n', '\r':
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// NormalizeKey normalizes a key list: "(a, b)" and "a, b" are equal, "" and
// "tuple()" are equal.
func NormalizeKey(s string) string {
	n := NormalizeExpr(s)
	if n == "tuple()" {
		return ""
	}
	if strings.HasPrefix(n, "(") && strings.HasSuffix(n, ")") && balanced(n[1:len(n)-1]) {
		n = n[1 : len(n)-1]
	}
	return n
}

func balanced(s string) bool {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}

// defaultSettings are settings the server adds on its own.
var defaultSettings = map[string]string{"index_granularity": "8192"}

// NormalizeSettings parses "k=v, k2=v2" into a sorted canonical string,
// dropping settings equal to the server default.
func NormalizeSettings(s string) string {
	m := SettingsMap(s)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+m[k])
	}
	return strings.Join(parts, ",")
}

// SettingsMap parses "k=v, k2=v2", dropping server defaults.
func SettingsMap(s string) map[string]string {
	m := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.Trim(strings.TrimSpace(v), "'")
		if defaultSettings[k] == v {
			continue
		}
		m[k] = v
	}
	return m
}

// NormalizeType removes spaces in a type (`Nullable( String )`).
func NormalizeType(t string) string { return NormalizeExpr(t) }

var (
	lineComment  = regexp.MustCompile(`--[^\n]*`)
	blockComment = regexp.MustCompile(`(?s)/\*.*?\*/`)
	countStar    = regexp.MustCompile(`(?i)count\(\s*\*\s*\)`)
	// watermarkSub matches the source filter perch puts in a view recreated
	// with a watermark, as the server prints it back.
	watermarkSub = regexp.MustCompile("(?i)\\(\\s*SELECT\\s+\\*\\s+FROM\\s+([\\w.`]+)\\s+WHERE\\s+[\\w`]+\\s*>=\\s*toDateTime\\(\\s*\\d+\\s*\\)\\s*\\)(\\s+AS\\s+[\\w`]+)?")
)

// StripWatermark replaces perch's watermark subquery by the plain table name.
func StripWatermark(q string) string {
	return watermarkSub.ReplaceAllString(q, "$1")
}

// NormalizeQuery returns a canonical form of a SELECT for comparison: no
// comments, no database prefix, no watermark filter, then the parsed AST
// (EXPLAIN AST form) when the parser accepts it, else lower-cased text with
// whitespace removed.
func NormalizeQuery(q, database string) string {
	q = cleanQuery(q, database)
	stmts, err := parser.Parse(context.Background(), strings.NewReader(q))
	if err == nil && len(stmts) == 1 {
		return parser.Explain(stmts[0])
	}
	return strings.ToLower(NormalizeExpr(q))
}

// SameQuery reports whether two SELECTs are the same once normalized; equal
// texts (modulo whitespace, quoting and database prefix) skip the parser.
func SameQuery(a, b, database string) bool {
	ca, cb := cleanQuery(a, database), cleanQuery(b, database)
	if NormalizeExpr(ca) == NormalizeExpr(cb) {
		return true
	}
	return NormalizeQuery(ca, "") == NormalizeQuery(cb, "")
}

// cleanQuery drops comments, the database prefix, perch's watermark and
// count(*) spelling.
func cleanQuery(q, database string) string {
	if strings.Contains(q, "--") {
		q = lineComment.ReplaceAllString(q, " ")
	}
	if strings.Contains(q, "/*") {
		q = blockComment.ReplaceAllString(q, " ")
	}
	if database != "" {
		q = strings.ReplaceAll(q, "`"+database+"`.", "")
		q = stripPrefix(q, database+".")
	}
	if strings.Contains(q, "toDateTime(") {
		q = StripWatermark(q)
		q = stripOuterWatermark(q)
	}
	if strings.Contains(q, "*") {
		q = countStar.ReplaceAllString(q, "count()")
	}
	return strings.TrimSpace(q)
}

// stripPrefix removes prefix where it starts a word.
func stripPrefix(q, prefix string) string {
	var b strings.Builder
	for {
		i := strings.Index(q, prefix)
		if i < 0 {
			b.WriteString(q)
			return b.String()
		}
		if i > 0 && isWordByte(q[i-1]) {
			b.WriteString(q[:i+len(prefix)])
		} else {
			b.WriteString(q[:i])
		}
		q = q[i+len(prefix):]
	}
}
