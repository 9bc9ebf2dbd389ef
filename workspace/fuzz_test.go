package workspace

import (
	"strings"
	"testing"
)

// FuzzStoredDDL feeds arbitrary text to everything that reads server DDL:
// none may panic (sqltext fuzzes the normalizations themselves).
func FuzzStoredDDL(f *testing.F) {
	for _, s := range []string{
		"CREATE MATERIALIZED VIEW db.mv TO db.t (a UInt8) AS SELECT a FROM db.src",
		"CREATE TABLE db.t ( a UInt8,  INDEX ix a TYPE minmax GRANULARITY 3) ENGINE = ReplacingMergeTree(v) ORDER BY (a, b) SETTINGS index_granularity = 8192",
		"SELECT toDate(ts) AS day, count() FROM db.events WHERE s = 'it\\'s' GROUP BY day",
		"CREATE VIEW `db`.`v` AS SELECT [1, 2] AS x FROM (SELECT 1) ARRAY JOIN x",
		"TO `unterminated", "((((", "'", "ENGINE = ", "AS", "SETTINGS a=1,,b", "Enum8('a' = 1)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cp := parseCreate(s)
		if !strings.Contains(s, cp.query) || !strings.Contains(s, cp.engine) {
			t.Errorf("parseCreate(%q) invented text: %+v", s, cp)
		}
		head, clauses := splitEngine(s)
		engineArgs(head)
		o := &Object{Name: "t", Engine: "ReplacingMergeTree", EngineFull: s, clauses: clauses, engineHead: head, indexDefs: cp.indexes}
		o.Datasource("db")
		QueryTables(s, "db")
	})
}
