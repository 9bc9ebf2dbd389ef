package compile

import (
	"fmt"
	"strings"
	"testing"
)

func refStrings(refs []Ref) string {
	var out []string
	for _, r := range refs {
		s := r.Qualified()
		if r.Func {
			s += "()"
		}
		if r.In {
			s = "in:" + s
		}
		out = append(out, fmt.Sprintf("%s@%d:%d", s, r.Line, r.Col))
	}
	return strings.Join(out, " ")
}

func TestTableRefs(t *testing.T) {
	cases := []struct {
		name, sql, want string
	}{
		{"from", "SELECT a FROM events", "events@1:15"},
		{"qualified and join", "SELECT * FROM db.t1 AS x\nLEFT JOIN t2 y ON x.a = y.a", "db.t1@1:15 t2@2:11"},
		{"subqueries", "SELECT * FROM (SELECT * FROM inner_t) WHERE a IN (SELECT a FROM in_t)", "inner_t@1:30 in_t@1:65"},
		{"in table", "SELECT * FROM t WHERE a IN allowed", "t@1:15 in:allowed@1:28"},
		{"table function", "SELECT * FROM numbers(10)", "numbers()@1:15"},
		{"cte excluded", "WITH c AS (SELECT 1 FROM base) SELECT * FROM c", "base@1:26"},
		{"scalar with kept", "WITH 1 AS one SELECT one FROM t", "t@1:31"},
		{"union", "SELECT 1 FROM a UNION ALL SELECT 2 FROM b", "a@1:15 b@1:41"},
		{"array join is not a table", "SELECT x FROM t ARRAY JOIN arr AS x", "t@1:15"},
		{"extract is not a table", "SELECT extract(DAY FROM ts) FROM t", "t@1:34"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			refs, err := TableRefs(tc.sql)
			if err != nil {
				t.Fatal(err)
			}
			if refs.Fallback {
				t.Fatalf("parser failed: %s", refs.ParseError)
			}
			if got := refStrings(refs.Tables); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestTableRefsFallback(t *testing.T) {
	// Not SQL the parser reads, but the token scan still finds the tables.
	sql := "SELECT ??? FROM db.a JOIN b USING (x) WHERE y IN (SELECT y FROM c) {{ broken"
	refs, err := TableRefs(sql)
	if err != nil {
		t.Fatal(err)
	}
	if !refs.Fallback || refs.ParseError == "" {
		t.Fatalf("expected the fallback, got %+v", refs)
	}
	if got := refStrings(refs.Tables); got != "db.a@1:17 b@1:27 c@1:65" {
		t.Errorf("got %s", got)
	}
	if strings.Join(refs.Names(), ",") != "b,c,db.a" {
		t.Errorf("names = %v", refs.Names())
	}
	if _, err := TableRefs("  "); err == nil {
		t.Error("empty SQL: no error")
	}
}

func TestScanRefsMatchesParser(t *testing.T) {
	// On SQL the parser reads, the token scan finds the same tables.
	for _, sql := range []string{
		"SELECT * FROM a JOIN b ON a.x = b.x WHERE y IN (SELECT y FROM c)",
		"SELECT * FROM db.a, b WHERE 1",
		"SELECT count() FROM (SELECT * FROM a FINAL) GROUP BY x",
	} {
		parsed, _ := TableRefs(sql)
		scanned := scanTableRefs(sql)
		if refStrings(parsed.Tables) != refStrings(scanned) {
			t.Errorf("%s:\n parser %s\n scan   %s", sql, refStrings(parsed.Tables), refStrings(scanned))
		}
	}
}

func TestNodeRefsMapsLinesToTheNode(t *testing.T) {
	p := loadFiles(t, map[string]string{"events.datasource": eventsDatasource,
		"x.pipe": "NODE n\nSQL >\n    %\n    SELECT {{ Int32(a, 1) }}\n    {% if defined(b) %}\n    FROM events\n    {% else %}\n    FROM other\n    {% end %}\n    JOIN db.t USING x\n"})
	n := p.Pipes["x"].Nodes[0]
	refs, err := NodeRefs(n)
	if err != nil {
		t.Fatal(err)
	}
	if got := refStrings(refs.Tables); got != "events@4:6 db.t@8:6 other@6:6" {
		t.Errorf("got %s", got)
	}
	if pos := n.FilePos(4, 6); pos.String() != "x.pipe:6:10" {
		t.Errorf("file position %s", pos)
	}
}
