package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/engine"
	"github.com/perchdata/perch/workspace/testrun"
)

// testProject is a project with fixtures through json paths (and missing
// keys that take the columns' defaults), a CSV fixture, a materialized
// view that fills from the fixture, two endpoints and tests that pass and
// tests that fail for every reason a test can fail.
var testProject = map[string]string{
	"datasources/visits.datasource": `SCHEMA >
    ` + "`id` UInt32 `json:$.id`," + `
    ` + "`ts` DateTime `json:$.at`," + `
    ` + "`page` String `json:$.page.path`," + `
    ` + "`country` String `json:$.geo.country` DEFAULT 'unknown'," + `
    ` + "`tags` Array(String) `json:$.tags[:]`," + `
    ` + "`price` Float64 `json:$.price`" + `
ENGINE "MergeTree"
ENGINE_SORTING_KEY "ts, id"
`,
	"datasources/daily.datasource": `SCHEMA >
    date Date,
    country String,
    visits UInt64
ENGINE "SummingMergeTree"
ENGINE_SORTING_KEY "date, country"
`,
	"datasources/prices.datasource": `SCHEMA >
    sku String,
    price Float64
ENGINE "MergeTree"
ENGINE_SORTING_KEY "sku"
`,
	"materializations/daily_mv.pipe": `NODE daily
SQL >
    SELECT toDate(ts) AS date, country, count() AS visits FROM visits GROUP BY date, country
TYPE materialized
DATASOURCE daily
`,
	"endpoints/by_country.pipe": `NODE endpoint
SQL >
    %
    SELECT country, sum(visits) AS visits FROM daily
    WHERE date >= {{ Date(since, '2024-01-01') }}
    GROUP BY country
    ORDER BY visits DESC, country
    LIMIT {{ Int32(limit, 10) }}
TYPE endpoint
`,
	"endpoints/pages.pipe": `NODE endpoint
SQL >
    %
    {% if defined(forbidden) %}{{ error('not for you', 403) }}{% end %}
    SELECT page, count() AS n, round(avg(price), 2) AS avg_price, arraySort(groupUniqArrayArray(tags)) AS tags
    FROM visits
    {% if defined(country) %} WHERE country = {{ String(country) }} {% end %}
    GROUP BY page
    ORDER BY page
TYPE endpoint
`,
	"fixtures/visits.ndjson": `{"id":1,"at":"2024-05-01 10:00:00","page":{"path":"/"},"geo":{"country":"ES"},"tags":["a","b"],"price":1.5}
{"id":2,"at":"2024-05-01 11:00:00","page":{"path":"/"},"geo":{"country":"ES"},"tags":["b"],"price":2.5}
{"id":3,"at":"2024-05-01 12:00:00","page":{"path":"/docs"},"geo":{"country":"US"},"price":10}
{"id":4,"at":"2024-05-02 09:00:00","page":{"path":"/docs"},"price":0.5}
{"id":5,"at":"2024-05-02 10:00:00","page":{"path":"/"},"geo":{"country":"US"},"tags":["c"],"price":0.2}
`,
	"fixtures/prices.csv": "sku,price\nA,1.5\nB,20\n",
	"tests/by_country.yaml": `# by_country's tests
- name: all
  description: the view filled from the fixture; country defaults to 'unknown'
  expected_result: |
    {"country":"ES","visits":2}
    {"country":"US","visits":2}
    {"country":"unknown","visits":1}
- name: top_one
  parameters: limit=1
  expected_result: |
    {"country":"ES","visits":2}
- name: wrong_count
  parameters: since=2024-05-02
  expected_result: |
    {"country":"US","visits":2}
    {"country":"unknown","visits":1}
- name: bad_limit
  parameters: limit=x
  expected_http_status: 400
- name: bad_limit_unexpected
  parameters: limit=x
- name: budget_tight
  max_rows_read: 1
- name: budget_ok
  max_rows_read: 1000
  max_bytes_read: 1000000
`,
	"tests/pages.yaml": `- name: all
  description: numbers compare numerically, floats within a tolerance, arrays structurally
  expected_result: |
    {"page":"/","n":3,"avg_price":1.40000000001,"tags":["a","b","c"]}
    {"page":"/docs","n":2.0,"avg_price":5.25,"tags":[]}
- name: spain
  parameters: country=ES
  expected_result: |
    {"tags":["a","b"],"avg_price":2,"n":2,"page":"/"}
- name: count_is_not_a_string
  parameters: country=ES
  expected_result: |
    {"page":"/","n":"2","avg_price":2,"tags":["a","b"]}
- name: forbidden
  parameters: forbidden=1
  expected_http_status: 403
- name: status_only
  parameters: country=US
`,
	"tests/visits.yaml": `- name: defaults_applied
  sql: SELECT id FROM visits WHERE country = '' OR page = ''
- name: csv_loaded
  sql: SELECT c FROM (SELECT count() AS c, sum(price) AS s FROM prices) WHERE c != 2 OR s != 21.5
- name: no_unknown_country
  sql: SELECT id, country FROM visits WHERE country = 'unknown'
`,
}

// wantOutcome is what each test of testProject must give.
var wantOutcome = map[string]string{
	"by_country.all":                  "",
	"by_country.top_one":              "",
	"by_country.wrong_count":          "the result differs: expected 2 rows, got 2",
	"by_country.bad_limit":            "",
	"by_country.bad_limit_unexpected": "endpoints/by_country.pipe:8:14: Int32(): parameter limit: 'x' is not a valid Int32",
	"by_country.budget_tight":         "rows, over max_rows_read 1",
	"by_country.budget_ok":            "",
	"pages.all":                       "",
	"pages.spain":                     "",
	"pages.count_is_not_a_string":     "the result differs: expected 1 row, got 1",
	"pages.forbidden":                 "",
	"pages.status_only":               "",
	"visits.defaults_applied":         "",
	"visits.csv_loaded":               "",
	"visits.no_unknown_country":       "sql returned rows",
}

// scratchOn opens a scratch database on the server or engine of db.
func scratchOn(t *testing.T, db *clickhousetest.DB) *TestEnv {
	t.Helper()
	env, err := OpenScratch(context.Background(), workspace.Target{Name: "test", DSN: db.DSN, Database: db.Name, Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return env
}

func runTests(t *testing.T, db *clickhousetest.DB, dir string, opts TestOptions) *testrun.Report {
	t.Helper()
	env := scratchOn(t, db)
	defer func() {
		if err := env.Close(); err != nil {
			t.Error(err)
		}
	}()
	local, err := LoadProject(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := &App{Dir: dir}
	rep, err := a.Test(context.Background(), env, local, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestRunnerOnBothEngines(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		dir := writeFiles(t, testProject)
		rep := runTests(t, db, dir, TestOptions{})
		if len(rep.Tests) != len(wantOutcome) {
			t.Fatalf("%d results, want %d", len(rep.Tests), len(wantOutcome))
		}
		for _, r := range rep.Tests {
			want, ok := wantOutcome[r.Name]
			if !ok {
				t.Errorf("unexpected test %s", r.Name)
				continue
			}
			got := strings.Join(r.Failures, "; ")
			switch {
			case want == "" && !r.Passed:
				t.Errorf("%s failed: %s\n%s", r.Name, got, strings.Join(r.Diff, "\n"))
			case want != "" && (r.Passed || !strings.Contains(got, want)):
				t.Errorf("%s: failures %q, want one containing %q", r.Name, got, want)
			}
		}
		if rep.Passed != 10 || rep.Failed != 5 {
			t.Errorf("%d passed, %d failed; want 10, 5", rep.Passed, rep.Failed)
		}
		if rep.Deployed == 0 || len(rep.Fixtures) != 2 || rep.Fixtures[0].Rows != 2 || rep.Fixtures[1].Rows != 5 {
			t.Errorf("deployed %d, fixtures %+v", rep.Deployed, rep.Fixtures)
		}
		if len(rep.Build) != 2 || !rep.Build[0].Passed || !rep.Build[1].Passed {
			t.Errorf("build = %+v", rep.Build)
		}
		byName := map[string]*testrun.Result{}
		for _, r := range rep.Tests {
			byName[r.Name] = r
		}
		if r := byName["by_country.wrong_count"]; strings.Join(r.Diff, "\n") != "- {\"country\":\"US\",\"visits\":2}\n+ {\"country\":\"US\",\"visits\":1}\n    visits: expected 2, got 1\n  {\"country\":\"unknown\",\"visits\":1}" {
			t.Errorf("wrong_count diff:\n%s", strings.Join(r.Diff, "\n"))
		}
		if r := byName["by_country.budget_ok"]; r.RowsRead == 0 || r.BytesRead == 0 {
			t.Errorf("budget_ok read %d rows, %d bytes: reads are not measured", r.RowsRead, r.BytesRead)
		}
		if r := byName["visits.no_unknown_country"]; len(r.Diff) != 1 || r.Diff[0] != `  {"id":4,"country":"unknown"}` {
			t.Errorf("data check rows = %q", r.Diff)
		}
		if r := byName["pages.forbidden"]; r.Status != 403 {
			t.Errorf("forbidden status = %d", r.Status)
		}
		// The last run is recorded for the front ends.
		last, err := (&App{Dir: dir}).LastTestRun()
		if err != nil || last == nil || last.Failed != 5 || len(last.Tests) != len(rep.Tests) || last.Tests[0].Elapsed == 0 {
			t.Errorf("last run = %+v, %v", last, err)
		}
		// The scratch database is gone; the workspace database was never touched.
		var scratch, tables uint64
		if err := db.Conn.QueryRow(context.Background(), "SELECT count() FROM system.databases WHERE startsWith(name, '"+ScratchPrefix+"')").Scan(&scratch); err != nil {
			t.Fatal(err)
		}
		if err := db.Conn.QueryRow(context.Background(), "SELECT count() FROM system.tables WHERE database = '"+db.Name+"'").Scan(&tables); err != nil {
			t.Fatal(err)
		}
		if scratch != 0 || tables != 0 {
			t.Errorf("%d scratch databases left, %d tables in the workspace database", scratch, tables)
		}
	})
}

func TestUpdateRoundTrip(t *testing.T) {
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		dir := writeFiles(t, testProject)
		before, err := os.ReadFile(filepath.Join(dir, "tests", "by_country.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		rep := runTests(t, db, dir, TestOptions{Update: true})
		if rep.Failed != 3 {
			t.Errorf("after --update %d fail, want 3 (what the update cannot fix)", rep.Failed)
		}
		want := []string{"by_country.wrong_count", "by_country.budget_tight", "by_country.budget_ok", "pages.count_is_not_a_string", "pages.status_only"}
		if strings.Join(rep.Updated, " ") != strings.Join(want, " ") {
			t.Errorf("updated %v, want %v", rep.Updated, want)
		}
		after, err := os.ReadFile(filepath.Join(dir, "tests", "by_country.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		// Only expected_result blocks changed: every line of the old file
		// that is not in one is still there, in order.
		if !keepsLines(string(before), string(after)) {
			t.Errorf("the update changed more than expected_result:\n%s", after)
		}
		if !strings.Contains(string(after), "- name: wrong_count\n  parameters: since=2024-05-02\n  expected_result: |\n    {\"country\":\"US\",\"visits\":1}\n    {\"country\":\"unknown\",\"visits\":1}\n") {
			t.Errorf("wrong_count not rewritten:\n%s", after)
		}
		// Run again: what the update fixed passes; what it cannot fix (a
		// status, a budget, a data check) still fails.
		rep = runTests(t, db, dir, TestOptions{})
		var failed []string
		for _, r := range rep.Tests {
			if !r.Passed {
				failed = append(failed, r.Name)
			}
		}
		if strings.Join(failed, " ") != "by_country.bad_limit_unexpected by_country.budget_tight visits.no_unknown_country" {
			t.Errorf("after --update, failing: %v", failed)
		}
	})
}

// keepsLines reports whether every line of before that is not part of an
// expected_result block is in after, in order.
func keepsLines(before, after string) bool {
	al := strings.Split(after, "\n")
	j := 0
	inBlock := false
	for _, l := range strings.Split(before, "\n") {
		if strings.HasPrefix(strings.TrimLeft(l, " -"), "expected_result:") {
			inBlock = true
			continue
		}
		if inBlock && strings.HasPrefix(l, "    ") {
			continue
		}
		inBlock = false
		for j < len(al) && al[j] != l {
			j++
		}
		if j == len(al) {
			return false
		}
		j++
	}
	return true
}

func TestFilterAndBuildErrors(t *testing.T) {
	db := srv.NewDatabaseOn(t, engine.KindEmbedded)
	dir := writeFiles(t, testProject)
	rep := runTests(t, db, dir, TestOptions{Filter: []string{"pages", "by_country.top_one"}})
	var names []string
	for _, r := range rep.Tests {
		names = append(names, r.Name)
	}
	if strings.Join(names, " ") != "by_country.top_one pages.all pages.spain pages.count_is_not_a_string pages.forbidden pages.status_only" {
		t.Errorf("filtered tests = %v", names)
	}

	env := scratchOn(t, db)
	defer env.Close()
	local, err := LoadProject(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&App{Dir: dir}).Test(context.Background(), env, local, TestOptions{Filter: []string{"nope"}}); err == nil || !strings.Contains(err.Error(), "no test named nope") {
		t.Errorf("unknown name: %v", err)
	}
}

func TestBuildNamesTheFailingNode(t *testing.T) {
	files := map[string]string{}
	for k, v := range testProject {
		files[k] = v
	}
	files["endpoints/pages.pipe"] = "NODE endpoint\nSQL >\n    SELECT page,\n        contry\n    FROM visits\nTYPE endpoint\n"
	delete(files, "tests/pages.yaml")
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		dir := writeFiles(t, files)
		env := scratchOn(t, db)
		defer env.Close()
		local, err := LoadProject(dir)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := (&App{Dir: dir}).Build(context.Background(), env, local, TestOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var failed *testrun.Result
		for _, r := range rep.Build {
			if !r.Passed {
				failed = r
			}
		}
		if failed == nil || failed.Name != "pages.endpoint" || rep.Failed != 1 {
			t.Fatalf("build = %+v", rep.Build)
		}
		// The engine's error points into the node: line 4 of the file is "contry".
		if failed.File != "endpoints/pages.pipe" || failed.Line < 2 || failed.Line > 5 {
			t.Errorf("failure at %s: %v", failed.Pos(), failed.Failures)
		}
	})
}

func TestDeployErrorNamesTheDatafile(t *testing.T) {
	db := srv.NewDatabaseOn(t, engine.KindEmbedded)
	dir := writeFiles(t, map[string]string{
		"datasources/t.datasource": "SCHEMA >\n    a UInt8\nENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"no_such_column\"\n",
	})
	env := scratchOn(t, db)
	defer env.Close()
	local, err := LoadProject(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = (&App{Dir: dir}).Build(context.Background(), env, local, TestOptions{})
	if err == nil || !strings.HasPrefix(err.Error(), "datasources/t.datasource:1:1: deploy: ") {
		t.Fatalf("err = %v", err)
	}
}

func TestFixtureErrors(t *testing.T) {
	db := srv.NewDatabaseOn(t, engine.KindEmbedded)
	for _, tc := range []struct {
		name, file, text, want string
	}{
		{"no such data source", "fixtures/nope.ndjson", "{}\n", "fixtures/nope.ndjson:1:1: fixture for nope, which is not a data source"},
		{"rows that do not fit", "fixtures/visits.ndjson", "{\"id\":1}\n{\"id\":\"x\"}\n", "nothing was loaded:\n  fixtures/visits.ndjson:2:1: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"datasources/visits.datasource": testProject["datasources/visits.datasource"], tc.file: tc.text}
			dir := writeFiles(t, files)
			env := scratchOn(t, db)
			defer env.Close()
			local, err := LoadProject(dir)
			if err != nil {
				t.Fatal(err)
			}
			_, err = (&App{Dir: dir}).Build(context.Background(), env, local, TestOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
