package datafiles

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseDataTests(t *testing.T) {
	text := `- name: defaults
  description: no parameters
  parameters: ''
  expected_result: |
    {"n":1}
- name: by_country
  parameters: country=fr&limit=2&q=a%20b
  expected_http_status: 200
- parameters: x=1&x=2
`
	tests, err := ParseDataTests("tests/top.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(tests) != 3 {
		t.Fatalf("%d tests", len(tests))
	}
	if tests[0].Name != "defaults" || tests[0].ExpectedResult != "{\"n\":1}\n" || tests[0].Pos.String() != "tests/top.yaml:1:3" {
		t.Errorf("first test %+v", tests[0])
	}
	if tests[1].ExpectedHTTPStatus != 200 || tests[2].Name != "test_3" {
		t.Errorf("tests %+v", tests)
	}
	for i, want := range []map[string]string{{}, {"country": "fr", "limit": "2", "q": "a b"}, {"x": "2"}} {
		got, err := tests[i].Params()
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("test %d params %v %v, want %v", i, got, err, want)
		}
	}
	for _, bad := range []struct{ text, err string }{
		{"name: x\n", "tests/bad.yaml:1:1: want a list of tests"},
		{"- name: [unclosed\n", "tests/bad.yaml"},
		{"- name: x\n  parameters: [1]\n", "tests/bad.yaml:1:3: test 1"},
	} {
		if _, err := ParseDataTests("tests/bad.yaml", []byte(bad.text)); err == nil || !strings.Contains(err.Error(), bad.err) {
			t.Errorf("%q: %v, want %q", bad.text, err, bad.err)
		}
	}
	if tests, err := ParseDataTests("tests/empty.yaml", nil); err != nil || len(tests) != 0 {
		t.Errorf("empty file: %v %v", tests, err)
	}
	bad := DataTest{Name: "b", Parameters: "a=%zz", Pos: Pos{File: "tests/t.yaml", Line: 4, Col: 3}}
	if _, err := bad.Params(); err == nil || !strings.Contains(err.Error(), "tests/t.yaml:4:3: test b") {
		t.Errorf("bad escape: %v", err)
	}
}
