package sqltext

import "strings"

// Depths returns, for each token, the bracket depth it stands at: the
// depth before an opening bracket and after a closing one, so a bracket
// pair and the tokens around it share a depth.
func Depths(src string, toks []Token) []int {
	out := make([]int, len(toks))
	depth := 0
	for i, t := range toks {
		if t.Closes(src) {
			depth--
		}
		out[i] = depth
		if t.Opens(src) {
			depth++
		}
	}
	return out
}

// MatchClose returns the index of the token closing the bracket at
// toks[open], or -1.
func MatchClose(src string, toks []Token, open int) int {
	depth := 0
	for j := open; j < len(toks); j++ {
		switch {
		case toks[j].Opens(src):
			depth++
		case toks[j].Closes(src):
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// WordsAt reports whether toks[i:] starts with the bare words (compared
// case-insensitively), and returns the index of the token after them.
func WordsAt(src string, toks []Token, i int, words ...string) (int, bool) {
	for _, w := range words {
		if i >= len(toks) || !toks[i].IsWord(src, w) {
			return 0, false
		}
		i++
	}
	return i, true
}

// SplitTopLevel splits s at the commas outside brackets, quotes and
// comments, trimming each part. Empty text has no parts.
func SplitTopLevel(s string) []string {
	var parts []string
	from, depth := 0, 0
	l := Lexer{src: s}
	for {
		t, ok := l.Next()
		if !ok {
			break
		}
		switch {
		case t.Opens(s):
			depth++
		case t.Closes(s):
			depth--
		case depth == 0 && t.IsPunct(s, ","):
			parts = append(parts, strings.TrimSpace(s[from:t.Start]))
			from = t.End
		}
	}
	if rest := strings.TrimSpace(s[from:]); rest != "" || len(parts) > 0 {
		parts = append(parts, rest)
	}
	return parts
}

// UnwrapKey removes parentheses and a tuple(...) around a whole key and
// maps tuple() to "": (a, b), tuple(a, b) and a, b are the same key.
func UnwrapKey(key string) string {
	k := strings.TrimSpace(key)
	for k != "" {
		toks := Tokens(k)
		first := 0
		if len(toks) >= 3 && toks[0].IsWord(k, "tuple") && toks[1].IsPunct(k, "(") {
			first = 1
		}
		if len(toks) < 2 || !toks[first].IsPunct(k, "(") || MatchClose(k, toks, first) != len(toks)-1 {
			return k
		}
		k = strings.TrimSpace(k[toks[first].End:toks[len(toks)-1].Start])
	}
	return k
}
