package sqltext

import (
	"strings"
	"testing"
)

var fuzzSeeds = []string{
	"SELECT toDate(ts) AS day, count(*) FROM db.events WHERE s = 'it\\'s' GROUP BY day -- c",
	"CREATE TABLE db.t (a UInt8 DEFAULT CAST(0, 'UInt8') CODEC(Delta, ZSTD), INDEX ix a TYPE minmax GRANULARITY 3) ENGINE = MergeTree ORDER BY (a, `b c`) SETTINGS storage_policy = 'hot,cold'",
	"ts + INTERVAL 1 DAY DELETE, ts + INTERVAL 2 DAY TO VOLUME 'cold' WHERE x GROUP BY a, b SET c = max(c)",
	"Tuple(`x y` String, e Enum8('a' = -1))", "/* a /* b */ c */ 'x''y' \"q\\\"\" $$h$$ $t$x$t$ #! s\n0x1F .5 t.1",
	"'", "`", "\"", "$", "/*", "--", "((((", "))", "a,,b", "CAST(", "tuple(", "{{ x }}", "\\", "\x00\xff",
}

// FuzzTokens: the tokens cover the text in order, and quoting any text
// gives one token that decodes back to it.
func FuzzTokens(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pos := 0
		for _, tok := range TokensWithComments(s) {
			if tok.Start < pos || tok.End <= tok.Start || tok.End > len(s) || strings.TrimLeft(s[pos:tok.Start], " \t\n\r\f\v") != "" {
				t.Fatalf("%q: bad token %+v after %d", s, tok, pos)
			}
			pos = tok.End
		}
		if strings.TrimLeft(s[pos:], " \t\n\r\f\v") != "" {
			t.Fatalf("%q: text left after the tokens: %q", s, s[pos:])
		}
		for _, q := range []string{QuoteString(s), QuoteIdent(s), QuoteStringEscaping(s, "%")} {
			toks := TokensWithComments(q)
			if len(toks) != 1 || toks[0].End != len(q) || toks[0].Unterminated {
				t.Fatalf("%q quoted as %s is %d tokens", s, q, len(toks))
			}
		}
		if got := Unquote(QuoteString(s)); got != s {
			t.Fatalf("Unquote(QuoteString(%q)) = %q", s, got)
		}
		if got := Unquote(QuoteIdent(s)); got != s {
			t.Fatalf("Unquote(QuoteIdent(%q)) = %q", s, got)
		}
		Unquote(s)
		SplitTopLevel(s)
		UnwrapKey(s)
	})
}

// FuzzNormalize: no normalizer panics; laying a query out, stripping its
// database, re-spelling a type or a key never changes its key.
func FuzzNormalize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		NormalizeExpr(s, "db")
		NormalizeDefault(s, s, "db")
		NormalizeCodec(s, "UInt32")
		NormalizeTTL(s, "db")
		NormalizeSettings(s)
		ParseSettings(s)
		FormatType(s)
		if n := NormalizeType(s); NormalizeType(n) != n {
			t.Errorf("NormalizeType not idempotent on %q: %q then %q", s, n, NormalizeType(n))
		}
		if n := NormalizeType(s); NormalizeType(FormatType(s)) != n {
			t.Errorf("FormatType(%q) = %q changes the type key", s, FormatType(s))
		}
		key := NormalizeQuery(s, "db")
		if !strings.ContainsAny(s, "\n\r") {
			if got := NormalizeQuery(Layout(s), "db"); got != key && bothParsed(got, key) {
				t.Errorf("Layout changed the query %q:\n%s", s, Layout(s))
			}
		}
		if got := NormalizeQuery(StripDatabase(s, "db"), "db"); got != key && bothParsed(got, key) {
			t.Errorf("StripDatabase changed the query %q: %q", s, StripDatabase(s, "db"))
		}
		if k, p := NormalizeKey(s, "db"), NormalizeKey("("+UnwrapKey(s)+")", "db"); closed(s) && p != k && bothParsed(p, k) {
			t.Errorf("parenthesized key %q changes its key", s)
		}
	})
}

// closed reports whether every token of s ends (no open literal or block
// comment) and s has no line comment, which would swallow what follows.
func closed(s string) bool {
	for _, t := range TokensWithComments(s) {
		if t.Unterminated || t.Kind == Comment && !strings.HasPrefix(t.Text(s), "/*") {
			return false
		}
	}
	return true
}

// bothParsed reports whether both keys come from a syntax tree (where the
// parser's lexer and this package's disagree on garbage, one side may fall
// back to tokens: no invariant holds between the two kinds of key).
func bothParsed(a, b string) bool {
	return strings.HasPrefix(a, "ast:") && strings.HasPrefix(b, "ast:")
}
