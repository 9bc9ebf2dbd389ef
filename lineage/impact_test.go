package lineage

import (
	"errors"
	"reflect"
	"testing"
)

func TestClosures(t *testing.T) {
	g := Build(flappy(), Options{Refs: scanRefs})
	tests := []struct {
		node      string
		up, down  []string
		endpoints []string
	}{
		{"events_api", []string{"kafka_events"},
			[]string{"api_leaderboard", "api_player_stats", "daily_snapshot", "export_daily", "mat_player_stats", "mv_player_stats", "s3_out", "snapshot"},
			[]string{"api_leaderboard", "api_player_stats"}},
		{"api_leaderboard", []string{"events_api", "kafka_events", "mat_player_stats", "mv_player_stats"},
			[]string{"api_player_stats"}, []string{"api_leaderboard", "api_player_stats"}},
		{"snapshot", []string{"events_api", "kafka_events", "mat_player_stats", "mv_player_stats", "numbers()"},
			[]string{"daily_snapshot", "export_daily", "s3_out"}, nil},
		{"nope", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.node, func(t *testing.T) {
			if got := g.Upstream(tt.node); !reflect.DeepEqual(got, tt.up) {
				t.Errorf("Upstream = %v, want %v", got, tt.up)
			}
			if got := g.Downstream(tt.node); !reflect.DeepEqual(got, tt.down) {
				t.Errorf("Downstream = %v, want %v", got, tt.down)
			}
			if got := g.EndpointsReached(tt.node); !reflect.DeepEqual(got, tt.endpoints) {
				t.Errorf("EndpointsReached = %v, want %v", got, tt.endpoints)
			}
		})
	}
}

func TestOrders(t *testing.T) {
	g := Build(flappy(), Options{Refs: scanRefs})
	topo, err := g.TopoOrder()
	if err != nil {
		t.Fatal(err)
	}
	wantTopo := []string{"kafka_events", "events_api", "mat_player_stats", "mv_player_stats", "api_leaderboard",
		"numbers()", "snapshot", "daily_snapshot", "export_daily", "s3_out", "system.numbers", "api_player_stats"}
	if !reflect.DeepEqual(topo, wantTopo) {
		t.Errorf("TopoOrder =\n %v\nwant\n %v", topo, wantTopo)
	}
	deploy, err := g.DeployOrder()
	if err != nil {
		t.Fatal(err)
	}
	wantDeploy := []string{"daily_snapshot", "kafka_events", "events_api", "mv_player_stats", "api_leaderboard",
		"mat_player_stats", "numbers()", "s3_out", "export_daily", "snapshot", "system.numbers", "api_player_stats"}
	if !reflect.DeepEqual(deploy, wantDeploy) {
		t.Errorf("DeployOrder =\n %v\nwant\n %v", deploy, wantDeploy)
	}
	for _, order := range [][]string{topo, deploy} {
		if len(order) != len(g.Nodes) {
			t.Errorf("order has %d nodes, graph %d", len(order), len(g.Nodes))
		}
	}
}

func TestCycleIsNamed(t *testing.T) {
	mk := func(names ...string) []*Node {
		var out []*Node
		for _, n := range names {
			out = append(out, &Node{Name: n, Kind: KindPipe})
		}
		return out
	}
	g, err := NewGraph(mk("a", "b", "c", "d", "z"), []Edge{
		{From: "z", To: "a", Kind: EdgeReads},
		{From: "a", To: "b", Kind: EdgeReads},
		{From: "b", To: "c", Kind: EdgeReads},
		{From: "c", To: "a", Kind: EdgeReads},
		{From: "c", To: "d", Kind: EdgeReads},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = g.TopoOrder()
	var ce *CycleError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a CycleError", err)
	}
	if want := "lineage cycle: a → b → c → a"; err.Error() != want {
		// the walk may start anywhere on the cycle; it must be a rotation
		rot := map[string]bool{"lineage cycle: a → b → c → a": true, "lineage cycle: b → c → a → b": true, "lineage cycle: c → a → b → c": true}
		if !rot[err.Error()] {
			t.Errorf("err = %q, want %q (or a rotation)", err, want)
		}
	}
	if _, err := g.DeployOrder(); err == nil {
		t.Error("DeployOrder: no error for a cycle")
	}
}

func TestFocusAndSubgraph(t *testing.T) {
	g := Build(flappy(), Options{Refs: scanRefs})
	f, err := g.Focus("snapshot")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, n := range f.Nodes {
		names = append(names, n.Name)
	}
	want := []string{"daily_snapshot", "events_api", "export_daily", "kafka_events", "mat_player_stats",
		"mv_player_stats", "numbers()", "s3_out", "snapshot"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("focus nodes %v, want %v", names, want)
	}
	for _, e := range f.Edges {
		if f.Node(e.From) == nil || f.Node(e.To) == nil {
			t.Errorf("edge %v leaves the focus", e)
		}
	}
	if len(f.Edges) != 8 {
		t.Errorf("focus has %d edges, want 8: %v", len(f.Edges), f.Edges)
	}
	if _, err := g.Focus("nope"); err == nil {
		t.Error("Focus(nope): no error")
	}
}

func TestCompare(t *testing.T) {
	local := Build(flappy(), Options{Refs: scanRefs})
	rp := flappy()
	delete(rp.Pipes, "export_daily")
	rp.Pipes["api_player_stats"].Nodes[0].SQL = "SELECT * FROM mv_player_stats"
	addDatasource(rp, "old_table")
	remote := Build(rp, Options{Refs: scanRefs})
	c := Compare(local, remote)
	sides := map[string]Side{}
	for _, n := range c.Nodes {
		if n.Side != Both {
			sides[n.Name] = n.Side
		}
	}
	wantNodes := map[string]Side{"export_daily": LocalOnly, "s3_out": LocalOnly, "old_table": RemoteOnly}
	if !reflect.DeepEqual(sides, wantNodes) {
		t.Errorf("node sides %v, want %v", sides, wantNodes)
	}
	var edges []string
	for _, e := range c.Edges {
		if e.Side != Both {
			edges = append(edges, e.From+">"+e.To+" "+e.Side.String())
		}
	}
	wantEdges := []string{
		"api_leaderboard>api_player_stats local only",
		"daily_snapshot>export_daily local only",
		"export_daily>s3_out local only",
		"mv_player_stats>api_player_stats remote only",
	}
	if !reflect.DeepEqual(edges, wantEdges) {
		t.Errorf("edge sides\n %v\nwant\n %v", edges, wantEdges)
	}
}
