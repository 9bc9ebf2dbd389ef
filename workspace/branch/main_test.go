package branch

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

// srv is this package's private ClickHouse server.
var srv *clickhousetest.Server

func TestMain(m *testing.M) { os.Exit(clickhousetest.Run(m, &srv)) }

// The test project: events (landing, with a view rolling it up per
// country), users (a second landing table), two endpoints and a test file.
const (
	eventsDS = `SCHEMA >
    ` + "`id`" + ` UInt64,
    ` + "`ts`" + ` DateTime,
    ` + "`user`" + ` String,
    ` + "`country`" + ` String,
    ` + "`amount`" + ` Float64,
    ` + "`tags`" + ` Array(String),
    ` + "`note`" + ` Nullable(String)

ENGINE "MergeTree"
ENGINE_PARTITION_KEY "toYYYYMM(ts)"
ENGINE_SORTING_KEY "%s"
`
	usersDS = `SCHEMA >
    ` + "`user`" + ` String,
    ` + "`plan`" + ` String

ENGINE "MergeTree"
ENGINE_SORTING_KEY "user"
`
	perCountryDS = `SCHEMA >
    ` + "`country`" + ` String,
    ` + "`n`" + ` UInt64,
    ` + "`amount`" + ` Float64

ENGINE "SummingMergeTree"
ENGINE_SORTING_KEY "country"
`
	perCountryMV = `NODE m
SQL >
    SELECT country, count() AS n, sum(amount) AS amount FROM events GROUP BY country

TYPE materialized
DATASOURCE per_country
`
	byCountry = `NODE e
SQL >
    %
    SELECT country, sum(n) AS n, round(sum(amount), 6) AS amount FROM per_country
    {% if defined(country) %} WHERE country = {{ String(country) }} {% end %}
    GROUP BY country ORDER BY country

TYPE endpoint
`
	userEvents = `NODE e
SQL >
    %
    SELECT user, count() AS c, sum(amount) AS amount FROM events
    WHERE user = {{ String(user, 'u1') }}
    GROUP BY user

TYPE endpoint
`
	userEventsTests = `- name: u3
  description: the events of u3
  parameters: user=u3
  expected_result: ''
- name: u7
  parameters: user=u7
`
)

// sortA and sortB are two designs of events to compare.
const (
	sortA = "ts, id"
	sortB = "country, user, id"
)

// writeProject writes the test project with events sorted by sortingKey.
func writeProject(t testing.TB, sortingKey string) string {
	t.Helper()
	files := map[string]string{
		"datasources/events.datasource":        strings.Replace(eventsDS, "%s", sortingKey, 1),
		"datasources/users.datasource":         usersDS,
		"datasources/per_country.datasource":   perCountryDS,
		"materializations/per_country_mv.pipe": perCountryMV,
		"endpoints/by_country.pipe":            byCountry,
		"endpoints/user_events.pipe":           userEvents,
		"tests/user_events.yaml":               userEventsTests,
	}
	dir := t.TempDir()
	for name, text := range files {
		if err := writeFile(dir, name, text); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func loadProject(t testing.TB, dir string) *datafiles.Project {
	t.Helper()
	p, err := app.LoadProject(dir)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// workspaceFixture is a workspace deployed from the test project (sorting
// key sortA) and filled with rows.
type workspaceFixture struct {
	db  *clickhousetest.DB
	c   *workspace.Client
	dir string
}

// newWorkspace deploys the test project into a fresh database and inserts
// n events over three months and 50 users.
func newWorkspace(t testing.TB, db *clickhousetest.DB, n int) *workspaceFixture {
	t.Helper()
	ctx := context.Background()
	c, err := workspace.Open(ctx, workspace.Target{Name: "test", DSN: db.DSN, Database: db.Name, Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	dir := writeProject(t, sortA)
	a := &app.App{Dir: dir}
	prep, err := a.Plan(ctx, c, loadProject(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Apply(ctx, c, prep, app.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	insertEvents(t, db, 0, n)
	db.Exec(t, "INSERT INTO users SELECT concat('u', toString(number)), ['free', 'pro'][number % 2 + 1] FROM numbers(50)")
	// Branches of this workspace are dropped with it.
	t.Cleanup(func() {
		dbs, err := c.BranchDatabases(context.Background(), db.Name)
		if err != nil {
			t.Error(err)
		}
		for _, b := range dbs {
			db.Exec(t, "DROP DATABASE IF EXISTS "+workspace.QuoteIdent(b))
		}
	})
	return &workspaceFixture{db: db, c: c, dir: dir}
}

// insertEvents inserts events with ids from..to-1, one a minute from
// 2024-01-01 (so 130,000 rows span three months).
func insertEvents(t testing.TB, db *clickhousetest.DB, from, to int) {
	t.Helper()
	db.Exec(t, "INSERT INTO events SELECT number, toDateTime('2024-01-01 00:00:00') + number * 60, concat('u', toString(number % 50)), "+
		"['fr', 'de', 'us', 'br'][number % 4 + 1], number / 7, [toString(number % 3)], if(number % 5 = 0, NULL, concat('n', toString(number))) "+
		"FROM system.numbers WHERE number >= "+strconv.Itoa(from)+" LIMIT "+strconv.Itoa(to-from))
}

// create makes a branch of the fixture's workspace from the project in dir.
func (w *workspaceFixture) create(t testing.TB, name, dir string, opts CreateOptions) *Result {
	t.Helper()
	opts.Name = name
	if opts.Project == nil && opts.From != FromDeployed {
		opts.Project = loadProject(t, dir)
	}
	res, err := Create(context.Background(), &app.App{Dir: dir, Version: "test"}, w.c, opts)
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return res
}

// count runs a count() query and returns it.
func (w *workspaceFixture) count(t testing.TB, q string) uint64 {
	t.Helper()
	var n uint64
	if err := w.db.Conn.QueryRow(context.Background(), q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// qi quotes a name.
func qi(s string) string { return workspace.QuoteIdent(s) }

// app is the application layer of the fixture's project.
func (w *workspaceFixture) app() *app.App { return &app.App{Dir: w.dir, Version: "test"} }

// mustSnapshot snapshots database db through a new client.
func mustSnapshot(t testing.TB, dsn, db string) *workspace.Snapshot {
	t.Helper()
	c, err := workspace.Open(context.Background(), workspace.Target{Name: "test", DSN: dsn, Database: db, Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := c.Snapshot(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// writeFile writes one file of a project folder.
func writeFile(dir, rel, text string) error {
	path := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(text), 0o644)
}

// open connects to branch name of the fixture's workspace, as --branch does.
func (w *workspaceFixture) open(t testing.TB, name string) *workspace.Client {
	t.Helper()
	bt, err := w.c.Target().WithBranch(name)
	if err != nil {
		t.Fatal(err)
	}
	c, err := workspace.Open(context.Background(), bt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
