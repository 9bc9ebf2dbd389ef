package plan

import (
	"regexp"
	"strings"
)

// clauseAfterWhere are the keywords that end a WHERE condition at depth 0.
var clauseAfterWhere = regexp.MustCompile(`(?i)^(GROUP\s+BY|HAVING|ORDER\s+BY|LIMIT|SETTINGS|FORMAT|UNION|WINDOW|QUALIFY)\b`)
var whereKW = regexp.MustCompile(`(?i)^WHERE\b`)

// WithOuterWatermark adds `column >= toDateTime({W})` to the WHERE of the
// outermost SELECT. Materialized views must carry their watermark there:
// the old server runs a view's outer query directly on the inserted block,
// skipping a FROM subquery and any filter inside it.
func WithOuterWatermark(sql, column string) string {
	cond := column + " >= toDateTime({W})"
	depth := 0
	var quote byte
	whereAt, endAt := -1, -1
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		if quote != 0 {
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
			continue
		}
		switch c {
		case '\'', '"', '`':
			quote = c
			continue
		case '(':
			depth++
			continue
		case ')':
			depth--
			continue
		}
		if depth != 0 || (i > 0 && isWordByte(sql[i-1])) {
			continue
		}
		rest := sql[i:]
		if whereAt < 0 && whereKW.MatchString(rest) {
			whereAt = i
			continue
		}
		if clauseAfterWhere.MatchString(rest) {
			endAt = i
			break
		}
	}
	if endAt < 0 {
		endAt = len(sql)
	}
	if whereAt >= 0 {
		body := strings.TrimSpace(sql[whereAt+len("WHERE") : endAt])
		return sql[:whereAt] + "WHERE (" + cond + ") AND (" + body + ") " + sql[endAt:]
	}
	head := strings.TrimRight(sql[:endAt], " \n\t")
	return head + " WHERE " + cond + " " + sql[endAt:]
}

func isWordByte(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

var (
	outerWMAnd  = regexp.MustCompile("(?i)WHERE\\s+\\(\\s*[\\w`]+\\s*>=\\s*toDateTime\\(\\s*\\d+\\s*\\)\\s*\\)\\s+AND\\s+")
	outerWMOnly = regexp.MustCompile("(?i)\\s+WHERE\\s+[\\w`]+\\s*>=\\s*toDateTime\\(\\s*\\d+\\s*\\)")
)

// stripOuterWatermark removes the watermark WithOuterWatermark added, as the
// server prints it back.
func stripOuterWatermark(q string) string {
	q = outerWMAnd.ReplaceAllString(q, "WHERE ")
	return outerWMOnly.ReplaceAllString(q, "")
}
