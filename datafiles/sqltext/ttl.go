package sqltext

import "strings"

// ttlSection is the part of a TTL element a token belongs to.
type ttlSection int

const (
	ttlExpr   ttlSection = iota // the time expression
	ttlAction                   // DELETE, TO DISK 'd', TO VOLUME 'v', RECOMPRESS CODEC(...)
	ttlWhere                    // WHERE condition
	ttlGroup                    // GROUP BY keys
	ttlSet                      // SET assignments after GROUP BY
	ttlSections
)

// NormalizeTTL returns the comparison key of a table TTL, a list of
// `expr [DELETE | TO DISK 'd' | TO VOLUME 'v' | RECOMPRESS codec] [WHERE
// cond] [GROUP BY keys [SET name = expr, ...]]`. Expressions are keyed by
// their syntax tree (NormalizeExpr), the action by its tokens, and no
// action is DELETE (the server drops a written DELETE).
func NormalizeTTL(ttl, database string) string {
	if strings.TrimSpace(ttl) == "" {
		return ""
	}
	var keys []string
	for _, el := range ttlElements(ttl) {
		var b strings.Builder
		for s := ttlExpr; s < ttlSections; s++ {
			if s > ttlExpr {
				b.WriteString(" | ")
			}
			text := el[s]
			switch s {
			case ttlAction:
				if text == "" {
					text = "DELETE"
				}
				b.WriteString(TokenKey(text, ""))
			case ttlSet:
				for i, a := range SplitTopLevel(text) {
					if i > 0 {
						b.WriteString(", ")
					}
					name, expr, _ := strings.Cut(a, "=")
					b.WriteString(TokenKey(name, "") + " = " + NormalizeExpr(expr, database))
				}
			default:
				b.WriteString(NormalizeExpr(text, database))
			}
		}
		keys = append(keys, b.String())
	}
	return strings.Join(keys, "\n")
}

// ttlElements splits a TTL into its elements, each as the text of its
// sections (keywords GROUP BY and SET left out).
func ttlElements(ttl string) [][ttlSections]string {
	toks := Tokens(ttl)
	depths := Depths(ttl, toks)
	var out [][ttlSections]string
	var cur [ttlSections]string
	section := ttlExpr
	from := 0 // token index where the current section's text starts
	end := func(i int) {
		if from < i {
			cur[section] = strings.TrimSpace(ttl[toks[from].Start:toks[i-1].End])
		}
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if depths[i] != 0 {
			continue
		}
		next := section
		skip := 0
		switch {
		case t.IsPunct(ttl, ","):
			if section == ttlGroup || section == ttlSet && i+2 < len(toks) && toks[i+2].IsPunct(ttl, "=") && toks[i+1].Kind != Punct {
				continue // the next key or assignment
			}
			end(i)
			out = append(out, cur)
			cur, section, from = [ttlSections]string{}, ttlExpr, i+1
			continue
		case section < ttlAction && (t.IsWord(ttl, "DELETE") || t.IsWord(ttl, "RECOMPRESS") ||
			t.IsWord(ttl, "TO") && i+1 < len(toks) && (toks[i+1].IsWord(ttl, "DISK") || toks[i+1].IsWord(ttl, "VOLUME"))):
			next = ttlAction
		case section < ttlWhere && t.IsWord(ttl, "WHERE"):
			next, skip = ttlWhere, 1
		case section < ttlGroup && t.IsWord(ttl, "GROUP") && i+1 < len(toks) && toks[i+1].IsWord(ttl, "BY"):
			next, skip = ttlGroup, 2
		case section == ttlGroup && t.IsWord(ttl, "SET"):
			next, skip = ttlSet, 1
		}
		if next != section {
			end(i)
			section, from = next, i+skip
		}
	}
	end(len(toks))
	return append(out, cur)
}
