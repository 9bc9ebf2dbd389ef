package workspace

import (
	"strings"
	"testing"
)

// FuzzStoredDDL feeds arbitrary text to everything that reads server DDL
// and SQL: none may panic, and LayoutSQL must never change a query.
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
		parseCreate(s)
		splitEngine(s)
		engineArgs(s)
		splitTopLevel(s)
		NormalizeSettings(s)
		NormalizeType(s)
		NormalizeCodec(s)
		NormalizeKey(s, "db")
		unquoteName(s)
		QueryTables(s, "db")
		stripped := StripDatabase(s, "db")
		_ = stripped
		if !strings.ContainsAny(s, "\n\r") {
			if a, b := NormalizeSQL(s, "db"), NormalizeSQL(LayoutSQL(s), "db"); a != b && strings.HasPrefix(a, "ast:") {
				t.Errorf("LayoutSQL changed the query %q:\n%s", s, LayoutSQL(s))
			}
		}
	})
}
