package compile

import (
	"errors"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles/sqltext"
	"github.com/perchdata/perch/datafiles/template"
)

const topPipe = `NODE filtered
SQL >
    %
    SELECT * FROM events
    WHERE 1
    {% if defined(country) %} AND country = {{ String(country) }} {% end %}

NODE endpoint
SQL >
    %
    SELECT country, count() AS c FROM filtered GROUP BY country
    LIMIT {{ Int32(limit, 10) }}
TYPE endpoint
`

func TestCompileInlinesNodes(t *testing.T) {
	p := loadFiles(t, map[string]string{"events.datasource": eventsDatasource, "top.pipe": topPipe})
	res, err := Compile(p, "top", "", Options{Params: map[string]string{"country": "ES"}})
	if err != nil {
		t.Fatal(err)
	}
	want := "SELECT country, count() AS c FROM (\nSELECT * FROM events\nWHERE 1\n AND country = 'ES'\n) AS filtered GROUP BY country\nLIMIT 10"
	if res.SQL != want {
		t.Errorf("got\n%s\nwant\n%s", res.SQL, want)
	}
	if res.Node != (NodeRef{"top", "endpoint"}) {
		t.Errorf("default node = %v, want the endpoint", res.Node)
	}
	if len(res.Nodes) != 2 || res.Nodes[1] != (NodeRef{"top", "filtered"}) {
		t.Errorf("nodes = %v", res.Nodes)
	}
	if len(res.Datasources) != 1 || res.Datasources[0] != "events" {
		t.Errorf("datasources = %v", res.Datasources)
	}
	if _, err := sqltext.Parse(res.SQL); err != nil {
		t.Errorf("compiled SQL does not parse: %v", err)
	}
}

func TestCompileReferenceForms(t *testing.T) {
	cases := []struct {
		name, sql, want string
	}{
		{"alias", "SELECT * FROM a x", "SELECT * FROM (\nSELECT 1 AS v\n) x"},
		{"as alias", "SELECT * FROM a AS x", "SELECT * FROM (\nSELECT 1 AS v\n) AS x"},
		{"join using", "SELECT * FROM events JOIN a USING v", "SELECT * FROM events JOIN (\nSELECT 1 AS v\n) AS a USING v"},
		{"comma list", "SELECT * FROM events, a WHERE 1", "SELECT * FROM events, (\nSELECT 1 AS v\n) AS a WHERE 1"},
		{"backquoted", "SELECT * FROM `a`", "SELECT * FROM (\nSELECT 1 AS v\n) AS a"},
		{"in table", "SELECT * FROM events WHERE n IN a", "SELECT * FROM events WHERE n IN (\nSELECT 1 AS v\n)"},
		{"in subquery", "SELECT * FROM events WHERE n IN (SELECT v FROM a)", "SELECT * FROM events WHERE n IN (SELECT v FROM (\nSELECT 1 AS v\n) AS a)"},
		{"database qualified stays", "SELECT * FROM db.a", "SELECT * FROM db.a"},
		{"column named like a node stays", "SELECT extract(DAY FROM a) FROM events", "SELECT extract(DAY FROM a) FROM events"},
		{"string and comment stay", "SELECT 'FROM a' -- FROM a\nFROM events", "SELECT 'FROM a' -- FROM a\nFROM events"},
		{"table function stays", "SELECT * FROM numbers(10)", "SELECT * FROM numbers(10)"},
		{"trailing semicolon and comment", "SELECT * FROM a -- the end;", "SELECT * FROM (\nSELECT 1 AS v\n) AS a -- the end"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pipe := "NODE a\nSQL >\n    SELECT 1 AS v;\n\nNODE b\nSQL >\n    " + strings.ReplaceAll(tc.sql, "\n", "\n    ") + "\n"
			p := loadFiles(t, map[string]string{"events.datasource": eventsDatasource, "p.pipe": pipe})
			res, err := Compile(p, "p", "b", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.SQL != tc.want {
				t.Errorf("got\n%s\nwant\n%s", res.SQL, tc.want)
			}
			if refs, err := TableRefs(res.SQL); err != nil || refs.Fallback {
				t.Errorf("compiled SQL does not parse: %v %s", err, refs.ParseError)
			}
		})
	}
}

func TestCompileOtherPipes(t *testing.T) {
	p := loadFiles(t, map[string]string{
		"events.datasource": eventsDatasource,
		"top.pipe":          topPipe,
		"plain.pipe":        "NODE first\nSQL >\n    SELECT 1 AS x\n\nNODE last\nSQL >\n    SELECT x + 1 AS x FROM first\n",
		"reader.pipe":       "NODE r\nSQL >\n    SELECT * FROM top JOIN plain p ON 1\n",
	})
	res, err := Compile(p, "reader", "r", Options{Mode: template.Defaults})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{") AS top JOIN (", "SELECT x + 1 AS x FROM (\nSELECT 1 AS x\n) AS first\n) p ON 1", "LIMIT 10"} {
		if !strings.Contains(res.SQL, want) {
			t.Errorf("missing %q in\n%s", want, res.SQL)
		}
	}
	got := []string{}
	for _, n := range res.Nodes {
		got = append(got, n.String())
	}
	if strings.Join(got, " ") != "reader.r top.endpoint top.filtered plain.last plain.first" {
		t.Errorf("nodes = %v", got)
	}
	if _, err := sqltext.Parse(res.SQL); err != nil {
		t.Errorf("does not parse: %v", err)
	}
}

func TestCompileErrors(t *testing.T) {
	p := loadFiles(t, map[string]string{
		"events.datasource": eventsDatasource,
		"cyc.pipe":          "NODE a\nSQL >\n    SELECT * FROM b\n\nNODE b\nSQL >\n    SELECT *\n    FROM a\n",
		"self.pipe":         "NODE s\nSQL >\n    SELECT * FROM self\n",
		"tpl.pipe":          "NODE t\nSQL >\n    %\n    SELECT *\n    FROM events WHERE n = {{ Int32(n, 'x') }}\n",
		"bad.pipe":          "NODE t\nSQL >\n    %\n    SELECT {% if x %}\n",
		"req.pipe":          "NODE t\nSQL >\n    %\n    SELECT {{ String(who, required=True) }}\n",
		"read_bad.pipe":     "NODE r\nSQL >\n    SELECT * FROM tpl\n",
	})
	cases := []struct {
		pipe, node, want, pos string
	}{
		{"cyc", "a", "cycle: cyc.a -> cyc.b -> cyc.a", "cyc.pipe:8:10"},
		{"self", "s", "node s reads its own pipe self", "self.pipe:3:19"},
		{"tpl", "t", "parameter n: 'x' is not a valid Int32", "tpl.pipe:5:30"},
		{"bad", "t", "{% if %} is never closed", "bad.pipe:4:15"},
		{"req", "t", "required parameter who is not given and has no default", "req.pipe:4:15"},
		{"read_bad", "r", "parameter n: 'x' is not a valid Int32", "tpl.pipe:5:30"},
		{"nope", "", `no pipe named "nope"`, ""},
		{"cyc", "zzz", `pipe cyc has no node "zzz" (nodes: a, b)`, "cyc.pipe:1:1"},
	}
	for _, tc := range cases {
		t.Run(tc.pipe+"."+tc.node, func(t *testing.T) {
			_, err := Compile(p, tc.pipe, tc.node, Options{Mode: template.Given})
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want *Error", err)
			}
			if !strings.Contains(ce.Msg, tc.want) {
				t.Errorf("message %q, want %q", ce.Msg, tc.want)
			}
			pos := ""
			if ce.Pos.File != "" {
				pos = ce.Pos.String()
			}
			if pos != tc.pos {
				t.Errorf("at %s, want %s", pos, tc.pos)
			}
		})
	}
}

func TestCompileUnresolvedAndLocate(t *testing.T) {
	p := loadFiles(t, map[string]string{"events.datasource": eventsDatasource, "top.pipe": topPipe,
		"u.pipe": "NODE u\nSQL >\n    SELECT *\n    FROM system.numbers JOIN mystery USING n\n    JOIN top USING country\n"})
	res, err := Compile(p, "u", "u", Options{Mode: template.Placeholders})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Unresolved) != 1 || res.Unresolved[0].Name != "mystery" || res.Unresolved[0].Pos.String() != "u.pipe:4:30" {
		t.Errorf("unresolved = %+v", res.Unresolved)
	}
	for _, probe := range []struct {
		text string
		node NodeRef
		pos  string
	}{
		{"mystery", NodeRef{"u", "u"}, "u.pipe:4:30"},
		{"WHERE 1", NodeRef{"top", "filtered"}, "top.pipe:5:5"},
		{"GROUP BY", NodeRef{"top", "endpoint"}, "top.pipe:11:48"},
	} {
		off := strings.Index(res.SQL, probe.text)
		n, pos, ok := res.Locate(off)
		if !ok || n != probe.node || pos.String() != probe.pos {
			t.Errorf("Locate(%q) = %v %v %v, want %v %s", probe.text, n, pos, ok, probe.node, probe.pos)
		}
	}
}

func TestParamsAcrossNodesAndPipes(t *testing.T) {
	p := loadFiles(t, map[string]string{"events.datasource": eventsDatasource, "top.pipe": topPipe,
		"r.pipe": "NODE r\nSQL >\n    %\n    SELECT * FROM top WHERE n > {{ Int32(min_n, 0, description=\"lower bound\") }}\n"})
	ps, err := Params(p, "r", "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, prm := range ps {
		got = append(got, prm.Name+":"+prm.Type)
	}
	if strings.Join(got, " ") != "min_n:Int32 limit:Int32 country:String" {
		t.Errorf("params = %v", got)
	}
	if ps[0].Description != "lower bound" || ps[1].DefaultSQL != "10" {
		t.Errorf("metadata lost: %+v", ps)
	}
}
