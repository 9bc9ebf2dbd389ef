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
