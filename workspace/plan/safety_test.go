package plan

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace/journal"
)

// ordersProject is issue 20 case 5: an orders table, a view rolling it up
// into sales_daily (which has a column named orders), and an endpoint
// reading sales_daily whose SQL says "orders" without reading the table.
func ordersProject(mutate func(p *datafiles.Project)) *datafiles.Project {
	p := datafiles.NewProject("proj")
	p.Datasources["orders"] = &datafiles.Datasource{Name: "orders", File: "datasources/orders.datasource",
		Columns: []datafiles.Column{{Name: "ts", Type: "DateTime"}, {Name: "country", Type: "String"}, {Name: "amount", Type: "Float64"}, {Name: "note", Type: "String"}},
		Engine:  datafiles.Engine{Name: "MergeTree", SortingKey: "ts"}}
	p.Datasources["sales_daily"] = &datafiles.Datasource{Name: "sales_daily", File: "datasources/sales_daily.datasource",
		Columns: []datafiles.Column{{Name: "date", Type: "Date"}, {Name: "country", Type: "String"}, {Name: "orders", Type: "UInt64"}, {Name: "note", Type: "String"}},
		Engine:  datafiles.Engine{Name: "SummingMergeTree", SortingKey: "date, country"}}
	p.Pipes["sales_mv"] = &datafiles.Pipe{Name: "sales_mv", File: "pipes/sales_mv.pipe", Nodes: []*datafiles.Node{{Name: "m", Type: datafiles.NodeMaterialized, Datasource: "sales_daily",
		SQL: "SELECT toDate(ts) AS date, country, count() AS orders, any(note) AS note FROM orders GROUP BY date, country"}}}
	p.Pipes["revenue_by_country"] = &datafiles.Pipe{Name: "revenue_by_country", File: "endpoints/revenue_by_country.pipe", Nodes: []*datafiles.Node{{Name: "e", Type: datafiles.NodeEndpoint,
		SQL: "SELECT country, sum(orders) AS orders, any(note) AS note FROM sales_daily GROUP BY country"}}}
	if mutate != nil {
		mutate(p)
	}
	return p
}

func ordersRemote(t testing.TB) *Remote {
	r := NewRemote("db", capsFor(t, "18.16.1"))
	live := ordersProject(nil)
	r.Tables["orders"] = &Table{Datasource: live.Datasources["orders"], Rows: 10, ReadBy: []string{"sales_mv"}}
	r.Tables["sales_daily"] = &Table{Datasource: live.Datasources["sales_daily"], Rows: 3}
	r.Views["sales_mv"] = &View{Name: "sales_mv", Materialized: true, Target: "sales_daily", Query: live.Pipes["sales_mv"].Nodes[0].SQL}
	r.Deployed = live
	return r
}

// TestDownstreamFromLineage: revenue_by_country says "orders" (a column of
// sales_daily) but does not read the table orders: it is not downstream of
// orders, and dropping orders.note is not blamed on it.
func TestDownstreamFromLineage(t *testing.T) {
	p, err := Build(ordersProject(func(p *datafiles.Project) {
		ds := p.Datasources["orders"]
		ds.Engine.SortingKey = "country, ts"
		ds.Columns = ds.Columns[:3] // note dropped
		p.Pipes["sales_mv"].Nodes[0].SQL = "SELECT toDate(ts) AS date, country, count() AS orders, '' AS note FROM orders GROUP BY date, country"
	}), ordersRemote(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := p.Change("orders")
	if c == nil {
		t.Fatal("no change for orders")
	}
	if !reflect.DeepEqual(c.Downstream, []string{"sales_mv"}) {
		t.Errorf("downstream of orders = %v, want [sales_mv]", c.Downstream)
	}
	for _, e := range p.Errors {
		if strings.Contains(e, "revenue_by_country") {
			t.Errorf("false plan error: %s", e)
		}
	}
	if !c.Destructive || c.Risk != Destroys {
		t.Errorf("a rebuild dropping column note is not destructive: %+v", c)
	}
}

// TestDestructiveCarried: every change that can destroy data is marked
// Destructive: a lossy conversion in a rebuild, a target's dropped column
// folded into a view change, an unproven backup (and only an unproven one).
func TestDestructiveCarried(t *testing.T) {
	tests := []struct {
		name     string
		local    func(p *datafiles.Project)
		remote   func(r *Remote)
		resource string
		want     bool
	}{
		{"widening is safe", func(p *datafiles.Project) { p.Datasources["events"].Columns[2].Type = "Int128" }, nil, "events", false},
		{"narrowing can change values", func(p *datafiles.Project) { p.Datasources["events"].Columns[2].Type = "UInt32" }, nil, "events", true},
		{"folded target change drops a column", func(p *datafiles.Project) {
			p.Pipes["mat_per_user"].Nodes[0].SQL = "SELECT user_id, sum(value * 2) AS total FROM events GROUP BY user_id"
			p.Datasources["per_user"].Columns = append(p.Datasources["per_user"].Columns, datafiles.Column{Name: "x", Type: "UInt8"})
		}, func(r *Remote) {
			r.Tables["per_user"].Datasource.Columns = append(append([]datafiles.Column(nil), r.Tables["per_user"].Datasource.Columns...), datafiles.Column{Name: "gone", Type: "UInt8"})
		}, "mat_per_user", true},
		{"unproven backup", nil, func(r *Remote) { r.Tables["events__old"] = &Table{Datasource: eventsDS(), Rows: 5} }, "events__old", true},
		{"proven backup", nil, func(r *Remote) {
			r.Tables["events__old"] = &Table{Datasource: eventsDS(), Rows: 5}
			r.Backups["events__old"] = &BackupProof{Proven: true, Rows: 5, How: "all 5 rows were copied"}
		}, "events__old", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := liveState(t, "18.16.1", 1000)
			if tt.remote != nil {
				tt.remote(r)
			}
			local := project(tt.local)
			local.Datasources["other"] = eventsDS() // a change besides the cleanup, so it is kept
			local.Datasources["other"].Name = "other"
			p, err := Build(local, r, Options{})
			if err != nil {
				t.Fatal(err)
			}
			c := p.Change(tt.resource)
			if c == nil {
				t.Fatalf("no change for %s:\n%s", tt.resource, renderPlan(p))
			}
			if c.Destructive != tt.want {
				t.Errorf("destructive = %v, want %v:\n%s", c.Destructive, tt.want, renderPlan(p))
			}
			if tt.want && !strings.Contains(renderPlan(p), "need --allow-destructive): "+tt.resource) {
				t.Errorf("the plan summary does not name %s:\n%s", tt.resource, renderPlan(p))
			}
		})
	}
}

func renderPlan(p *Plan) string {
	var b bytes.Buffer
	_ = Render(&b, p, RenderOptions{})
	return b.String()
}

// TestInterruptedApplyWarns: a plan computed while an apply is interrupted
// says so first, even when it has no change.
func TestInterruptedApplyWarns(t *testing.T) {
	r := liveState(t, "18.16.1", 1000)
	r.Journal = &journal.Report{Interrupted: []*journal.Entry{{Deployment: "d1", Change: "change:events", Step: "tail", Committed: true}},
		Actions: []string{"restarted merges on events (stopped by deployment d1)"}}
	p, err := Build(project(nil), r, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := renderPlan(p)
	for _, want := range []string{"deployment d1 was interrupted at change:events, step tail: run `perch apply` to finish change:events", "restarted merges on events", "No changes"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan does not say %q:\n%s", want, out)
		}
	}
}

func TestLosslessAndPushable(t *testing.T) {
	tests := []struct {
		from, to         string
		lossless         bool
		strictOK, convOK bool
	}{
		{"UInt32", "UInt64", true, false, true},
		{"UInt64", "UInt32", false, false, false},
		{"UInt32", "Int64", true, false, true},
		{"Int32", "UInt64", false, false, false},
		{"String", "LowCardinality(String)", true, false, true},
		{"UInt32", "Nullable(UInt64)", true, false, true},
		{"Nullable(UInt32)", "UInt32", false, false, false},
		{"Date", "DateTime", true, false, true},
		{"DateTime('UTC')", "DateTime", true, true, true},
		{"UInt16", "Float32", true, false, true},
		{"UInt64", "Float64", false, false, false},
		{"AggregateFunction(uniq, UInt32)", "AggregateFunction(uniq, UInt64)", false, false, false},
	}
	for _, tt := range tests {
		if got := lossless(tt.from, tt.to); got != tt.lossless {
			t.Errorf("lossless(%s, %s) = %v", tt.from, tt.to, got)
		}
		if ok, _, _ := pushable(tt.from, tt.to, false); ok != tt.strictOK {
			t.Errorf("pushable(%s, %s) on 18.16 = %v", tt.from, tt.to, ok)
		}
		if ok, _, _ := pushable(tt.from, tt.to, true); ok != tt.convOK {
			t.Errorf("pushable(%s, %s) on a converting server = %v", tt.from, tt.to, ok)
		}
	}
}

func TestRewriteTables(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT a FROM orders WHERE x IN (SELECT y FROM t2)", "SELECT a FROM `db`.`s_orders` WHERE x IN (SELECT y FROM t2)"},
		{"SELECT orders FROM db.`orders` JOIN t2 USING a", "SELECT orders FROM `db`.`s_orders` JOIN t2 USING a"},
		{"SELECT * FROM (SELECT * FROM\n  orders) AS o, other.orders", "SELECT * FROM (SELECT * FROM\n  `db`.`s_orders`) AS o, other.orders"},
	}
	for _, tt := range tests {
		got, err := rewriteTables(tt.in, "db", map[string]string{"orders": "s_orders"})
		if err != nil || got != tt.want {
			t.Errorf("rewriteTables(%q) = %q, %v\nwant %q", tt.in, got, err, tt.want)
		}
	}
}
