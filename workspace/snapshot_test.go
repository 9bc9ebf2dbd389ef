package workspace

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/engine"
)

// fixtureDDL creates the objects of a small pipeline written the way a
// person writes SQL (lower case, no AS, count(*), odd spacing). On 26.x an
// AggregatingMergeTree refuses a plain column outside its sorting key
// (total) unless allow_dimensions_outside_sorting_key is set; 18.16 does not
// know that setting.
func fixtureDDL(d *clickhousetest.DB) []string {
	db, dims := d.Name, ""
	if d.Kind == engine.KindEmbedded {
		dims = ", allow_dimensions_outside_sorting_key = 1"
	}
	return []string{
		`create table events (ts DateTime, user_id UInt64, name String default 'x', price Decimal(10,2), v Nullable(Float64), tags Array(String),
		  up String materialized upper(name), lo String alias lower(name))
		 engine = MergeTree() partition by toYYYYMM(ts) order by (user_id, ts)`,
		`create table daily (day Date, user_id UInt64, c AggregateFunction(count), total UInt64)
		 engine = AggregatingMergeTree() partition by toYYYYMM(day) order by (day, user_id) settings index_granularity = 8192` + dims,
		`create table latest (user_id UInt64, ts DateTime, ver UInt32) engine = ReplacingMergeTree(ver) order by user_id`,
		`create table summed (k String, n UInt64, m UInt64) engine = SummingMergeTree((n, m)) order by k settings index_granularity=1024`,
		`create table nothing (a UInt8) engine = Null`,
		`create materialized view daily_mv to ` + db + `.daily as select toDate(ts) day, user_id, countState() c, sum(toUInt64(1)) total
		 from ` + db + `.events group by day, user_id`,
		`create materialized view latest_mv to latest as select user_id, ts, toUInt32(1) as ver from events`,
		`create view top_users as select user_id, count(*) n from events where name = 'a' group by user_id order by n desc limit 10`,
		`create table _perch_deployments (id String) engine = MergeTree() order by id`,
		`create table events__new (ts DateTime) engine = MergeTree() order by ts`,
	}
}

func TestSnapshotObjects(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *Client, db *clickhousetest.DB) {
		db.Exec(t, fixtureDDL(db)...)
		db.Exec(t, "INSERT INTO events (ts, user_id, name, price, v, tags) SELECT toDateTime('2024-01-01 00:00:00') + number * 86400 * 20, number % 7, 'a', 1.5, NULL, ['t'] FROM numbers(100)")
		s, err := c.Snapshot(context.Background(), db.Name)
		if err != nil {
			t.Fatal(err)
		}
		if s.Queries != 4 {
			t.Errorf("queries = %d, want 4", s.Queries)
		}
		// Functions: aggregates marked, case-insensitive ones also lower-cased.
		for name, agg := range map[string]bool{"count": true, "sum": true, "toDate": false, "lower": false, "coalesce": false} {
			if got, ok := s.Functions[name]; !ok || got != agg {
				t.Errorf("functions[%q] = %v, %v; want %v, true", name, got, ok, agg)
			}
		}
		wantNames := []string{"_perch_deployments", "daily", "daily_mv", "events", "events__new", "latest", "latest_mv", "nothing", "summed", "top_users"}
		if got := s.Names(); !reflect.DeepEqual(got, wantNames) {
			t.Fatalf("names = %v\nwant %v", got, wantNames)
		}
		var resources []string
		for _, o := range s.Resources() {
			resources = append(resources, o.Name)
		}
		if want := []string{"daily", "daily_mv", "events", "latest", "latest_mv", "nothing", "summed", "top_users"}; !reflect.DeepEqual(resources, want) {
			t.Errorf("resources = %v, want %v", resources, want)
		}
		ev := s.Object("events")
		if ev.Kind != KindTable || ev.Rows != 100 || ev.Bytes == 0 || ev.Partitions < 2 || len(ev.Columns) != 8 {
			t.Errorf("events = kind %s rows %d bytes %d partitions %d columns %d", ev.Kind, ev.Rows, ev.Bytes, ev.Partitions, len(ev.Columns))
		}
		if !reflect.DeepEqual(ev.Dependents, []string{"daily_mv", "latest_mv"}) && !reflect.DeepEqual(ev.Dependents, []string{"latest_mv", "daily_mv"}) {
			t.Errorf("events dependents = %v", ev.Dependents)
		}
		mv := s.Object("daily_mv")
		if mv.Kind != KindMaterializedView || mv.To != "daily" || !reflect.DeepEqual(mv.Sources, []string{"events"}) {
			t.Errorf("daily_mv = kind %s to %q sources %v", mv.Kind, mv.To, mv.Sources)
		}
		if strings.Contains(mv.Query, db.Name+".") || !strings.HasPrefix(mv.Query, "SELECT") {
			t.Errorf("daily_mv query not cleaned: %q", mv.Query)
		}
		v := s.Object("top_users")
		if v.Kind != KindView || !reflect.DeepEqual(v.Sources, []string{"events"}) {
			t.Errorf("top_users = kind %s sources %v", v.Kind, v.Sources)
		}
		// Datafile models.
		if _, ok := s.Datasources["_perch_deployments"]; ok {
			t.Error("perch's own table listed as a data source")
		}
		if _, ok := s.Datasources["events__new"]; ok {
			t.Error("perch's temporary table listed as a data source")
		}
		p := s.Pipes["daily_mv"]
		if p == nil || len(p.Nodes) != 1 || p.Nodes[0].Type != datafiles.NodeMaterialized || p.Nodes[0].Datasource != "daily" {
			t.Fatalf("daily_mv pipe = %+v", p)
		}
		if s.Pipes["top_users"].Nodes[0].Type != datafiles.NodePlain {
			t.Errorf("plain view has node type %q", s.Pipes["top_users"].Nodes[0].Type)
		}
		ds := s.Datasources["latest"]
		if ds.Engine.Name != "ReplacingMergeTree" || ds.Engine.Ver != "ver" || ds.Engine.SortingKey != "user_id" || ds.Engine.PrimaryKey != "" || ds.Engine.Settings != "" {
			t.Errorf("latest engine = %+v", ds.Engine)
		}
		if e := s.Datasources["summed"].Engine; e.SummingColumns != "n, m" || e.Settings != "index_granularity = 1024" {
			t.Errorf("summed engine = %+v", e)
		}
		if e := s.Datasources["nothing"].Engine; e.Name != "Null" || e.SortingKey != "" {
			t.Errorf("nothing engine = %+v", e)
		}
		cols := s.Datasources["events"].Columns
		if cols[2].DefaultKind != "DEFAULT" || cols[2].Default != "'x'" || cols[6].DefaultKind != "MATERIALIZED" || cols[7].DefaultKind != "ALIAS" {
			t.Errorf("events defaults = %+v", cols)
		}
	})
}

// TestSnapshotTwiceNothingDiffers: objects created with SQL, snapshotted twice
// (and once after a server-side no-op): same fingerprint, no field differs.
func TestSnapshotTwiceNothingDiffers(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *Client, db *clickhousetest.DB) {
		db.Exec(t, fixtureDDL(db)...)
		ctx := context.Background()
		s1, err := c.Snapshot(ctx, db.Name)
		if err != nil {
			t.Fatal(err)
		}
		db.Exec(t, "INSERT INTO events (ts, user_id, name, price) SELECT now(), number, 'b', 2 FROM numbers(1000)")
		s2, err := c.Snapshot(ctx, db.Name)
		if err != nil {
			t.Fatal(err)
		}
		if s1.Fingerprint() != s2.Fingerprint() {
			t.Error("fingerprint changed with inserts only")
		}
		for name, ds := range s1.Datasources {
			if d := DiffDatasource(ds, s2.Datasources[name], db.Name); len(d) > 0 {
				t.Errorf("%s differs between snapshots: %v", name, d)
			}
		}
		for name, p := range s1.Pipes {
			n := p.Nodes[0]
			if d := DiffPipe(n.SQL, n.Datasource, s2.Pipes[name], db.Name); len(d) > 0 {
				t.Errorf("%s differs between snapshots: %v", name, d)
			}
		}
		db.Exec(t, "ALTER TABLE events ADD COLUMN extra UInt8 DEFAULT 0")
		s3, err := c.Snapshot(ctx, db.Name)
		if err != nil {
			t.Fatal(err)
		}
		if s3.Fingerprint() == s2.Fingerprint() {
			t.Error("fingerprint unchanged after ALTER ADD COLUMN")
		}
		d := DiffDatasource(s2.Datasources["events"], s3.Datasources["events"], db.Name)
		if len(d) != 1 || d[0].Field != "column.dropped" || d[0].Column != "extra" {
			t.Errorf("diff after ADD COLUMN = %v, want extra only on the remote side", d)
		}
	})
}

// TestDatafileMatchesServer: a .datasource and the .pipe SQL as a person
// writes them, created on the server by hand-written DDL, read back: no
// difference after normalization.
func TestDatafileMatchesServer(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *Client, db *clickhousetest.DB) {
		src := `SCHEMA >
    ` + "`ts`" + ` DateTime,
    ` + "`user_id`" + ` UInt64,
    ` + "`name`" + ` String DEFAULT 'x',
    ` + "`price`" + ` Decimal(10,2),
    ` + "`tags`" + ` Array(String)

ENGINE "ReplacingMergeTree"
ENGINE_PARTITION_KEY "toYYYYMM(ts)"
ENGINE_SORTING_KEY "(user_id, ts)"
ENGINE_VER "user_id"
ENGINE_SETTINGS "index_granularity=8192"
`
		local, diags := datafiles.ParseDatasource("datasources/events.datasource", []byte(src))
		for _, d := range diags {
			if d.Severity == datafiles.Error {
				t.Fatalf("parse: %s", d)
			}
		}
		db.Exec(t,
			"CREATE TABLE events (`ts` DateTime, `user_id` UInt64, `name` String DEFAULT 'x', `price` Decimal(10,2), `tags` Array(String)) ENGINE = ReplacingMergeTree(user_id) PARTITION BY toYYYYMM(ts) ORDER BY (user_id, ts)",
			"CREATE TABLE per_user (user_id UInt64, n UInt64) ENGINE = SummingMergeTree() ORDER BY user_id",
		)
		localSQL := "SELECT user_id, count(*) n\nFROM events -- all of them\nWHERE ts > now() - interval 1 day\nGROUP BY user_id"
		db.Exec(t, "CREATE MATERIALIZED VIEW per_user_mv TO "+db.Name+".per_user AS "+localSQL)
		s, err := c.Snapshot(context.Background(), db.Name)
		if err != nil {
			t.Fatal(err)
		}
		if d := DiffDatasource(local, s.Datasources["events"], db.Name); len(d) > 0 {
			t.Errorf("datafile and server differ: %v", d)
		}
		if d := DiffPipe(localSQL, "per_user", s.Pipes["per_user_mv"], db.Name); len(d) > 0 {
			t.Errorf("pipe SQL and server differ: %v\nserver: %s", d, s.Pipes["per_user_mv"].Nodes[0].SQL)
		}
		// A real change still shows.
		changed := *local
		changed.Engine.SortingKey = "user_id"
		if d := DiffDatasource(&changed, s.Datasources["events"], db.Name); len(d) != 2 {
			t.Errorf("sorting key change: diff = %v, want sorting and primary key", d)
		}
		if d := DiffPipe(strings.Replace(localSQL, "1 day", "2 day", 1), "per_user", s.Pipes["per_user_mv"], db.Name); len(d) != 1 {
			t.Errorf("query change: diff = %v", d)
		}
	})
}

// TestSnapshotDefaultDatabase: the local server's database is "default",
// a keyword in SQL; its prefixes must be stripped like any other.
func TestSnapshotDefaultDatabase(t *testing.T) {
	for _, kind := range srv.Engines() {
		t.Run(string(kind), func(t *testing.T) {
			srv.RequireEngine(t, kind)
			ctx := context.Background()
			conn, err := srv.ConnectOn(ctx, kind, "default")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				for _, n := range []string{"dflt_mv", "dflt_dst", "dflt_src"} {
					_ = conn.Exec(context.Background(), "DROP TABLE IF EXISTS default."+n)
				}
				conn.Close()
			})
			for _, q := range []string{
				"CREATE TABLE default.dflt_src (a UInt8) ENGINE = MergeTree() ORDER BY a",
				"CREATE TABLE default.dflt_dst (a UInt8) ENGINE = MergeTree() ORDER BY a",
				"CREATE MATERIALIZED VIEW default.dflt_mv TO default.dflt_dst AS SELECT a FROM default.dflt_src",
			} {
				if err := conn.Exec(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			dsn := srv.DSN("default")
			if kind == engine.KindEmbedded {
				dsn = EmbeddedScheme + srv.EmbeddedDir()
			}
			c, err := Open(ctx, Target{Name: "t", DSN: dsn, Source: "test"})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			s, err := c.Snapshot(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			mv := s.Object("dflt_mv")
			if mv == nil || mv.To != "dflt_dst" || strings.Contains(mv.Query, "default.") || !reflect.DeepEqual(mv.Sources, []string{"dflt_src"}) {
				t.Fatalf("dflt_mv = %+v", mv)
			}
			if d := DiffPipe("SELECT a FROM dflt_src", "dflt_dst", s.Pipes["dflt_mv"], "default"); len(d) > 0 {
				t.Errorf("diff = %v", d)
			}
		})
	}
}

// TestNormalizeDatasourceMatchesServer: a datafile written with extras the
// server does not keep formats the same as the table read back, once both
// are normalized.
func TestNormalizeDatasourceMatchesServer(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *Client, db *clickhousetest.DB) {
		src := "DESCRIPTION >\n    Events.\n\nTOKEN reader READ\n\nSCHEMA >\n" +
			"    `ts` DateTime `json:$.ts`,\n    `user_id` UInt64 `json:$.uid`,\n    `price` Decimal(10,2) `json:$.p`,\n    `kind` Enum8('a'=1,'b'=2) `json:$.k`,\n    `name` String DEFAULT 'x'\n\n" +
			"ENGINE \"ReplacingMergeTree\"\nENGINE_SORTING_KEY \"(user_id, ts)\"\nENGINE_PRIMARY_KEY \"user_id, ts\"\nENGINE_VER \"user_id\"\nENGINE_SETTINGS \"index_granularity=8192\"\n"
		local, diags := datafiles.ParseDatasource("datasources/events.datasource", []byte(src))
		for _, d := range diags {
			if d.Severity == datafiles.Error {
				t.Fatalf("parse: %s", d)
			}
		}
		db.Exec(t, "CREATE TABLE events (ts DateTime, user_id UInt64, price Decimal(10,2), kind Enum8('a'=1,'b'=2), name String DEFAULT 'x') ENGINE = ReplacingMergeTree(user_id) ORDER BY (user_id, ts)")
		s, err := c.Snapshot(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		l := datafiles.FormatDatasource(NormalizeDatasource(local, db.Name))
		r := datafiles.FormatDatasource(NormalizeDatasource(s.Datasources["events"], db.Name))
		if l != r {
			t.Errorf("normalized local:\n%s\nnormalized remote:\n%s", l, r)
		}
	})
}

// TestSnapshotViewReadingAnotherDatabase: the dependents of a table in
// another database are not in this snapshot; the sources come from the query.
func TestSnapshotViewReadingAnotherDatabase(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *Client, db *clickhousetest.DB) {
		other := srv.NewDatabaseOn(t, db.Kind)
		other.Exec(t, "CREATE TABLE src (a UInt8) ENGINE = MergeTree() ORDER BY a")
		db.Exec(t,
			"CREATE TABLE dst (a UInt8) ENGINE = MergeTree() ORDER BY a",
			"CREATE MATERIALIZED VIEW mv TO dst AS SELECT a FROM "+other.Name+".src",
		)
		s, err := c.Snapshot(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Object("mv").Sources; !reflect.DeepEqual(got, []string{other.Name + ".src"}) {
			t.Errorf("sources = %v", got)
		}
	})
}
