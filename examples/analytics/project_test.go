package analytics_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/ddl"
)

func loadProject(t *testing.T) *datafiles.Project {
	t.Helper()
	p, err := datafiles.Load(".")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestProjectLoadsClean: the example has no diagnostic at all, not even a
// warning, and holds the resources the README describes.
func TestProjectLoadsClean(t *testing.T) {
	p := loadProject(t)
	for _, d := range p.Diagnostics {
		t.Errorf("%s", d)
	}
	if got := strings.Join(p.DatasourceNames(), " "); got != "country_daily_snapshot events pages_hourly_mv sales_daily_mv" {
		t.Errorf("data sources: %s", got)
	}
	kinds := map[string]datafiles.PipeKind{}
	for name, pipe := range p.Pipes {
		kinds[name] = pipe.Kind()
	}
	want := map[string]datafiles.PipeKind{
		"pages_hourly": datafiles.PipeMaterialization, "sales_daily": datafiles.PipeMaterialization,
		"top_pages": datafiles.PipeEndpoint, "trend": datafiles.PipeEndpoint,
		"revenue_by_country": datafiles.PipeEndpoint, "live_activity": datafiles.PipeEndpoint,
		"snapshot_country_daily": datafiles.PipeCopy,
	}
	for name, k := range want {
		if kinds[name] != k {
			t.Errorf("pipe %s is %q, want %q", name, kinds[name], k)
		}
	}
	if len(kinds) != len(want) {
		t.Errorf("pipes: %v", kinds)
	}
	if n := p.Pipes["pages_hourly"].Output(); n.Datasource != "pages_hourly_mv" {
		t.Errorf("pages_hourly materializes into %q", n.Datasource)
	}
	if n := p.Pipes["snapshot_country_daily"].Output(); n.TargetDatasource != "country_daily_snapshot" || n.CopySchedule != "0 1 * * *" || n.CopyMode != "append" {
		t.Errorf("copy node: %+v", n)
	}
	if got := p.Datasources["events"].Engine.SortingKey; got != "timestamp, session_id" {
		t.Errorf("events sorting key %q", got)
	}
}

// TestGeneratedDDLMatchesHandWritten: perch's own DDL generator, fed the
// parsed data sources, creates tables identical (per system.tables and
// system.columns) to the hand-written ones the other tests use.
func TestGeneratedDDLMatchesHandWritten(t *testing.T) {
	p := loadProject(t)
	srv.ForEach(t, func(t *testing.T, hand *clickhousetest.DB) {
		gen := srv.NewDatabaseOn(t, hand.Kind)
		ver, err := workspace.ParseVersion(gen.QueryString(t, "SELECT version()"))
		if err != nil {
			t.Fatal(err)
		}
		g := ddl.Generator{Database: gen.Name, Caps: workspace.CapabilitiesFor(ver)}
		names := p.DatasourceNames()
		for _, name := range names {
			exec(t, hand, tables[name])
			stmt, err := g.CreateTable(name, p.Datasources[name])
			if err != nil {
				t.Fatal(err)
			}
			exec(t, gen, stmt)
		}
		describe := func(db *clickhousetest.DB) []string {
			var out []string
			for _, r := range query(t, db, "SELECT name, engine_full FROM system.tables WHERE database = currentDatabase()") {
				// 18.16 keeps the engine as written: MergeTree and MergeTree() are the same.
				engine := strings.Replace(r.s("engine_full"), "() ", " ", 1)
				out = append(out, r.s("name")+": "+engine)
			}
			for _, r := range query(t, db, "SELECT table, name, type, default_kind, default_expression FROM system.columns WHERE database = currentDatabase()") {
				out = append(out, r.s("table")+"."+r.s("name")+" "+r.s("type")+" "+r.s("default_kind")+" "+r.s("default_expression"))
			}
			sort.Strings(out)
			return out
		}
		h, gd := describe(hand), describe(gen)
		if strings.Join(h, "\n") != strings.Join(gd, "\n") {
			t.Errorf("hand-written:\n%s\n\ngenerated:\n%s", strings.Join(h, "\n"), strings.Join(gd, "\n"))
		}
	})
}
