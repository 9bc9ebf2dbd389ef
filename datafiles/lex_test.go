package datafiles

import (
	"reflect"
	"strings"
	"testing"
)

func TestLexLine(t *testing.T) {
	type tok struct {
		Raw, Text string
		Col       int
	}
	tests := []struct {
		name   string
		line   string
		want   []tok
		badCol int
	}{
		{"blank", "", nil, 0},
		{"spaces only", " \t ", nil, 0},
		{"comment line", "# a comment", nil, 0},
		{"indented comment", "    # SELECT 1", nil, 0},
		{"words", "ENGINE MergeTree", []tok{{"ENGINE", "ENGINE", 1}, {"MergeTree", "MergeTree", 8}}, 0},
		{"tabs and runs of spaces", "\tNODE   \t mv", []tok{{"NODE", "NODE", 2}, {"mv", "mv", 11}}, 0},
		{"double quotes keep spaces", `ENGINE_SORTING_KEY "a, b"`, []tok{{"ENGINE_SORTING_KEY", "ENGINE_SORTING_KEY", 1}, {`"a, b"`, "a, b", 20}}, 0},
		{"single quotes", `TAGS 'x y'`, []tok{{"TAGS", "TAGS", 1}, {"'x y'", "x y", 6}}, 0},
		{"quotes inside a word", `f("a b",c)`, []tok{{`f("a b",c)`, "f(a b,c)", 1}}, 0},
		{"escaped double quote", `X "a\"b"`, []tok{{"X", "X", 1}, {`"a\"b"`, `a"b`, 3}}, 0},
		{"backslash outside quotes", `X a\ b`, []tok{{"X", "X", 1}, {`a\ b`, "a b", 3}}, 0},
		{"comment after tokens", `TOKEN t READ # why`, []tok{{"TOKEN", "TOKEN", 1}, {"t", "t", 7}, {"READ", "READ", 9}}, 0},
		{"hash inside a word is not a comment", `KAFKA_KEY ab#c`, []tok{{"KAFKA_KEY", "KAFKA_KEY", 1}, {"ab#c", "ab#c", 11}}, 0},
		{"hash inside quotes", `DESCRIPTION "a # b"`, []tok{{"DESCRIPTION", "DESCRIPTION", 1}, {`"a # b"`, "a # b", 13}}, 0},
		{"block opener", "SQL >", []tok{{"SQL", "SQL", 1}, {">", ">", 5}}, 0},
		{"unbalanced single quote is one token", "    player's stats ", []tok{{"player's stats", "player's stats", 5}}, 11},
		{"unbalanced double quote", `TAGS "a`, []tok{{`TAGS "a`, `TAGS "a`, 1}}, 6},
		{"sql comment is a token", "-- keep me", []tok{{"--", "--", 1}, {"keep", "keep", 4}, {"me", "me", 9}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			toks, bad := lexLine(tt.line)
			var got []tok
			for _, x := range toks {
				got = append(got, tok{x.Raw, x.Text, x.Col})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("tokens = %+v, want %+v", got, tt.want)
			}
			if bad != tt.badCol {
				t.Errorf("badCol = %d, want %d", bad, tt.badCol)
			}
		})
	}
}

func TestSplitLines(t *testing.T) {
	lines := splitLines("f", "a\r\nb\n\nc")
	var got []string
	for i, l := range lines {
		if l.Num != i+1 || l.File != "f" {
			t.Errorf("line %d: num %d file %q", i, l.Num, l.File)
		}
		got = append(got, l.Text)
	}
	if want := []string{"a", "b", "", "c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("lines = %q, want %q", got, want)
	}
}

func TestValueRules(t *testing.T) {
	env := func(name string) (string, bool) {
		v, ok := map[string]string{"DB": "prod", "EMPTY": ""}[name]
		return v, ok
	}
	tests := []struct {
		name, line, want string
	}{
		{"joined by one space", "ENGINE_TTL   timestamp  +  toIntervalDay(60)", "timestamp + toIntervalDay(60)"},
		{"one pair of quotes removed", `ENGINE "MergeTree"`, "MergeTree"},
		{"single quotes removed", `ENGINE 'MergeTree'`, "MergeTree"},
		{"only the surrounding pair", `X "'a'"`, "'a'"},
		{"inner quotes kept", `ENGINE_PARTITION_KEY toDate('2020-01-01')`, "toDate('2020-01-01')"},
		{"quoted spaces kept", `X "a  b"`, "a  b"},
		{"dollar var", "KAFKA_TOPIC events_$DB", "events_prod"},
		{"braced var", "KAFKA_TOPIC ${DB}_events", "prod_events"},
		{"empty var", "X a$EMPTY", "a"},
		{"unknown var kept", "X $NOPE ${NOPE}", "$NOPE ${NOPE}"},
		{"json path not a var", "X $.a", "$.a"},
		{"unclosed brace kept", "X ${DB", "${DB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &parseCtx{kind: KindDatasource, env: env}
			toks, _ := lexLine(tt.line)
			got := c.value(stmt{Args: toks[1:]})
			if got != tt.want {
				t.Errorf("value = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDedent(t *testing.T) {
	mk := func(texts ...string) []srcLine {
		var out []srcLine
		for i, s := range texts {
			out = append(out, srcLine{File: "f", Num: 10 + i, Text: s})
		}
		return out
	}
	tests := []struct {
		name        string
		lines       []srcLine
		want        string
		indent      int
		firstIndent int
	}{
		{"common prefix", mk("    SELECT a,  ", "        b", "    FROM t"), "SELECT a,\n    b\nFROM t", 4, 4},
		{"tabs", mk("\tTop scores"), "Top scores", 1, 1},
		{"sql at column 0", mk("    SELECT", "FROM t"), "    SELECT\nFROM t", 0, 0},
		{"template trimmed apart", mk("    %", "    SELECT {{ x }}", "      FROM t"), "%\nSELECT {{ x }}\n  FROM t", 4, 4},
		{"template percent at column 0", mk("%", "    SELECT 1"), "%\nSELECT 1", 4, 0},
		{"mixed tabs and spaces", mk("\tA", "    B"), "\tA\n    B", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := dedent(tt.lines)
			if b.text != tt.want {
				t.Errorf("text = %q, want %q", b.text, tt.want)
			}
			if b.indent != tt.indent || b.firstIndent != tt.firstIndent {
				t.Errorf("indent = %d/%d, want %d/%d", b.indent, b.firstIndent, tt.indent, tt.firstIndent)
			}
			if len(b.lines) != len(tt.lines) || b.lines[0] != 10 {
				t.Errorf("lines = %v", b.lines)
			}
		})
	}
}

func TestNonASCIIIsNeverADirective(t *testing.T) {
	// strings.ToUpper("ſql") == "SQL": such words must not count as directives.
	_, diags := ParseFile("p.pipe", []byte("NODE a\nſql >\n    SELECT 1\n"), ParseOptions{})
	if len(diags) == 0 || !strings.Contains(diags[0].Message, `unknown directive "ſql"`) {
		t.Errorf("diags = %v", diags)
	}
}
