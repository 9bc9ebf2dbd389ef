package compare

import (
	"reflect"
	"testing"

	"github.com/perchdata/perch/datafiles"
)

func table() *datafiles.Datasource {
	return &datafiles.Datasource{
		Name: "t",
		Columns: []datafiles.Column{
			{Name: "ts", Type: "DateTime"},
			{Name: "k", Type: "String", Default: "''", Comment: "key"},
			{Name: "v", Type: "UInt64", Codec: "ZSTD(1)"},
		},
		Indexes: []datafiles.Index{{Name: "ix", Expr: "k", Type: "bloom_filter(0.01)", Granularity: 1}},
		Engine: datafiles.Engine{Name: "ReplacingMergeTree", Ver: "v", PartitionKey: "toYYYYMM(ts)", SortingKey: "k, ts",
			TTL: "ts + INTERVAL 30 DAY", Settings: "storage_policy = 'hot,cold'"},
	}
}

func fields(changes []Change) []string {
	var out []string
	for _, c := range changes {
		f := string(c.Field)
		if c.Column != "" {
			f += " " + c.Column
		}
		out = append(out, f)
	}
	return out
}

func TestDatasources(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(l, r *datafiles.Datasource)
		want   []string
	}{
		{"same", func(l, r *datafiles.Datasource) {}, nil},
		{"as the server writes it", func(l, r *datafiles.Datasource) {
			r.Columns[1].Default, r.Columns[2].Codec = "CAST('', 'String')", "CODEC(ZSTD(1))"
			r.Engine.SortingKey, r.Engine.PartitionKey, r.Engine.TTL = "(k, ts)", "toYYYYMM( db.ts )", "ts + toIntervalDay(30)"
			r.Engine.Settings = "index_granularity = 8192, storage_policy='hot,cold'"
			r.Indexes[0].Granularity, r.Indexes[0].Type = 0, "bloom_filter( 0.01 )"
		}, nil},
		{"column added", func(l, r *datafiles.Datasource) { r.Columns = r.Columns[:2] }, []string{"column.added v"}},
		{"column dropped", func(l, r *datafiles.Datasource) { l.Columns = l.Columns[:2] }, []string{"column.dropped v"}},
		{"column retyped", func(l, r *datafiles.Datasource) { l.Columns[2].Type = "UInt32" }, []string{"column.type v"}},
		{"default", func(l, r *datafiles.Datasource) { l.Columns[1].Default = "'x'" }, []string{"column.default k"}},
		{"default kind", func(l, r *datafiles.Datasource) { l.Columns[1].DefaultKind = "MATERIALIZED" }, []string{"column.default k"}},
		{"codec", func(l, r *datafiles.Datasource) { l.Columns[2].Codec = "LZ4" }, []string{"column.codec v"}},
		{"comment", func(l, r *datafiles.Datasource) { l.Columns[1].Comment = "the key" }, []string{"column.comment k"}},
		{"column order", func(l, r *datafiles.Datasource) { l.Columns[0], l.Columns[1] = l.Columns[1], l.Columns[0] }, []string{"column.order"}},
		{"engine", func(l, r *datafiles.Datasource) { l.Engine.Name, l.Engine.Ver = "MergeTree", "" }, []string{"engine"}},
		{"engine argument", func(l, r *datafiles.Datasource) { l.Engine.Ver = "ts" }, []string{"engine.ver"}},
		{"argument the engine does not take", func(l, r *datafiles.Datasource) { l.Engine.Sign = "s" }, nil},
		{"partition key", func(l, r *datafiles.Datasource) { l.Engine.PartitionKey = "toDate(ts)" }, []string{"engine.partition_key"}},
		{"sorting key (and so the primary key)", func(l, r *datafiles.Datasource) { l.Engine.SortingKey = "ts, k" }, []string{"engine.sorting_key", "engine.primary_key"}},
		{"primary key given equal to the sorting key", func(l, r *datafiles.Datasource) { l.Engine.PrimaryKey = "(k, ts)" }, nil},
		{"primary key", func(l, r *datafiles.Datasource) { l.Engine.PrimaryKey = "k" }, []string{"engine.primary_key"}},
		{"sampling key", func(l, r *datafiles.Datasource) { l.Engine.SamplingKey = "cityHash64(k)" }, []string{"engine.sampling_key"}},
		{"TTL", func(l, r *datafiles.Datasource) { l.Engine.TTL = "ts + INTERVAL 31 DAY" }, []string{"engine.ttl"}},
		{"setting changed, added, removed", func(l, r *datafiles.Datasource) {
			l.Engine.Settings = "storage_policy = 'hot,warm', ttl_only_drop_parts = 1"
			r.Engine.Settings = "storage_policy = 'hot,cold', merge_with_ttl_timeout = 60"
		}, []string{"engine.settings merge_with_ttl_timeout", "engine.settings storage_policy", "engine.settings ttl_only_drop_parts"}},
		{"index added", func(l, r *datafiles.Datasource) { r.Indexes = nil }, []string{"index.added ix"}},
		{"index dropped", func(l, r *datafiles.Datasource) { l.Indexes = nil }, []string{"index.dropped ix"}},
		{"index changed", func(l, r *datafiles.Datasource) { l.Indexes[0].Granularity = 4 }, []string{"index.changed ix"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, r := table(), table()
			tt.mutate(l, r)
			if got := fields(Datasources(l, r, "db")); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("changes = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSettingChangeValues(t *testing.T) {
	l, r := table(), table()
	l.Engine.Settings = "storage_policy = 'hot,warm'"
	got := Datasources(l, r, "db")
	want := []Change{{Field: Setting, Column: "storage_policy", Local: "'hot,warm'", Remote: "'hot,cold'"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("changes = %+v, want %+v", got, want)
	}
}

func TestDatasourceMetadata(t *testing.T) {
	l, r := table(), table()
	l.Description, l.Tags = "events", []string{"a"}
	l.Tokens = []datafiles.Token{{Name: "read", Scope: "READ"}}
	if got := fields(DatasourceMetadata(l, r)); !reflect.DeepEqual(got, []string{"description", "tokens", "tags"}) {
		t.Errorf("metadata changes = %v", got)
	}
	r.Description = " events "
	r.Tags, r.Tokens = l.Tags, l.Tokens
	if got := DatasourceMetadata(l, r); len(got) != 0 {
		t.Errorf("equal metadata: %v", got)
	}
}

func pipe() *datafiles.Pipe {
	return &datafiles.Pipe{Name: "p", Cache: 10, Nodes: []*datafiles.Node{
		{Name: "a", SQL: "SELECT k, count() AS c FROM t GROUP BY k"},
		{Name: "b", SQL: "SELECT * FROM a", Type: datafiles.NodeMaterialized, Datasource: "dst"},
	}}
}

func TestPipes(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(l *datafiles.Pipe)
		want   []string
	}{
		{"same", func(l *datafiles.Pipe) {}, nil},
		{"spelling", func(l *datafiles.Pipe) { l.Nodes[0].SQL = "select `k`, count(*) c from t group by k -- note" }, nil},
		{"description", func(l *datafiles.Pipe) { l.Description = "d" }, []string{"description"}},
		{"cache", func(l *datafiles.Pipe) { l.Cache = 60 }, []string{"cache"}},
		{"nodes", func(l *datafiles.Pipe) { l.Nodes = l.Nodes[:1] }, []string{"nodes"}},
		{"node sql", func(l *datafiles.Pipe) { l.Nodes[0].SQL = "SELECT k FROM t" }, []string{"node.sql a"}},
		{"node renamed", func(l *datafiles.Pipe) { l.Nodes[0].Name = "a2" }, []string{"node.sql a2"}},
		{"node type", func(l *datafiles.Pipe) { l.Nodes[0].Type = datafiles.NodeEndpoint }, []string{"node.type a"}},
		{"materialized target", func(l *datafiles.Pipe) { l.Nodes[1].Datasource = "other" }, []string{"target b"}},
		{"copy settings", func(l *datafiles.Pipe) { l.Nodes[1].CopySchedule = "@daily" }, []string{"node.settings b"}},
		{"templated sql", func(l *datafiles.Pipe) { l.Nodes[0].SQL = "%\nSELECT {{ column(c, 'k') }} FROM t" }, []string{"node.sql a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := pipe()
			tt.mutate(l)
			if got := fields(Pipes(l, pipe())); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("changes = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestView(t *testing.T) {
	live := &datafiles.Pipe{Name: "mv", Nodes: []*datafiles.Node{{Name: "mv", Type: datafiles.NodeMaterialized, Datasource: "db.dst",
		SQL: "SELECT k, count() AS c FROM db.t WHERE (ts > (now() - toIntervalDay(1))) GROUP BY k"}}}
	if got := View("SELECT k, count(*) c FROM t WHERE ts > now() - INTERVAL 1 DAY GROUP BY k", "dst", live, "db"); len(got) != 0 {
		t.Errorf("same view: %v", got)
	}
	if got := fields(View("SELECT k, count() c FROM t GROUP BY k", "dst2", live, "db")); !reflect.DeepEqual(got, []string{"query", "target"}) {
		t.Errorf("changed view: %v", got)
	}
	if got := fields(View("SELECT 1", "dst", nil, "db")); !reflect.DeepEqual(got, []string{"query"}) {
		t.Errorf("missing view: %v", got)
	}
}

func TestResources(t *testing.T) {
	described := table()
	described.Description = "events"
	tests := []struct {
		name          string
		local, remote any
		deployed      bool
		equal         bool
	}{
		{"tables", table(), table(), false, true},
		{"metadata against a live table", described, table(), false, true},
		{"metadata against the deployed file", described, table(), true, false},
		{"pipes", pipe(), pipe(), true, true},
		{"kinds", table(), pipe(), true, false},
		{"missing", table(), (*datafiles.Datasource)(nil), true, false},
		{"connections", &datafiles.Connection{Name: "k"}, &datafiles.Connection{Name: "k"}, true, true},
		{"other connections", &datafiles.Connection{Name: "k"}, &datafiles.Connection{Name: "l"}, true, false},
	}
	for _, tt := range tests {
		if got := Equal(tt.local, tt.remote, "db", tt.deployed); got != tt.equal {
			t.Errorf("%s: Equal = %v, want %v (%v)", tt.name, got, tt.equal, Resources(tt.local, tt.remote, "db", tt.deployed))
		}
	}
}

func TestChangeStrings(t *testing.T) {
	tests := []struct {
		c          Change
		str, drift string
	}{
		{Change{Field: ColumnDropped, Column: "x", Remote: "UInt8"}, `column.dropped x: "UInt8" -> ""`, "column x UInt8 was added on the server"},
		{Change{Field: ColumnAdded, Column: "x", Local: "UInt8"}, `column.added x: "" -> "UInt8"`, "column x UInt8 was dropped on the server"},
		{Change{Field: ColumnType, Column: "x", Local: "UInt8", Remote: "UInt16"}, `column.type x: "UInt16" -> "UInt8"`, `column.type x: deployed "UInt8", live "UInt16"`},
		{Change{Field: IndexAdded, Column: "ix"}, `index.added ix: "" -> ""`, "index ix was dropped on the server"},
		{Change{Field: IndexDropped, Column: "ix", Remote: "a TYPE minmax GRANULARITY 1"}, `index.dropped ix: "a TYPE minmax GRANULARITY 1" -> ""`, "index ix (a TYPE minmax GRANULARITY 1) was added on the server"},
		{Change{Field: Query, Local: "SELECT 1", Remote: "SELECT 2"}, `query: "SELECT 2" -> "SELECT 1"`, `query: deployed "SELECT 1", live "SELECT 2"`},
	}
	for _, tt := range tests {
		if got := tt.c.String(); got != tt.str {
			t.Errorf("String = %q, want %q", got, tt.str)
		}
		if got := tt.c.DriftString(); got != tt.drift {
			t.Errorf("DriftString = %q, want %q", got, tt.drift)
		}
	}
	if !Has([]Change{{Field: TTL}}, TTL) || Has(nil, TTL) {
		t.Error("Has")
	}
}
