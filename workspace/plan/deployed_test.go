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
// columns, quarantine tables, and secrets read from the environment
// (TestMaterializedSecrets has those that are not set).
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
	notes := newCompileNotes(func(name string) string { return map[string]string{"skip_path": "/health"}[name] })
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
		"create:hits_mv__v1":       {"MATERIALIZED VIEW `db`.`hits_mv__v1` TO `db`.`hits`", "FROM page_views__v3 WHERE path != '/health'"},
	} {
		for _, part := range parts {
			if !strings.Contains(sqlOf[id], part) {
				t.Errorf("%s lacks %q:\n%s", id, part, sqlOf[id])
			}
		}
	}
	if n := notesOf["create:hits_mv__v1"]; n != "" {
		t.Errorf("view notes: %q", n)
	}
	if p.Datasources["page_views"].Name != "page_views" || len(p.Datasources["events"].Columns) != 1 {
		t.Error("planning modified the local project")
	}
}

// TestMaterializedSecrets: the planner compiles nodes with the secrets and
// variables the environment sets, as perch compile does; a materialized node
// reading one that is not set is a plan error naming the node, where it is
// and what to set (its view would deploy the placeholder), while another
// node's is a note.
func TestMaterializedSecrets(t *testing.T) {
	files := map[string]string{
		"src.datasource": "SCHEMA >\n    `k` UInt32,\n    `path` String\n\nENGINE_SORTING_KEY k\n",
		"dst.datasource": "SCHEMA >\n    `k` UInt32,\n    `path` String\n\nENGINE_SORTING_KEY k\n",
		"mv.pipe": "NODE m\nSQL >\n    %\n    SELECT k, path FROM src WHERE path != {{ tb_secret('skip_path') }} AND k > {{ tb_var('min_k') }}\n\n" +
			"TYPE materialized\nDATASOURCE dst\n",
		"snap.pipe": "NODE c\nSQL >\n    %\n    SELECT k, path FROM src WHERE path = {{ tb_secret('copy_path') }}\n\nTYPE copy\nTARGET_DATASOURCE dst\n",
	}
	for _, tc := range []struct {
		name    string
		env     map[string]string
		live    bool   // the view is deployed: not planned for dropping
		wantSQL string // in the view's CREATE
		wantErr string // the plan's only error, "" for none
	}{
		{"all set", map[string]string{"skip_path": "/health", "min_k": "7", "copy_path": "/x"}, false,
			"WHERE path != '/health' AND k > '7'", ""},
		{"secret not set", map[string]string{"min_k": "7", "copy_path": "/x"}, false,
			"", "mv.pipe:3:5: materialized node mv.m reads secret skip_path, which is not set: set env var skip_path (perch compile reads it the same way); perch does not deploy the view with a placeholder in its place"},
		{"secret not set, view live", map[string]string{"min_k": "7", "copy_path": "/x"}, true,
			"", "mv.pipe:3:5: materialized node mv.m reads secret skip_path, which is not set: set env var skip_path (perch compile reads it the same way); perch does not deploy the view with a placeholder in its place"},
		{"nothing set", nil, false,
			"", "mv.pipe:3:5: materialized node mv.m reads secret skip_path, variable min_k, which are not set: set env vars skip_path, min_k (perch compile reads it the same way); perch does not deploy the view with a placeholder in its place"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := loadProject(t, files)
			notes := newCompileNotes(func(name string) string { return tc.env[name] })
			r := NewRemote("db", capsFor(t, "18.16.1"))
			if tc.live {
				r.Views["mv"] = &View{Name: "mv", Materialized: true, Target: "dst", Query: "SELECT k, path FROM db.src WHERE path != '/health' AND k > '7'"}
			}
			pl, err := Build(p, r, Options{Compile: notes.compile})
			if err != nil {
				t.Fatal(err)
			}
			notes.annotate(pl)
			for _, c := range pl.Changes {
				if c.Resource == "mv" && tc.wantErr != "" {
					t.Errorf("the pipe whose node does not compile has a change: %s", c.ID)
				}
			}
			if got := strings.Join(pl.Errors, "\n"); got != tc.wantErr {
				t.Fatalf("plan errors:\n%s\nwant:\n%s", got, tc.wantErr)
			}
			var view string
			for _, c := range pl.Changes {
				for _, s := range c.Steps {
					for _, q := range s.SQL {
						if strings.Contains(q, "placeholder") {
							t.Errorf("%s deploys a placeholder: %s", c.ID, q)
						}
						if strings.Contains(q, "MATERIALIZED VIEW") {
							view = q
						}
					}
				}
			}
			if tc.wantSQL != "" && !strings.Contains(view, tc.wantSQL) {
				t.Errorf("view SQL lacks %q:\n%s", tc.wantSQL, view)
			}
		})
	}

	// A copy node's secret that is not set is a note on its pipe: its SQL
	// is only checked for functions (on a server whose functions are
	// known), never deployed as a view.
	p := loadProject(t, files)
	notes := newCompileNotes(func(name string) string {
		return map[string]string{"skip_path": "/health", "min_k": "7"}[name]
	})
	r := NewRemote("db", capsFor(t, "18.16.1"))
	r.Functions = map[string]bool{"count": true}
	pl, err := Build(p, r, Options{Compile: notes.compile})
	if err != nil {
		t.Fatal(err)
	}
	notes.annotate(pl)
	found := false
	for _, c := range pl.Changes {
		for _, n := range c.Notes {
			found = found || c.Resource == "snap" && strings.Contains(n, "snap.c reads secret copy_path, which is not set")
		}
	}
	if len(pl.Errors) != 0 || !found {
		t.Errorf("copy node: errors %v, note found %v", pl.Errors, found)
	}
}
