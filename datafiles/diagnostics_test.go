package datafiles

import (
	"strings"
	"testing"
)

func TestDiagnostics(t *testing.T) {
	tests := []struct {
		name     string
		kind     Kind
		src      string
		line     int
		col      int
		severity Severity
		contains []string
	}{
		{"unknown directive lists what is allowed", KindPipe, "TPYE endpoint\nNODE a\nSQL >\n    SELECT 1\n", 1, 1, Error,
			[]string{`unknown directive "TPYE" in a .pipe file`, "allowed here:", "NODE", "TYPE", "EXPORT_*"}},
		{"misspelt directive inside SQL", KindPipe, "NODE a\nSQL >\n    SELECT 1\nTPYE endpoint\n", 4, 1, Warning,
			[]string{`"TPYE" in column 0 is read as part of the SQL > block opened at line 2`, "did you mean the directive TYPE?"}},
		{"unknown directive in a datasource", KindDatasource, "SCHEMA >\n    `a` String\nNODE x\n", 3, 1, Error,
			[]string{`unknown directive "NODE" in a .datasource file`, "ENGINE_SORTING_KEY", "KAFKA_*"}},
		{"SETTINGS hints ENGINE_SETTINGS", KindDatasource, "SCHEMA >\n    `a` String\nSETTINGS index_granularity=8192\n", 3, 1, Error,
			[]string{"SETTINGS", "write ENGINE_SETTINGS"}},
		{"materialized node without DATASOURCE", KindPipe, "NODE mv\nSQL >\n    SELECT 1\nTYPE materialized\n", 1, 1, Error,
			[]string{"materialized node mv has no DATASOURCE"}},
		{"copy node without TARGET_DATASOURCE", KindPipe, "NODE cp\nSQL >\n    SELECT 1\nTYPE copy\n", 1, 1, Error,
			[]string{"copy node cp has no TARGET_DATASOURCE"}},
		{"block that never closes (indented NODE)", KindPipe, "NODE a\nSQL >\n    SELECT 1\n    NODE b\n    SQL >\n        SELECT 2\n", 4, 5, Error,
			[]string{"SQL > block opened at line 2 never closes", "column 0"}},
		{"block that never closes (indented opener)", KindDatasource, "SCHEMA >\n    `a` String\n    ENGINE_TTL >\n", 3, 5, Error,
			[]string{"SCHEMA > block opened at line 1 never closes"}},
		{"unbalanced quote", KindPipe, "TAGS \"web\nNODE a\nSQL >\n    SELECT 1\n", 1, 6, Error,
			[]string{"unbalanced quote", "never closes"}},
		{"unbalanced quote in the schema", KindDatasource, "SCHEMA >\n    `a String\n", 2, 5, Error,
			[]string{"unbalanced quote"}},
		{"column-0 directive word ends SQL", KindPipe, "NODE a\nSQL >\n    SELECT a\ntype FROM t\n", 4, 1, Error,
			[]string{`unknown TYPE "FROM t"`, "endpoint, materialized, copy, sink"}},
		{"SQL before NODE", KindPipe, "SQL >\n    SELECT 1\n", 1, 1, Error,
			[]string{"SQL before the first NODE"}},
		{"duplicate node", KindPipe, "NODE a\nSQL >\n    SELECT 1\nNODE a\nSQL >\n    SELECT 2\n", 4, 1, Error,
			[]string{"node a is defined twice", "line 1"}},
		{"second SQL block", KindPipe, "NODE a\nSQL >\n    SELECT 1\nSQL >\n    SELECT 2\n", 4, 1, Error,
			[]string{"second SQL block"}},
		{"node without SQL", KindPipe, "NODE a\nTYPE endpoint\n", 1, 1, Error,
			[]string{"node a has no SQL"}},
		{"pipe without nodes", KindPipe, "DESCRIPTION >\n    nothing\n", 1, 1, Error,
			[]string{"has no nodes"}},
		{"invalid node name", KindPipe, "NODE a-b\nSQL >\n    SELECT 1\n", 1, 1, Error,
			[]string{`node name "a-b" is not a valid name`}},
		{"datasource without schema", KindDatasource, "ENGINE MergeTree\n", 1, 1, Error,
			[]string{"has no SCHEMA"}},
		{"column without type", KindDatasource, "SCHEMA >\n    `a` String,\n    `b`\n", 3, 5, Error,
			[]string{"column b has no type"}},
		{"stray token in a column", KindDatasource, "SCHEMA >\n    `a` String `json:$.a` NOT_A_THING\n", 2, 5, Error,
			[]string{`unexpected "NOT_A_THING"`}},
		{"duplicate column", KindDatasource, "SCHEMA >\n    `a` String,\n    `a` Int32\n", 3, 5, Error,
			[]string{"column a is defined twice"}},
		{"empty column", KindDatasource, "SCHEMA >\n    `a` String,,\n    `b` Int32\n", 2, 16, Error,
			[]string{"empty column definition"}},
		{"collapsing without sign", KindDatasource, "SCHEMA >\n    `a` String\nENGINE CollapsingMergeTree\n", 3, 1, Error,
			[]string{"CollapsingMergeTree needs ENGINE_SIGN"}},
		{"unknown engine", KindDatasource, "SCHEMA >\n    `a` String\nENGINE Memory\n", 3, 1, Warning,
			[]string{`engine "Memory" is not one perch knows`}},
		{"engine directive of another engine", KindDatasource, "SCHEMA >\n    `a` String\nENGINE MergeTree\nENGINE_VER a\n", 3, 1, Warning,
			[]string{"ENGINE_VER applies only to ReplacingMergeTree"}},
		{"unknown engine directive", KindDatasource, "SCHEMA >\n    `a` String\nENGINE_SORTINGKEY a\n", 3, 1, Error,
			[]string{`unknown directive "ENGINE_SORTINGKEY"`}},
		{"bad version", KindDatasource, "VERSION x\nSCHEMA >\n    `a` String\n", 1, 1, Error,
			[]string{`VERSION "x" is not a non-negative integer`}},
		{"bad copy mode", KindPipe, "NODE a\nSQL >\n    SELECT 1\nTYPE copy\nTARGET_DATASOURCE t\nCOPY_MODE upsert\n", 6, 1, Error,
			[]string{`COPY_MODE "upsert" is not known`}},
		{"bad deployment method", KindPipe, "NODE a\nSQL >\n    SELECT 1\nTYPE materialized\nDATASOURCE t\nDEPLOYMENT_METHOD swap\n", 6, 1, Error,
			[]string{`DEPLOYMENT_METHOD "swap" is not known`}},
		{"bad cache", KindPipe, "CACHE soon\nNODE a\nSQL >\n    SELECT 1\n", 1, 1, Error,
			[]string{`CACHE "soon"`}},
		{"missing include", KindPipe, "INCLUDE \"nope/shared.incl\"\nNODE a\nSQL >\n    SELECT 1\n", 1, 9, Error,
			[]string{`INCLUDE "nope/shared.incl"`, "not found"}},
		{"bad index", KindDatasource, "SCHEMA >\n    `a` String\nINDEXES >\n    idx a bloom_filter\n", 4, 5, Error,
			[]string{"want `name expr TYPE type [GRANULARITY n]`"}},
		{"bad granularity", KindDatasource, "SCHEMA >\n    `a` String\nINDEXES >\n    idx a TYPE set(1) GRANULARITY x\n", 4, 5, Error,
			[]string{`GRANULARITY "x"`}},
		{"two typed nodes", KindPipe, "NODE a\nSQL >\n    SELECT 1\nTYPE endpoint\nNODE b\nSQL >\n    SELECT 2\nTYPE endpoint\n", 5, 1, Error,
			[]string{"second typed node b", "at most one"}},
		{"token with an unknown scope", KindDatasource, "TOKEN t WRITE\nSCHEMA >\n    `a` String\n", 1, 9, Warning,
			[]string{`TOKEN scope "WRITE"`}},
		{"directive given twice", KindDatasource, "SCHEMA >\n    `a` String\nENGINE_TTL a\nENGINE_TTL b\n", 4, 1, Warning,
			[]string{"ENGINE_TTL given twice (first at line 3)"}},
		{"schema given twice", KindDatasource, "SCHEMA >\n    `a` String\nSCHEMA >\n    `b` String\n", 3, 1, Error,
			[]string{"SCHEMA given twice"}},
		{"schema not a block", KindDatasource, "SCHEMA `a` String\n", 1, 1, Error,
			[]string{"SCHEMA must be a block"}},
		{"DATASOURCE on a plain node", KindPipe, "NODE a\nSQL >\n    SELECT 1\nDATASOURCE t\n", 1, 1, Warning,
			[]string{"DATASOURCE is ignored"}},
		{"connection without type", KindConnection, "KAFKA_KEY k\n", 1, 1, Error,
			[]string{"has no TYPE"}},
		{"connection with unknown type", KindConnection, "TYPE ftp\n", 1, 1, Error,
			[]string{`connection TYPE "ftp" is not known`}},
		{"connection setting of another type", KindConnection, "TYPE s3\nKAFKA_KEY k\n", 2, 1, Warning,
			[]string{"KAFKA_KEY does not apply to a s3 connection"}},
		{"unknown connection directive", KindConnection, "TYPE s3\nNODE x\n", 2, 1, Error,
			[]string{"allowed here:", "S3_*"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := "f." + string(tt.kind)
			_, diags := ParseFile(file, []byte(tt.src), ParseOptions{})
			for _, d := range diags {
				if d.Pos.Line != tt.line || d.Pos.Col != tt.col || d.Severity != tt.severity || d.Pos.File != file {
					continue
				}
				ok := true
				for _, c := range tt.contains {
					ok = ok && strings.Contains(d.Message, c)
				}
				if ok {
					return
				}
			}
			t.Errorf("no %s at %d:%d containing %q; got:\n%s", tt.severity, tt.line, tt.col, tt.contains, diagList(diags))
		})
	}
}

func diagList(diags []Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString("  " + d.String() + "\n")
	}
	return b.String()
}

// TestAllProblemsReported checks that parsing does not stop at the first
// problem: one run reports them all.
func TestAllProblemsReported(t *testing.T) {
	src := "FOO 1\nNODE a\nSQL >\n    SELECT 1\nBAR 2\nTYPE materialized\nNODE b\nTYPE copy\n"
	_, diags := ParseFile("p.pipe", []byte(src), ParseOptions{})
	var lines []int
	for _, d := range diags {
		lines = append(lines, d.Pos.Line)
	}
	if len(errorsOf(diags)) < 5 {
		t.Errorf("want at least 5 errors (FOO, BAR, no DATASOURCE, b has no SQL, no TARGET_DATASOURCE), got:\n%s", diagList(diags))
	}
}

func TestResourceNameWarning(t *testing.T) {
	_, diags := ParseFile("pipes/top-pages.pipe", []byte("NODE a\nSQL >\n    SELECT 1\n"), ParseOptions{})
	if len(diags) != 1 || diags[0].Severity != Warning || !strings.Contains(diags[0].Message, `pipe name "top-pages"`) {
		t.Errorf("diags = %v", diags)
	}
}

// TestUnknownBlockReportedOnce checks that the body of an unknown block is
// skipped instead of reported line by line.
func TestUnknownBlockReportedOnce(t *testing.T) {
	_, diags := ParseFile("p.pipe", []byte("SCHEMA >\n    `a` String,\n    `b` String\nNODE n\nSQL >\n    SELECT 1\n"), ParseOptions{})
	if len(diags) != 1 || diags[0].Pos.Line != 1 || !strings.Contains(diags[0].Message, `unknown directive "SCHEMA" in a .pipe file`) {
		t.Errorf("diags:\n%s", diagList(diags))
	}
}
