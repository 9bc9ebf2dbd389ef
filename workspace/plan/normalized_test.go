package plan

import (
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
)

// TestPlanComparesNormalizedSQL: what the server rewrites is no change,
// what it keeps is one — settings with commas in their values, quoted
// names in keys, escaped quotes in defaults, TTL actions, codec defaults,
// sort direction in a view's query, watermarks around an aliased source.
func TestPlanComparesNormalizedSQL(t *testing.T) {
	const modern = "24.8.4.13"
	events := func(f func(local, live *datafiles.Datasource)) (*datafiles.Project, *Remote) {
		p := project(nil)
		r := liveState(t, modern, 1000)
		f(p.Datasources["events"], r.Tables["events"].Datasource)
		r.Deployed = nil
		return p, r
	}
	view := func(local, live string) (*datafiles.Project, *Remote) {
		p := project(func(p *datafiles.Project) { p.Pipes["mat_per_user"].Nodes[0].SQL = local })
		r := liveState(t, modern, 1000)
		r.Views["mat_per_user"].Query = live
		r.Deployed = nil
		return p, r
	}
	withColumns := func(ds *datafiles.Datasource, cols ...string) {
		for _, c := range cols {
			ds.Columns = append(ds.Columns, datafiles.Column{Name: c, Type: "UInt64"})
		}
	}
	tests := []struct {
		name string
		in   func() (*datafiles.Project, *Remote)
		// parts the change of resource must list (nil: no change of resource at all)
		resource string
		parts    []string
		sql      string // a statement the change must run
	}{
		{"setting value with a comma", func() (*datafiles.Project, *Remote) {
			return events(func(l, r *datafiles.Datasource) {
				l.Engine.Settings = "storage_policy = 'hot,cold'"
				r.Engine.Settings = "storage_policy = 'hot,warm', index_granularity = 8192"
			})
		}, "events", []string{"settings"}, "MODIFY SETTING storage_policy='hot,cold'"},
		{"same settings in another spelling", func() (*datafiles.Project, *Remote) {
			return events(func(l, r *datafiles.Datasource) {
				l.Engine.Settings = "storage_policy='hot,cold',merge_with_ttl_timeout=3600"
				r.Engine.Settings = "merge_with_ttl_timeout = 3600, storage_policy = 'hot,cold', index_granularity = 8192"
			})
		}, "events", nil, ""},
		{"quoted name in the sorting key", func() (*datafiles.Project, *Remote) {
			return events(func(l, r *datafiles.Datasource) {
				withColumns(l, "x y", "xy")
				withColumns(r, "x y", "xy")
				l.Engine.SortingKey, r.Engine.SortingKey = "`x y`", "xy"
			})
		}, "events", []string{"sorting key"}, ""},
		{"escaped quote in a default", func() (*datafiles.Project, *Remote) {
			return events(func(l, r *datafiles.Datasource) {
				l.Columns[1].Default, r.Columns[1].Default = `'it\'s'`, "'it''s'"
			})
		}, "events", nil, ""},
		{"default cast to the column type", func() (*datafiles.Project, *Remote) {
			return events(func(l, r *datafiles.Datasource) {
				l.Columns[2].Default, r.Columns[2].Default = "0", "CAST(0, 'UInt64')"
			})
		}, "events", nil, ""},
		{"TTL with the DELETE the server drops", func() (*datafiles.Project, *Remote) {
			return events(func(l, r *datafiles.Datasource) {
				l.Engine.TTL, r.Engine.TTL = "timestamp + INTERVAL 1 DAY DELETE", "timestamp + toIntervalDay(1)"
			})
		}, "events", nil, ""},
		{"TTL moving to a volume", func() (*datafiles.Project, *Remote) {
			return events(func(l, r *datafiles.Datasource) {
				l.Engine.TTL, r.Engine.TTL = "timestamp + INTERVAL 1 DAY TO VOLUME 'cold'", "timestamp + toIntervalDay(1)"
			})
		}, "events", []string{"ttl"}, "MODIFY TTL timestamp + INTERVAL 1 DAY TO VOLUME 'cold'"},
		{"codec defaults a modern server prints", func() (*datafiles.Project, *Remote) {
			return events(func(l, r *datafiles.Datasource) {
				l.Columns[2].Codec, r.Columns[2].Codec = "Delta, ZSTD", "Delta(8), ZSTD(1)"
			})
		}, "events", nil, ""},
		{"sort direction in a view's query", func() (*datafiles.Project, *Remote) {
			return view("SELECT user_id, sum(value) AS total FROM events GROUP BY user_id ORDER BY total DESC",
				"SELECT user_id, sum(value) AS total FROM db.events GROUP BY user_id ORDER BY total")
		}, "mat_per_user", []string{"view query"}, ""},
		{"watermark around an aliased source", func() (*datafiles.Project, *Remote) {
			return view("SELECT e.user_id AS user_id, sum(e.value) AS total FROM events AS e GROUP BY user_id",
				"SELECT e.user_id AS user_id, sum(e.value) AS total FROM (SELECT * FROM db.events WHERE timestamp >= toDateTime(1732512345)) AS e GROUP BY user_id")
		}, "mat_per_user", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			local, remote := tt.in()
			p, err := Build(local, remote, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got *Change
			for i := range p.Changes {
				if p.Changes[i].Resource == tt.resource {
					got = p.Changes[i]
				}
			}
			switch {
			case tt.parts == nil && got != nil:
				t.Fatalf("unexpected change of %s: %v", tt.resource, got.Parts)
			case tt.parts == nil:
				return
			case got == nil:
				t.Fatalf("no change of %s planned; want %v", tt.resource, tt.parts)
			case strings.Join(got.Parts, "; ") != strings.Join(tt.parts, "; "):
				t.Errorf("parts = %v, want %v", got.Parts, tt.parts)
			}
			if tt.sql == "" {
				return
			}
			var all []string
			for _, s := range got.Steps {
				all = append(all, s.SQL...)
			}
			if !strings.Contains(strings.Join(all, "\n"), tt.sql) {
				t.Errorf("steps run\n%s\nwant a statement with %s", strings.Join(all, "\n"), tt.sql)
			}
		})
	}
}

// TestDeployedProjectStaysInItsFolder: a recorded file path that leaves
// the temporary folder is refused, not written outside it.
func TestDeployedProjectStaysInItsFolder(t *testing.T) {
	for _, path := range []string{"../escaped.datasource", "datasources/../../escaped.datasource", "/tmp/escaped.datasource"} {
		d := &workspace.Deployment{ID: "d1", Files: []workspace.DeployedFile{{Path: path, Text: "SCHEMA >\n    a UInt8\n"}}}
		if _, err := DeployedProject(d); err == nil || !strings.Contains(err.Error(), "leaves the project") {
			t.Errorf("%s: err = %v, want a refusal", path, err)
		}
	}
	d := &workspace.Deployment{ID: "d2", Files: []workspace.DeployedFile{{Path: "datasources/a.datasource", Text: "SCHEMA >\n    a UInt8\n"}}}
	if p, err := DeployedProject(d); err != nil || p.Datasources["a"] == nil {
		t.Errorf("a plain deployment: %v, %v", p, err)
	}
}

// TestSourcesReadTokens: table references, watermarks and mentions read
// SQL tokens, so literals and comments are neither tables nor columns.
func TestSourcesReadTokens(t *testing.T) {
	known := func(n string) bool { return n == "events" || n == "users" }
	q := "SELECT count() AS c -- FROM users\nFROM `db`.`events` WHERE s != 'JOIN users' GROUP BY k"
	if got := queryTables(q, "db", known); strings.Join(got, ",") != "events" {
		t.Errorf("queryTables = %v", got)
	}
	got, ok := WithWatermark(q, "events", "ts", ">=")
	want := "SELECT count() AS c -- FROM users\nFROM (SELECT * FROM `db`.`events` WHERE ts >= toDateTime({W})) AS events WHERE s != 'JOIN users' GROUP BY k"
	if !ok || got != want {
		t.Errorf("WithWatermark =\n%s\nwant\n%s", got, want)
	}
	if got, _ := WithWatermark("SELECT 1 FROM events e", "events", "ts", "<"); got != "SELECT 1 FROM (SELECT * FROM events WHERE ts < toDateTime({W})) e" {
		t.Errorf("WithWatermark keeps the alias: %s", got)
	}
	if _, ok := WithWatermark("SELECT 'FROM events'", "events", "ts", "<"); ok {
		t.Error("a literal is no table reference")
	}
	for _, tt := range []struct {
		sql, word string
		want      bool
	}{
		{"SELECT total FROM t", "total", true},
		{"SELECT t.total FROM t", "total", false},
		{"SELECT a FROM t -- total", "total", false},
		{"SELECT {{ column(c, 'total') }} FROM t", "total", true},
		{"SELECT {{ columns(cols, 'a,total') }} FROM t", "total", true},
		{"SELECT totals FROM t", "total", false},
		{"SELECT `Total` FROM t", "total", true},
	} {
		if got := mentions(tt.sql, tt.word); got != tt.want {
			t.Errorf("mentions(%q, %q) = %v, want %v", tt.sql, tt.word, got, tt.want)
		}
	}
}
