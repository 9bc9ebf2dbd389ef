package workspace

import "strings"

// A byte scanner for the DDL the server stores: faster than the full lexer
// for the hot paths of a snapshot (thousands of statements). It knows
// quotes ('..', "..", `..` with backslash escapes), brackets and words.

// scanTop calls fn at every byte of s that is outside quotes, with the
// bracket depth at that byte; fn returns false to stop.
func scanTop(s string, fn func(i, depth int) bool) {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'', '"', '`':
			for i++; i < len(s) && s[i] != c; i++ {
				if s[i] == '\\' {
					i++
				}
			}
			continue
		case ')', ']':
			depth--
		}
		if !fn(i, depth) {
			return
		}
		if s[i] == '(' || s[i] == '[' {
			depth++
		}
	}
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// keywords is a phrase of upper-case words, split once.
type keywords []string

// kw splits a phrase like "ORDER BY" into its words.
func kw(phrase string) keywords { return strings.Fields(phrase) }

// String joins the words with single spaces.
func (k keywords) String() string { return strings.Join(k, " ") }

// wordsAt reports whether the words start at s[i] as whole words
// (case-insensitive, any whitespace between them), and returns the index
// just after them.
func wordsAt(s string, i int, words keywords) (int, bool) {
	if i > 0 && isWordByte(s[i-1]) {
		return 0, false
	}
	for k, w := range words {
		if k > 0 {
			j := i
			for j < len(s) && (s[j] == ' ' || s[j] == '\n' || s[j] == '\t' || s[j] == '\r') {
				j++
			}
			if j == i {
				return 0, false
			}
			i = j
		}
		if len(s)-i < len(w) || !strings.EqualFold(s[i:i+len(w)], w) {
			return 0, false
		}
		i += len(w)
		if i < len(s) && isWordByte(s[i]) {
			return 0, false
		}
	}
	return i, true
}

// splitTopLevel splits s at commas outside brackets and quotes, trimming each part.
func splitTopLevel(s string) []string {
	var parts []string
	from := 0
	scanTop(s, func(i, depth int) bool {
		if depth == 0 && s[i] == ',' {
			parts = append(parts, strings.TrimSpace(s[from:i]))
			from = i + 1
		}
		return true
	})
	if rest := strings.TrimSpace(s[from:]); rest != "" || len(parts) > 0 {
		parts = append(parts, rest)
	}
	return parts
}

// matchClose returns the index of the bracket closing s[open], or -1.
func matchClose(s string, open int) int {
	end := -1
	scanTop(s[open:], func(i, depth int) bool {
		if i > 0 && depth == 0 && (s[open+i] == ')' || s[open+i] == ']') {
			end = open + i
			return false
		}
		return true
	})
	return end
}

// clauseBreaks are the clauses that start a new line in LayoutSQL.
var clauseBreaks = func() []keywords {
	var out []keywords
	for _, p := range []string{"FROM", "PREWHERE", "WHERE", "GROUP BY", "HAVING", "ORDER BY", "LIMIT", "UNION ALL", "ARRAY JOIN", "LEFT ARRAY JOIN",
		"LEFT JOIN", "RIGHT JOIN", "INNER JOIN", "FULL JOIN", "ANY LEFT JOIN", "ANY INNER JOIN", "ALL LEFT JOIN", "ALL INNER JOIN", "JOIN", "SETTINGS"} {
		out = append(out, kw(p))
	}
	return out
}()

// LayoutSQL puts each top-level clause of a one-line query (as the server
// stores it) on its own line, for pulled datafiles and side-by-side views.
// Text with line breaks already, or with comment markers, is returned as
// it is.
func LayoutSQL(sql string) string {
	if strings.Contains(sql, "\n") || strings.Contains(sql, "--") || strings.Contains(sql, "/*") || strings.Contains(sql, "#") {
		return sql // a line break would end a comment: leave such text alone
	}
	var b strings.Builder
	last := 0
	skipTo := 0
	scanTop(sql, func(i, depth int) bool {
		if depth != 0 || i < skipTo || (i > 0 && sql[i-1] != ' ') || !isWordByte(sql[i]) {
			return true
		}
		for _, k := range clauseBreaks {
			if j, ok := wordsAt(sql, i, k); ok {
				b.WriteString(strings.TrimRight(sql[last:i], " "))
				b.WriteByte('\n')
				last, skipTo = i, j
				break
			}
		}
		return true
	})
	b.WriteString(sql[last:])
	return b.String()
}
