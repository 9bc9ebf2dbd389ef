package workspace

import (
	"testing"

	"github.com/perchdata/perch/datafiles"
)

// TestClickHouse26StoredDDL: the objects of a datafile as ClickHouse 26.7
// stores them (texts captured from the embedded engine's system.tables and
// system.columns) compare equal to the datafile: its create_table_query
// lists a view's columns, adds SETTINGS index_granularity = 8192 and index
// GRANULARITY 1, puts PRIMARY KEY before ORDER BY, drops TTL's DELETE,
// qualifies table names, parenthesizes conditions, and prints codecs with
// their default arguments.
func TestClickHouse26StoredDDL(t *testing.T) {
	const src = "SCHEMA >\n" +
		"    `a` UInt32 DEFAULT 0 CODEC(Delta, ZSTD),\n" +
		"    `b` String DEFAULT 'x',\n" +
		"    `ts` DateTime CODEC(DoubleDelta, LZ4HC),\n" +
		"    `n` Nullable( String )\n\n" +
		"INDEXES >\n    ix a * 2 TYPE minmax GRANULARITY 3\n    bf b TYPE bloom_filter(0.01)\n\n" +
		"ENGINE \"ReplacingMergeTree\"\nENGINE_VER \"a\"\nENGINE_PARTITION_KEY \"toYYYYMM(ts)\"\nENGINE_SORTING_KEY \"(a, `b`)\"\nENGINE_PRIMARY_KEY \"a\"\n" +
		"ENGINE_TTL \"ts + INTERVAL 1 DAY DELETE, ts + interval 2 day WHERE a = 1\"\n" +
		"ENGINE_SETTINGS \"storage_policy = 'default', merge_with_ttl_timeout = 3600\"\n"
	local, diags := datafiles.ParseDatasource("datasources/t.datasource", []byte(src))
	for _, d := range diags {
		if d.Severity == datafiles.Error {
			t.Fatalf("parse: %s", d)
		}
	}
	o := &Object{Name: "t", Engine: "ReplacingMergeTree", PartitionKey: "toYYYYMM(ts)", SortingKey: "a, b", PrimaryKey: "a",
		CreateQuery: "CREATE TABLE d.t (`a` UInt32 DEFAULT 0 CODEC(Delta(4), ZSTD(1)), `b` String DEFAULT 'x', `ts` DateTime CODEC(DoubleDelta, LZ4HC(0)), `n` Nullable(String), " +
			"INDEX ix a * 2 TYPE minmax GRANULARITY 3, INDEX bf b TYPE bloom_filter(0.01) GRANULARITY 1) ENGINE = ReplacingMergeTree(a) PARTITION BY toYYYYMM(ts) PRIMARY KEY a ORDER BY (a, b) " +
			"TTL ts + toIntervalDay(1), ts + toIntervalDay(2) WHERE a = 1 SETTINGS storage_policy = 'default', merge_with_ttl_timeout = 3600, index_granularity = 8192",
		Columns: []LiveColumn{
			{Name: "a", Type: "UInt32", DefaultKind: "DEFAULT", Default: "0", Codec: "CODEC(Delta(4), ZSTD(1))"},
			{Name: "b", Type: "String", DefaultKind: "DEFAULT", Default: "'x'"},
			{Name: "ts", Type: "DateTime", Codec: "CODEC(DoubleDelta, LZ4HC(0))"},
			{Name: "n", Type: "Nullable(String)"},
		}}
	parseObject(o, "d")
	if d := DiffDatasource(local, o.Datasource("d"), "d"); len(d) > 0 {
		t.Errorf("datafile and ClickHouse 26 differ: %v", d)
	}

	mv := &Object{Name: "mv", Engine: "MaterializedView",
		CreateQuery: "CREATE MATERIALIZED VIEW d.mv TO d.dst (`k` String, `c` UInt64) AS SELECT b AS k, count(*) AS c FROM d.t " +
			"WHERE (ts > (now() - toIntervalDay(1))) AND (b IN (SELECT b FROM d.t)) GROUP BY k ORDER BY k DESC"}
	parseObject(mv, "d")
	localSQL := "SELECT b AS k, count() AS c\nFROM t\nWHERE ts > now() - interval 1 day AND b IN (SELECT b FROM t)\nGROUP BY k\nORDER BY k DESC"
	if d := DiffPipe(localSQL, "dst", mv.Pipe(), "d"); len(d) > 0 {
		t.Errorf("view and ClickHouse 26 differ: %v", d)
	}
	if d := DiffPipe(localSQL[:len(localSQL)-len(" DESC")], "dst", mv.Pipe(), "d"); len(d) != 1 {
		t.Errorf("a changed sort direction: %v", d)
	}
}
