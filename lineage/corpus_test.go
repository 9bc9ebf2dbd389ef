package lineage

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
)

// corpusDir is ../shared/corpus beside the repository root.
const corpusDir = "../../shared/corpus"

func loadCorpus(t testing.TB, name string) *datafiles.Project {
	t.Helper()
	p, err := datafiles.Load(filepath.Join(corpusDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCorpusGraphsResolve(t *testing.T) {
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Fatalf("corpus: %v", err)
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		n++
		t.Run(e.Name(), func(t *testing.T) {
			p := loadCorpus(t, e.Name())
			g := Build(p, Options{})
			for _, u := range g.Unresolved {
				t.Errorf("%s:%d: unresolved %s (%s.%s: %s)", u.File, u.Line, u.Name, u.Pipe, u.Step, u.Reason)
			}
			for _, d := range g.Diagnostics {
				t.Errorf("diagnostic: %s", d)
			}
			if len(g.Nodes) < len(p.Datasources)+len(p.Pipes) {
				t.Errorf("%d nodes for %d data sources and %d pipes", len(g.Nodes), len(p.Datasources), len(p.Pipes))
			}
			if _, err := g.TopoOrder(); err != nil {
				t.Error(err)
			}
			if _, err := g.DeployOrder(); err != nil {
				t.Error(err)
			}
			// Every pipe reads something.
			for name := range p.Pipes {
				if len(g.In(name)) == 0 {
					t.Errorf("pipe %s reads nothing", name)
				}
			}
		})
	}
	if n < 4 {
		t.Errorf("found %d corpus projects, want at least 4", n)
	}
}

// TestFlappyEdgesExactly checks the graph of flappy-tinybird against its
// files, read by hand: mat_player_stats reads events_api and materializes
// mv_player_stats, which the four api_* pipes read (api_leaderboard,
// api_personalization and api_player_stats through earlier nodes of their
// own, which are not edges). The project is Classic: untyped pipes are
// endpoints.
func TestFlappyEdgesExactly(t *testing.T) {
	g := Build(loadCorpus(t, "flappy-tinybird"), Options{})
	wantEdges := []Edge{
		{From: "events_api", To: "mat_player_stats", Kind: EdgeReads},
		{From: "mat_player_stats", To: "mv_player_stats", Kind: EdgeMaterializes},
		{From: "mv_player_stats", To: "api_last_played_games", Kind: EdgeReads},
		{From: "mv_player_stats", To: "api_leaderboard", Kind: EdgeReads},
		{From: "mv_player_stats", To: "api_personalization", Kind: EdgeReads},
		{From: "mv_player_stats", To: "api_player_stats", Kind: EdgeReads},
	}
	if !reflect.DeepEqual(g.Edges, wantEdges) {
		t.Errorf("edges:\n got %v\nwant %v", g.Edges, wantEdges)
	}
	wantNodes := map[string]Kind{
		"api_last_played_games": KindEndpoint, "api_leaderboard": KindEndpoint,
		"api_personalization": KindEndpoint, "api_player_stats": KindEndpoint,
		"events_api": KindDatasource, "mv_player_stats": KindDatasource,
		"mat_player_stats": KindMaterialization,
	}
	got := map[string]Kind{}
	for _, n := range g.Nodes {
		got[n.Name] = n.Kind
	}
	if !reflect.DeepEqual(got, wantNodes) {
		t.Errorf("nodes:\n got %v\nwant %v", got, wantNodes)
	}
	wantSteps := []Step{
		{Name: "rank_games", Reads: []string{"mv_player_stats"}},
		{Name: "last_game", Uses: []string{"rank_games"}},
		{Name: "endpoint", Uses: []string{"rank_games", "last_game"}},
	}
	if steps := g.Node("api_leaderboard").Steps; !reflect.DeepEqual(steps, wantSteps) {
		t.Errorf("api_leaderboard steps:\n got %+v\nwant %+v", steps, wantSteps)
	}
	if f := g.Node("mv_player_stats").File; f != "tinybird/datasources/mv_player_stats.datasource" {
		t.Errorf("file %q", f)
	}
	if got := g.EndpointsReached("events_api"); len(got) != 4 {
		t.Errorf("events_api reaches %v, want the 4 api pipes", got)
	}
}

// TestUnresolvedLineInFile checks that a bad reference in a real datafile is
// reported at its line in the file, templated or not.
func TestUnresolvedLineInFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("events.datasource", "SCHEMA >\n    `a` String\n")
	write("plain.pipe", "NODE one\nSQL >\n    SELECT a\n    FROM evnets\n\nTYPE endpoint\n")
	write("tpl.pipe", "NODE one\nSQL >\n    %\n    SELECT a\n    FROM events\n    {% if defined(x) %}\n    JOIN other_table USING a\n    {% end %}\n\nTYPE endpoint\n")
	p, err := datafiles.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	g := Build(p, Options{})
	want := []Unresolved{
		{File: "plain.pipe", Line: 4, Name: "evnets", Pipe: "plain", Step: "one", Reason: "no data source, pipe or earlier node has this name"},
		{File: "tpl.pipe", Line: 7, Name: "other_table", Pipe: "tpl", Step: "one", Reason: "no data source, pipe or earlier node has this name"},
	}
	if !reflect.DeepEqual(g.Unresolved, want) {
		t.Errorf("unresolved:\n got %+v\nwant %+v", g.Unresolved, want)
	}
}

// TestZeroDollarsEdgesExactly checks zero-dollars-stats against its files:
// kpis reads analytics_hits in one branch of a template and
// analytics_sessions_mv in the other, and both are edges.
func TestZeroDollarsEdgesExactly(t *testing.T) {
	g := Build(loadCorpus(t, "zero-dollars-stats"), Options{})
	var got []string
	for _, e := range g.Edges {
		got = append(got, e.From+" "+string(e.Kind)+" "+e.To)
	}
	want := []string{
		"analytics_events reads analytics_hits",
		"analytics_hits reads analytics_pages",
		"analytics_hits reads analytics_sessions",
		"analytics_hits reads analytics_sources",
		"analytics_hits reads kpis",
		"analytics_hits reads trend",
		"analytics_pages materializes analytics_pages_mv",
		"analytics_pages_mv reads top_locations",
		"analytics_pages_mv reads top_pages",
		"analytics_sessions materializes analytics_sessions_mv",
		"analytics_sessions_mv reads kpis",
		"analytics_sessions_mv reads top_browsers",
		"analytics_sessions_mv reads top_devices",
		"analytics_sources materializes analytics_sources_mv",
		"analytics_sources_mv reads top_sources",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("edges:\n got %q\nwant %q", got, want)
	}
}

func TestTemplateBranchesAreUnioned(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"a.datasource": "SCHEMA >\n    `x` String\n",
		"b.datasource": "SCHEMA >\n    `x` String\n",
		"c.datasource": "SCHEMA >\n    `x` String\n",
		"p.pipe": "NODE n\nSQL >\n    %\n    SELECT x\n    {% if defined(fast) %}\n    FROM a\n    {% else %}\n    FROM b\n    {% end %}\n" +
			"    WHERE x IN (SELECT x FROM c)\n\nTYPE endpoint\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := datafiles.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	g := Build(p, Options{})
	var from []string
	for _, e := range g.In("p") {
		from = append(from, e.From)
	}
	if want := []string{"a", "b", "c"}; !reflect.DeepEqual(from, want) {
		t.Errorf("p reads %v, want %v (unresolved %v, diagnostics %v)", from, want, g.Unresolved, g.Diagnostics)
	}
}

func TestBrokenTemplateIsADiagnostic(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"a.datasource": "SCHEMA >\n    `x` String\n",
		"p.pipe":       "NODE n\nSQL >\n    %\n    SELECT x FROM a {% if %}\n\nTYPE endpoint\n",
		"q.pipe":       "NODE n\nSQL >\n    SELECT x FROM a\n\nTYPE endpoint\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := datafiles.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	g := Build(p, Options{})
	if len(g.Diagnostics) != 1 || g.Diagnostics[0].Pos.File != "p.pipe" || !strings.Contains(g.Diagnostics[0].Message, "pipe p node n: table references: node n: 2:20: {% if %} needs a condition") {
		t.Errorf("diagnostics %v", g.Diagnostics)
	}
	if len(g.In("q")) != 1 {
		t.Errorf("q should still read a: %v", g.In("q"))
	}
}
