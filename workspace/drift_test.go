package workspace

import (
	"testing"

	"github.com/perchdata/perch/datafiles"
)

// TestDriftIgnoresServerRewrites: a deployed definition and the live one
// as a server rewrites it are in sync; what the server keeps is drift.
func TestDriftIgnoresServerRewrites(t *testing.T) {
	base := func() *datafiles.Datasource {
		return &datafiles.Datasource{Name: "t", Columns: []datafiles.Column{{Name: "a", Type: "UInt32"}, {Name: "ts", Type: "DateTime"}},
			Engine: datafiles.Engine{Name: "MergeTree", SortingKey: "a"}}
	}
	tests := []struct {
		name   string
		mutate func(deployed, live *datafiles.Datasource)
		drift  int
	}{
		{"default cast by an old server", func(d, l *datafiles.Datasource) {
			d.Columns[0].Default, l.Columns[0].DefaultKind, l.Columns[0].Default = "0", "DEFAULT", "CAST(0, 'UInt32')"
		}, 0},
		{"default kind case", func(d, l *datafiles.Datasource) {
			d.Columns[0].DefaultKind, d.Columns[0].Default = "materialized", "1"
			l.Columns[0].DefaultKind, l.Columns[0].Default = "MATERIALIZED", "1"
		}, 0},
		{"codec defaults of a modern server", func(d, l *datafiles.Datasource) {
			d.Columns[0].Codec, l.Columns[0].Codec = "Delta, ZSTD", "Delta(4), ZSTD(1)"
		}, 0},
		{"TTL DELETE dropped by the server", func(d, l *datafiles.Datasource) {
			d.Engine.TTL, l.Engine.TTL = "ts + INTERVAL 1 DAY DELETE", "ts + toIntervalDay(1)"
		}, 0},
		{"TTL action changed", func(d, l *datafiles.Datasource) {
			d.Engine.TTL, l.Engine.TTL = "ts + INTERVAL 1 DAY TO VOLUME 'cold'", "ts + toIntervalDay(1) TO VOLUME 'hot'"
		}, 1},
		{"setting with a comma changed", func(d, l *datafiles.Datasource) {
			d.Engine.Settings, l.Engine.Settings = "storage_policy = 'hot,cold'", "storage_policy = 'hot,warm', index_granularity = 8192"
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, l := base(), base()
			tt.mutate(d, l)
			if got := DiffDatasource(d, l, "db"); len(got) != tt.drift {
				t.Errorf("drift = %v, want %d change(s)", got, tt.drift)
			}
		})
	}
	mv := &datafiles.Pipe{Name: "mv", Nodes: []*datafiles.Node{{Name: "mv", Type: datafiles.NodeMaterialized, Datasource: "dst",
		SQL: "SELECT a FROM db.t ALL INNER JOIN db.u USING a ORDER BY a"}}}
	if d := DiffPipe("SELECT a FROM t JOIN u USING a ORDER BY a", "dst", mv, "db"); len(d) != 0 {
		t.Errorf("the server's spelling of a join is drift: %v", d)
	}
	if d := DiffPipe("SELECT a FROM t JOIN u USING a ORDER BY a DESC", "dst", mv, "db"); len(d) != 1 {
		t.Errorf("a new sort direction is no drift: %v", d)
	}
}

// TestDriftIgnoresPerchWatermarks: a view perch recreated with a watermark
// reads back with the watermark filter in its query, as the server prints
// it; that is the deployed view, not drift (issue 19 item 2). A hand-made
// change beside the watermark still is.
func TestDriftIgnoresPerchWatermarks(t *testing.T) {
	const local = "SELECT toDate(timestamp) AS day, pathname, count() AS views FROM events WHERE event_type = 'page_view' GROUP BY day, pathname"
	tests := []struct {
		name  string
		live  string
		drift int
	}{
		{"outer watermark of 18.16", "SELECT toDate(timestamp) AS day, pathname, count() AS views FROM db.events WHERE (timestamp >= toDateTime(1796164392)) AND (event_type = 'page_view') GROUP BY day, pathname", 0},
		{"outer watermark alone", "SELECT toDate(timestamp) AS day, pathname, count() AS views FROM db.events WHERE timestamp >= toDateTime(1796164392) GROUP BY day, pathname", 1},
		{"source subquery watermark", "SELECT toDate(timestamp) AS day, pathname, count() AS views FROM (SELECT * FROM db.events WHERE timestamp >= toDateTime(1796164392)) AS events WHERE event_type = 'page_view' GROUP BY day, pathname", 0},
		{"watermark and a filter changed by hand", "SELECT toDate(timestamp) AS day, pathname, count() AS views FROM db.events WHERE (timestamp >= toDateTime(1796164392)) AND (event_type = 'click') GROUP BY day, pathname", 1},
		{"a filter on another bound is no watermark", "SELECT toDate(timestamp) AS day, pathname, count() AS views FROM db.events WHERE (timestamp >= toDateTime(now() - 60)) AND (event_type = 'page_view') GROUP BY day, pathname", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mv := &datafiles.Pipe{Name: "mv", Nodes: []*datafiles.Node{{Name: "mv", Type: datafiles.NodeMaterialized, Datasource: "dst", SQL: tt.live}}}
			if d := DiffPipe(local, "dst", mv, "db"); len(d) != tt.drift {
				t.Errorf("drift = %v, want %d change(s)", d, tt.drift)
			}
		})
	}
	bare := &datafiles.Pipe{Name: "mv", Nodes: []*datafiles.Node{{Name: "mv", Type: datafiles.NodeMaterialized, Datasource: "dst",
		SQL: "SELECT pathname, count() AS views FROM db.events WHERE timestamp >= toDateTime(1796164392) GROUP BY pathname"}}}
	if d := DiffPipe("SELECT pathname, count() AS views FROM events GROUP BY pathname", "dst", bare, "db"); len(d) != 0 {
		t.Errorf("a query without WHERE recreated with a watermark is drift: %v", d)
	}
}
