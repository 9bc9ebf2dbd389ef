package datafiles

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// corpusDir is the folder of real projects, beside the repository.
const corpusDir = "../../shared/corpus"

// corpusProjects lists the projects of the corpus.
func corpusProjects(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Fatalf("corpus: %v (shared/ must sit beside the repository)", err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, filepath.Join(corpusDir, e.Name()))
		}
	}
	if len(out) == 0 {
		t.Fatal("corpus is empty")
	}
	return out
}

// writeTree writes files (slash paths relative to a new temp dir) and
// returns the dir.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for rel, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadCorpus(t *testing.T) {
	want := map[string][4]int{ // files, data sources, pipes, connections
		"flappy-tinybird":           {7, 2, 5, 0},
		"log-analytics-starter-kit": {18, 5, 13, 0},
		"web-analytics-starter-kit": {29, 6, 23, 0},
		"zero-dollars-stats":        {15, 4, 11, 0},
	}
	for _, dir := range corpusProjects(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			p, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			if errs := p.Errors(); len(errs) > 0 {
				t.Errorf("errors:\n%s", diagList(errs))
			}
			got := [4]int{len(p.Files), len(p.Datasources), len(p.Pipes), len(p.Connections)}
			if w, ok := want[filepath.Base(dir)]; ok && got != w {
				t.Errorf("counts = %v, want %v", got, w)
			}
			for _, f := range p.Files {
				if _, ok := p.Sources[f]; !ok {
					t.Errorf("no source for %s", f)
				}
			}
			for _, pipe := range p.Pipes {
				for _, n := range pipe.Nodes {
					if n.SQL == "" || len(n.SQLLines) != strings.Count(n.SQL, "\n")+1 {
						t.Errorf("%s.%s: SQL lines %d for %d lines", pipe.Name, n.Name, len(n.SQLLines), strings.Count(n.SQL, "\n")+1)
					}
				}
			}
		})
	}
}

func TestLoadProject(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"datasources/events.datasource": "SCHEMA >\n    `a` String\n",
		"datasources/mv.datasource":     "SCHEMA >\n    `a` String\nENGINE AggregatingMergeTree\n",
		"pipes/mat.pipe":                "NODE m\nSQL >\n    SELECT a FROM events\nTYPE materialized\nDATASOURCE mv\n",
		"endpoints/api.pipe":            "NODE e\nSQL >\n    SELECT a FROM mv\nTYPE endpoint\n",
		"README.md":                     "not a datafile",
		".git/x.pipe":                   "broken",
		".perch/y.pipe":                 "broken",
		"node_modules/z.pipe":           "broken",
		".hidden/w.datasource":          "broken",
		"deep/a/b/c/extra.datasource":   "SCHEMA >\n    `x` Int32\n",
		"fixtures/events.ndjson":        "{}\n",
		"tests/api.yaml":                "- name: t\n",
		"tests/notes.txt":               "ignored",
	})
	p, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Diagnostics) > 0 {
		t.Errorf("diagnostics:\n%s", diagList(p.Diagnostics))
	}
	wantFiles := []string{"datasources/events.datasource", "datasources/mv.datasource", "deep/a/b/c/extra.datasource", "endpoints/api.pipe", "pipes/mat.pipe"}
	if !reflect.DeepEqual(p.Files, wantFiles) {
		t.Errorf("files = %q, want %q", p.Files, wantFiles)
	}
	if !reflect.DeepEqual(p.DatasourceNames(), []string{"events", "extra", "mv"}) || !reflect.DeepEqual(p.PipeNames(), []string{"api", "mat"}) {
		t.Errorf("names = %v %v", p.DatasourceNames(), p.PipeNames())
	}
	if p.Pipes["mat"].Nodes[0].Pos != (Pos{"pipes/mat.pipe", 1, 1}) {
		t.Errorf("positions are not relative to the root: %v", p.Pipes["mat"].Nodes[0].Pos)
	}
	if !reflect.DeepEqual(p.Fixtures, map[string]string{"events": "fixtures/events.ndjson"}) ||
		!reflect.DeepEqual(p.DataTests, map[string]string{"api": "tests/api.yaml"}) {
		t.Errorf("fixtures %v, data tests %v", p.Fixtures, p.DataTests)
	}
	if _, ok := p.Resource("api").(*Pipe); !ok || p.Resource("nope") != nil {
		t.Error("Resource lookup")
	}
	if _, err := Load(filepath.Join(dir, "missing")); err == nil {
		t.Error("Load of a missing dir: want an error")
	}
}

func TestLoadDiagnostics(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string]string
		file     string
		line     int
		severity Severity
		contains string
	}{
		{"duplicate data source", map[string]string{
			"a/events.datasource": "SCHEMA >\n    `a` String\n",
			"b/events.datasource": "SCHEMA >\n    `a` String\n",
		}, "b/events.datasource", 1, Error, `duplicate resource name "events": events is also defined by a/events.datasource`},
		{"pipe named like a data source", map[string]string{
			"events.datasource": "SCHEMA >\n    `a` String\n",
			"events.pipe":       "NODE n\nSQL >\n    SELECT 1\n",
		}, "events.pipe", 1, Error, "also defined by events.datasource"},
		{"duplicate connection", map[string]string{
			"a/k.connection": "TYPE kafka\n",
			"b/k.connection": "TYPE kafka\n",
		}, "b/k.connection", 1, Error, "duplicate resource name"},
		{"materialized target missing", map[string]string{
			"m.pipe": "NODE n\nSQL >\n    SELECT 1\nTYPE materialized\nDATASOURCE nowhere\n",
		}, "m.pipe", 1, Error, "writes to data source nowhere, which no .datasource file in the project defines"},
		{"copy target missing", map[string]string{
			"c.pipe": "NODE n\nSQL >\n    SELECT 1\nTYPE copy\nTARGET_DATASOURCE nowhere\n",
		}, "c.pipe", 1, Error, "copies into data source nowhere"},
		{"classic keyword in a forward project", map[string]string{
			"k.connection":  "TYPE kafka\nKAFKA_BOOTSTRAP_SERVERS b:9092\n",
			"e.datasource":  "VERSION 1\nSCHEMA >\n    `a` String\nFORWARD_QUERY >\n    SELECT a\nKAFKA_CONNECTION_NAME k\n",
			"e2.datasource": "SCHEMA >\n    `a` String\nFORWARD_QUERY >\n    SELECT a\n",
		}, "e.datasource", 1, Warning, "VERSION is a Classic-format keyword, deprecated in the Forward format"},
		{"forward keyword in a classic project", map[string]string{
			"e.datasource": "VERSION 1\nSCHEMA >\n    `a` String\n`b` Int32 MATERIALIZED 1\nBACKFILL skip\n",
			"p.pipe":       "VERSION 2\nNODE n\nSQL >\n    SELECT 1\n",
		}, "e.datasource", 5, Warning, "BACKFILL is a Forward-format keyword"},
		{"missing connection in a forward project", map[string]string{
			"e.datasource": "SCHEMA >\n    `a` String\nKAFKA_CONNECTION_NAME nope\nFORWARD_QUERY >\n    SELECT a\n",
		}, "e.datasource", 3, Warning, "uses connection nope, which no .connection file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Load(writeTree(t, tt.files))
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range p.Diagnostics {
				if d.Pos.File == tt.file && d.Pos.Line == tt.line && d.Severity == tt.severity && strings.Contains(d.Message, tt.contains) {
					return
				}
			}
			t.Errorf("no %s at %s:%d containing %q; got:\n%s", tt.severity, tt.file, tt.line, tt.contains, diagList(p.Diagnostics))
		})
	}
}

func TestLoadIncludes(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"includes/kafka.incl":      "KAFKA_CONNECTION_NAME $CONN\nKAFKA_TOPIC ${TOPIC}_raw\n",
		"includes/node.incl":       "NODE shared\nSQL >\n    SELECT * FROM $SRC\nINCLUDE \"deeper.incl\"\n",
		"includes/deeper.incl":     "NODE deeper\nSQL >\n    SELECT 2\n",
		"datasources/e.datasource": "SCHEMA >\n    `a` String\nINCLUDE \"../includes/kafka.incl\" \"CONN=main\" \"TOPIC=events\"\nENGINE MergeTree\n",
		"pipes/p.pipe":             "INCLUDE \"includes/node.incl\" \"SRC=e\"\nNODE last\nSQL >\n    SELECT 1\nTYPE endpoint\n",
		"pipes/q.pipe":             "INCLUDE \"includes/missing.incl\"\nNODE n\nSQL >\n    SELECT 1\n",
		"loop/a.incl":              "INCLUDE \"b.incl\"\n",
		"loop/b.incl":              "INCLUDE \"a.incl\"\n",
		"loop/l.pipe":              "INCLUDE \"a.incl\"\nNODE n\nSQL >\n    SELECT 1\n",
	})
	p, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := p.Datasources["e"]
	wantKafka := []Setting{
		{Key: "KAFKA_CONNECTION_NAME", Value: "main", Pos: Pos{"includes/kafka.incl", 1, 1}},
		{Key: "KAFKA_TOPIC", Value: "events_raw", Pos: Pos{"includes/kafka.incl", 2, 1}},
	}
	if !reflect.DeepEqual(d.Kafka, wantKafka) {
		t.Errorf("kafka = %+v, want %+v", d.Kafka, wantKafka)
	}
	pipe := p.Pipes["p"]
	if len(pipe.Nodes) != 3 || pipe.Nodes[0].SQL != "SELECT * FROM e" || pipe.Nodes[1].Name != "deeper" {
		t.Fatalf("nodes = %+v", pipe.Nodes)
	}
	if pipe.Nodes[0].SQLPos != (Pos{"includes/node.incl", 3, 5}) {
		t.Errorf("included SQL position = %v", pipe.Nodes[0].SQLPos)
	}
	if !reflect.DeepEqual(pipe.Includes, []string{"includes/node.incl", "includes/deeper.incl"}) {
		t.Errorf("includes = %q", pipe.Includes)
	}
	wantIncluders := map[string][]string{
		"includes/kafka.incl":  {"datasources/e.datasource"},
		"includes/node.incl":   {"pipes/p.pipe"},
		"includes/deeper.incl": {"pipes/p.pipe"},
		"loop/a.incl":          {"loop/l.pipe"},
		"loop/b.incl":          {"loop/l.pipe"},
	}
	if !reflect.DeepEqual(p.Includers, wantIncluders) {
		t.Errorf("includers = %v, want %v", p.Includers, wantIncluders)
	}
	var missing, cycle bool
	for _, dg := range p.Errors() {
		missing = missing || dg.Pos.File == "pipes/q.pipe" && strings.Contains(dg.Message, "no such file")
		cycle = cycle || strings.Contains(dg.Message, "include cycle")
	}
	if !missing || !cycle {
		t.Errorf("want a missing-include and a cycle error; got:\n%s", diagList(p.Diagnostics))
	}
	if p.Generation != GenerationClassic {
		t.Errorf("generation = %s", p.Generation)
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	var scratch []byte // reused from file to file, as the loader does
	for _, n := range []int{0, 1, 4095, 4096, 4097, 8192, 20000, 3} {
		p := filepath.Join(dir, "f")
		want := []byte(strings.Repeat("x", n))
		if err := os.WriteFile(p, want, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := readFile(p, &scratch)
		if err != nil || got != string(want) {
			t.Errorf("size %d: got %d bytes, err %v", n, len(got), err)
		}
	}
	if _, err := readFile(filepath.Join(dir, "missing"), nil); !os.IsNotExist(err) {
		t.Errorf("missing file: err = %v", err)
	}
}

func TestLoadWithEnv(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"e.datasource": "SCHEMA >\n    `a` String\nKAFKA_TOPIC ${PREFIX}_events\nKAFKA_GROUP_ID $UNKNOWN_GROUP\n",
	})
	env := func(name string) (string, bool) {
		if name == "PREFIX" {
			return "prod", true
		}
		return "", false
	}
	p, err := LoadWith(dir, LoadOptions{Env: env})
	if err != nil {
		t.Fatal(err)
	}
	d := p.Datasources["e"]
	if v, _ := d.Setting("KAFKA_TOPIC"); v != "prod_events" {
		t.Errorf("KAFKA_TOPIC = %q", v)
	}
	if v, _ := d.Setting("KAFKA_GROUP_ID"); v != "$UNKNOWN_GROUP" {
		t.Errorf("KAFKA_GROUP_ID = %q", v)
	}
	raw, err := LoadWith(dir, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := raw.Datasources["e"].Setting("KAFKA_TOPIC"); v != "${PREFIX}_events" {
		t.Errorf("without Env: KAFKA_TOPIC = %q", v)
	}
}
