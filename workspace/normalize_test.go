package workspace

import (
	"reflect"
	"strings"
	"testing"
)

func TestNormalizeSQLEqual(t *testing.T) {
	tests := []struct{ name, a, b string }{
		{"server rewrite", "select toDate(ts) day, count(*) c from events group by day",
			"SELECT toDate(ts) AS day, count() AS c FROM db1.events  GROUP BY day"},
		{"quoting and comments", "SELECT `user_id` FROM `events` -- note\nWHERE x = 1;", "SELECT user_id FROM db1.events WHERE x = 1"},
		{"interval", "SELECT 1 FROM t WHERE ts > now() - interval 1 day", "SELECT 1 FROM db1.t WHERE ts > (now() - toIntervalDay(1))"},
		{"cast", "SELECT CAST(x AS String) FROM t", "SELECT CAST(x, 'String') FROM t"},
		{"keyword case", "select a from t where b in (1,2)", "SELECT a FROM t WHERE b IN (1, 2)"},
	}
	if a, b := NormalizeSQL("SELECT a FROM default.events JOIN `default`.u USING k", "default"), NormalizeSQL("SELECT a FROM events JOIN u USING k", "default"); a != b {
		t.Errorf("database named default not stripped:\n%s\n---\n%s", a, b)
	}
	if got := StripDatabase("SELECT a FROM default.events", "default"); got != "SELECT a FROM events" {
		t.Errorf("StripDatabase(default) = %q", got)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if a, b := NormalizeSQL(tt.a, "db1"), NormalizeSQL(tt.b, "db1"); a != b {
				t.Errorf("differ:\n%s\n---\n%s", a, b)
			}
		})
	}
}

func TestNormalizeSQLDifferent(t *testing.T) {
	tests := []struct{ name, a, b string }{
		{"constant", "SELECT a FROM t WHERE x = 1", "SELECT a FROM t WHERE x = 2"},
		{"column", "SELECT a FROM t", "SELECT b FROM t"},
		{"alias", "SELECT a AS x FROM t", "SELECT a AS y FROM t"},
		{"other database", "SELECT a FROM other.t", "SELECT a FROM t"},
		{"string case", "SELECT 'A'", "SELECT 'a'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if NormalizeSQL(tt.a, "db1") == NormalizeSQL(tt.b, "db1") {
				t.Errorf("%q and %q normalize the same", tt.a, tt.b)
			}
		})
	}
}

func TestNormalizeKey(t *testing.T) {
	same := [][2]string{{"(a, b)", "a, b"}, {"tuple()", ""}, {"(a)", "a"}, {"toYYYYMM(ts)", "toYYYYMM( ts )"}, {"((a, b))", "a,b"}}
	for _, p := range same {
		if NormalizeKey(p[0], "d") != NormalizeKey(p[1], "d") {
			t.Errorf("%q != %q", p[0], p[1])
		}
	}
	if NormalizeKey("a, b", "d") == NormalizeKey("b, a", "d") {
		t.Error("key order ignored")
	}
}

func TestNormalizeSettingsTypesCodecs(t *testing.T) {
	if got := NormalizeSettings("index_granularity = 8192, b=2,  a = 'x'"); got != "a = 'x', b = 2" {
		t.Errorf("settings = %q", got)
	}
	if got := NormalizeSettings("index_granularity=1024"); got != "index_granularity = 1024" {
		t.Errorf("settings = %q", got)
	}
	if NormalizeType("Decimal(10,2)") != NormalizeType("Decimal(10, 2)") || NormalizeType("Enum8('a b' = 1)") == NormalizeType("Enum8('ab' = 1)") {
		t.Error("type normalization")
	}
	if NormalizeCodec("CODEC(ZSTD(1))") != NormalizeCodec("ZSTD( 1 )") {
		t.Error("codec normalization")
	}
}

func TestSplitEngine(t *testing.T) {
	head, c := splitEngine("ReplacingMergeTree(ver) PARTITION BY toYYYYMM(ts) ORDER BY (a, b) TTL ts + toIntervalDay(30) SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1")
	if head != "ReplacingMergeTree(ver)" {
		t.Errorf("head = %q", head)
	}
	want := map[string]string{"PARTITION BY": "toYYYYMM(ts)", "ORDER BY": "(a, b)", "TTL": "ts + toIntervalDay(30)", "SETTINGS": "index_granularity = 8192, ttl_only_drop_parts = 1"}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("clauses = %v", c)
	}
	_, c = splitEngine("MergeTree ORDER BY a SETTINGS index_granularity = 8192 COMMENT 'hello'")
	if c["SETTINGS"] != "index_granularity = 8192" || c["COMMENT"] != "'hello'" {
		t.Errorf("modern clauses = %v", c)
	}
	name, args := engineArgs("ReplicatedReplacingMergeTree('/ch/{shard}/t', '{replica}', ver, (a, b))")
	if name != "ReplicatedReplacingMergeTree" || !reflect.DeepEqual(args, []string{"'/ch/{shard}/t'", "'{replica}'", "ver", "(a, b)"}) {
		t.Errorf("engineArgs = %q %q", name, args)
	}
}

func TestViewParts(t *testing.T) {
	tests := []struct{ create, to, query, engine string }{
		{"CREATE MATERIALIZED VIEW db.mv TO db.target (a UInt8) AS SELECT a FROM db.src", "db.target", "SELECT a FROM db.src", ""},
		{"CREATE MATERIALIZED VIEW db.mv TO `db`.`my target` AS SELECT 1", "db.my target", "SELECT 1", ""},
		{"CREATE MATERIALIZED VIEW db.mv (a UInt8) ENGINE = SummingMergeTree() ORDER BY a SETTINGS index_granularity = 8192 AS SELECT a FROM db.rmt", "", "SELECT a FROM db.rmt", "SummingMergeTree() ORDER BY a SETTINGS index_granularity = 8192"},
		{"CREATE VIEW db.v (c UInt64) AS SELECT count() AS c FROM db.t AS x", "", "SELECT count() AS c FROM db.t AS x", ""},
		{"CREATE TABLE db.t ( a UInt8,  INDEX ix a TYPE minmax GRANULARITY 3) ENGINE = MergeTree(d, (a, d), 8192)", "", "", "MergeTree(d, (a, d), 8192)"},
		{"CREATE TABLE db.t (a UInt8) ENGINE = ReplacingMergeTree(v) ORDER BY a TTL d + toIntervalDay(1) SETTINGS index_granularity = 8192", "", "", "ReplacingMergeTree(v) ORDER BY a TTL d + toIntervalDay(1) SETTINGS index_granularity = 8192"},
	}
	for _, tt := range tests {
		cp := parseCreate(tt.create)
		if cp.to != tt.to || cp.query != tt.query || cp.engine != tt.engine {
			t.Errorf("parseCreate(%q) = to %q query %q engine %q\nwant to %q query %q engine %q", tt.create, cp.to, cp.query, cp.engine, tt.to, tt.query, tt.engine)
		}
	}
}

func TestQueryTables(t *testing.T) {
	got := QueryTables("SELECT * FROM db.a AS x JOIN (SELECT k FROM b) USING k WHERE k IN (SELECT k FROM other.c) UNION ALL SELECT * FROM numbers(10)", "db")
	if want := []string{"a", "b", "other.c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("QueryTables = %v, want %v", got, want)
	}
}

func TestStripDatabase(t *testing.T) {
	got := StripDatabase("SELECT a  FROM db.t  JOIN db.u ON t.x = u.x WHERE s = 'db.t  x'", "db")
	if want := "SELECT a FROM t JOIN u ON t.x = u.x WHERE s = 'db.t  x'"; got != want {
		t.Errorf("StripDatabase = %q\nwant %q", got, want)
	}
}

func TestQuoteString(t *testing.T) {
	if got := QuoteString("it's a \\ path\n"); got != `'it\'s a \\ path\n'` {
		t.Errorf("QuoteString = %s", got)
	}
}

// TestCapabilityDependentSnapshotSQL checks the introspection SQL for the old
// server here and for modern servers.
func TestCapabilityDependentSnapshotSQL(t *testing.T) {
	old := CapabilitiesFor(Version{Major: 18, Minor: 16, Patch: 1})
	modern := CapabilitiesFor(Version{Major: 24, Minor: 8, Patch: 4})
	tests := []struct {
		name      string
		sql       string
		has, lack []string
	}{
		{"tables 18.16", tablesQuery(old, "d"), []string{"CAST(NULL AS Nullable(UInt64))", "WHERE database = 'd'"}, []string{"total_rows"}},
		{"tables 24.8", tablesQuery(modern, "d"), []string{"total_rows, total_bytes"}, []string{"NULL"}},
		{"columns 18.16", columnsQuery(old, "d"), []string{", ''"}, []string{"compression_codec", "position"}},
		{"columns 24.8", columnsQuery(modern, "d"), []string{"compression_codec", "ORDER BY table, position"}, nil},
		{"parts", partsQuery("it's"), []string{`database = 'it\'s'`, "GROUP BY table", "active"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, h := range tt.has {
				if !strings.Contains(tt.sql, h) {
					t.Errorf("%s lacks %q", tt.sql, h)
				}
			}
			for _, l := range tt.lack {
				if strings.Contains(tt.sql, l) {
					t.Errorf("%s has %q", tt.sql, l)
				}
			}
		})
	}
}

func TestLayoutSQL(t *testing.T) {
	got := LayoutSQL("SELECT a, (SELECT max(x) FROM u WHERE y = 1) AS m FROM t ANY LEFT JOIN v USING k WHERE s = ' FROM ' GROUP BY a ORDER BY a DESC LIMIT 10")
	want := "SELECT a, (SELECT max(x) FROM u WHERE y = 1) AS m\nFROM t\nANY LEFT JOIN v USING k\nWHERE s = ' FROM '\nGROUP BY a\nORDER BY a DESC\nLIMIT 10"
	if got != want {
		t.Errorf("LayoutSQL =\n%s\nwant\n%s", got, want)
	}
	if NormalizeSQL(got, "") != NormalizeSQL(strings.ReplaceAll(got, "\n", " "), "") {
		t.Error("layout changed the query")
	}
}

func TestDriftString(t *testing.T) {
	tests := []struct {
		f    FieldChange
		want string
	}{
		{FieldChange{Field: "column.dropped", Column: "x", Remote: "UInt8"}, "column x UInt8 was added on the server"},
		{FieldChange{Field: "column.added", Column: "x", Local: "UInt8"}, "column x UInt8 was dropped on the server"},
		{FieldChange{Field: "column.type", Column: "x", Local: "UInt8", Remote: "UInt16"}, `column.type x: deployed "UInt8", live "UInt16"`},
		{FieldChange{Field: "query", Local: "SELECT 1", Remote: "SELECT 2"}, `query: deployed "SELECT 1", live "SELECT 2"`},
	}
	for _, tt := range tests {
		if got := tt.f.DriftString(); got != tt.want {
			t.Errorf("DriftString = %q, want %q", got, tt.want)
		}
	}
}

func TestEngineOfReplicatedAndSharedTables(t *testing.T) {
	tests := []struct{ engine, full, name, ver string }{
		{"ReplicatedReplacingMergeTree", "ReplicatedReplacingMergeTree('/ch/{shard}/t', '{replica}', v) ORDER BY k", "ReplacingMergeTree", "v"},
		{"SharedReplacingMergeTree", "SharedReplacingMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}', v) ORDER BY k SETTINGS index_granularity = 8192", "ReplacingMergeTree", "v"},
		{"SharedMergeTree", "SharedMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}') ORDER BY k", "MergeTree", ""},
		{"ReplacingMergeTree", "ReplacingMergeTree(v) ORDER BY k", "ReplacingMergeTree", "v"},
	}
	for _, tt := range tests {
		o := &Object{Name: "t", Engine: tt.engine, EngineFull: tt.full, SortingKey: "k", PrimaryKey: "k"}
		e := o.engine("db")
		if e.Name != tt.name || e.Ver != tt.ver || e.SortingKey != "k" || e.Settings != "" {
			t.Errorf("%s: engine = %+v", tt.engine, e)
		}
	}
	if BaseEngine("Distributed") != "Distributed" || BaseEngine("SharedJoin") != "SharedJoin" {
		t.Error("non-MergeTree engines keep their name")
	}
}

func TestFingerprintIgnoresBookkeeping(t *testing.T) {
	snap := func(names ...string) *Snapshot {
		s := &Snapshot{Database: "d", Objects: map[string]*Object{}}
		for _, n := range names {
			s.Objects[n] = &Object{Name: n, Kind: KindTable, Engine: "MergeTree", CreateQuery: "CREATE TABLE d." + n + " (a UInt8) ENGINE = MergeTree ORDER BY a"}
		}
		return s
	}
	base := snap("events").Fingerprint()
	if snap("events", "_perch_deployments", "_perch_apply_lock").Fingerprint() != base {
		t.Error("perch's bookkeeping tables changed the fingerprint")
	}
	if snap("events", "events__new").Fingerprint() == base {
		t.Error("a leftover temporary table must change the fingerprint")
	}
	s := snap("events")
	s.Objects["events"].Rows = 1e6
	if s.Fingerprint() != base {
		t.Error("row counts changed the fingerprint")
	}
}
