package workspace

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

// TestPullRoundTrip: objects created with SQL are pulled as datafiles; the
// files load without errors and describe exactly what is live (tables
// field by field, views by their compiled query), so an adopted database
// plans as in sync.
func TestPullRoundTrip(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *Client, db *clickhousetest.DB) {
		db.Exec(t, fixtureDDL(db)...)
		ctx := context.Background()
		s, err := c.Snapshot(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		files := PullFiles(s)
		res, err := WritePulled(dir, files, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != 8 || res[0].Action != "created" {
			t.Fatalf("write results = %+v", res)
		}
		proj, err := datafiles.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range proj.Errors() {
			t.Errorf("pulled file does not load: %s", d)
		}
		if len(proj.Datasources) != len(s.Datasources) || len(proj.Pipes) != len(s.Pipes) {
			t.Fatalf("loaded %d datasources %d pipes, live %d %d", len(proj.Datasources), len(proj.Pipes), len(s.Datasources), len(s.Pipes))
		}
		for name, live := range s.Datasources {
			if d := DiffDatasource(proj.Datasources[name], live, db.Name); len(d) > 0 {
				t.Errorf("%s: pulled file differs from the server: %v", name, d)
			}
		}
		for name, live := range s.Pipes {
			pipe := proj.Pipes[name]
			n := pipe.Nodes[0]
			r, err := compile.Compile(proj, name, n.Name, compile.Options{})
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if d := DiffPipe(r.SQL, n.Datasource, live, db.Name); len(d) > 0 {
				t.Errorf("%s: pulled pipe differs from the server: %v", name, d)
			}
			if n.Type != live.Nodes[0].Type {
				t.Errorf("%s: node type %q, live %q", name, n.Type, live.Nodes[0].Type)
			}
		}
		// A second pull changes nothing; a local edit is kept unless overwritten.
		path := filepath.Join(dir, "datasources", "events.datasource")
		if err := os.WriteFile(path, []byte("# edited\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		res, _ = WritePulled(dir, files, false)
		counts := map[string]int{}
		for _, r := range res {
			counts[r.Action]++
		}
		if counts["unchanged"] != 7 || counts["skipped"] != 1 {
			t.Errorf("second pull = %v", counts)
		}
		res, _ = WritePulled(dir, files, true)
		if b, _ := os.ReadFile(path); string(b) == "# edited\n" {
			t.Errorf("overwrite kept the edit: %+v", res)
		}
	})
}

// TestPullInnerEngineView: a materialized view without TO pulls as a pipe
// that loads (a plain node, described), and its inner table is left out.
func TestPullInnerEngineView(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *Client, db *clickhousetest.DB) {
		db.Exec(t,
			"CREATE TABLE src (a UInt8) ENGINE = MergeTree() ORDER BY a",
			"CREATE MATERIALIZED VIEW inner_mv ENGINE = SummingMergeTree() ORDER BY a AS SELECT a FROM src",
		)
		s, err := c.Snapshot(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if _, err := WritePulled(dir, PullFiles(s), false); err != nil {
			t.Fatal(err)
		}
		proj, err := datafiles.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range proj.Errors() {
			t.Errorf("pulled file does not load: %s", d)
		}
		p := proj.Pipes["inner_mv"]
		if p == nil || !strings.Contains(p.Description, "inner table") || p.Nodes[0].Type != datafiles.NodePlain {
			t.Fatalf("inner_mv = %+v", p)
		}
		if len(proj.Datasources) != 1 {
			t.Errorf("datasources = %v, want src only", proj.DatasourceNames())
		}
	})
}
