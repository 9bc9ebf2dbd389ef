package sqltext

import "strings"

// clauseBreaks are the clauses that start a new line in Layout.
var clauseBreaks = func() [][]string {
	var out [][]string
	for _, p := range []string{"FROM", "PREWHERE", "WHERE", "GROUP BY", "HAVING", "ORDER BY", "LIMIT", "UNION ALL", "ARRAY JOIN", "LEFT ARRAY JOIN",
		"LEFT JOIN", "RIGHT JOIN", "INNER JOIN", "FULL JOIN", "ANY LEFT JOIN", "ANY INNER JOIN", "ALL LEFT JOIN", "ALL INNER JOIN", "JOIN", "SETTINGS"} {
		out = append(out, strings.Fields(p))
	}
	return out
}()

// Layout puts each top-level clause of a one-line query (as the server
// stores it) on its own line, for pulled datafiles and side-by-side views.
// Text with line breaks or comments already is returned as it is: a line
// break would end a comment.
func Layout(sql string) string {
	if strings.Contains(sql, "\n") {
		return sql
	}
	toks := TokensWithComments(sql)
	for _, t := range toks {
		if t.Kind == Comment {
			return sql
		}
	}
	depths := Depths(sql, toks)
	var b strings.Builder
	last := 0
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if depths[i] != 0 || t.Kind != Word || t.Start == 0 || sql[t.Start-1] != ' ' {
			continue
		}
		for _, words := range clauseBreaks {
			if j, ok := WordsAt(sql, toks, i, words...); ok {
				b.WriteString(strings.TrimRight(sql[last:t.Start], " "))
				b.WriteByte('\n')
				last = t.Start
				i = j - 1
				break
			}
		}
	}
	b.WriteString(sql[last:])
	return b.String()
}
