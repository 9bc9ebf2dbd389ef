package testrun

import (
	"strings"
	"testing"
)

// rewrite parses src, gives each named case new rows and rewrites the file.
func rewrite(t *testing.T, src string, rows map[string]string) (string, error) {
	t.Helper()
	f, err := ParseFile("tests/p.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	updates := map[*Case]string{}
	for _, c := range f.Cases {
		if r, ok := rows[c.Name]; ok {
			updates[c] = r
		}
	}
	out, err := f.Rewrite(updates)
	return string(out), err
}

func TestRewrite(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		rows map[string]string
		want string
	}{{
		name: "block replaced, the rest byte for byte",
		src: `# header comment
- name: a   # trailing comment
  description: "quoted, kept"
  parameters: x=1
  expected_result: |
    {"old":1}

    {"old":2}
  expected_http_status: 200

- name: b
  expected_result: |-
    {"keep":true}
`,
		rows: map[string]string{"a": "{\"new\":1}\n"},
		want: `# header comment
- name: a   # trailing comment
  description: "quoted, kept"
  parameters: x=1
  expected_result: |
    {"new":1}
  expected_http_status: 200

- name: b
  expected_result: |-
    {"keep":true}
`,
	}, {
		name: "key added after the last key",
		src: `- name: a
  parameters: x=1

# next
- name: b
  parameters:
    y: 2
`,
		rows: map[string]string{"a": "{\"n\":1}\n{\"n\":2}\n", "b": "{\"m\":\"x\"}\n"},
		want: `- name: a
  parameters: x=1
  expected_result: |
    {"n":1}
    {"n":2}

# next
- name: b
  parameters:
    y: 2
  expected_result: |
    {"m":"x"}
`,
	}, {
		name: "key on the item's first line, single-quoted value, no rows",
		src: `- expected_result: '{"a":1}'
  name: a
    # deeper comment belongs to no value
-   name: b
    expected_result: >
      {"folded":1}
      {"folded":2}
    sql: SELECT 1 WHERE 0
`,
		rows: map[string]string{"a": "", "b": "{\"b\":\"  spaces  \"}\n"},
		want: `- expected_result: ''
  name: a
    # deeper comment belongs to no value
-   name: b
    expected_result: |
      {"b":"  spaces  "}
    sql: SELECT 1 WHERE 0
`,
	}, {
		name: "no final newline",
		src:  "- name: a\n  expected_result: ''",
		rows: map[string]string{"a": "{\"a\":1}\n"},
		want: "- name: a\n  expected_result: |\n    {\"a\":1}\n",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := rewrite(t, tc.src, tc.rows)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("rewrite =\n%s\nwant\n%s", got, tc.want)
			}
			f, err := ParseFile("tests/p.yaml", []byte(got))
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range f.Cases {
				if r, ok := tc.rows[c.Name]; ok && c.ExpectedResult != r {
					t.Errorf("%s reads back %q, want %q", c.Name, c.ExpectedResult, r)
				}
			}
		})
	}
}

func TestRewriteRefusesFlowStyle(t *testing.T) {
	_, err := rewrite(t, "- {name: a, parameters: x=1}\n", map[string]string{"a": "{}\n"})
	if err == nil || !strings.Contains(err.Error(), "flow style") {
		t.Fatalf("err = %v", err)
	}
}

func TestUpdatesSelectsChangedRequests(t *testing.T) {
	f, err := ParseFile("tests/p.yaml", []byte("- name: same\n  expected_result: '{\"a\":1}'\n- name: changed\n  expected_result: ''\n- name: error\n  expected_http_status: 400\n- name: missing\n"))
	if err != nil {
		t.Fatal(err)
	}
	row := []any{Object{{Key: "a", Value: mustJSON(t, "1")}}}
	results := []*Result{
		{Kind: KindRequest, Status: 200, actual: row, file: f, test: f.Cases[0]},
		{Kind: KindRequest, Status: 200, actual: row, file: f, test: f.Cases[1]},
		{Kind: KindRequest, Status: 400, file: f, test: f.Cases[2]},
		{Kind: KindRequest, Status: 200, actual: []any{}, file: f, test: f.Cases[3]},
	}
	got := Updates(results)[f]
	if len(got) != 2 || got[f.Cases[1]] != "{\"a\":1}\n" || got[f.Cases[3]] != "" {
		t.Errorf("updates = %v", got)
	}
}
