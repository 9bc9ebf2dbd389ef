package highlight

import (
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/perchdata/perch/tui/theme"
)

func typeOf(toks []chroma.Token, value string) (chroma.TokenType, bool) {
	for _, t := range toks {
		if t.Value == value {
			return t.Type, true
		}
	}
	return 0, false
}

func TestLexers(t *testing.T) {
	tests := []struct {
		name  string
		lang  Lang
		text  string
		value string
		want  chroma.TokenType
	}{
		{"prewhere keyword", SQL, "SELECT a FROM t PREWHERE x = 1", "PREWHERE", chroma.Keyword},
		{"final keyword", SQL, "SELECT * FROM t FINAL", "FINAL", chroma.Keyword},
		{"array join", SQL, "SELECT x FROM t ARRAY JOIN arr AS x", "ARRAY JOIN", chroma.Keyword},
		{"engine", SQL, "ENGINE = MergeTree ORDER BY id", "MergeTree", chroma.NameBuiltin},
		{"function", SQL, "SELECT countState() FROM t", "countState", chroma.NameFunction},
		{"type", SQL, "CAST(x AS LowCardinality(String))", "LowCardinality", chroma.NameBuiltin},
		{"string", SQL, "WHERE a = 'it''s'", "'it''s'", chroma.LiteralStringSingle},
		{"template open", SQL, "WHERE d >= {{ Date(start, '2024-01-01') }}", "{{", chroma.CommentPreproc},
		{"template function", SQL, "WHERE d >= {{ Date(start, '2024-01-01') }}", "Date", chroma.NameFunction},
		{"template variable", SQL, "WHERE d >= {{ Date(start, '2024-01-01') }}", "start", chroma.NameVariable},
		{"template stmt", SQL, "{% if defined(x) %} AND a {% end %}", "if", chroma.Keyword},
		{"sql after template", SQL, "{% if defined(x) %} AND a {% end %}", "AND", chroma.Keyword},
		{"directive", File, "NODE n\nSQL >\n    SELECT 1\n", "NODE", chroma.NameTag},
		{"sql in block", File, "NODE n\nSQL >\n    SELECT 1\n\nTYPE endpoint\n", "SELECT", chroma.Keyword},
		{"directive after block", File, "SQL >\n    SELECT 1\n\nTYPE endpoint\n", "TYPE", chroma.NameTag},
		{"quoted value", File, "ENGINE \"MergeTree\"\n", "\"MergeTree\"", chroma.LiteralStringDouble},
		{"comment", File, "# hello\nNODE n\n", "# hello\n", chroma.CommentSingle},
		{"schema types", File, "SCHEMA >\n    `id` UInt64,\n    `ts` DateTime\n", "UInt64", chroma.NameBuiltin},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			toks, err := Tokens(tc.lang, tc.text)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := typeOf(toks, tc.value)
			if !ok {
				t.Fatalf("no token %q in %v", tc.value, toks)
			}
			if got != tc.want {
				t.Fatalf("%q: got %s, want %s", tc.value, got, tc.want)
			}
		})
	}
}

func TestLinesKeepTextAndCache(t *testing.T) {
	h := New()
	text := "NODE n\nSQL >\n    SELECT {{ x }}\n    FROM t\n\nTYPE endpoint\n"
	lines := h.Lines(theme.Dark(), File, text)
	want := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d: %q", len(lines), len(want), lines)
	}
	for i := range want {
		if got := ansi.Strip(lines[i]); got != want[i] {
			t.Errorf("line %d: got %q want %q", i, got, want[i])
		}
	}
	again := h.Lines(theme.Dark(), File, text)
	if &again[0] != &lines[0] {
		t.Error("second call did not hit the cache")
	}
	light := h.Lines(theme.Light(), File, text)
	if &light[0] == &lines[0] {
		t.Error("cache not keyed by theme")
	}
}

func BenchmarkLinesCached(b *testing.B) {
	h := New()
	text := strings.Repeat("SELECT a, count() FROM t PREWHERE x = {{ Int(x, 1) }} GROUP BY a\n", 50)
	th := theme.Dark()
	h.Lines(th, SQL, text)
	b.ReportAllocs()
	for b.Loop() {
		h.Lines(th, SQL, text)
	}
}
