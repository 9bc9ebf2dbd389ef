package compile

import (
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/template"
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

// FuzzCompile compiles a node with arbitrary SQL (templated or not) that may
// read the other nodes: no input may panic, and the source map stays inside
// the compiled SQL.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		"SELECT * FROM a JOIN other USING x",
		"%\nSELECT * FROM {% if defined(t) %}a{% else %}events{% end %} WHERE n IN b",
		"%\nSELECT {{ column(c, 'x') }} FROM a AS q, a WHERE x > {{ Int32(n, 1) }};",
		"SELECT 1 FROM b",
		"SELECT * FROM (SELECT * FROM a) AS a",
		"SELECT * FROM events__v1 JOIN events_quarantine USING x",
		"%\n{% if a == b %}SELECT 1 FROM a{% else %}SELECT 2 FROM {{ table(t) }}{% end %}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		p := datafiles.NewProject(".")
		p.Datasources["events"] = &datafiles.Datasource{Name: "events", Version: 1}
		mk := func(name, sql string) *datafiles.Node {
			n := &datafiles.Node{Name: name, SQL: sql, SQLPos: datafiles.Pos{File: "p.pipe", Line: 3, Col: 5}}
			for i := 0; i <= strings.Count(sql, "\n"); i++ {
				n.SQLLines = append(n.SQLLines, 3+i)
			}
			return n
		}
		p.Pipes["p"] = &datafiles.Pipe{Name: "p", File: "p.pipe", Nodes: []*datafiles.Node{mk("a", "SELECT 1 AS x"), mk("b", sql)}}
		p.Pipes["other"] = &datafiles.Pipe{Name: "other", File: "o.pipe", Nodes: []*datafiles.Node{mk("o", "SELECT * FROM p")}}
		for _, mode := range []template.Mode{template.Given, template.Defaults, template.Placeholders} {
			res, err := Compile(p, "p", "b", Options{Mode: mode})
			if err != nil {
				continue
			}
			for _, s := range res.Spans {
				if s.Start < 0 || s.End > len(res.SQL) || s.Start > s.End {
					t.Fatalf("span %+v outside %d bytes", s, len(res.SQL))
				}
				res.Locate(s.Start)
			}
		}
		b := p.Pipes["p"].Nodes[1]
		if refs, err := NodeRefs(b); err == nil {
			for _, r := range refs.Tables {
				if r.Line < 0 || r.Line > strings.Count(sql, "\n")+1 {
					t.Fatalf("reference %+v outside the node's %d lines", r, strings.Count(sql, "\n")+1)
				}
			}
		}
		Validate(p)
	})
}
