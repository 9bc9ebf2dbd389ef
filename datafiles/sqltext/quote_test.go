package sqltext

import "testing"

func TestQuoteString(t *testing.T) {
	for in, want := range map[string]string{
		"plain":     `'plain'`,
		"it's":      `'it\'s'`,
		`a\b`:       `'a\\b'`,
		"100%":      `'100%'`,
		"`x`":       "'\\`x\\`'",
		"l1\nl2":    `'l1\nl2'`,
		"\x00\b\f":  `'\0\b\f'`,
		"\x01":      `'\x01'`,
		"\x7f":      `'\x7F'`,
		"tab\tcr\r": `'tab\tcr\r'`,
		"ñ 日本":      `'ñ 日本'`,
	} {
		if got := QuoteString(in); got != want {
			t.Errorf("QuoteString(%q) = %s, want %s", in, got, want)
		}
	}
	if got := QuoteStringEscaping("50% _", "%"); got != `'50\% _'` {
		t.Errorf("QuoteStringEscaping = %s", got)
	}
}

func TestQuoteIdent(t *testing.T) {
	for in, want := range map[string]string{
		"a":      "`a`",
		"my col": "`my col`",
		"a`b":    "`a\\`b`",
		`a\b`:    "`a\\\\b`",
		"a\nb":   "`a\\nb`",
		"\x1b":   "`\\x1B`",
	} {
		if got := QuoteIdent(in); got != want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{"a_1": "a_1", "1a": "`1a`", "a b": "`a b`", "": "``", "$x": "`$x`"} {
		if got := Ident(in); got != want {
			t.Errorf("Ident(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestUnquoteReadsWhatQuoteWrites: every value survives a round trip
// through the quoting rule and the server's unescaping, as one token.
func TestUnquoteReadsWhatQuoteWrites(t *testing.T) {
	values := []string{"", "'", `\`, "`", `''`, `\'`, "' OR 1=1 --", "a\nb\r\tc\x00d\x1b\x7f", "%_%", "/* c */", "-- c", "ñ 日本 '", `\x27`, "\\\n'"}
	for _, v := range values {
		for _, q := range []string{QuoteString(v), QuoteIdent(v)} {
			toks := TokensWithComments(q)
			if len(toks) != 1 || toks[0].End != len(q) || toks[0].Unterminated {
				t.Errorf("%q quoted as %s is not one token: %v", v, q, toks)
				continue
			}
			if got := Unquote(q); got != v {
				t.Errorf("Unquote(%s) = %q, want %q", q, got, v)
			}
		}
	}
}

func TestUnquote(t *testing.T) {
	for in, want := range map[string]string{
		`'it''s'`:          "it's",
		`'it\'s'`:          "it's",
		`'a\%b'`:           `a\%b`,
		`'a\_b'`:           `a\_b`,
		`'\x41\n'`:         "A\n",
		`'\N'`:             "",
		"`a``b`":           "a`b",
		`"a""b"`:           `a"b`,
		`'open`:            "open",
		`'open\'`:          "open'",
		"$$x'y$$":          "x'y",
		"$t$ a $t$":        " a ",
		"bare":             "bare",
		`'\/\=\"` + "\\`'": "/=\"`",
		`'\q'`:             `\q`,
		`'tab\there'`:      "tab\there",
	} {
		if got := Unquote(in); got != want {
			t.Errorf("Unquote(%s) = %q, want %q", in, got, want)
		}
	}
}
