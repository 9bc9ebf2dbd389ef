package compare

import (
	"strings"

	"github.com/perchdata/perch/datafiles/sqltext"
)

// watermarkAt matches `col >= toDateTime(N)` at toks[i] (N digits or the
// {W} placeholder) and returns the index after it.
func watermarkAt(src string, toks []sqltext.Token, i int) (int, bool) {
	if i+4 >= len(toks) || (toks[i].Kind != sqltext.Word && toks[i].Kind != sqltext.QuotedIdent) ||
		!toks[i+1].IsPunct(src, ">=") || !toks[i+2].IsWord(src, "toDateTime") || !toks[i+3].IsPunct(src, "(") {
		return 0, false
	}
	j := i + 4
	switch {
	case toks[j].Kind == sqltext.Number && strings.Trim(toks[j].Text(src), "0123456789") == "":
		j++
	case toks[j].IsPunct(src, "{") && j+2 < len(toks) && toks[j+1].IsWord(src, "W") && toks[j+2].IsPunct(src, "}"):
		j += 3
	default:
		return 0, false
	}
	if j >= len(toks) || !toks[j].IsPunct(src, ")") {
		return 0, false
	}
	return j + 1, true
}

// StripWatermark removes the watermarks perch puts in a view it recreates,
// as the server prints them back: the source filter `(SELECT * FROM t
// WHERE col >= toDateTime(N)) AS t` becomes t again (an alias of another
// name is kept), and the outer `WHERE (col >= toDateTime(N)) AND (...)` or
// `WHERE col >= toDateTime(N)` of WithOuterWatermark is dropped.
func StripWatermark(q string) string {
	if !strings.Contains(q, "toDateTime") {
		return q
	}
	toks := sqltext.Tokens(q)
	var b strings.Builder
	last := 0
	cut := func(from, to int, with string) {
		b.WriteString(q[last:from])
		b.WriteString(with)
		last = to
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.IsPunct(q, "(") && i+4 < len(toks) && toks[i+1].IsWord(q, "SELECT") && toks[i+2].IsPunct(q, "*") && toks[i+3].IsWord(q, "FROM"):
			// ( SELECT * FROM name WHERE wm ) [AS alias]
			nameAt := i + 4
			j := nameAt + 1
			for j+1 < len(toks) && toks[j].IsPunct(q, ".") {
				j += 2
			}
			if j >= len(toks) || !toks[j].IsWord(q, "WHERE") {
				continue
			}
			k, ok := watermarkAt(q, toks, j+1)
			if !ok || k >= len(toks) || !toks[k].IsPunct(q, ")") {
				continue
			}
			end := toks[k].End
			last4 := toks[j-1]
			if k+2 < len(toks) && toks[k+1].IsWord(q, "AS") {
				alias, _ := toks[k+2].Name(q)
				table, _ := last4.Name(q)
				if alias == table {
					end = toks[k+2].End
				}
			}
			cut(t.Start, end, q[toks[nameAt].Start:last4.End])
			i = k
		case t.IsWord(q, "WHERE"):
			// WHERE ( wm ) AND ...   or   WHERE wm
			if i+1 < len(toks) && toks[i+1].IsPunct(q, "(") {
				if k, ok := watermarkAt(q, toks, i+2); ok && k+1 < len(toks) && toks[k].IsPunct(q, ")") && toks[k+1].IsWord(q, "AND") {
					cut(t.End, toks[k+1].End, "")
					i = k + 1
				}
				continue
			}
			if k, ok := watermarkAt(q, toks, i+1); ok && (k == len(toks) || !toks[k].IsWord(q, "AND") && !toks[k].IsWord(q, "OR")) {
				from := t.Start
				if i > 0 {
					from = toks[i-1].End
				}
				cut(from, toks[k-1].End, "")
				i = k - 1
			}
		}
	}
	b.WriteString(q[last:])
	return b.String()
}
