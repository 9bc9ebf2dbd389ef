package ddl

import (
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
)

func caps(t *testing.T, v string) workspace.Capabilities {
	t.Helper()
	ver, err := workspace.ParseVersion(v)
	if err != nil {
		t.Fatal(err)
	}
	return workspace.CapabilitiesFor(ver)
}

func events() *datafiles.Datasource {
	return &datafiles.Datasource{
		Name: "events",
		Columns: []datafiles.Column{
			{Name: "timestamp", Type: "DateTime"},
			{Name: "user_id", Type: "String", Default: "''"},
			{Name: "n", Type: "UInt64", DefaultKind: "MATERIALIZED", Default: "length(user_id)"},
			{Name: "payload", Type: "String", Codec: "ZSTD(1)", Comment: "raw 'json'"},
		},
		Indexes: []datafiles.Index{{Name: "idx_user", Expr: "user_id", Type: "bloom_filter(0.01)", Granularity: 4}},
		Engine: datafiles.Engine{
			Name: "ReplacingMergeTree", Ver: "timestamp",
			PartitionKey: "toYYYYMM(timestamp)", SortingKey: "user_id, timestamp",
			TTL: "timestamp + INTERVAL 90 DAY", Settings: "index_granularity=8192",
		},
	}
}

func TestCreateTable(t *testing.T) {
	g := Generator{Database: "db", Caps: caps(t, "24.8.1")}
	got, err := g.CreateTable("events", events())
	if err != nil {
		t.Fatal(err)
	}
	want := "CREATE TABLE `db`.`events`\n(\n" +
		"    `timestamp` DateTime,\n" +
		"    `user_id` String DEFAULT '',\n" +
		"    `n` UInt64 MATERIALIZED length(user_id),\n" +
		"    `payload` String COMMENT 'raw \\'json\\'' CODEC(ZSTD(1)),\n" +
		"    INDEX `idx_user` user_id TYPE bloom_filter(0.01) GRANULARITY 4\n)\n" +
		"ENGINE = ReplacingMergeTree(timestamp)\nPARTITION BY toYYYYMM(timestamp)\nORDER BY (user_id, timestamp)\n" +
		"TTL timestamp + INTERVAL 90 DAY\nSETTINGS index_granularity=8192"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestEngineClause(t *testing.T) {
	tests := []struct {
		name    string
		engine  datafiles.Engine
		want    string
		wantErr string
	}{
		{"default", datafiles.Engine{}, "ENGINE = MergeTree()\nORDER BY tuple()", ""},
		{"summing", datafiles.Engine{Name: "SummingMergeTree", SummingColumns: "a, b", SortingKey: "k"}, "ENGINE = SummingMergeTree((a, b))\nORDER BY k", ""},
		{"aggregating pk sample", datafiles.Engine{Name: "AggregatingMergeTree", SortingKey: "k, intHash32(u)", PrimaryKey: "k", SamplingKey: "intHash32(u)"},
			"ENGINE = AggregatingMergeTree()\nORDER BY (k, intHash32(u))\nPRIMARY KEY k\nSAMPLE BY intHash32(u)", ""},
		{"collapsing", datafiles.Engine{Name: "CollapsingMergeTree", Sign: "sign", SortingKey: "k"}, "ENGINE = CollapsingMergeTree(sign)\nORDER BY k", ""},
		{"collapsing without sign", datafiles.Engine{Name: "CollapsingMergeTree"}, "", "ENGINE_SIGN"},
		{"versioned", datafiles.Engine{Name: "VersionedCollapsingMergeTree", Sign: "s", Version: "v", SortingKey: "k"}, "ENGINE = VersionedCollapsingMergeTree(s, v)\nORDER BY k", ""},
		{"replacing is_deleted", datafiles.Engine{Name: "ReplacingMergeTree", Ver: "v", IsDeleted: "d", SortingKey: "k"}, "ENGINE = ReplacingMergeTree(v, d)\nORDER BY k", ""},
		{"join", datafiles.Engine{Name: "Join", JoinStrictness: "ANY", JoinType: "LEFT", KeyColumns: "id"}, "ENGINE = Join(ANY, LEFT, id)", ""},
		{"null", datafiles.Engine{Name: "Null"}, "ENGINE = Null", ""},
		{"inline args", datafiles.Engine{Name: "ReplicatedMergeTree('/t/{shard}', '{replica}')", SortingKey: "k"}, "ENGINE = ReplicatedMergeTree('/t/{shard}', '{replica}')\nORDER BY k", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EngineClause(tt.engine)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCapabilitySQL asserts the statements chosen for a modern server and for
// the 18.16 server installed here.
func TestCapabilitySQL(t *testing.T) {
	modern := Generator{Database: "db", Cluster: "main", Caps: caps(t, "24.8.4.13")}
	old := Generator{Database: "db", Caps: caps(t, "18.16.1")}
	col := datafiles.Column{Name: "c", Type: "UInt8", Default: "0"}
	tests := []struct {
		name string
		got  func() []string
		want []string
	}{
		{"swap modern", func() []string { return modern.Swap("t", "t__new", "t__old") }, []string{
			"EXCHANGE TABLES `db`.`t` AND `db`.`t__new` ON CLUSTER `main`",
			"RENAME TABLE `db`.`t__new` TO `db`.`t__old` ON CLUSTER `main`",
		}},
		{"swap 18.16", func() []string { return old.Swap("t", "t__new", "t__old") }, []string{
			"RENAME TABLE `db`.`t` TO `db`.`t__old`, `db`.`t__new` TO `db`.`t`",
		}},
		{"add column modern", func() []string { return []string{modern.AddColumn("t", col, "b")} }, []string{
			"ALTER TABLE `db`.`t` ON CLUSTER `main` ADD COLUMN IF NOT EXISTS `c` UInt8 DEFAULT 0 AFTER `b`",
		}},
		{"add column 18.16", func() []string { return []string{old.AddColumn("t", col, "")} }, []string{
			"ALTER TABLE `db`.`t` ADD COLUMN `c` UInt8 DEFAULT 0",
		}},
		{"drop column", func() []string { return []string{modern.DropColumn("t", "c"), old.DropColumn("t", "c")} }, []string{
			"ALTER TABLE `db`.`t` ON CLUSTER `main` DROP COLUMN IF EXISTS `c`",
			"ALTER TABLE `db`.`t` DROP COLUMN `c`",
		}},
		{"modify query modern", func() []string {
			s, err := modern.ModifyQuery("mv", "SELECT 1 AS x")
			if err != nil {
				t.Fatal(err)
			}
			return []string{s}
		}, []string{"ALTER TABLE `db`.`mv` ON CLUSTER `main` MODIFY QUERY\nSELECT 1 AS x"}},
		{"create mv", func() []string { return []string{modern.CreateMaterializedView("mv", "agg", " SELECT 1 ")} }, []string{
			"CREATE MATERIALIZED VIEW `db`.`mv` ON CLUSTER `main` TO `db`.`agg`\nAS SELECT 1",
		}},
		{"create view, drop, merges, attach", func() []string {
			return []string{old.CreateView("v", "SELECT 1"), old.DropTable("v", true), old.StopMerges("t"), old.StartMerges("t"), old.AttachPartitionFrom("t", "202401", "t__stage")}
		}, []string{
			"CREATE VIEW `db`.`v`\nAS SELECT 1",
			"DROP TABLE IF EXISTS `db`.`v`",
			"SYSTEM STOP MERGES `db`.`t`",
			"SYSTEM START MERGES `db`.`t`",
			"ALTER TABLE `db`.`t` ATTACH PARTITION ID '202401' FROM `db`.`t__stage`",
		}},
		{"ttl modern", func() []string {
			a, _ := modern.ModifyTTL("t", "ts + INTERVAL 1 DAY")
			b, _ := modern.ModifyTTL("t", "")
			return []string{a, b}
		}, []string{
			"ALTER TABLE `db`.`t` ON CLUSTER `main` MODIFY TTL ts + INTERVAL 1 DAY",
			"ALTER TABLE `db`.`t` ON CLUSTER `main` REMOVE TTL",
		}},
		{"index, settings, comment", func() []string {
			return []string{
				modern.AddIndex("t", datafiles.Index{Name: "i", Expr: "u", Type: "minmax", Granularity: 1}),
				modern.DropIndex("t", "i"),
				old.ModifySettings("t", "merge_with_ttl_timeout=3600"),
				old.CommentColumn("t", "c", "hi"),
				old.ModifyColumn("t", datafiles.Column{Name: "c", Type: "UInt16"}),
			}
		}, []string{
			"ALTER TABLE `db`.`t` ON CLUSTER `main` ADD INDEX `i` u TYPE minmax GRANULARITY 1",
			"ALTER TABLE `db`.`t` ON CLUSTER `main` DROP INDEX `i`",
			"ALTER TABLE `db`.`t` MODIFY SETTING merge_with_ttl_timeout=3600",
			"ALTER TABLE `db`.`t` COMMENT COLUMN `c` 'hi'",
			"ALTER TABLE `db`.`t` MODIFY COLUMN `c` UInt16",
		}},
		{"create on cluster", func() []string {
			s, err := modern.CreateTable("t", &datafiles.Datasource{Columns: []datafiles.Column{{Name: "a", Type: "UInt8"}}})
			if err != nil {
				t.Fatal(err)
			}
			return []string{s, modern.CreateTableAs("t__stage", "t")}
		}, []string{
			"CREATE TABLE `db`.`t` ON CLUSTER `main`\n(\n    `a` UInt8\n)\nENGINE = MergeTree()\nORDER BY tuple()",
			"CREATE TABLE `db`.`t__stage` ON CLUSTER `main` AS `db`.`t`",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.got()
			if strings.Join(got, "\n;\n") != strings.Join(tt.want, "\n;\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n;\n"), strings.Join(tt.want, "\n;\n"))
			}
		})
	}
}

func TestOldServerRefusals(t *testing.T) {
	old := Generator{Database: "db", Caps: caps(t, "18.16.1")}
	if _, err := old.ModifyQuery("mv", "SELECT 1"); err == nil {
		t.Error("MODIFY QUERY on 18.16: want an error")
	}
	if _, err := old.ModifyTTL("t", "ts + INTERVAL 1 DAY"); err == nil {
		t.Error("MODIFY TTL on 18.16: want an error")
	}
}

func TestQuoting(t *testing.T) {
	if got := Ident("we`ird"); got != "`we\\`ird`" {
		t.Errorf("Ident = %s", got)
	}
	if got := PartsFilter([]string{"all_1_1_0", "x'y"}); got != `_part IN ('all_1_1_0', 'x\'y')` {
		t.Errorf("PartsFilter = %s", got)
	}
	if got := Tag("SELECT 1", "d1"); got != "/* perch deployment d1 */ SELECT 1" {
		t.Errorf("Tag = %s", got)
	}
	for key, want := range map[string]string{"a, f(b, c)": "(a, f(b, c))", "f(b, c)": "f(b, c)", "concat('x,y', a)": "concat('x,y', a)", "`a,b`": "`a,b`"} {
		if got := wrapTuple(key); got != want {
			t.Errorf("wrapTuple(%q) = %s, want %s", key, got, want)
		}
	}
}
