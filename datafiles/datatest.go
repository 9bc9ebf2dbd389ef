package datafiles

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// DataTest is one test of a pipe's test file, tests/<pipe>.yaml, in
// Tinybird's format: a YAML list of {name, description, parameters,
// expected_result, expected_http_status}.
type DataTest struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	// Parameters is the request's query string: "a=1&b=2".
	Parameters string `yaml:"parameters"`
	// ExpectedResult is the expected rows as NDJSON text.
	ExpectedResult     string `yaml:"expected_result"`
	ExpectedHTTPStatus int    `yaml:"expected_http_status"`
	// Pos is where the test starts in its file.
	Pos Pos `yaml:"-"`
}

// Params decodes Parameters as a query string (a=1&b=2, values
// percent-decoded); a name given twice keeps the last value.
func (t DataTest) Params() (map[string]string, error) {
	out := map[string]string{}
	if strings.TrimSpace(t.Parameters) == "" {
		return out, nil
	}
	vals, err := url.ParseQuery(strings.TrimPrefix(strings.TrimSpace(t.Parameters), "?"))
	if err != nil {
		return nil, fmt.Errorf("%s: test %s: parameters %q: %w", t.Pos, t.Name, t.Parameters, err)
	}
	for k, vs := range vals {
		out[k] = vs[len(vs)-1]
	}
	return out, nil
}

// ParseDataTests reads a test file's text; file names the file in errors
// and positions. An empty file has no tests.
func ParseDataTests(file string, text []byte) ([]DataTest, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	list := doc.Content[0]
	if list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s:%d:%d: want a list of tests ({name, parameters, expected_result})", file, list.Line, list.Column)
	}
	out := make([]DataTest, 0, len(list.Content))
	for i, item := range list.Content {
		var t DataTest
		if err := item.Decode(&t); err != nil {
			return nil, fmt.Errorf("%s:%d:%d: test %d: %w", file, item.Line, item.Column, i+1, err)
		}
		t.Pos = Pos{File: file, Line: item.Line, Col: item.Column}
		if t.Name == "" {
			t.Name = fmt.Sprintf("test_%d", i+1)
		}
		out = append(out, t)
	}
	return out, nil
}

// LoadDataTests reads the test file of pipe in the project (nil when it has
// none), positions relative to the project root.
func (p *Project) LoadDataTests(pipe string) ([]DataTest, error) {
	rel, ok := p.DataTests[pipe]
	if !ok {
		return nil, nil
	}
	text, err := os.ReadFile(filepath.Join(p.Root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, fmt.Errorf("read tests of %s: %w", pipe, err)
	}
	return ParseDataTests(rel, text)
}
