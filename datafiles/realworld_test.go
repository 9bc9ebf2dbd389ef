package datafiles

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Tests for the format classes of issue 14: files as editors save them,
// engines, versioned names and implicit tables.

// Class 8: a UTF-8 byte-order mark is ignored.
func TestByteOrderMarkIsIgnored(t *testing.T) {
	cases := []struct{ file, src string }{
		{"d.datasource", "\ufeffDESCRIPTION >\n    d\n\nSCHEMA >\n    `a` String\n"},
		{"p.pipe", "\ufeffNODE n\nSQL >\n    SELECT 1\n"},
		{"c.connection", "\ufeffTYPE kafka\nKAFKA_BOOTSTRAP_SERVERS localhost:9092\n"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			res, diags := parseNoEnv(t, tc.file, []byte(tc.src))
			if len(diags) != 0 {
				t.Fatalf("diagnostics: %s", diagList(diags))
			}
			switch r := res.(type) {
			case *Datasource:
				if r.Description != "d" || len(r.Columns) != 1 || r.DirectivePos["DESCRIPTION"].Col != 1 {
					t.Errorf("datasource %+v", r)
				}
			case *Pipe:
				if len(r.Nodes) != 1 || r.Nodes[0].Pos.Line != 1 {
					t.Errorf("pipe %+v", r)
				}
			}
		})
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "e.datasource"), []byte(cases[0].src), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Load(dir)
	if err != nil || len(p.Diagnostics) != 0 || p.Datasources["e"] == nil {
		t.Fatalf("load: %v %s", err, diagList(p.Diagnostics))
	}
}

// Class 8: an ENGINE that is not a ClickHouse table engine is an error at
// its position; a ClickHouse engine outside the format is a warning.
func TestEngineMustBeAClickHouseEngine(t *testing.T) {
	cases := []struct {
		engine string
		sev    Severity
		want   string // "" for no diagnostic
		col    int
	}{
		{`"MergeTre"`, Error, `ENGINE "MergeTre" is not a ClickHouse table engine (did you mean MergeTree?)`, 8},
		{`Hash`, Error, `ENGINE "Hash" is not a ClickHouse table engine;`, 8},
		{`   "ReplacingMergTree"`, Error, `(did you mean ReplacingMergeTree?)`, 11},
		{`Memory`, Warning, `engine "Memory" is not one perch knows`, 1},
		{`ReplicatedMergeTree`, Warning, `engine "ReplicatedMergeTree" is not one perch knows`, 1},
		{`mergetree()`, Error, "", 0},
		{`"SummingMergeTree"`, Error, "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.engine, func(t *testing.T) {
			src := "SCHEMA >\n    `a` String\n\nENGINE " + tc.engine + "\n"
			_, diags := parseNoEnv(t, "d.datasource", []byte(src))
			if tc.want == "" {
				if len(diags) != 0 {
					t.Fatalf("diagnostics: %s", diagList(diags))
				}
				return
			}
			if len(diags) != 1 {
				t.Fatalf("want one diagnostic, got %s", diagList(diags))
			}
			d := diags[0]
			if d.Severity != tc.sev || !strings.Contains(d.Message, tc.want) || d.Pos.Line != 4 || d.Pos.Col != tc.col {
				t.Errorf("got %s, want %s %q at 4:%d", d, tc.sev, tc.want, tc.col)
			}
		})
	}
}

// Class 6: Classic VERSION n resources are known to SQL as name__vN.
func TestLookupVersionedNames(t *testing.T) {
	p := NewProject("x")
	p.Datasources["page_views"] = &Datasource{Name: "page_views", Version: 3}
	p.Datasources["plain"] = &Datasource{Name: "plain"}
	p.Pipes["top"] = &Pipe{Name: "top", Version: 2}
	p.Aliases = map[string]string{"old_name": "plain"}
	for _, tc := range []struct {
		name string
		want string
	}{
		{"page_views", "page_views"},
		{"page_views__v3", "page_views"},
		{"page_views__v2", ""},
		{"page_views__v03", ""},
		{"plain__v1", ""},
		{"old_name", "plain"},
		{"nope", ""},
	} {
		got := ""
		if d := p.LookupDatasource(tc.name); d != nil {
			got = d.Name
		}
		if got != tc.want {
			t.Errorf("LookupDatasource(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	if pp := p.LookupPipe("top__v2"); pp == nil || pp.Name != "top" {
		t.Errorf("LookupPipe(top__v2) = %v", pp)
	}
	if pp := p.LookupPipe("top__v1"); pp != nil {
		t.Errorf("LookupPipe(top__v1) = %v", pp)
	}

	dir := t.TempDir()
	files := map[string]string{
		"page_views.datasource": "VERSION 3\nSCHEMA >\n    `a` String\n",
		"agg.datasource":        "SCHEMA >\n    `a` String\n",
		"m.pipe":                "NODE m\nSQL >\n    SELECT a FROM page_views__v3\nTYPE materialized\nDATASOURCE agg__v0\n",
		"c.pipe":                "NODE c\nSQL >\n    SELECT a FROM page_views\nTYPE copy\nTARGET_DATASOURCE page_views__v3\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lp, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var errs []string
	for _, d := range lp.Errors() {
		errs = append(errs, d.String())
	}
	if len(errs) != 1 || !strings.Contains(errs[0], "m.pipe:1:1: error: materialized node m writes to data source agg__v0") {
		t.Errorf("errors: %v (want only agg__v0, a version agg does not have)", errs)
	}
}

// Class 7: every data source has a quarantine table NAME_quarantine.
func TestQuarantineTables(t *testing.T) {
	p := NewProject("x")
	ds := &Datasource{Name: "events", Columns: []Column{{Name: "ts", Type: "DateTime"}, {Name: "tags", Type: "Array(String)"}},
		Kafka: []Setting{{Key: "KAFKA_TOPIC", Value: "t"}}}
	p.Datasources["events"] = ds
	p.Datasources["v"] = &Datasource{Name: "v", Version: 2}
	for name, want := range map[string]string{
		"events_quarantine": "events", "v__v2_quarantine": "v", "v_quarantine": "v",
		"_quarantine": "", "nope_quarantine": "", "events": "",
	} {
		got := ""
		if d := p.QuarantineOf(name); d != nil {
			got = d.Name
		}
		if got != want {
			t.Errorf("QuarantineOf(%q) = %q, want %q", name, got, want)
		}
	}
	q := QuarantineDatasource(ds)
	var cols []string
	for _, c := range q.Columns {
		cols = append(cols, c.Name+" "+c.Type)
	}
	want := "c__error_column Array(String), c__error Array(String), c__import_id Nullable(String), ts Nullable(String), " +
		"tags Nullable(String), __value Nullable(String), __topic Nullable(String), __partition Nullable(String), " +
		"__offset Nullable(String), __timestamp Nullable(String), __key Nullable(String), insertion_date DateTime"
	if q.Name != "events_quarantine" || strings.Join(cols, ", ") != want {
		t.Errorf("quarantine %s: %s\nwant %s", q.Name, strings.Join(cols, ", "), want)
	}
	if q := QuarantineDatasource(p.Datasources["v"]); q.Name != "v__v2_quarantine" {
		t.Errorf("versioned quarantine name %s", q.Name)
	}
}

// AsDeployed: the project with Tinybird's deployed names, Kafka meta
// columns and the quarantine tables its nodes mention.
func TestAsDeployed(t *testing.T) {
	plain := NewProject("x")
	plain.Datasources["a"] = &Datasource{Name: "a", Columns: []Column{{Name: "x", Type: "String"}}}
	plain.Pipes["p"] = &Pipe{Name: "p", Nodes: []*Node{{Name: "n", SQL: "SELECT x FROM a"}}}
	if plain.AsDeployed() != plain {
		t.Error("a project with nothing to change must be returned as is")
	}

	p := NewProject("x")
	p.Datasources["pv"] = &Datasource{Name: "pv", Version: 3, Columns: []Column{{Name: "x", Type: "String"}}}
	p.Datasources["k"] = &Datasource{Name: "k", Columns: []Column{{Name: "x", Type: "String"}}, Kafka: []Setting{{Key: "KAFKA_TOPIC", Value: "t"}}}
	p.Pipes["mv"] = &Pipe{Name: "mv", Version: 1, Nodes: []*Node{{Name: "m", SQL: "SELECT x FROM pv", Type: NodeMaterialized, Datasource: "k"}}}
	p.Pipes["e"] = &Pipe{Name: "e", Nodes: []*Node{{Name: "n", SQL: "%\n{% if a %}SELECT x FROM `pv_quarantine`{% else %}SELECT 1{% end %} -- not_a_quarantine_x"}}}
	d := p.AsDeployed()
	if got := strings.Join(d.DatasourceNames(), " "); got != "k pv__v3 pv__v3_quarantine" {
		t.Errorf("data sources %s", got)
	}
	if got := strings.Join(d.PipeNames(), " "); got != "e mv__v1" {
		t.Errorf("pipes %s", got)
	}
	if d.LookupDatasource("pv") != d.Datasources["pv__v3"] || d.LookupPipe("mv") != d.Pipes["mv__v1"] {
		t.Error("the files' names must still resolve")
	}
	if n := len(d.Datasources["k"].Columns); n != 7 {
		t.Errorf("kafka columns %d, want 1 + 6 meta", n)
	}
	if p.Datasources["pv"].Name != "pv" || len(p.Datasources["k"].Columns) != 1 || p.Pipes["mv"].Name != "mv" {
		t.Error("AsDeployed modified the project")
	}
	if got := quarantineWords("a_quarantine b_quarantined `c_quarantine` _quarantine x.d_quarantine"); strings.Join(got, " ") != "a_quarantine c_quarantine d_quarantine" {
		t.Errorf("quarantine words %v", got)
	}
}

// indentedLine decides block lines as the lexer would.
func TestIndentedLineMatchesTheLexer(t *testing.T) {
	set := directivesFor(KindPipe)
	for _, tc := range []struct {
		line string
		want int
	}{
		{"    ", lineBlank},
		{"\t# a comment", lineBlank},
		{"    SELECT a, b FROM t", lineContent},
		{"    `a` String `json:$.a`,", lineContent},
		{"    %", lineContent},
		{"    NODE x", lineLex},
		{"    TYPE endpoint", lineLex},
		{"    'quoted' x", lineLex},
		{"    NODE#x", lineLex},
		{"    where x = 'it''s'", lineContent},
	} {
		if got := indentedLine(tc.line, set); got != tc.want {
			t.Errorf("indentedLine(%q) = %d, want %d", tc.line, got, tc.want)
		}
	}
}
