package plan

import (
	"regexp"
	"strings"
)

// fromRef matches a table reference after FROM or JOIN: optional database,
// optional backquotes.
var fromRef = regexp.MustCompile("(?i)\\b(FROM|JOIN)\\s+((?:`[^`]+`|[A-Za-z_][\\w]*)\\.)?(`[^`]+`|[A-Za-z_][\\w]*)")

// aliasStop are words that may follow a table reference without being its alias.
var aliasStop = map[string]bool{
	"where": true, "group": true, "order": true, "limit": true, "join": true, "left": true, "right": true,
	"inner": true, "full": true, "cross": true, "array": true, "final": true, "prewhere": true, "sample": true,
	"union": true, "having": true, "settings": true, "format": true, "on": true, "using": true, "any": true,
	"all": true, "global": true, "asof": true, "semi": true, "anti": true, "window": true, "qualify": true,
}

// WithWatermark rewrites the first reference to source in a view's query into
// a subquery filtered on column against the watermark placeholder {W}
// (unix seconds): op is ">=" for the new view and "<" for the backfill. A
// materialized view over such a subquery still fires on inserts into source.
func WithWatermark(sql, source, column, op string) (string, bool) {
	locs := fromRef.FindAllStringSubmatchIndex(sql, -1)
	for _, l := range locs {
		name := strings.Trim(sql[l[6]:l[7]], "`")
		if name != source {
			continue
		}
		start := l[6]
		if l[4] >= 0 {
			start = l[4]
		}
		ref := sql[start:l[7]]
		rest := sql[l[7]:]
		sub := "(SELECT * FROM " + ref + " WHERE " + column + " " + op + " toDateTime({W}))"
		next := strings.Fields(rest)
		if len(next) == 0 || !(strings.EqualFold(next[0], "AS") || isAlias(next[0])) {
			sub += " AS " + source
		}
		return sql[:start] + sub + rest, true
	}
	return sql, false
}

func isAlias(word string) bool {
	w := strings.ToLower(strings.TrimRight(word, ",;)"))
	if w == "" || aliasStop[w] || word[0] == ')' || word[0] == ',' {
		return false
	}
	c := w[0]
	return c == '_' || c == '`' || (c >= 'a' && c <= 'z')
}

// mentions reports whether sql uses word as a whole identifier.
func mentions(sql, word string) bool {
	lower, w := strings.ToLower(sql), strings.ToLower(word)
	for from := 0; ; {
		i := strings.Index(lower[from:], w)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(w)
		before := i == 0 || (!isWordByte(lower[i-1]) && lower[i-1] != '.')
		after := end == len(lower) || !isWordByte(lower[end])
		if before && after {
			return true
		}
		from = i + 1
	}
}
