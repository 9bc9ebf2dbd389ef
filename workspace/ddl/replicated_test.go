package ddl

import (
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
)

// On a cluster target the MergeTree family is written Replicated*, the
// ZooKeeper path with {database} and {table} filled in (the macros of the
// node left to the server); other engines and engines already replicated
// are kept as they are.
func TestReplicatedEngines(t *testing.T) {
	repl := workspace.Target{Cluster: "c"}.Replication()
	tests := []struct {
		name   string
		engine datafiles.Engine
		repl   workspace.Replication
		want   string
	}{
		{"merge tree", datafiles.Engine{Name: "MergeTree", SortingKey: "a"}, repl,
			"ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/db/t', '{replica}')\nORDER BY a"},
		{"replacing with version", datafiles.Engine{Name: "ReplacingMergeTree", Ver: "v", SortingKey: "a"}, repl,
			"ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/db/t', '{replica}', v)\nORDER BY a"},
		{"summing with columns", datafiles.Engine{Name: "SummingMergeTree", SummingColumns: "x, y", SortingKey: "a"}, repl,
			"ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/db/t', '{replica}', (x, y))\nORDER BY a"},
		{"custom path and replica", datafiles.Engine{Name: "MergeTree", SortingKey: "a"}, workspace.Replication{Path: "/ch/{database}.{table}", Replica: "{host}"},
			"ENGINE = ReplicatedMergeTree('/ch/db.t', '{host}')\nORDER BY a"},
		{"already replicated", datafiles.Engine{Name: "ReplicatedMergeTree('/p', 'r')", SortingKey: "a"}, repl,
			"ENGINE = ReplicatedMergeTree('/p', 'r')\nORDER BY a"},
		{"not the MergeTree family", datafiles.Engine{Name: "Null"}, repl, "ENGINE = Null"},
		{"single server", datafiles.Engine{Name: "MergeTree", SortingKey: "a"}, workspace.Replication{}, "ENGINE = MergeTree()\nORDER BY a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := Generator{Database: "db", Cluster: "c", Replication: tt.repl}
			sql, err := g.CreateTable("t", &datafiles.Datasource{Name: "t", Columns: []datafiles.Column{{Name: "a", Type: "UInt8"}}, Engine: tt.engine})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(sql, "CREATE TABLE `db`.`t` ON CLUSTER `c`\n") {
				t.Errorf("not ON CLUSTER: %s", sql)
			}
			if got := sql[strings.Index(sql, "ENGINE"):]; got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// On a cluster a view's unqualified tables get the database (ON CLUSTER
// runs in each host's default database); table functions, qualified names
// and WITH names are kept; a single server keeps the query as written.
func TestClusterQualifiesViewQueries(t *testing.T) {
	tests := []struct{ name, cluster, query, want string }{
		{"from and join", "c", "SELECT a FROM events AS e JOIN `users` USING (id)", "SELECT a FROM `db`.events AS e JOIN `db`.`users` USING (id)"},
		{"subquery and in", "c", "SELECT a FROM (SELECT a FROM events) WHERE a IN (SELECT a FROM ok)", "SELECT a FROM (SELECT a FROM `db`.events) WHERE a IN (SELECT a FROM `db`.ok)"},
		{"kept", "c", "WITH w AS (SELECT 1 AS a) SELECT a FROM w, numbers(3), system.one", "WITH w AS (SELECT 1 AS a) SELECT a FROM w, numbers(3), system.one"},
		{"multi-line", "c", "SELECT a\nFROM events\nWHERE 1", "SELECT a\nFROM `db`.events\nWHERE 1"},
		{"single server", "", "SELECT a FROM events", "SELECT a FROM events"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sql := Generator{Database: "db", Cluster: tt.cluster}.CreateMaterializedView("v", "t", tt.query)
			if got := sql[strings.Index(sql, "\nAS ")+4:]; got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
