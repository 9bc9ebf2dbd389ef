package render

import (
	"testing"

	"github.com/perchdata/perch/lineage"
)

// flappyGraph is the lineage of the flappy-tinybird project, plus a Kafka
// connection, a copy, a sink and external reads.
func flappyGraph(t testing.TB) *lineage.Graph {
	t.Helper()
	n := func(name string, k lineage.Kind) *lineage.Node { return &lineage.Node{Name: name, Kind: k} }
	e := func(from, to string, k lineage.EdgeKind) lineage.Edge {
		return lineage.Edge{From: from, To: to, Kind: k}
	}
	g, err := lineage.NewGraph([]*lineage.Node{
		n("api_last_played_games", lineage.KindEndpoint),
		n("api_leaderboard", lineage.KindEndpoint),
		n("api_personalization", lineage.KindEndpoint),
		n("api_player_stats", lineage.KindEndpoint),
		n("daily_snapshot", lineage.KindDatasource),
		n("events_api", lineage.KindDatasource),
		n("export_daily", lineage.KindSink),
		n("kafka_events", lineage.KindConnection),
		n("mat_player_stats", lineage.KindMaterialization),
		n("mv_player_stats", lineage.KindDatasource),
		n("numbers()", lineage.KindExternal),
		n("s3_out", lineage.KindConnection),
		n("snapshot", lineage.KindCopy),
		n("system.numbers", lineage.KindExternal),
	}, []lineage.Edge{
		e("kafka_events", "events_api", lineage.EdgeFeeds),
		e("events_api", "mat_player_stats", lineage.EdgeReads),
		e("mat_player_stats", "mv_player_stats", lineage.EdgeMaterializes),
		e("mv_player_stats", "api_last_played_games", lineage.EdgeReads),
		e("mv_player_stats", "api_leaderboard", lineage.EdgeReads),
		e("mv_player_stats", "api_personalization", lineage.EdgeReads),
		e("mv_player_stats", "api_player_stats", lineage.EdgeReads),
		e("api_leaderboard", "api_player_stats", lineage.EdgeReads),
		e("system.numbers", "api_player_stats", lineage.EdgeReads),
		e("mv_player_stats", "snapshot", lineage.EdgeReads),
		e("numbers()", "snapshot", lineage.EdgeReads),
		e("snapshot", "daily_snapshot", lineage.EdgeCopies),
		e("daily_snapshot", "export_daily", lineage.EdgeReads),
		e("export_daily", "s3_out", lineage.EdgeExports),
	})
	if err != nil {
		t.Fatal(err)
	}
	return g
}
