package plan

import (
	"strings"

	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/workspace/compare"
)

// clauseAfterWhere are the clauses that end a WHERE condition at depth 0.
var clauseAfterWhere = [][]string{{"GROUP", "BY"}, {"HAVING"}, {"ORDER", "BY"}, {"LIMIT"}, {"SETTINGS"}, {"FORMAT"}, {"UNION"}, {"WINDOW"}, {"QUALIFY"}}

// WithOuterWatermark adds `column >= toDateTime({W})` to the WHERE of the
// outermost SELECT. Materialized views must carry their watermark there:
// the old server runs a view's outer query directly on the inserted block,
// skipping a FROM subquery and any filter inside it.
func WithOuterWatermark(sql, column string) string {
	cond := column + " >= toDateTime({W})"
	toks := sqltext.Tokens(sql)
	depths := sqltext.Depths(sql, toks)
	whereAt, whereEnd, endAt := -1, -1, len(sql)
scan:
	for i, t := range toks {
		if depths[i] != 0 || t.Kind != sqltext.Word {
			continue
		}
		if whereAt < 0 && t.IsWord(sql, "WHERE") {
			whereAt, whereEnd = t.Start, t.End
			continue
		}
		for _, c := range clauseAfterWhere {
			if _, ok := sqltext.WordsAt(sql, toks, i, c...); ok {
				endAt = t.Start
				break scan
			}
		}
	}
	if whereAt >= 0 {
		body := strings.TrimSpace(sql[whereEnd:endAt])
		return sql[:whereAt] + "WHERE (" + cond + ") AND (" + body + ") " + sql[endAt:]
	}
	head := strings.TrimRight(sql[:endAt], " \n\t")
	return head + " WHERE " + cond + " " + sql[endAt:]
}

// NormalizeQuery returns the comparison key of a view's query
// (sqltext.NormalizeQuery) once perch's watermarks are stripped
// (compare.StripWatermark).
func NormalizeQuery(q, database string) string {
	return sqltext.NormalizeQuery(compare.StripWatermark(q), database)
}
