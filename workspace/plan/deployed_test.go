package plan

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
)

// loadProject writes datafiles to a temp dir and loads them.
func loadProject(t *testing.T, files map[string]string) *datafiles.Project {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := datafiles.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range p.Errors() {
		t.Fatalf("fixture: %s", d)
	}
	return p
}

// Classes 6, 7 and 9 of issue 14 at deploy: versioned names, Kafka meta
// columns, quarantine tables, and notes for secrets that are not set.
func TestPlanDeploysTinybirdNames(t *testing.T) {
	p := loadProject(t, map[string]string{
		"page_views.datasource": "VERSION 3\nSCHEMA >\n    `ts` DateTime,\n    `path` String\n\nENGINE_SORTING_KEY ts\n",
		"hits.datasource":       "SCHEMA >\n    `path` String,\n    `n` UInt64\n\nENGINE SummingMergeTree\nENGINE_SORTING_KEY path\n",
		"events.datasource": "SCHEMA >\n    `a` String `json:$.a`\n\nENGINE_PARTITION_KEY toYYYYMM(__timestamp)\nENGINE_SORTING_KEY __offset\n" +
			"KAFKA_CONNECTION_NAME kafka_conn\nKAFKA_TOPIC events\n",
		"hits_mv.pipe": "VERSION 1\nNODE m\nSQL >\n    %\n    SELECT path, count() AS n FROM page_views WHERE path != {{ tb_secret('skip_path') }} GROUP BY path\n\n" +
			"TYPE materialized\nDATASOURCE hits\n",
		"errors.pipe": "NODE e\nSQL >\n    SELECT c__error, a FROM events_quarantine\n\nTYPE endpoint\n",
		"snap.pipe":   "NODE c\nSQL >\n    SELECT path, count() AS n FROM page_views__v3 GROUP BY path\n\nTYPE copy\nTARGET_DATASOURCE hits\n",
	})
	notes := newCompileNotes()
	pl, err := Build(p, NewRemote("db", capsFor(t, "18.16.1")), Options{Compile: notes.compile})
	if err != nil {
		t.Fatal(err)
	}
	notes.annotate(pl)
	if len(pl.Errors) != 0 {
		t.Fatalf("plan errors: %v", pl.Errors)
	}
	var ids []string
	sqlOf := map[string]string{}
	notesOf := map[string]string{}
	for _, c := range pl.Changes {
		ids = append(ids, c.ID)
		var sql []string
		for _, s := range c.Steps {
			sql = append(sql, s.SQL...)
		}
		sqlOf[c.ID] = strings.Join(sql, "\n")
		notesOf[c.ID] = strings.Join(c.Notes, "\n")
	}
	sort.Strings(ids)
	want := "create:errors create:events create:events_quarantine create:hits create:hits_mv__v1 create:page_views__v3 create:snap"
	if got := strings.Join(ids, " "); got != want {
		t.Fatalf("changes %s\nwant    %s", got, want)
	}
	for id, parts := range map[string][]string{
		"create:page_views__v3":    {"CREATE TABLE `db`.`page_views__v3`"},
		"create:events":            {"`__topic` LowCardinality(String)", "`__partition` Int16", "`__offset` Int64", "`__timestamp` DateTime", "`__key` String", "PARTITION BY toYYYYMM(__timestamp)"},
		"create:events_quarantine": {"CREATE TABLE `db`.`events_quarantine`", "`c__error_column` Array(String)", "`a` Nullable(String)", "`__offset` Nullable(String)", "`insertion_date` DateTime"},
		"create:hits_mv__v1":       {"MATERIALIZED VIEW `db`.`hits_mv__v1` TO `db`.`hits`", "FROM page_views__v3 WHERE path != 'placeholder'"},
	} {
		for _, part := range parts {
			if !strings.Contains(sqlOf[id], part) {
				t.Errorf("%s lacks %q:\n%s", id, part, sqlOf[id])
			}
		}
	}
	if n := notesOf["create:hits_mv__v1"]; !strings.Contains(n, "hits_mv__v1.m reads secret skip_path, which is not set: the SQL shown uses a placeholder") {
		t.Errorf("view notes: %q", n)
	}
	if p.Datasources["page_views"].Name != "page_views" || len(p.Datasources["events"].Columns) != 1 {
		t.Error("planning modified the local project")
	}
}
