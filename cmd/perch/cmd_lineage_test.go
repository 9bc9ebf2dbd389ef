package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace/clickhousetest"
)

var flappyDir = filepath.Join("..", "..", "..", "shared", "corpus", "flappy-tinybird")

type lineageJSON struct {
	Nodes []struct {
		Name, Kind, File string
	} `json:"nodes"`
	Edges []struct {
		From, To, Kind string
	} `json:"edges"`
	Unresolved []struct {
		File string
		Line int
		Name string
	} `json:"unresolved"`
}

func TestLineageCommand(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		out, err []string // substrings expected
	}{
		{"text", []string{flappyDir, "--width", "200"}, exitOK,
			[]string{"◆ mat_player_stats", "├───▶┤ ▣ mv_player_stats", "▣ datasource  ○ pipe"}, nil},
		{"narrow text is a tree", []string{flappyDir, "--width", "50"}, exitOK,
			[]string{"▣ events_api\n└─▶ ◆ mat_player_stats\n    └─▶ ▣ mv_player_stats\n"}, nil},
		{"dot", []string{"--format", "dot", flappyDir}, exitOK,
			[]string{"digraph lineage {", `"mat_player_stats" -> "mv_player_stats" [label="materializes"];`}, nil},
		{"mermaid", []string{flappyDir, "--format", "mermaid"}, exitOK,
			[]string{"flowchart LR\n", "mv_mat_player_stats -->|materializes| ds_mv_player_stats"}, nil},
		{"focus", []string{flappyDir, "--focus", "api_leaderboard", "--format", "mermaid"}, exitOK,
			[]string{"ep_api_leaderboard"}, nil},
		{"unknown focus", []string{flappyDir, "--focus", "nope"}, exitError, nil, []string{`no node named "nope"`}},
		{"bad format", []string{flappyDir, "--format", "svg"}, exitError, nil, []string{`--format "svg"`}},
		{"two dirs", []string{flappyDir, flappyDir}, exitError, nil, []string{"at most one DIR"}},
		{"missing dir", []string{"/nonexistent/perch"}, exitError, nil, []string{"/nonexistent/perch"}},
		{"remote unreachable", []string{flappyDir, "--remote", "--dsn", "clickhouse://127.0.0.1:1/db"}, exitError,
			nil, []string{"perch lineage: remote: connect to"}},
		{"remote and compare", []string{flappyDir, "--remote", "--compare"}, exitError, nil, []string{"not both"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, out, errb := testEnv()
			code := run(context.Background(), e, append([]string{"lineage"}, tt.args...))
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errb)
			}
			for _, want := range tt.out {
				if !strings.Contains(out.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			for _, want := range tt.err {
				if !strings.Contains(errb.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, errb)
				}
			}
			if strings.Contains(errb.String(), "password") {
				t.Errorf("stderr mentions a password: %s", errb)
			}
		})
	}
}

func TestLineageJSON(t *testing.T) {
	e, out, errb := testEnv()
	if code := run(context.Background(), e, []string{"lineage", flappyDir, "--format", "json"}); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb)
	}
	var doc lineageJSON
	dec := json.NewDecoder(strings.NewReader(out.String()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var edges []string
	for _, e := range doc.Edges {
		edges = append(edges, e.From+" "+e.Kind+" "+e.To)
	}
	want := []string{
		"events_api reads mat_player_stats",
		"mat_player_stats materializes mv_player_stats",
		"mv_player_stats reads api_last_played_games",
		"mv_player_stats reads api_leaderboard",
		"mv_player_stats reads api_personalization",
		"mv_player_stats reads api_player_stats",
	}
	if !reflect.DeepEqual(edges, want) {
		t.Errorf("edges %v, want %v", edges, want)
	}
	if len(doc.Nodes) != 7 || doc.Unresolved == nil || len(doc.Unresolved) != 0 {
		t.Errorf("%d nodes, unresolved %v", len(doc.Nodes), doc.Unresolved)
	}
	if doc.Nodes[0].File == "" {
		t.Errorf("node without file: %+v", doc.Nodes[0])
	}
}

// TestLineageRemote draws the graph of a live database: a table, a
// materialized view into a second table and a plain view over it.
func TestLineageRemote(t *testing.T) {
	srv := demoServer(t)
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		db.Exec(t,
			"CREATE TABLE "+db.Name+".events (ts DateTime, user String) ENGINE = MergeTree ORDER BY ts",
			"CREATE TABLE "+db.Name+".daily (day Date, users UInt64) ENGINE = SummingMergeTree ORDER BY day",
			"CREATE MATERIALIZED VIEW "+db.Name+".daily_mv TO "+db.Name+".daily AS SELECT toDate(ts) AS day, count() AS users FROM "+db.Name+".events GROUP BY day",
			"CREATE VIEW "+db.Name+".recent AS SELECT * FROM "+db.Name+".daily WHERE day > today() - 7",
		)
		dir := t.TempDir()
		e, out, errb := testEnv()
		if code := run(context.Background(), e, []string{"lineage", dir, "--remote", "--dsn", db.DSN, "--format", "json"}); code != exitOK {
			t.Fatalf("exit %d: %s", code, errb)
		}
		var doc lineageJSON
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		var edges []string
		for _, e := range doc.Edges {
			edges = append(edges, e.From+" "+e.Kind+" "+e.To)
		}
		want := []string{"daily reads recent", "daily_mv materializes daily", "events reads daily_mv"}
		if !reflect.DeepEqual(edges, want) {
			t.Errorf("remote edges %v, want %v\n%s", edges, want, errb)
		}
		// Compared with an empty local project, everything is remote only.
		e, out, errb = testEnv()
		if code := run(context.Background(), e, []string{"lineage", dir, "--compare", "--dsn", db.DSN, "--format", "mermaid"}); code != exitOK {
			t.Fatalf("exit %d: %s", code, errb)
		}
		if !strings.Contains(out.String(), "ds_events[(\"events (remote only)\")]") || !strings.Contains(out.String(), "ds_events -.->|remote only| mv_daily_mv") {
			t.Errorf("compare output:\n%s", out)
		}
	})
}

func TestLineageWidthFromColumns(t *testing.T) {
	e, out, errb := testEnv()
	e.getenv = func(k string) string {
		if k == "COLUMNS" {
			return "50"
		}
		return ""
	}
	if code := run(context.Background(), e, []string{"lineage", flappyDir}); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb)
	}
	if !strings.HasPrefix(out.String(), "▣ events_api\n└─▶ ◆ mat_player_stats\n") {
		t.Errorf("with COLUMNS=50 want the tree:\n%s", out)
	}
}
