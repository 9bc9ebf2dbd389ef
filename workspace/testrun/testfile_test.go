package testrun

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseFile(t *testing.T) {
	src := `# a comment
- name: defaults
  description: no parameters
  expected_result: |
    {"a":1}
    {"a":2}

- name: filtered
  parameters: country=ES&limit=2&tag=a&tag=b&q=hello%20world
  expected_http_status: 400
  max_rows_read: 1_000
  max_bytes_read: 2048

- name: only_a_check
  sql: SELECT 1 WHERE 0

- name: map_params
  parameters:
    x: 1
`
	f, err := ParseFile("tests/top_pages.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if f.Pipe != "top_pages" || len(f.Cases) != 4 {
		t.Fatalf("pipe %q, %d cases", f.Pipe, len(f.Cases))
	}
	c0, c1, c2, c3 := f.Cases[0], f.Cases[1], f.Cases[2], f.Cases[3]
	if c0.Name != "defaults" || c0.ExpectedResult != "{\"a\":1}\n{\"a\":2}\n" || !c0.HasExpected || c0.ExpectedStatus != 200 || !c0.Request || c0.Pos.Line != 2 || c0.Pos.Col != 3 {
		t.Errorf("case 0 = %+v", c0)
	}
	wantParams := map[string]string{"country": "ES", "limit": "2", "tag": "a,b", "q": "hello world"}
	if !reflect.DeepEqual(c1.Params, wantParams) || c1.ExpectedStatus != 400 || c1.MaxRowsRead != 1000 || c1.MaxBytesRead != 2048 || c1.HasExpected {
		t.Errorf("case 1 = %+v", c1)
	}
	if c2.Request || c2.SQL != "SELECT 1 WHERE 0" {
		t.Errorf("a case with only sql is a data check, not a request: %+v", c2)
	}
	if c3.Params["x"] != "1" || c3.Parameters != "x=1" {
		t.Errorf("case 3 = %+v", c3)
	}
	if got := f.FullName(c1); got != "top_pages.filtered" {
		t.Errorf("FullName = %q", got)
	}
}

func TestParseFileErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"not a list", "name: x\n", "tests/p.yaml:1:1: want a list of tests"},
		{"no name", "- parameters: a=1\n", "tests/p.yaml:1:3: a test needs a name"},
		{"unknown key", "- name: x\n  expected_results: ''\n", "tests/p.yaml:2:3: unknown key expected_results"},
		{"status not a number", "- name: x\n  expected_http_status: ok\n", "tests/p.yaml:2:25: expected_http_status must be a non-negative integer"},
		{"status out of range", "- name: x\n  expected_http_status: 42\n", "tests/p.yaml:2:25: expected_http_status 42 is not an HTTP status"},
		{"duplicate name", "- name: x\n- name: x\n", "tests/p.yaml:2:3: a second test named x"},
		{"duplicate key", "- name: x\n  sql: a\n  sql: b\n", "tests/p.yaml:3:3: key sql given twice"},
		{"bad escape", "- name: x\n  parameters: a=%zz\n", "tests/p.yaml:2:15: parameters \"a=%zz\""},
		{"a list as text", "- name: x\n  sql: [1]\n", "tests/p.yaml:2:8: sql must be text"},
		{"not yaml", "- name: x\n  sql: 'open\n", "tests/p.yaml:"},
		{"budget negative", "- name: x\n  max_rows_read: -1\n", "tests/p.yaml:2:18: max_rows_read must be a non-negative integer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseFile("tests/p.yaml", []byte(tc.src))
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("error = %v, want prefix %q", err, tc.want)
			}
		})
	}
}

func TestParseFileEmpty(t *testing.T) {
	for _, src := range []string{"", "# nothing yet\n", "~\n"} {
		f, err := ParseFile("tests/p.yaml", []byte(src))
		if err != nil || len(f.Cases) != 0 {
			t.Errorf("%q: %v, %v", src, f, err)
		}
	}
}

func TestParseParameters(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want map[string]string
		err  bool
	}{
		{"", map[string]string{}, false},
		{"?a=1", map[string]string{"a": "1"}, false},
		{"start=2024-05-01 00:00:00&end=2024-05-02+00:00:00", map[string]string{"start": "2024-05-01 00:00:00", "end": "2024-05-02 00:00:00"}, false},
		{"a=&b", map[string]string{"a": "", "b": ""}, false},
		{"=1", nil, true},
		{"a=%", nil, true},
	} {
		got, err := ParseParameters(tc.in)
		if (err != nil) != tc.err || (!tc.err && !reflect.DeepEqual(got, tc.want)) {
			t.Errorf("ParseParameters(%q) = %v, %v", tc.in, got, err)
		}
	}
}
