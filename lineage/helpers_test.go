package lineage

import (
	"regexp"
	"strings"

	"github.com/perchdata/perch/datafiles"
)

// scanRefs is a tiny RefFinder for hand-built projects: the names after
// FROM and JOIN, qualified or not, with table functions.
func scanRefs(_ *datafiles.Project, _ *datafiles.Pipe, n *datafiles.Node) ([]Ref, error) {
	re := regexp.MustCompile(`(?i)\b(?:from|join)\s+([A-Za-z_][\w.]*)(\s*\()?`)
	var out []Ref
	for i, line := range strings.Split(n.SQL, "\n") {
		for _, m := range re.FindAllStringSubmatch(line, -1) {
			r := Ref{Name: m[1], Func: m[2] != "", Line: i + 1}
			if db, name, ok := strings.Cut(m[1], "."); ok {
				r.Database, r.Name = db, name
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// node builds a pipe node whose SQL starts on line sqlLine of its file.
func node(name string, typ datafiles.NodeType, sqlLine int, sql string) *datafiles.Node {
	n := &datafiles.Node{Name: name, Type: typ, SQL: sql, Pos: datafiles.Pos{Line: sqlLine - 1, Col: 1},
		SQLPos: datafiles.Pos{Line: sqlLine, Col: 5}, SQLIndent: 4}
	for i := range strings.Split(sql, "\n") {
		n.SQLLines = append(n.SQLLines, sqlLine+i)
	}
	return n
}

func addPipe(p *datafiles.Project, name, file string, nodes ...*datafiles.Node) *datafiles.Pipe {
	pipe := &datafiles.Pipe{Name: name, File: file, Nodes: nodes, Pos: datafiles.Pos{File: file, Line: 1, Col: 1}}
	for _, n := range nodes {
		n.Pos.File, n.SQLPos.File = file, file
	}
	p.Pipes[name] = pipe
	return pipe
}

func addDatasource(p *datafiles.Project, name string, kafka ...datafiles.Setting) *datafiles.Datasource {
	file := "datasources/" + name + ".datasource"
	ds := &datafiles.Datasource{Name: name, File: file, Kafka: kafka, Pos: datafiles.Pos{File: file, Line: 1, Col: 1}}
	p.Datasources[name] = ds
	return ds
}

// flappy is the flappy-tinybird corpus project, built by hand, plus a Kafka
// connection, a copy, a sink, external reads and two bad references.
func flappy() *datafiles.Project {
	p := datafiles.NewProject("flappy")
	addDatasource(p, "events_api", datafiles.Setting{Key: "KAFKA_CONNECTION_NAME", Value: "kafka_events"})
	addDatasource(p, "mv_player_stats")
	addDatasource(p, "daily_snapshot")
	p.Connections["kafka_events"] = &datafiles.Connection{Name: "kafka_events", File: "connections/kafka_events.connection", Type: "kafka"}
	addPipe(p, "mat_player_stats", "pipes/mat_player_stats.pipe",
		withTarget(node("mv", datafiles.NodeMaterialized, 6, "SELECT name AS player_id\nFROM events_api\nGROUP BY player_id"), "mv_player_stats", ""))
	addPipe(p, "api_leaderboard", "pipes/api_leaderboard.pipe",
		node("rank_games", "", 4, "SELECT * FROM mv_player_stats"),
		node("last_game", "", 8, "SELECT * FROM rank_games"),
		node("endpoint", datafiles.NodeEndpoint, 12, "SELECT *\nFROM rank_games\nJOIN last_game USING player_id"))
	addPipe(p, "api_player_stats", "pipes/api_player_stats.pipe",
		node("agg", "", 4, "SELECT * FROM api_leaderboard"),
		node("stats", datafiles.NodeEndpoint, 8, "SELECT *\nFROM agg\nJOIN system.numbers ON 1\nJOIN missing_table USING x"))
	addPipe(p, "snapshot", "copies/snapshot.pipe",
		withTarget(node("copy", datafiles.NodeCopy, 4, "SELECT * FROM mv_player_stats\nUNION ALL SELECT * FROM numbers(10)"), "", "daily_snapshot"))
	sink := node("export", datafiles.NodeSink, 4, "SELECT * FROM daily_snapshot\nJOIN later USING x")
	sink.Export = []datafiles.Setting{{Key: "EXPORT_CONNECTION_NAME", Value: "s3_out"}}
	addPipe(p, "export_daily", "sinks/export_daily.pipe", sink, node("later", "", 9, "SELECT 1"))
	return p
}

func withTarget(n *datafiles.Node, ds, target string) *datafiles.Node {
	n.Datasource, n.TargetDatasource = ds, target
	return n
}
