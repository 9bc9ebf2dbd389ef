package sqltext

import (
	"strings"
	"testing"
)

func TestNormalizeQueryEqual(t *testing.T) {
	tests := []struct{ name, a, b string }{
		{"server rewrite", "select toDate(ts) day, count(*) c from events group by day",
			"SELECT toDate(ts) AS day, count() AS c FROM db1.events  GROUP BY day"},
		{"quoting and comments", "SELECT `user_id` FROM `events` -- note\nWHERE x = 1;", "SELECT user_id FROM db1.events WHERE x = 1"},
		{"block comment", "SELECT /* a /* nested */ comment */ a FROM t", "SELECT a FROM t"},
		{"interval", "SELECT 1 FROM t WHERE ts > now() - interval 1 day", "SELECT 1 FROM db1.t WHERE ts > (now() - toIntervalDay(1))"},
		{"cast", "SELECT CAST(x AS String) FROM t", "SELECT CAST(x, 'String') FROM t"},
		{"keyword case", "select a from t where b in (1,2)", "SELECT a FROM t WHERE b IN (1, 2)"},
		{"26 parentheses", "SELECT a FROM t WHERE ts > now() - INTERVAL 1 DAY AND b IN (SELECT b FROM t)",
			"SELECT a FROM db1.t WHERE (ts > (now() - toIntervalDay(1))) AND (b IN (SELECT b FROM db1.t))"},
		{"escaped quotes", `SELECT 'it\'s'`, "SELECT 'it''s'"},
		{"quoted database", "SELECT a FROM `db1`.`t`", "SELECT a FROM t"},
		{"default join strictness", "SELECT a FROM t JOIN u USING a", "SELECT a FROM t ALL INNER JOIN u USING a"},
		{"asc", "SELECT a FROM t ORDER BY a ASC", "SELECT a FROM t ORDER BY a"},
	}
	if a, b := NormalizeQuery("SELECT a FROM default.events JOIN `default`.u USING k", "default"), NormalizeQuery("SELECT a FROM events JOIN u USING k", "default"); a != b {
		t.Errorf("database named default not stripped:\n%s\n---\n%s", a, b)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if a, b := NormalizeQuery(tt.a, "db1"), NormalizeQuery(tt.b, "db1"); a != b {
				t.Errorf("differ:\n%s\n---\n%s", a, b)
			}
		})
	}
}

// TestNormalizeQueryDifferent: changes EXPLAIN AST does not print (sort
// direction, join kind, DISTINCT...) are changes.
func TestNormalizeQueryDifferent(t *testing.T) {
	tests := []struct{ name, a, b string }{
		{"constant", "SELECT a FROM t WHERE x = 1", "SELECT a FROM t WHERE x = 2"},
		{"column", "SELECT a FROM t", "SELECT b FROM t"},
		{"alias", "SELECT a AS x FROM t", "SELECT a AS y FROM t"},
		{"other database", "SELECT a FROM other.t", "SELECT a FROM t"},
		{"string case", "SELECT 'A'", "SELECT 'a'"},
		{"quoted name", "SELECT `x y` FROM t", "SELECT xy FROM t"},
		{"desc", "SELECT a FROM t ORDER BY a", "SELECT a FROM t ORDER BY a DESC"},
		{"nulls", "SELECT a FROM t ORDER BY a NULLS FIRST", "SELECT a FROM t ORDER BY a NULLS LAST"},
		{"join kind", "SELECT a FROM t JOIN u USING a", "SELECT a FROM t LEFT JOIN u USING a"},
		{"join strictness", "SELECT a FROM t ANY LEFT JOIN u USING a", "SELECT a FROM t ALL LEFT JOIN u USING a"},
		{"global join", "SELECT a FROM t GLOBAL JOIN u USING a", "SELECT a FROM t JOIN u USING a"},
		{"distinct", "SELECT DISTINCT a FROM t", "SELECT a FROM t"},
		{"final", "SELECT a FROM t FINAL", "SELECT a FROM t"},
		{"totals", "SELECT a FROM t GROUP BY a WITH TOTALS", "SELECT a FROM t GROUP BY a"},
		{"union", "SELECT a FROM t UNION ALL SELECT b FROM u", "SELECT a FROM t UNION DISTINCT SELECT b FROM u"},
		{"array join", "SELECT a FROM t ARRAY JOIN x", "SELECT a FROM t LEFT ARRAY JOIN x"},
		{"settings", "SELECT a FROM t SETTINGS max_threads = 1", "SELECT a FROM t SETTINGS max_threads = 2"},
		{"prewhere", "SELECT a FROM t PREWHERE b", "SELECT a FROM t WHERE b"},
		{"frame", "SELECT sum(a) OVER (ORDER BY b ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t", "SELECT sum(a) OVER (ORDER BY b RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t"},
		{"distinct argument", "SELECT count(DISTINCT a) FROM t", "SELECT count(a) FROM t"},
		{"escaped quote", `SELECT 'it\'s'`, `SELECT 'its'`},
		{"unparsed strings", "SELECT {{ x }} 'hot,cold'", "SELECT {{ x }} 'hot,warm'"},
		{"unparsed names", "SELECT {{ x }} `x y`", "SELECT {{ x }} xy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if NormalizeQuery(tt.a, "db1") == NormalizeQuery(tt.b, "db1") {
				t.Errorf("%q and %q normalize the same", tt.a, tt.b)
			}
		})
	}
}

func TestNormalizeQueryFallback(t *testing.T) {
	a := NormalizeQuery("SELECT {{ column(x) }}  FROM   db1.t -- c", "db1")
	b := NormalizeQuery("SELECT {{column(x)}} FROM t", "db1")
	if a != b || !strings.HasPrefix(a, "tokens:") {
		t.Errorf("token keys differ or parsed: %q %q", a, b)
	}
	if NormalizeQuery("  -- only a comment\n", "") != "" {
		t.Error("a text without tokens has the empty key")
	}
}

func TestNormalizeKey(t *testing.T) {
	same := [][2]string{{"(a, b)", "a, b"}, {"tuple()", ""}, {"(a)", "a"}, {"toYYYYMM(ts)", "toYYYYMM( ts )"},
		{"((a, b))", "a,b"}, {"tuple(a, b)", "(a, b)"}, {"`a`", "a"}, {"(db.f(a))", "f(a)"}}
	for _, p := range same {
		if NormalizeKey(p[0], "db") != NormalizeKey(p[1], "db") {
			t.Errorf("%q != %q", p[0], p[1])
		}
	}
	different := [][2]string{{"a, b", "b, a"}, {"`x y`", "xy"}, {"(a, b)", "(a + b)"}, {"a", "tuple()"}}
	for _, p := range different {
		if NormalizeKey(p[0], "db") == NormalizeKey(p[1], "db") {
			t.Errorf("%q == %q", p[0], p[1])
		}
	}
}

func TestNormalizeTypeAndFormatType(t *testing.T) {
	same := [][2]string{{"Decimal(10,2)", "Decimal( 10, 2 )"}, {"Tuple(`a` String)", "Tuple(a  String)"},
		{`Enum8('it\'s' = 1)`, "Enum8('it''s'=1)"}, {"Nullable( String )", "Nullable(String)"}}
	for _, p := range same {
		if NormalizeType(p[0]) != NormalizeType(p[1]) {
			t.Errorf("%q != %q: %q %q", p[0], p[1], NormalizeType(p[0]), NormalizeType(p[1]))
		}
	}
	different := [][2]string{{"Enum8('a b' = 1)", "Enum8('ab' = 1)"}, {"Tuple(`a b` String)", "Tuple(ab String)"}, {"Tuple(a String)", "Tuple(aString)"}}
	for _, p := range different {
		if NormalizeType(p[0]) == NormalizeType(p[1]) {
			t.Errorf("%q == %q", p[0], p[1])
		}
	}
	if got := NormalizeType("LowCardinality( Nullable(String) )"); got != "LowCardinality(Nullable(String))" {
		t.Errorf("NormalizeType = %q", got)
	}
	if got := FormatType("Tuple(`x y`  String,z UInt8, e Enum8('a'=1,'b' =2), d Decimal(10,2))"); got != "Tuple(`x y` String, z UInt8, e Enum8('a' = 1, 'b' = 2), d Decimal(10, 2))" {
		t.Errorf("FormatType = %q", got)
	}
}

// TestNormalizeColumnParts: defaults and codecs, which depend on the
// column's type. A CAST of a default to the column type is the value (old
// servers store defaults so), and a bare codec equals the defaults a modern
// server prints (ClickHouse 26: Delta(4), ZSTD(1), LZ4HC(0), FPC(12),
// Gorilla(8)).
func TestNormalizeColumnParts(t *testing.T) {
	deflt := func(e, typ string) string { return NormalizeDefault(e, typ, "db") }
	tests := []struct {
		norm      func(s, typ string) string
		a, b, typ string
		same      bool
	}{
		{deflt, "CAST(0, 'UInt32')", "0", "UInt32", true},
		{deflt, "CAST(0 AS UInt32)", "0", "UInt32", true},
		{deflt, "CAST(0, 'UInt8')", "0", "UInt32", false},
		{deflt, "CAST('', 'Nullable(String)')", "''", "Nullable( String )", true},
		{deflt, "now()", "now( )", "DateTime", true},
		{deflt, "'a'", "'b'", "String", false},
		{deflt, "db.f(x)", "f(x)", "UInt8", true},
		{deflt, "CAST(x, 'UInt32') + 1", "x + 1", "UInt32", false},
		{NormalizeCodec, "CODEC(ZSTD(1))", "ZSTD( 1 )", "String", true},
		{NormalizeCodec, "ZSTD", "ZSTD(1)", "String", true},
		{NormalizeCodec, "ZSTD(3)", "ZSTD(1)", "String", false},
		{NormalizeCodec, "Delta, ZSTD", "CODEC(Delta(4), ZSTD(1))", "UInt32", true},
		{NormalizeCodec, "Delta, LZ4", "Delta(8), LZ4", "DateTime64(3)", true},
		{NormalizeCodec, "Delta, LZ4", "Delta(8), LZ4", "UInt32", false},
		{NormalizeCodec, "Delta, LZ4", "Delta(8), LZ4", "Decimal(10, 2)", true},
		{NormalizeCodec, "Gorilla", "Gorilla(4)", "Float32", true},
		{NormalizeCodec, "LZ4HC", "LZ4HC(0)", "String", true},
		{NormalizeCodec, "FPC, LZ4", "FPC(12), LZ4", "Float64", true},
		{NormalizeCodec, "DoubleDelta, ZSTD", "ZSTD, DoubleDelta", "UInt64", false},
		{NormalizeCodec, "zstd", "ZSTD", "String", false}, // codec names are case-sensitive
	}
	for _, tt := range tests {
		a, b := tt.norm(tt.a, tt.typ), tt.norm(tt.b, tt.typ)
		if (a == b) != tt.same {
			t.Errorf("%q ~ %q (%s): same = %v, want %v\n%s\n---\n%s", tt.a, tt.b, tt.typ, a == b, tt.same, a, b)
		}
	}
}

func TestNormalizeTTL(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"ts + INTERVAL 1 DAY", "ts + toIntervalDay(1)", true},
		{"ts + INTERVAL 1 DAY DELETE", "ts + toIntervalDay(1)", true},
		{"db.f(ts) + INTERVAL 1 DAY", "f(ts) + toIntervalDay(1)", true},
		{"ts + INTERVAL 1 DAY DELETE, ts + interval 2 day WHERE a = 1", "ts + toIntervalDay(1), ts + toIntervalDay(2) WHERE a = 1", true},
		{"ts + INTERVAL 1 DAY TO VOLUME 'cold'", "ts + toIntervalDay(1) TO VOLUME 'cold'", true},
		{"ts + INTERVAL 1 DAY TO VOLUME 'cold'", "ts + toIntervalDay(1) TO VOLUME 'hot'", false},
		{"ts + INTERVAL 1 DAY TO VOLUME 'cold'", "ts + toIntervalDay(1) TO DISK 'cold'", false},
		{"ts + INTERVAL 1 DAY TO VOLUME 'cold'", "ts + toIntervalDay(1)", false},
		{"ts + INTERVAL 1 DAY WHERE a = 1", "ts + INTERVAL 1 DAY WHERE a = 2", false},
		{"ts + INTERVAL 1 DAY GROUP BY a, b SET c = max(c), d = min(d)", "ts + toIntervalDay(1) GROUP BY a, b SET c = max(c), d = min(d)", true},
		{"ts + INTERVAL 1 DAY GROUP BY a SET c = max(c), ts + INTERVAL 2 DAY", "ts + INTERVAL 1 DAY GROUP BY a SET c = max(c), ts + INTERVAL 3 DAY", false},
		{"ts + INTERVAL 1 DAY, ts + INTERVAL 2 DAY", "ts + INTERVAL 2 DAY, ts + INTERVAL 1 DAY", false},
		{"ts + INTERVAL 1 DAY RECOMPRESS CODEC(ZSTD(17))", "ts + toIntervalDay(1) RECOMPRESS CODEC(ZSTD(17))", true},
		{"", "ts + INTERVAL 1 DAY", false},
	}
	for _, tt := range tests {
		if got := NormalizeTTL(tt.a, "db") == NormalizeTTL(tt.b, "db"); got != tt.same {
			t.Errorf("%q ~ %q: same = %v, want %v\n%s\n---\n%s", tt.a, tt.b, got, tt.same, NormalizeTTL(tt.a, "db"), NormalizeTTL(tt.b, "db"))
		}
	}
}

func TestSettings(t *testing.T) {
	got := ParseSettings("storage_policy = 'hot,cold', index_granularity=8192, `odd name` = [1, 2], junk")
	want := []Setting{{"storage_policy", "'hot,cold'"}, {"index_granularity", "8192"}, {"odd name", "[1, 2]"}, {"", "junk"}}
	if len(got) != len(want) {
		t.Fatalf("ParseSettings = %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("setting %d = %q, want %q", i, got[i], want[i])
		}
	}
	if SettingValueKey("'hot,cold'") == SettingValueKey("'hot,warm'") || SettingValueKey(`'it\'s'`) != SettingValueKey("'it''s'") {
		t.Error("SettingValueKey")
	}
	if !IsServerDefault("index_granularity", "8192") || !IsServerDefault("index_granularity", "'8192'") || IsServerDefault("index_granularity", "1024") {
		t.Error("IsServerDefault")
	}
	if got := NormalizeSettings("index_granularity = 8192, b=2,  a = 'x'"); got != "a = 'x', b = 2" {
		t.Errorf("NormalizeSettings = %q", got)
	}
	if got := NormalizeSettings("index_granularity=1024"); got != "index_granularity = 1024" {
		t.Errorf("NormalizeSettings = %q", got)
	}
}

func TestSplitTopLevelAndUnwrapKey(t *testing.T) {
	got := SplitTopLevel("a, f(b, c), 'x,y', [1,2], {'k':1,'l':2}, `p,q` -- c, d\n")
	if want := []string{"a", "f(b, c)", "'x,y'", "[1,2]", "{'k':1,'l':2}", "`p,q` -- c, d"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("SplitTopLevel = %q", got)
	}
	if SplitTopLevel("  ") != nil || len(SplitTopLevel("a,")) != 2 {
		t.Error("SplitTopLevel of empty text and a trailing comma")
	}
	for in, want := range map[string]string{"(a, b)": "a, b", "tuple(a, b)": "a, b", "tuple()": "", "((a))": "a", "(a) + (b)": "(a) + (b)", "a": "a", "( )": ""} {
		if got := UnwrapKey(in); got != want {
			t.Errorf("UnwrapKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStripDatabaseAndCollapse(t *testing.T) {
	got := StripDatabase("SELECT a  FROM db.t  JOIN `db`.u ON t.x = u.x WHERE s = 'db.t  x' -- db.t  y", "db")
	if want := "SELECT a FROM t JOIN u ON t.x = u.x WHERE s = 'db.t  x' -- db.t  y"; got != want {
		t.Errorf("StripDatabase = %q\nwant %q", got, want)
	}
	if got := StripDatabase("SELECT a FROM default.events", "default"); got != "SELECT a FROM events" {
		t.Errorf("StripDatabase(default) = %q", got)
	}
	if got := CollapseSpaces("  a  \t b   \n   c  "); got != "a b\n c" {
		t.Errorf("CollapseSpaces = %q", got)
	}
}

func TestLayout(t *testing.T) {
	got := Layout("SELECT a, (SELECT max(x) FROM u WHERE y = 1) AS m FROM t ANY LEFT JOIN v USING k WHERE s = ' FROM ' GROUP BY a ORDER BY a DESC LIMIT 10")
	want := "SELECT a, (SELECT max(x) FROM u WHERE y = 1) AS m\nFROM t\nANY LEFT JOIN v USING k\nWHERE s = ' FROM '\nGROUP BY a\nORDER BY a DESC\nLIMIT 10"
	if got != want {
		t.Errorf("Layout =\n%s\nwant\n%s", got, want)
	}
	if NormalizeQuery(got, "") != NormalizeQuery(strings.ReplaceAll(got, "\n", " "), "") {
		t.Error("layout changed the query")
	}
	if s := "SELECT a FROM t -- c"; Layout(s) != s {
		t.Error("a comment must keep the text on one line")
	}
	if s := "SELECT '--' FROM t"; Layout(s) != "SELECT '--'\nFROM t" {
		t.Errorf("a comment marker inside a literal is no comment: %q", Layout(s))
	}
}
