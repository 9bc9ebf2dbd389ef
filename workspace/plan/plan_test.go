package plan

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
)

var update = flag.Bool("update", false, "rewrite golden files")

func capsFor(t testing.TB, v string) workspace.Capabilities {
	t.Helper()
	ver, err := workspace.ParseVersion(v)
	if err != nil {
		t.Fatal(err)
	}
	return workspace.CapabilitiesFor(ver)
}

func eventsDS() *datafiles.Datasource {
	return &datafiles.Datasource{
		Name: "events", File: "datasources/events.datasource",
		Columns: []datafiles.Column{
			{Name: "timestamp", Type: "DateTime"},
			{Name: "user_id", Type: "String"},
			{Name: "value", Type: "UInt64"},
		},
		Engine: datafiles.Engine{Name: "MergeTree", PartitionKey: "toYYYYMM(timestamp)", SortingKey: "timestamp"},
	}
}

func aggDS() *datafiles.Datasource {
	return &datafiles.Datasource{
		Name: "per_user", File: "datasources/per_user.datasource",
		Columns: []datafiles.Column{{Name: "user_id", Type: "String"}, {Name: "total", Type: "UInt64"}},
		Engine:  datafiles.Engine{Name: "SummingMergeTree", SortingKey: "user_id"},
	}
}

const mvSQL = "SELECT user_id, sum(value) AS total FROM events GROUP BY user_id"

func project(mutate func(p *datafiles.Project)) *datafiles.Project {
	p := datafiles.NewProject("proj")
	p.Datasources["events"] = eventsDS()
	p.Datasources["per_user"] = aggDS()
	p.Pipes["mat_per_user"] = &datafiles.Pipe{Name: "mat_per_user", Nodes: []*datafiles.Node{
		{Name: "m", SQL: mvSQL, Type: datafiles.NodeMaterialized, Datasource: "per_user"}}}
	p.Pipes["top_users"] = &datafiles.Pipe{Name: "top_users", Nodes: []*datafiles.Node{
		{Name: "e", SQL: "SELECT user_id, total FROM per_user ORDER BY total DESC LIMIT 10", Type: datafiles.NodeEndpoint}}}
	if mutate != nil {
		mutate(p)
	}
	return p
}

// liveState is the remote matching project(nil), as the server reports it.
func liveState(t testing.TB, version string, rows uint64) *Remote {
	r := NewRemote("db", capsFor(t, version))
	ev := eventsDS()
	ev.Engine.Settings = "index_granularity = 8192"
	ev.Engine.SortingKey = "timestamp"
	r.Tables["events"] = &Table{Datasource: ev, Rows: rows, Bytes: rows * 20, Partitions: 2, ReadBy: []string{"mat_per_user"}}
	r.Tables["per_user"] = &Table{Datasource: aggDS(), Rows: 10, Bytes: 300}
	r.Views["mat_per_user"] = &View{Name: "mat_per_user", Materialized: true, Target: "per_user",
		Query: "SELECT user_id, sum(value) AS total FROM db.events  GROUP BY user_id"}
	r.Deployed = project(nil)
	return r
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name    string
		version string
		local   *datafiles.Project
		remote  func(t testing.TB, v string) *Remote
	}{
		{"create_all", "18.16.1", project(nil), func(t testing.TB, v string) *Remote { return NewRemote("db", capsFor(t, v)) }},
		{"no_changes", "18.16.1", project(nil), func(t testing.TB, v string) *Remote { return liveState(t, v, 1000) }},
		{"add_column", "18.16.1", project(func(p *datafiles.Project) {
			p.Datasources["events"].Columns = append(p.Datasources["events"].Columns, datafiles.Column{Name: "country", Type: "String", Default: "''"})
		}), func(t testing.TB, v string) *Remote { return liveState(t, v, 1000) }},
		{"sorting_key_old", "18.16.1", project(func(p *datafiles.Project) { p.Datasources["events"].Engine.SortingKey = "user_id, timestamp" }),
			func(t testing.TB, v string) *Remote { return liveState(t, v, 1000) }},
		{"sorting_key_modern", "24.8.4.13", project(func(p *datafiles.Project) { p.Datasources["events"].Engine.SortingKey = "user_id, timestamp" }),
			func(t testing.TB, v string) *Remote { return liveState(t, v, 1000) }},
		{"view_query_old", "18.16.1", project(func(p *datafiles.Project) {
			p.Pipes["mat_per_user"].Nodes[0].SQL = "SELECT user_id, sum(value * 2) AS total FROM events GROUP BY user_id"
		}), func(t testing.TB, v string) *Remote { return liveState(t, v, 1000) }},
		{"view_query_modern", "24.8.4.13", project(func(p *datafiles.Project) {
			p.Pipes["mat_per_user"].Nodes[0].SQL = "SELECT user_id, sum(value * 2) AS total FROM events GROUP BY user_id"
		}), func(t testing.TB, v string) *Remote { return liveState(t, v, 1000) }},
		{"view_query_chain_modern", "24.8.4.13", chainProject(nil), chainState},
		{"view_query_old_approximate", "18.16.1", project(func(p *datafiles.Project) {
			p.Pipes["mat_per_user"].Nodes[0].SQL = "SELECT user_id, sum(value * 2) AS total FROM events GROUP BY user_id"
		}), func(t testing.TB, v string) *Remote { return liveState(t, v, 1000) }},
		{"view_query_alter_modern", "24.8.4.13", project(func(p *datafiles.Project) {
			p.Pipes["mat_per_user"].Nodes[0].SQL = "SELECT user_id, sum(value * 2) AS total FROM events GROUP BY user_id"
			p.Pipes["mat_per_user"].Nodes[0].DeploymentMethod = "alter"
		}), func(t testing.TB, v string) *Remote { return liveState(t, v, 1000) }},
		{"view_query_alter_old", "18.16.1", project(func(p *datafiles.Project) {
			p.Pipes["mat_per_user"].Nodes[0].SQL = "SELECT user_id, sum(value * 2) AS total FROM events GROUP BY user_id"
			p.Pipes["mat_per_user"].Nodes[0].DeploymentMethod = "alter"
		}), func(t testing.TB, v string) *Remote { return liveState(t, v, 1000) }},
		{"view_query_skip_old", "18.16.1", project(func(p *datafiles.Project) {
			p.Pipes["mat_per_user"].Nodes[0].SQL = "SELECT user_id, sum(value * 2) AS total FROM events GROUP BY user_id"
			p.Datasources["per_user"].Backfill = "skip"
		}), func(t testing.TB, v string) *Remote { return liveState(t, v, 1000) }},
		{"view_create_history_modern", "24.8.4.13", project(nil), func(t testing.TB, v string) *Remote {
			r := liveState(t, v, 1000)
			delete(r.Views, "mat_per_user")
			r.Tables["per_user"].Rows = 0
			r.Tables["events"].ReadBy = nil
			return r
		}},
		{"view_create_history_old", "18.16.1", project(nil), func(t testing.TB, v string) *Remote {
			r := liveState(t, v, 1000)
			delete(r.Views, "mat_per_user")
			r.Tables["per_user"].Rows = 0
			r.Tables["events"].ReadBy = nil
			return r
		}},
		{"view_create_skip_old", "18.16.1", project(func(p *datafiles.Project) { p.Datasources["per_user"].Backfill = "skip" }), func(t testing.TB, v string) *Remote {
			r := liveState(t, v, 1000)
			delete(r.Views, "mat_per_user")
			r.Tables["per_user"].Rows = 0
			r.Tables["events"].ReadBy = nil
			return r
		}},
		{"chain_old", "18.16.1", project(func(p *datafiles.Project) {
			p.Datasources["per_user_top"] = &datafiles.Datasource{Name: "per_user_top", File: "datasources/per_user_top.datasource",
				Columns: []datafiles.Column{{Name: "user_id", Type: "String"}, {Name: "total", Type: "UInt64"}},
				Engine:  datafiles.Engine{Name: "SummingMergeTree", SortingKey: "user_id"}}
			p.Pipes["mat_top"] = &datafiles.Pipe{Name: "mat_top", Nodes: []*datafiles.Node{
				{Name: "m", SQL: "SELECT user_id, total FROM per_user WHERE total > 100", Type: datafiles.NodeMaterialized, Datasource: "per_user_top"}}}
		}), func(t testing.TB, v string) *Remote { return liveState(t, v, 1000) }},
		{"drop_and_metadata", "18.16.1", project(func(p *datafiles.Project) {
			delete(p.Pipes, "mat_per_user")
			delete(p.Datasources, "per_user")
			p.Pipes["top_users"].Description = "The top users"
			p.Pipes["top_users"].Nodes[0].SQL = "SELECT 1"
		}), func(t testing.TB, v string) *Remote {
			r := liveState(t, v, 1000)
			r.Tables["events__old"] = &Table{Datasource: eventsDS(), Rows: 5}
			return r
		}},
		{"impossible_conversion", "18.16.1", project(func(p *datafiles.Project) {
			p.Datasources["events"].Columns[1].Type = "Array(String)"
		}), func(t testing.TB, v string) *Remote { return liveState(t, v, 1000) }},
	}
	approximate := map[string]bool{"view_query_old_approximate": true}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Build(tt.local, tt.remote(t, tt.version), Options{AllowApproximateBackfill: approximate[tt.name]})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := Render(&buf, p, RenderOptions{SQL: true}); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", tt.name+".golden"), buf.Bytes())
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestMethods(t *testing.T) {
	sortKey := func(p *datafiles.Project) { p.Datasources["events"].Engine.SortingKey = "user_id, timestamp" }
	newQuery := func(p *datafiles.Project) {
		p.Pipes["mat_per_user"].Nodes[0].SQL = "SELECT user_id, sum(value * 2) AS total FROM events GROUP BY user_id"
	}
	tests := []struct {
		name       string
		version    string
		mutate     func(*datafiles.Project)
		resource   string
		wantMethod Method
		wantSQL    []string // substrings of the change's SQL
		wantNotSQL []string
	}{
		{"rebuild modern uses EXCHANGE", "24.8.4.13", sortKey, "events", MethodRebuild,
			[]string{"EXCHANGE TABLES `db`.`events` AND `db`.`events__new`", "ORDER BY (user_id, timestamp)", "SYSTEM STOP MERGES `db`.`events`", "ATTACH PARTITION ID '{partition}' FROM `db`.`events__stage`"},
			[]string{"RENAME TABLE `db`.`events` TO"}},
		{"rebuild 18.16 uses RENAME", "18.16.1", sortKey, "events", MethodRebuild,
			[]string{"RENAME TABLE `db`.`events` TO `db`.`events__old`, `db`.`events__new` TO `db`.`events`"},
			[]string{"EXCHANGE"}},
		{"view alter modern uses MODIFY QUERY", "24.8.4.13", func(p *datafiles.Project) {
			newQuery(p)
			p.Pipes["mat_per_user"].Nodes[0].DeploymentMethod = "alter"
		}, "mat_per_user", MethodModifyQuery,
			[]string{"ALTER TABLE `db`.`mat_per_user` MODIFY QUERY\nSELECT user_id, sum(value * 2)"}, []string{"DROP TABLE"}},
		{"view modern is tracked", "24.8.4.13", newQuery, "mat_per_user", MethodTracked,
			[]string{"SELECT queryID() AS qid FROM `db`.`per_user` GROUP BY qid", "FROM (SELECT * FROM events WHERE _part IN ({parts})) AS events", "EXCHANGE TABLES `db`.`per_user` AND `db`.`per_user__new`", "SYSTEM STOP MERGES `db`.`events`"},
			[]string{"MODIFY QUERY", "toDateTime({W})"}},
		{"view 18.16 uses a watermark", "18.16.1", newQuery, "mat_per_user", MethodWatermark,
			[]string{"FROM events WHERE `timestamp` >= toDateTime({W}) GROUP BY user_id", "FROM (SELECT * FROM events WHERE `timestamp` < toDateTime({W})) AS events", "DROP TABLE IF EXISTS `db`.`mat_per_user`"},
			[]string{"MODIFY QUERY", "POPULATE"}},
		{"add column modern uses IF NOT EXISTS", "24.8.4.13", func(p *datafiles.Project) {
			p.Datasources["events"].Columns = append(p.Datasources["events"].Columns, datafiles.Column{Name: "c", Type: "UInt8"})
		}, "events", MethodAlter, []string{"ADD COLUMN IF NOT EXISTS `c` UInt8 AFTER `value`"}, nil},
		{"ttl modern alters", "24.8.4.13", func(p *datafiles.Project) { p.Datasources["events"].Engine.TTL = "timestamp + INTERVAL 1 DAY" },
			"events", MethodAlter, []string{"MODIFY TTL timestamp + INTERVAL 1 DAY SETTINGS materialize_ttl_after_modify = 0"}, nil},
		{"forward query", "18.16.1", func(p *datafiles.Project) {
			p.Datasources["events"].Columns[2].Type = "String"
			p.Datasources["events"].ForwardQuery = "SELECT timestamp, user_id, toString(value) AS value"
		}, "events", MethodRebuild, []string{"FROM (SELECT timestamp, user_id, toString(value) AS value FROM `db`.`events` WHERE {parts})"}, nil},
		{"cast conversion", "18.16.1", func(p *datafiles.Project) { p.Datasources["events"].Columns[2].Type = "Int64" },
			"events", MethodRebuild, []string{"CAST(`value` AS Int64) AS `value`"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Build(project(tt.mutate), liveState(t, tt.version, 1000), Options{AllowApproximateBackfill: tt.wantMethod == MethodWatermark})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Errors) > 0 {
				t.Fatalf("plan errors: %v", p.Errors)
			}
			c := p.Change(tt.resource)
			if c == nil {
				t.Fatalf("no change for %s in %+v", tt.resource, p.Changes)
			}
			if c.Method != tt.wantMethod {
				t.Errorf("method = %s, want %s", c.Method, tt.wantMethod)
			}
			var all []string
			for _, s := range c.Steps {
				all = append(all, s.SQL...)
			}
			joined := strings.Join(all, "\n")
			for _, w := range tt.wantSQL {
				if !strings.Contains(joined, w) {
					t.Errorf("SQL lacks %q:\n%s", w, joined)
				}
			}
			for _, w := range tt.wantNotSQL {
				if strings.Contains(joined, w) {
					t.Errorf("SQL has %q:\n%s", w, joined)
				}
			}
		})
	}
}

func TestOnCluster(t *testing.T) {
	// No view reads events: on a cluster of servers that swap with
	// EXCHANGE TABLES that rebuild would need the swap tracker (refused).
	r := liveState(t, "24.8.4.13", 10)
	r.Cluster = "prod"
	r.Tables["events"].ReadBy = nil
	delete(r.Views, "mat_per_user")
	delete(r.Deployed.Pipes, "mat_per_user")
	p, err := Build(project(func(p *datafiles.Project) {
		p.Datasources["events"].Engine.SortingKey = "user_id"
		delete(p.Pipes, "mat_per_user")
	}), r, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := p.Change("events")
	if c == nil || !strings.Contains(strings.Join(c.Steps[0].SQL, "\n"), "CREATE TABLE `db`.`events__new` ON CLUSTER `prod`") {
		t.Fatalf("want ON CLUSTER in the rebuild: %+v", c)
	}
}

func TestDestructiveAndSaveLoad(t *testing.T) {
	p, err := Build(project(func(p *datafiles.Project) { p.Datasources["events"].Columns = p.Datasources["events"].Columns[:2] }), liveState(t, "18.16.1", 10), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := p.Destructive(); len(d) != 1 || d[0].Resource != "events" {
		t.Fatalf("destructive = %+v", d)
	}
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := p.Save(path); err != nil {
		t.Fatal(err)
	}
	q, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := p.MarshalStable()
	b, _ := q.MarshalStable()
	if !bytes.Equal(a, b) {
		t.Error("plan changed through save and load")
	}
	if q.Fingerprint == "" || q.Fingerprint != p.Fingerprint {
		t.Errorf("fingerprint %q vs %q", q.Fingerprint, p.Fingerprint)
	}
}

func TestEndpointReadingDroppedColumn(t *testing.T) {
	p, err := Build(project(func(p *datafiles.Project) {
		p.Datasources["per_user"].Columns = p.Datasources["per_user"].Columns[:1]
	}), liveState(t, "18.16.1", 10), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Errors) == 0 || !strings.Contains(strings.Join(p.Errors, "\n"), "reads column total of per_user") {
		t.Errorf("want an error for top_users reading total: %v", p.Errors)
	}
}

func TestNormalizeQuery(t *testing.T) {
	a := NormalizeQuery("SELECT toUInt64(k % 3) AS k, count() AS c FROM db.src  GROUP BY k", "db")
	b := NormalizeQuery("select toUInt64(k%3) as k, count(*) as c -- comment\n from src group by k", "db")
	if a != b {
		t.Errorf("normalized forms differ:\n%s\n%s", a, b)
	}
	w := NormalizeQuery("SELECT a FROM (SELECT * FROM db.src WHERE ts >= toDateTime(1732512345)) AS src", "db")
	if w != NormalizeQuery("SELECT a FROM src", "db") {
		t.Errorf("watermark not stripped:\n%s", w)
	}
}

func TestWithOuterWatermark(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT a, sum(b) AS s FROM t GROUP BY a", "SELECT a, sum(b) AS s FROM t WHERE ts >= toDateTime({W}) GROUP BY a"},
		{"SELECT a FROM t WHERE x = 1 OR y = 2 ORDER BY a", "SELECT a FROM t WHERE (ts >= toDateTime({W})) AND (x = 1 OR y = 2) ORDER BY a"},
		{"SELECT a FROM (SELECT a FROM t WHERE z GROUP BY a)", "SELECT a FROM (SELECT a FROM t WHERE z GROUP BY a) WHERE ts >= toDateTime({W}) "},
	}
	for _, tt := range tests {
		if got := WithOuterWatermark(tt.in, "ts"); got != tt.want {
			t.Errorf("WithOuterWatermark(%q) =\n%q\nwant\n%q", tt.in, got, tt.want)
		}
		back := strings.ReplaceAll(WithOuterWatermark(tt.in, "ts"), "{W}", "1732512345")
		if NormalizeQuery(back, "") != NormalizeQuery(tt.in, "") {
			t.Errorf("watermark of %q not stripped by normalization", tt.in)
		}
	}
}

func TestUnifiedDiff(t *testing.T) {
	a := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nl\n"
	b := "a\nb\nc\nD\ne\nf\ng\nh\ni\nj\nl\nk\n"
	got := UnifiedDiff(a, b, "remote/x", "local/x")
	want := "--- remote/x\n+++ local/x\n@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n@@ -9,3 +9,4 @@\n i\n j\n l\n+k\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if UnifiedDiff(a, a, "x", "y") != "" {
		t.Error("equal texts must give no diff")
	}
}

func TestTTLOnOldServerIsAPlanError(t *testing.T) {
	p, err := Build(project(func(p *datafiles.Project) { p.Datasources["events"].Engine.TTL = "timestamp + INTERVAL 1 DAY" }), liveState(t, "18.16.1", 10), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(p.Errors, "\n"), "TTL") {
		t.Errorf("want a TTL plan error, got %v", p.Errors)
	}
}

func TestUnsupportedTypes(t *testing.T) {
	old, _ := workspace.ParseVersion("18.16.1")
	modern, _ := workspace.ParseVersion("24.8.1")
	tests := []struct {
		typ, wantOld string
	}{
		{"DateTime64(3)", "DateTime64 (20.1+)"},
		{"Nullable(DateTime64(3, 'UTC'))", "DateTime64 (20.1+)"},
		{"SimpleAggregateFunction(any, String)", "SimpleAggregateFunction (19.8+)"},
		{"Map(String, UInt64)", "Map (21.1+)"},
		{"Bool", "Bool (21.12+)"},
		{"DateTime", ""},
		{"LowCardinality(String)", ""},
		{"AggregateFunction(uniq, String)", ""},
		{"Boolean_like_name", ""},
	}
	for _, tt := range tests {
		if got := unsupportedType(tt.typ, old); got != tt.wantOld {
			t.Errorf("18.16 %s: got %q, want %q", tt.typ, got, tt.wantOld)
		}
		if got := unsupportedType(tt.typ, modern); got != "" {
			t.Errorf("24.8 %s: got %q, want none", tt.typ, got)
		}
	}
	p, err := Build(project(func(p *datafiles.Project) {
		p.Datasources["events"].Columns[0].Type = "DateTime64(3)"
	}), NewRemote("db", capsFor(t, "18.16.1")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(p.Errors, "\n"), "events.timestamp: server 18.16.1 has no type DateTime64 (20.1+)") {
		t.Errorf("want a type plan error, got %v", p.Errors)
	}
}

// TestTrackedRefusesHaving: a view query with HAVING or LIMIT cannot be
// proven by the tracked method; the plan says so and what would make it
// possible.
func TestTrackedRefusesHaving(t *testing.T) {
	for _, q := range []string{
		"SELECT user_id, sum(value) AS total FROM events GROUP BY user_id HAVING total > 3",
		"SELECT user_id, sum(value) AS total FROM events GROUP BY user_id LIMIT 10",
	} {
		p, err := Build(project(func(p *datafiles.Project) { p.Pipes["mat_per_user"].Nodes[0].SQL = q }), liveState(t, "24.8.4.13", 1000), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Errors) != 1 || !strings.Contains(p.Errors[0], "BACKFILL skip") || !strings.Contains(p.Errors[0], "mat_per_user") {
			t.Errorf("%s: errors = %v", q, p.Errors)
		}
	}
	// a source whose engine collapses inserts when they form parts
	for _, engine := range []string{"ReplacingMergeTree", "SummingMergeTree", "ReplicatedAggregatingMergeTree", "CollapsingMergeTree"} {
		p, err := Build(project(func(p *datafiles.Project) {
			p.Datasources["events"].Engine.Name = engine
			p.Pipes["mat_per_user"].Nodes[0].SQL = "SELECT user_id, sum(value) * 2 AS total FROM events GROUP BY user_id"
		}), liveState(t, "24.8.4.13", 1000), Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := "events is a " + strings.TrimPrefix(engine, "Replicated") + ": its inserts are collapsed"
		if len(p.Errors) == 0 || !strings.Contains(strings.Join(p.Errors, "\n"), want) || !strings.Contains(strings.Join(p.Errors, "\n"), "BACKFILL skip on per_user") {
			t.Errorf("%s source: errors = %v, want %q", engine, p.Errors, want)
		}
	}
	// a HAVING inside a subquery is fine
	p, _ := Build(project(func(p *datafiles.Project) {
		p.Pipes["mat_per_user"].Nodes[0].SQL = "SELECT user_id, sum(value) AS total FROM events WHERE user_id IN (SELECT user_id FROM events GROUP BY user_id HAVING count() > 1) GROUP BY user_id"
	}), liveState(t, "24.8.4.13", 1000), Options{})
	if len(p.Errors) > 0 {
		t.Errorf("subquery HAVING refused: %v", p.Errors)
	}
}

// TestSwapTracker: a rebuild of a view's source adds the swap tracker only
// where the server swaps with EXCHANGE TABLES (issue 12), and refuses the
// view shapes whose racing rows it could not push exactly.
func TestSwapTracker(t *testing.T) {
	sortKey := func(p *datafiles.Project) { p.Datasources["events"].Engine.SortingKey = "user_id, timestamp" }
	tests := []struct {
		name      string
		version   string
		mutate    func(*datafiles.Project)
		remote    func(*Remote)
		wantSteps []string // step ids in order, among the tracker's
		wantErr   string
	}{
		{name: "18.16 swaps with RENAME: no tracker", version: "18.16.1", mutate: sortKey},
		{name: "modern server", version: "24.8.4.13", mutate: sortKey, wantSteps: []string{"track-swap", "swap", "drain", "match-tail", "push-mat_per_user", "tail", "check-rows", "untrack"}},
		{name: "no view reads the table: no tracker", version: "24.8.4.13", mutate: func(p *datafiles.Project) {
			sortKey(p)
			delete(p.Pipes, "mat_per_user")
		}, remote: func(r *Remote) {
			delete(r.Views, "mat_per_user")
			r.Tables["events"].ReadBy = nil
		}},
		{name: "a chain", version: "24.8.4.13", mutate: func(p *datafiles.Project) {
			sortKey(p)
			p.Datasources["per_user_top"] = &datafiles.Datasource{Name: "per_user_top", File: "datasources/per_user_top.datasource",
				Columns: []datafiles.Column{{Name: "user_id", Type: "String"}, {Name: "total", Type: "UInt64"}},
				Engine:  datafiles.Engine{Name: "SummingMergeTree", SortingKey: "user_id"}}
			p.Pipes["mat_top"] = &datafiles.Pipe{Name: "mat_top", Nodes: []*datafiles.Node{
				{Name: "m", SQL: "SELECT user_id, total FROM per_user WHERE total > 100", Type: datafiles.NodeMaterialized, Datasource: "per_user_top"}}}
		}, remote: func(r *Remote) {
			r.Tables["per_user"].ReadBy = []string{"mat_top"}
		}, wantErr: "view mat_per_user writes into per_user, which views read (mat_top)"},
		{name: "a merging engine collapses inserts into parts", version: "24.8.4.13", mutate: func(p *datafiles.Project) {
			sortKey(p)
			p.Datasources["events"].Engine.Name = "ReplacingMergeTree"
		}, remote: func(r *Remote) {
			r.Tables["events"].Datasource.Engine.Name = "ReplicatedReplacingMergeTree"
		}, wantErr: "rebuild events: it is a ReplacingMergeTree: its inserts are collapsed when they form parts"},
		{name: "partition key column retyped", version: "24.8.4.13", mutate: func(p *datafiles.Project) {
			p.Datasources["events"].Columns[0].Type = "DateTime64(3)"
		}, wantErr: "its partition key toYYYYMM(timestamp) needs a column the new definition drops or retypes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := liveState(t, tt.version, 1000)
			if tt.remote != nil {
				tt.remote(r)
			}
			p, err := Build(project(tt.mutate), r, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantErr != "" {
				found := false
				for _, e := range p.Errors {
					found = found || strings.Contains(e, tt.wantErr)
					if !strings.Contains(e, "to make it possible") {
						t.Errorf("error %q does not say what would make it possible", e)
					}
				}
				if !found {
					t.Fatalf("errors = %v, want one with %q", p.Errors, tt.wantErr)
				}
				return
			}
			if len(p.Errors) > 0 {
				t.Fatalf("errors: %v", p.Errors)
			}
			ch := p.Change("events")
			if ch == nil || ch.Method != MethodRebuild {
				t.Fatalf("want a rebuild of events, got %+v", ch)
			}
			var got []string
			track := map[string]bool{"track-swap": true, "swap": true, "drain": true, "match-tail": true, "tail": true, "check-rows": true, "untrack": true}
			for _, s := range ch.Steps {
				if track[s.ID] || strings.HasPrefix(s.ID, "push-") {
					got = append(got, s.ID)
				}
			}
			want := tt.wantSteps
			if want == nil {
				want = []string{"swap", "drain", "tail", "check-rows"}
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("steps %v, want %v", got, want)
			}
		})
	}
}

// TestSwapTracked: the swap tracker's objects name the table they track,
// and nothing else reads as one.
func TestSwapTracked(t *testing.T) {
	for _, name := range SwapTrackObjects("events_mv") {
		if got, ok := SwapTracked(name); !ok || got != "events_mv" {
			t.Errorf("SwapTracked(%q) = %q, %v", name, got, ok)
		}
	}
	for _, name := range []string{"events", "_perch_swaptrack_", "_perch_swaptrackmv_", "_perch_track_v_src", "events__old"} {
		if got, ok := SwapTracked(name); ok {
			t.Errorf("SwapTracked(%q) = %q, want none", name, got)
		}
	}
}
