package lineage

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
)

// Tests for the classes of issue 14 as the lineage graph (and so impact)
// sees them.

// buildFiles loads datafiles written to a temp dir and builds their graph.
func buildFiles(t *testing.T, files map[string]string) (*datafiles.Project, *Graph) {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := datafiles.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range p.Errors() {
		t.Fatalf("fixture: %s", d)
	}
	return p, Build(p, Options{})
}

func readsOf(g *Graph, name string) []string {
	var out []string
	for _, e := range g.In(name) {
		out = append(out, e.From)
	}
	sort.Strings(out)
	return out
}

const schemaA = "SCHEMA >\n    `a` String\n"

// Class 5: a table read in one branch only still has its edge, so a change
// to it reaches the endpoint.
func TestLineageSeesEveryBranch(t *testing.T) {
	_, g := buildFiles(t, map[string]string{
		"hourly.datasource":  schemaA,
		"daily.datasource":   schemaA,
		"monthly.datasource": schemaA,
		"dims.datasource":    schemaA,
		"e.pipe": `NODE e
SQL >
    %
    {% if not defined(date_from) %}{{ error('date_from is required') }}{% end %}
    SELECT a FROM
    {% if date_from == date_to %} hourly {% elif Int32(days, 1) > 31 %} monthly {% else %} daily {% end %}
    {% for j in JSON(joins, '[]') %} JOIN dims USING a {% end %}

TYPE endpoint
`,
	})
	if got, want := readsOf(g, "e"), []string{"daily", "dims", "hourly", "monthly"}; !reflect.DeepEqual(got, want) {
		t.Errorf("e reads %v, want %v", got, want)
	}
	if len(g.Unresolved) != 0 || len(g.Diagnostics) != 0 {
		t.Errorf("unresolved %v diagnostics %v", g.Unresolved, g.Diagnostics)
	}
	if got := g.EndpointsReached("hourly"); !reflect.DeepEqual(got, []string{"e"}) {
		t.Errorf("a change to hourly reaches %v", got)
	}
}

// Classes 6 and 7: versioned names, quarantine tables and other
// workspaces' data sources resolve.
func TestLineageResolvesTinybirdNames(t *testing.T) {
	_, g := buildFiles(t, map[string]string{
		"page_views.datasource": "VERSION 3\n" + schemaA,
		"agg.datasource":        "VERSION 1\n" + schemaA,
		"top.pipe":              "VERSION 2\nNODE t\nSQL >\n    SELECT a FROM page_views__v3\n\nTYPE endpoint\n",
		"reader.pipe":           "NODE r\nSQL >\n    SELECT a FROM top__v2\n\nTYPE endpoint\n",
		"mv.pipe":               "NODE m\nSQL >\n    SELECT a FROM page_views\n\nTYPE materialized\nDATASOURCE agg__v1\n",
		"errors.pipe": `NODE q
SQL >
    SELECT c__error AS a FROM page_views_quarantine
    UNION ALL SELECT a FROM other_workspace.shared_events

TYPE endpoint
`,
	})
	if len(g.Unresolved) != 0 || len(g.Diagnostics) != 0 {
		t.Fatalf("unresolved %+v diagnostics %v", g.Unresolved, g.Diagnostics)
	}
	for name, want := range map[string][]string{
		"top":                   {"page_views"},
		"reader":                {"top"},
		"mv":                    {"page_views"},
		"agg":                   {"mv"},
		"errors":                {"other_workspace.shared_events", "page_views_quarantine"},
		"page_views_quarantine": {"page_views"},
	} {
		if got := readsOf(g, name); !reflect.DeepEqual(got, want) {
			t.Errorf("%s is fed by %v, want %v", name, got, want)
		}
	}
	if n := g.Node("other_workspace.shared_events"); n == nil || n.Kind != KindExternal {
		t.Errorf("shared data source node %+v, want an external", n)
	}
	if q := g.Node("page_views_quarantine"); q == nil || q.Kind != KindDatasource || q.File != "page_views.datasource" {
		t.Errorf("quarantine node %+v", q)
	}
	if got := g.EndpointsReached("page_views"); !reflect.DeepEqual(got, []string{"errors", "reader", "top"}) {
		t.Errorf("a change to page_views reaches %v", got)
	}
}

// Class 9: a secret without a value is drawn with a placeholder and named.
func TestLineageNamesMissingSecrets(t *testing.T) {
	_, g := buildFiles(t, map[string]string{
		"s.pipe": "NODE n\nSQL >\n    %\n    SELECT * FROM url({{ tb_secret('api_url') }}, 'CSV', 'a String')\n\nTYPE endpoint\n",
	})
	if len(g.Diagnostics) != 1 || g.Diagnostics[0].Severity != datafiles.Warning ||
		!strings.Contains(g.Diagnostics[0].String(), "s.pipe:3:5: warning: pipe s node n reads secret api_url, which is not set: drawn with a placeholder") {
		t.Errorf("diagnostics %v", g.Diagnostics)
	}
	if got := readsOf(g, "s"); !reflect.DeepEqual(got, []string{"url()"}) {
		t.Errorf("s reads %v", got)
	}
}
