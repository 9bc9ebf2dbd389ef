package lineage

import (
	"errors"
	"reflect"
	"testing"

	"github.com/perchdata/perch/datafiles"
)

func TestBuildHandMadeProject(t *testing.T) {
	g := Build(flappy(), Options{Refs: scanRefs})
	wantNodes := map[string]Kind{
		"api_leaderboard":  KindEndpoint,
		"api_player_stats": KindEndpoint,
		"daily_snapshot":   KindDatasource,
		"events_api":       KindDatasource,
		"export_daily":     KindSink,
		"kafka_events":     KindConnection,
		"mat_player_stats": KindMaterialization,
		"mv_player_stats":  KindDatasource,
		"numbers()":        KindExternal,
		"s3_out":           KindConnection,
		"snapshot":         KindCopy,
		"system.numbers":   KindExternal,
	}
	got := map[string]Kind{}
	for _, n := range g.Nodes {
		got[n.Name] = n.Kind
	}
	if !reflect.DeepEqual(got, wantNodes) {
		t.Errorf("nodes:\n got %v\nwant %v", got, wantNodes)
	}
	wantEdges := []Edge{
		{From: "api_leaderboard", To: "api_player_stats", Kind: EdgeReads},
		{From: "daily_snapshot", To: "export_daily", Kind: EdgeReads},
		{From: "events_api", To: "mat_player_stats", Kind: EdgeReads},
		{From: "export_daily", To: "s3_out", Kind: EdgeExports},
		{From: "kafka_events", To: "events_api", Kind: EdgeFeeds},
		{From: "mat_player_stats", To: "mv_player_stats", Kind: EdgeMaterializes},
		{From: "mv_player_stats", To: "api_leaderboard", Kind: EdgeReads},
		{From: "mv_player_stats", To: "snapshot", Kind: EdgeReads},
		{From: "numbers()", To: "snapshot", Kind: EdgeReads},
		{From: "snapshot", To: "daily_snapshot", Kind: EdgeCopies},
		{From: "system.numbers", To: "api_player_stats", Kind: EdgeReads},
	}
	if !reflect.DeepEqual(g.Edges, wantEdges) {
		t.Errorf("edges:\n got %v\nwant %v", g.Edges, wantEdges)
	}
	wantUnresolved := []Unresolved{
		{File: "pipes/api_player_stats.pipe", Line: 11, Name: "missing_table", Pipe: "api_player_stats", Step: "stats",
			Reason: "no data source, pipe or earlier node has this name"},
		{File: "sinks/export_daily.pipe", Line: 5, Name: "later", Pipe: "export_daily", Step: "export",
			Reason: "node later comes later in the pipe"},
	}
	if !reflect.DeepEqual(g.Unresolved, wantUnresolved) {
		t.Errorf("unresolved:\n got %+v\nwant %+v", g.Unresolved, wantUnresolved)
	}
	lb := g.Node("api_leaderboard")
	wantSteps := []Step{
		{Name: "rank_games", Reads: []string{"mv_player_stats"}},
		{Name: "last_game", Uses: []string{"rank_games"}},
		{Name: "endpoint", Type: datafiles.NodeEndpoint, Uses: []string{"rank_games", "last_game"}},
	}
	if !reflect.DeepEqual(lb.Steps, wantSteps) {
		t.Errorf("steps:\n got %+v\nwant %+v", lb.Steps, wantSteps)
	}
}

func TestBuildResolution(t *testing.T) {
	tests := []struct {
		name       string
		opts       Options
		sql        string
		wantEdge   string // From of the single reads edge, "" for none
		unresolved string
	}{
		{"qualified with own database", Options{Database: "prod"}, "SELECT * FROM prod.events", "events", ""},
		{"other database is external", Options{Database: "prod"}, "SELECT * FROM staging.events", "staging.events", ""},
		{"system table", Options{}, "SELECT * FROM system.tables", "system.tables", ""},
		{"table function", Options{}, "SELECT * FROM url('x', CSV)", "url()", ""},
		{"pipe reads itself", Options{}, "SELECT * FROM reader", "", "reader"},
		{"unknown", Options{}, "SELECT * FROM nope", "", "nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := datafiles.NewProject("x")
			addDatasource(p, "events")
			addPipe(p, "reader", "reader.pipe", node("n", datafiles.NodeEndpoint, 3, tt.sql))
			tt.opts.Refs = scanRefs
			g := Build(p, tt.opts)
			var from string
			for _, e := range g.Edges {
				from = e.From
			}
			if from != tt.wantEdge || len(g.Edges) > 1 {
				t.Errorf("edges %v, want one from %q", g.Edges, tt.wantEdge)
			}
			if tt.unresolved == "" && len(g.Unresolved) > 0 || tt.unresolved != "" && (len(g.Unresolved) != 1 || g.Unresolved[0].Name != tt.unresolved) {
				t.Errorf("unresolved %+v, want %q", g.Unresolved, tt.unresolved)
			}
		})
	}
}

func TestBuildReportsNameClashAndFinderErrors(t *testing.T) {
	p := datafiles.NewProject("x")
	addDatasource(p, "events")
	addPipe(p, "events", "events.pipe", node("n", "", 3, "SELECT 1"))
	addPipe(p, "broken", "broken.pipe", node("n", "", 3, "SELECT ("))
	finder := func(p *datafiles.Project, pipe *datafiles.Pipe, n *datafiles.Node) ([]Ref, error) {
		if pipe.Name == "broken" {
			return nil, errBroken
		}
		return nil, nil
	}
	g := Build(p, Options{Refs: finder})
	if len(g.Diagnostics) != 2 {
		t.Fatalf("diagnostics %v, want a clash and a finder error", g.Diagnostics)
	}
	if g.Node("events").Kind != KindDatasource {
		t.Errorf("events kind %s, want the data source to keep the name", g.Node("events").Kind)
	}
}

var errBroken = errors.New("syntax error at line 1")

func TestClassicConnectors(t *testing.T) {
	p := datafiles.NewProject("x")
	addDatasource(p, "k", datafiles.Setting{Key: "KAFKA_BOOTSTRAP_SERVERS", Value: "broker:9092"})
	ds := addDatasource(p, "imp")
	ds.Import = []datafiles.Setting{{Key: "IMPORT_SERVICE", Value: "BigQuery"}}
	g := Build(p, Options{Refs: scanRefs})
	want := []Edge{{From: "bigquery://", To: "imp", Kind: EdgeFeeds}, {From: "kafka://broker:9092", To: "k", Kind: EdgeFeeds}}
	if !reflect.DeepEqual(g.Edges, want) {
		t.Errorf("edges %v, want %v", g.Edges, want)
	}
}
