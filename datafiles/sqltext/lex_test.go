package sqltext

import (
	"strings"
	"testing"
)

// kinds renders the tokens of s as kind:text, one per token.
func kinds(s string) string {
	names := map[Kind]string{Word: "w", QuotedIdent: "q", String: "s", Number: "n", Punct: "p", Comment: "c"}
	var parts []string
	for _, t := range TokensWithComments(s) {
		p := names[t.Kind] + ":" + t.Text(s)
		if t.Unterminated {
			p += "!"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

func TestTokens(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT a, `b c` FROM db.t", "w:SELECT w:a p:, q:`b c` w:FROM w:db p:. w:t"},
		{`'it\'s' 'it''s' "x""y" ` + "`a``b`", `s:'it\'s' s:'it''s' q:"x""y" q:` + "`a``b`"},
		{`'a\\' b`, `s:'a\\' w:b`},
		{"a -- c ' d\nb", "w:a c:-- c ' d w:b"},
		{"a /* x /* y */ z */ b", "w:a c:/* x /* y */ z */ w:b"},
		{"a # c\nb #x", "w:a c:# c w:b p:# w:x"},
		{"1 1.5 .5 1e-3 0x1F 0b10 1e+3x", "n:1 n:1.5 n:.5 n:1e-3 n:0x1F n:0b10 n:1e+3x"},
		{"t.1 (x).2", "w:t p:. n:1 p:( w:x p:) p:. n:2"},
		{"a<=b a<>b a!=b a::T x->y a||b a<=>b a==b", "w:a p:<= w:b w:a p:<> w:b w:a p:!= w:b w:a p::: w:T w:x p:-> w:y w:a p:|| w:b w:a p:<=> w:b w:a p:== w:b"},
		{"$$a 'b'$$ $t$x$t$ $x", "s:$$a 'b'$$ s:$t$x$t$ w:$x"},
		{"{p:UInt8} [1]", "p:{ w:p p:: w:UInt8 p:} p:[ n:1 p:]"},
		{"'open", "s:'open!"},
		{"`open\\`", "q:`open\\`!"},
		{"/* open", "c:/* open!"},
		{"naïve ñ", "w:naïve w:ñ"},
	}
	for _, tt := range tests {
		if got := kinds(tt.in); got != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

func TestTokensCoverText(t *testing.T) {
	// every byte that is not white space belongs to exactly one token
	for _, s := range []string{"SELECT 'a' || \"b\" -- x\n/**/ `c`", "a\t\nb", "'", "x'y", "$$", "$a$b"} {
		pos := 0
		for _, tok := range TokensWithComments(s) {
			if strings.TrimSpace(s[pos:tok.Start]) != "" || tok.End <= tok.Start {
				t.Errorf("%q: gap or empty token at %d..%d", s, pos, tok.Start)
			}
			pos = tok.End
		}
		if strings.TrimSpace(s[pos:]) != "" {
			t.Errorf("%q: text after the last token: %q", s, s[pos:])
		}
	}
}

func TestTokenHelpers(t *testing.T) {
	s := "select `my col`, \"x\"\"y\" from T"
	toks := Tokens(s)
	if !toks[0].IsWord(s, "SELECT") || toks[0].IsWord(s, "SELEC") || !toks[2].IsPunct(s, ",") {
		t.Error("IsWord/IsPunct")
	}
	if n, ok := toks[1].Name(s); !ok || n != "my col" {
		t.Errorf("Name = %q %v", n, ok)
	}
	if n, _ := toks[3].Name(s); n != `x"y` {
		t.Errorf("Name = %q", n)
	}
	if _, ok := Tokens("'s'")[0].Name("'s'"); ok {
		t.Error("a string literal names nothing")
	}
}
