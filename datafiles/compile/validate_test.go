package compile

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	p := loadFiles(t, map[string]string{
		"events.datasource": eventsDatasource,
		"top.pipe":          topPipe,
		"cyc.pipe":          "NODE a\nSQL >\n    SELECT * FROM b\n\nNODE b\nSQL >\n    SELECT * FROM a\n",
		"bad.pipe":          "NODE t\nSQL >\n    %\n    SELECT 1\n    {% if x %} AND {{ Int32(n, 1 }}\n",
		"forbidden.pipe":    "NODE t\nSQL >\n    %\n    {% import os %}\n    SELECT 1\n",
		"untemplated.pipe":  "NODE t\nSQL >\n    SELECT {{ Int32(n, 1) }} FROM events\n",
		"reader.pipe":       "NODE r\nSQL >\n    SELECT * FROM bad JOIN ghost USING x\n",
		"err.pipe":          "NODE e\nSQL >\n    %\n    SELECT 1 {% if not defined(x) %}{{ error('need x') }}{% end %}\n",
	})
	var got []string
	for _, d := range Validate(p) {
		got = append(got, d.String())
	}
	want := []string{
		"bad.pipe:5:34: error: expected , or ) in call, found end of expression",
		"cyc.pipe:3:19: error: cycle: cyc.b -> cyc.a -> cyc.b",
		"cyc.pipe:7:19: error: cycle: cyc.a -> cyc.b -> cyc.a",
		"forbidden.pipe:4:8: error: {% import %} is not allowed in datafile templates",
		"untemplated.pipe:3:5: warning: node t uses template syntax but its SQL does not start with %, so it is not rendered",
		"untemplated.pipe:3:5: warning: node t: compiled SQL does not parse",
	}
	joined := strings.Join(got, "\n")
	for _, w := range want {
		if !strings.Contains(joined, w) {
			t.Errorf("missing diagnostic %q in\n%s", w, joined)
		}
	}
	if strings.Contains(joined, "err.pipe") {
		t.Errorf("error() in a branch placeholder mode skips was reported:\n%s", joined)
	}
	if strings.Contains(joined, "top.pipe") {
		t.Errorf("valid pipe reported:\n%s", joined)
	}
}

func TestValidateCorpusIsClean(t *testing.T) {
	for name, p := range corpusProjects(t) {
		for _, d := range Validate(p) {
			t.Errorf("%s: %s", name, d)
		}
	}
}

// TestValidateEnv: the secrets and variables getenv sets are not warned
// about; the others are, and a render cached without them does not hide
// them (nor one cached with them show them).
func TestValidateEnv(t *testing.T) {
	p := loadFiles(t, map[string]string{
		"events.datasource": eventsDatasource,
		"s.pipe":            "NODE n\nSQL >\n    %\n    SELECT * FROM events WHERE x != {{ tb_secret('skip_path') }} AND y > {{ tb_var('min_y') }}\n",
	})
	secret := "s.pipe:3:5: warning: node n reads secret skip_path, which is not set: checked with a placeholder; preview and apply need its value"
	variable := "s.pipe:3:5: warning: node n reads variable min_y, which is not set: checked with a placeholder; preview and apply need its value"
	for _, tc := range []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"none set", nil, []string{secret, variable}},
		{"secret set", map[string]string{"skip_path": "/health"}, []string{variable}},
		{"both set", map[string]string{"skip_path": "/health", "min_y": "3"}, nil},
		{"none set again", map[string]string{}, []string{secret, variable}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, d := range ValidateEnv(p, func(name string) string { return tc.env[name] }) {
				got = append(got, d.String())
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
