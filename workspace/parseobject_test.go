package workspace

import (
	"reflect"
	"strings"
	"testing"
)

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
	_, c = splitEngine("MergeTree PRIMARY KEY a ORDER BY (a, b) TTL ts + toIntervalDay(1) TO VOLUME 'v' SETTINGS storage_policy = 'a ORDER BY b'")
	if c["PRIMARY KEY"] != "a" || c["ORDER BY"] != "(a, b)" || c["TTL"] != "ts + toIntervalDay(1) TO VOLUME 'v'" || c["SETTINGS"] != "storage_policy = 'a ORDER BY b'" {
		t.Errorf("ClickHouse 26 clauses = %v", c)
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
		// as ClickHouse 26 stores them: a view's columns listed, names quoted, TTL TO VOLUME
		{"CREATE MATERIALIZED VIEW d.mv TO d.dst (`k` String, `c` UInt64) AS SELECT b AS k, count(*) AS c FROM d.t WHERE (ts > (now() - toIntervalDay(1))) GROUP BY k", "d.dst", "SELECT b AS k, count(*) AS c FROM d.t WHERE (ts > (now() - toIntervalDay(1))) GROUP BY k", ""},
		{"CREATE TABLE d.s (`a` UInt8, `ts` DateTime, INDEX `ix x` a TYPE minmax GRANULARITY 1) ENGINE = MergeTree PRIMARY KEY a ORDER BY a TTL ts + toIntervalDay(1) TO VOLUME 'default' SETTINGS index_granularity = 8192", "", "", "MergeTree PRIMARY KEY a ORDER BY a TTL ts + toIntervalDay(1) TO VOLUME 'default' SETTINGS index_granularity = 8192"},
		{"CREATE MATERIALIZED VIEW db.mv TO db.`t AS x` AS SELECT 'AS' AS `AS`", "db.t AS x", "SELECT 'AS' AS `AS`", ""},
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
