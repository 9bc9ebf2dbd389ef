package plan

import (
	"fmt"
	"testing"

	"github.com/perchdata/perch/datafiles"
)

// generated returns a project of n resources (half data sources, half
// materialized pipes, each reading one data source and writing the next)
// and a remote state that matches it, as the server would report it.
func generated(tb testing.TB, n int) (*datafiles.Project, *Remote) {
	p := datafiles.NewProject("gen")
	r := NewRemote("db", capsFor(tb, "18.16.1"))
	half := n / 2
	for i := 0; i < half; i++ {
		name := fmt.Sprintf("ds_%04d", i)
		ds := &datafiles.Datasource{
			Name: name,
			Columns: []datafiles.Column{
				{Name: "timestamp", Type: "DateTime"},
				{Name: "user_id", Type: "String", Default: "''"},
				{Name: "value", Type: "UInt64"},
				{Name: "country", Type: "LowCardinality(String)"},
			},
			Engine: datafiles.Engine{Name: "MergeTree", PartitionKey: "toYYYYMM(timestamp)", SortingKey: "user_id, timestamp"},
		}
		p.Datasources[name] = ds
		live := *ds
		live.Columns = append([]datafiles.Column(nil), ds.Columns...)
		live.Engine.Settings = "index_granularity = 8192"
		r.Tables[name] = &Table{Datasource: &live, Rows: 1000, Bytes: 20000}
	}
	for i := 0; i < half; i++ {
		name := fmt.Sprintf("mat_%04d", i)
		src, dst := fmt.Sprintf("ds_%04d", i), fmt.Sprintf("ds_%04d", (i+1)%half)
		sql := fmt.Sprintf("SELECT timestamp, user_id, sum(value) AS value, any(country) AS country FROM %s WHERE value > %d GROUP BY timestamp, user_id", src, i)
		p.Pipes[name] = &datafiles.Pipe{Name: name, Nodes: []*datafiles.Node{{Name: "m", SQL: sql, Type: datafiles.NodeMaterialized, Datasource: dst}}}
		r.Views[name] = &View{Name: name, Materialized: true, Target: dst,
			Query: fmt.Sprintf("SELECT timestamp, user_id, sum(value) AS value, any(country) AS country FROM db.%s  WHERE value > %d GROUP BY timestamp, user_id", src, i)}
		r.Tables[src].ReadBy = []string{name}
	}
	return p, r
}

func TestGeneratedMatches(t *testing.T) {
	p, r := generated(t, 200)
	pl, err := Build(p, r, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !pl.Empty() || len(pl.Errors) > 0 {
		t.Fatalf("a matching state must plan no changes: %d changes, errors %v", len(pl.Changes), pl.Errors)
	}
}

// BenchmarkPlan2000 plans a 2,000-resource project against a matching
// state (no I/O: both sides are in memory).
func BenchmarkPlan2000(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts Options
	}{{"node-sql", Options{}}, {"compiled", Options{Compile: Compile}}} {
		b.Run(bc.name, func(b *testing.B) {
			p, r := generated(b, 2000)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r.Fingerprint = "" // recomputed each time, as for a fresh snapshot
				pl, err := Build(p, r, bc.opts)
				if err != nil || !pl.Empty() {
					b.Fatalf("plan: %v, %d changes %v", err, len(pl.Changes), pl.Errors)
				}
			}
		})
	}
}

// TestLiveSource checks which live table fires a live view (the first, by
// name, listing it among its readers) and that the answer is worked out once
// per plan: a 2,000-resource plan asks for each of its 1,000 live views, and
// sorting every table name for each one made planning quadratic.
func TestLiveSource(t *testing.T) {
	r := NewRemote("db", capsFor(t, "18.16.1"))
	for name, readers := range map[string][]string{
		"b_src": {"v1", "v2"},
		"a_src": {"v2"},
		"c_src": {"v3", "v1"},
		"empty": nil,
	} {
		r.Tables[name] = &Table{Datasource: &datafiles.Datasource{Name: name}, ReadBy: readers}
	}
	p := &planner{remote: r}
	for _, tc := range []struct{ view, want string }{
		{"v1", "b_src"},
		{"v2", "a_src"},
		{"v3", "c_src"},
		{"nobody", ""},
	} {
		if got := p.liveSource(tc.view); got != tc.want {
			t.Errorf("liveSource(%s) = %q, want %q", tc.view, got, tc.want)
		}
	}

	_, big := generated(t, 2000)
	p = &planner{remote: big}
	views := sortedKeys(big.Views)
	if got, want := p.liveSource(views[0]), "ds_0000"; got != want {
		t.Fatalf("liveSource(%s) = %q, want %q", views[0], got, want)
	}
	allocs := testing.AllocsPerRun(5, func() {
		for _, v := range views {
			p.liveSource(v)
		}
	})
	if allocs != 0 {
		t.Errorf("asking the live source of %d views allocates %.0f times after the first answer: the index must be built once per plan", len(views), allocs)
	}
}
