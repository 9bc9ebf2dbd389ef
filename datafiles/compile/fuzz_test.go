package compile

import (
	"testing"
)

// FuzzTableRefs reads arbitrary SQL: no input may panic, and the token scan
// returns ranges inside the SQL.
func FuzzTableRefs(f *testing.F) {
	for _, s := range []string{
		"SELECT a FROM db.t1 AS x JOIN (SELECT b FROM t2) y ON x.a = y.b WHERE a IN t3",
		"WITH c AS (SELECT 1 FROM base) SELECT * FROM c, numbers(10) ARRAY JOIN arr",
		"SELECT extract(DAY FROM ts), 'FROM x' -- FROM y\nFROM `q``t` /* FROM z */",
		"SELECT * FROM \"a\\\"b\" LEFT ANY JOIN c USING (x) SETTINGS max_threads = 1",
		"select 1 from",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		for _, r := range scanRefs(sql) {
			if r.Start < 0 || r.End > len(sql) || r.Start >= r.End {
				t.Fatalf("bad range %d..%d of %d", r.Start, r.End, len(sql))
			}
		}
		refs, err := TableRefs(sql)
		if err == nil && refs.Fallback && refs.ParseError == "" {
			t.Fatal("fallback without a reason")
		}
	})
}
