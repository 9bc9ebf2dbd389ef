package compile

import (
	"reflect"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/template"
)

// Tests for the classes of issue 14 as compile, NodeRefs and Validate (what
// `perch check` runs) see them.

// diagStrings formats diagnostics as file:line:col: level: message.
func diagStrings(diags []datafiles.Diagnostic) []string {
	out := []string{}
	for _, d := range diags {
		out = append(out, d.String())
	}
	return out
}

// Classes 1 and 2: JSON values and unknown Array item types check cleanly.
func TestValidateJSONAndArrayTemplates(t *testing.T) {
	p := loadFiles(t, map[string]string{
		"events.datasource": eventsDatasource,
		"f.pipe": `NODE filtered
SQL >
    %
    SELECT * FROM events WHERE 1
    {% for item in JSON(filters, '[]') %}
        {% if item.get('operator', '') == 'in' %} AND {{ column(item.get('column'), 'country') }} IN {{ Array(item.get('values'), 'country_code') }}{% end %}
    {% end %}
    {% if defined(excluded) %} AND country NOT IN {{ Array(excluded, String) }}{% end %}
    {% if defined(ids) %} AND n IN {{ Array(ids, 'link_id') }}{% end %}

TYPE endpoint
`,
	})
	if diags := Validate(p); len(diags) != 0 {
		t.Errorf("diagnostics: %v", diagStrings(diags))
	}
	res, err := Compile(p, "f", "", Options{Mode: template.Given, Params: map[string]string{
		"filters": `[{"operator": "in", "column": "country", "values": ["ES", "FR"]}]`, "ids": "a,b"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"AND `country` IN ['ES','FR']", "AND n IN ['a','b']"} {
		if !strings.Contains(res.SQL, want) {
			t.Errorf("compiled SQL lacks %q:\n%s", want, res.SQL)
		}
	}
}

// Class 3: a node whose placeholder render fails renders in another mode;
// check reports a node only when no mode renders it.
func TestCompileFallsBackToAnotherMode(t *testing.T) {
	p := loadFiles(t, map[string]string{
		"events.datasource": eventsDatasource,
		"required.pipe": `NODE n
SQL >
    %
    {% if not defined(date_from) %}
        {{ error('date_from is required') }}
    {% end %}
    SELECT * FROM events WHERE ts >= {{ DateTime(date_from) }}

TYPE endpoint
`,
		"unsupported.pipe": `NODE n
SQL >
    %
    {% if defined(legacy) %}{{ error('legacy is not supported any more') }}{% end %}
    SELECT * FROM events

TYPE endpoint
`,
		"broken.pipe": `NODE n
SQL >
    %
    SELECT * FROM events
    {{ error('this endpoint is disabled') }}

TYPE endpoint
`,
	})
	res, err := Compile(p, "required", "", Options{})
	if err != nil {
		t.Fatalf("defaults: %v", err)
	}
	if len(res.Fallbacks) != 1 || res.Fallbacks[0].Mode != template.Placeholders || !strings.Contains(res.Fallbacks[0].Err, "date_from is required") ||
		!strings.Contains(res.SQL, "ts >= '2019-01-01 00:00:00'") {
		t.Errorf("fallbacks %+v, SQL %q", res.Fallbacks, res.SQL)
	}
	res, err = Compile(p, "unsupported", "", Options{Mode: template.Placeholders})
	if err != nil {
		t.Fatalf("placeholders: %v", err)
	}
	if len(res.Fallbacks) != 1 || res.Fallbacks[0].Mode != template.Defaults {
		t.Errorf("fallbacks %+v", res.Fallbacks)
	}
	if _, err := Compile(p, "required", "", Options{Mode: template.Given}); err == nil || err.Error() != "required.pipe:5:12: date_from is required" {
		t.Errorf("a request must fail where the template says: %v", err)
	}
	got := diagStrings(Validate(p))
	want := []string{"broken.pipe:5:8: error: this endpoint is disabled"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Validate = %v, want %v", got, want)
	}
}

// Class 4: column()/columns()/table() placeholders are no table reference.
func TestPlaceholderIdentifiersAreNoTables(t *testing.T) {
	p := loadFiles(t, map[string]string{
		"events.datasource": eventsDatasource,
		"c.pipe": `NODE n
SQL >
    %
    SELECT {{ columns(cols) }}, {{ column(metric) }} FROM events
    UNION ALL SELECT 1, 2 FROM {{ table(source) }}

TYPE endpoint
`,
	})
	res, err := Compile(p, "c", "", Options{Mode: template.Placeholders})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Unresolved) != 0 || !reflect.DeepEqual(res.Datasources, []string{"events"}) {
		t.Errorf("unresolved %v, datasources %v", res.Unresolved, res.Datasources)
	}
	refs, err := NodeRefs(p.Pipes["c"].Nodes[0])
	if err != nil || refStrings(refs.Tables) != "events@2:55" {
		t.Errorf("refs %s %v", refStrings(refs.Tables), err)
	}
	if diags := Validate(p); len(diags) != 0 {
		t.Errorf("diagnostics: %v", diagStrings(diags))
	}
}

// Class 5: NodeRefs sees tables read in every branch and loop body.
func TestNodeRefsCoverEveryBranch(t *testing.T) {
	n := &datafiles.Node{Name: "n", SQL: `%
SELECT * FROM
{% if date_from == date_to %}
    hourly
{% elif defined(month) %}
    monthly
{% else %}
    daily
{% end %}
{% for f in JSON(joins, '[]') %}
    JOIN dims USING ({{ column(f.get('key'), 'k') }})
{% end %}
{% if not defined(x) %}{{ error('x is required') }}{% end %}`}
	refs, err := NodeRefs(n)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range refs.Tables {
		names = append(names, r.Name)
	}
	want := []string{"monthly", "hourly", "dims", "daily"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("refs %v, want %v", names, want)
	}
	if refs.Fallback {
		t.Errorf("a forced render fell back to the token scan: %s", refs.ParseError)
	}
}

// Class 6: Classic VERSION n resources are read as name__vN.
func TestCompileVersionedNames(t *testing.T) {
	p := loadFiles(t, map[string]string{
		"page_views.datasource": "VERSION 3\n" + eventsDatasource,
		"top.pipe":              "VERSION 2\nNODE t\nSQL >\n    SELECT country FROM page_views__v3\n",
		"a.pipe":                "NODE a\nSQL >\n    SELECT * FROM top__v2\n",
		"b.pipe":                "NODE b\nSQL >\n    SELECT * FROM `page_views` WHERE n IN (SELECT n FROM page_views__v3)\n",
		"old.pipe":              "NODE o\nSQL >\n    SELECT * FROM page_views__v2\n",
	})
	cases := []struct{ pipe, want string }{
		{"top", "SELECT country FROM page_views__v3"},
		{"a", "SELECT * FROM (\nSELECT country FROM page_views__v3\n) AS top__v2"},
		{"b", "SELECT * FROM page_views__v3 WHERE n IN (SELECT n FROM page_views__v3)"},
	}
	for _, tc := range cases {
		res, err := Compile(p, tc.pipe, "", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.SQL != tc.want || len(res.Unresolved) != 0 || !reflect.DeepEqual(res.Datasources, []string{"page_views"}) {
			t.Errorf("%s: %q unresolved %v datasources %v, want %q", tc.pipe, res.SQL, res.Unresolved, res.Datasources, tc.want)
		}
	}
	got := diagStrings(Validate(p))
	want := []string{"old.pipe:3:19: warning: node o reads page_views__v2, which is not a node, pipe or data source of the project"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Validate = %v, want %v", got, want)
	}
}

// Class 7: quarantine tables and other workspaces' data sources resolve.
func TestCompileImplicitTables(t *testing.T) {
	p := loadFiles(t, map[string]string{
		"events.datasource": eventsDatasource,
		"old.datasource":    "VERSION 1\n" + eventsDatasource,
		"q.pipe": `NODE n
SQL >
    SELECT c__error, country FROM events_quarantine
    UNION ALL SELECT c__error, country FROM old_quarantine
    UNION ALL SELECT [], country FROM shared_ws.events_shared

TYPE endpoint
`,
	})
	res, err := Compile(p, "q", "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.SQL, "FROM events_quarantine") || !strings.Contains(res.SQL, "FROM old__v1_quarantine") || len(res.Unresolved) != 0 {
		t.Errorf("SQL %q unresolved %v", res.SQL, res.Unresolved)
	}
	if diags := Validate(p); len(diags) != 0 {
		t.Errorf("diagnostics: %v", diagStrings(diags))
	}
}

// Class 9: secrets without a value are placeholders and warnings.
func TestSecretsWithoutValue(t *testing.T) {
	p := loadFiles(t, map[string]string{
		"s.pipe": `NODE n
SQL >
    %
    SELECT * FROM url({{ tb_secret('api_url') }}, 'JSONEachRow', 'x String')
    WHERE x = {{ tb_var('tenant') }} AND y = {{ tb_secret('with_default', 'd') }}

TYPE endpoint
`,
	})
	for _, mode := range []template.Mode{template.Defaults, template.Placeholders} {
		res, err := Compile(p, "s", "", Options{Mode: mode})
		if err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		if !reflect.DeepEqual(res.MissingSecrets, []string{"api_url"}) || !reflect.DeepEqual(res.MissingVars, []string{"tenant"}) ||
			!strings.Contains(res.SQL, "url('placeholder'") {
			t.Errorf("%s: missing %v %v, SQL %q", mode, res.MissingSecrets, res.MissingVars, res.SQL)
		}
	}
	if _, err := Compile(p, "s", "", Options{Mode: template.Given}); err == nil || !strings.Contains(err.Error(), "s.pipe:4:26: tb_secret(): secret api_url is not set") {
		t.Errorf("a request needs the secret: %v", err)
	}
	res, err := Compile(p, "s", "", Options{Mode: template.Given, Secrets: map[string]string{"api_url": "https://x"}, Vars: map[string]string{"tenant": "t1"}})
	if err != nil || len(res.MissingSecrets) != 0 || !strings.Contains(res.SQL, "url('https://x'") {
		t.Errorf("with the values: %v %+v", err, res)
	}
	got := diagStrings(Validate(p))
	want := []string{
		"s.pipe:3:5: warning: node n reads secret api_url, which is not set: checked with a placeholder; preview and apply need its value",
		"s.pipe:3:5: warning: node n reads variable tenant, which is not set: checked with a placeholder; preview and apply need its value",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Validate = %v\nwant %v", got, want)
	}
}
