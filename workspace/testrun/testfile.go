package testrun

import (
	"fmt"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/perchdata/perch/datafiles"
)

// DefaultStatus is the HTTP status a test expects when it names none.
const DefaultStatus = 200

// File is one data test file, tests/<pipe>.yaml: the cases of one pipe.
type File struct {
	// Path is the file, relative to the project root (slash separated).
	Path string
	// Pipe is the pipe the cases request: the file's name without extension.
	Pipe string
	// Cases are the file's tests, in file order.
	Cases []*Case
	src   []byte
}

// Case is one test of a file, in Tinybird's format: a request of the pipe's
// endpoint (parameters, expected_result as NDJSON, expected_http_status),
// and perch's additions: a data check (sql: a SELECT that must return no
// rows) and budgets on what the request reads.
type Case struct {
	Name        string
	Description string
	// Parameters is the query string as written ("a=1&b=2"); Params the
	// parameters it gives (a repeated name's values joined by commas).
	Parameters string
	Params     map[string]string
	// Request says the case requests the endpoint: it gives parameters, an
	// expected result or status, or a budget, or it has no data check.
	Request bool
	// ExpectedResult is the expected NDJSON; HasExpected says the key is
	// present (without it only the status and budgets are checked).
	ExpectedResult string
	HasExpected    bool
	// ExpectedStatus is expected_http_status, DefaultStatus when not given.
	ExpectedStatus int
	// SQL is a data check: a SELECT that must return no rows.
	SQL string
	// MaxRowsRead and MaxBytesRead bound what the request reads (0: none).
	MaxRowsRead  uint64
	MaxBytesRead uint64
	// Pos is where the case starts in the file.
	Pos datafiles.Pos
	// index is the case's position in the file's list.
	index int
}

// FullName is pipe.test, what NAME filters match and output shows.
func (f *File) FullName(c *Case) string { return f.Pipe + "." + c.Name }

// FileError is a problem of a test file at a position.
type FileError struct {
	Pos datafiles.Pos
	Msg string
}

// Error formats the error as file:line:col: message.
func (e *FileError) Error() string { return e.Pos.String() + ": " + e.Msg }

// caseKeys are the keys a case may have, in the order messages list them.
var caseKeys = []string{"name", "description", "parameters", "expected_result", "expected_http_status", "sql", "max_rows_read", "max_bytes_read"}

// ParseFile reads the test file at rel (relative to the project root) from
// src. Every problem is a *FileError with its position.
func ParseFile(rel string, src []byte) (*File, error) {
	f := &File{Path: rel, Pipe: strings.TrimSuffix(path.Base(rel), path.Ext(rel)), src: src}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, &FileError{Pos: datafiles.Pos{File: rel, Line: yamlErrorLine(err), Col: 1}, Msg: "not YAML: " + yamlErrorText(err)}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return f, nil // an empty file has no tests
	}
	list := doc.Content[0]
	if list.Kind == yaml.ScalarNode && list.Tag == "!!null" {
		return f, nil
	}
	if list.Kind != yaml.SequenceNode {
		return nil, f.errAt(list, "want a list of tests (- name: ...)")
	}
	seen := map[string]bool{}
	for i, item := range list.Content {
		c, err := f.parseCase(item)
		if err != nil {
			return nil, err
		}
		if seen[c.Name] {
			return nil, f.errAt(item, fmt.Sprintf("a second test named %s", c.Name))
		}
		seen[c.Name] = true
		c.index = i
		f.Cases = append(f.Cases, c)
	}
	return f, nil
}

func (f *File) pos(n *yaml.Node) datafiles.Pos {
	return datafiles.Pos{File: f.Path, Line: n.Line, Col: n.Column}
}

func (f *File) errAt(n *yaml.Node, msg string) error {
	return &FileError{Pos: f.pos(n), Msg: msg}
}

// parseCase reads one item of the list.
func (f *File) parseCase(item *yaml.Node) (*Case, error) {
	if item.Kind != yaml.MappingNode {
		return nil, f.errAt(item, "a test is a mapping with name, parameters, expected_result, ...")
	}
	c := &Case{Pos: f.pos(item), ExpectedStatus: DefaultStatus}
	given := map[string]bool{}
	for i := 0; i+1 < len(item.Content); i += 2 {
		k, v := item.Content[i], item.Content[i+1]
		if given[k.Value] {
			return nil, f.errAt(k, "key "+k.Value+" given twice")
		}
		given[k.Value] = true
		if err := f.setKey(c, k, v); err != nil {
			return nil, err
		}
	}
	if c.Name == "" {
		return nil, f.errAt(item, "a test needs a name")
	}
	c.Request = given["parameters"] || given["expected_result"] || given["expected_http_status"] ||
		given["max_rows_read"] || given["max_bytes_read"] || c.SQL == ""
	return c, nil
}

// setKey sets the field of key k from its value v.
func (f *File) setKey(c *Case, k, v *yaml.Node) error {
	switch k.Value {
	case "name", "description", "expected_result", "sql":
		s, err := f.text(k, v)
		if err != nil {
			return err
		}
		switch k.Value {
		case "name":
			c.Name = strings.TrimSpace(s)
		case "description":
			c.Description = s
		case "expected_result":
			c.ExpectedResult, c.HasExpected = s, true
		case "sql":
			c.SQL = strings.TrimSpace(s)
		}
	case "parameters":
		return f.parameters(c, v)
	case "expected_http_status":
		n, err := f.number(k, v)
		if err != nil {
			return err
		}
		if n < 100 || n > 599 {
			return f.errAt(v, fmt.Sprintf("expected_http_status %d is not an HTTP status", n))
		}
		c.ExpectedStatus = int(n)
	case "max_rows_read", "max_bytes_read":
		n, err := f.number(k, v)
		if err != nil {
			return err
		}
		if k.Value == "max_rows_read" {
			c.MaxRowsRead = n
		} else {
			c.MaxBytesRead = n
		}
	default:
		return f.errAt(k, fmt.Sprintf("unknown key %s (a test takes %s)", k.Value, strings.Join(caseKeys, ", ")))
	}
	return nil
}

// text is a scalar's text; null is "".
func (f *File) text(k, v *yaml.Node) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", f.errAt(v, k.Value+" must be text")
	}
	if v.Tag == "!!null" {
		return "", nil
	}
	return v.Value, nil
}

// number is a non-negative integer scalar.
func (f *File) number(k, v *yaml.Node) (uint64, error) {
	if v.Kind == yaml.ScalarNode {
		if n, err := strconv.ParseUint(strings.ReplaceAll(v.Value, "_", ""), 10, 64); err == nil {
			return n, nil
		}
	}
	return 0, f.errAt(v, k.Value+" must be a non-negative integer")
}

// parameters reads a query string ("a=1&b=2"), or a mapping of names to
// values.
func (f *File) parameters(c *Case, v *yaml.Node) error {
	switch {
	case v.Kind == yaml.ScalarNode:
		if v.Tag != "!!null" {
			c.Parameters = strings.TrimSpace(v.Value)
		}
		params, err := ParseParameters(c.Parameters)
		if err != nil {
			return f.errAt(v, err.Error())
		}
		c.Params = params
	case v.Kind == yaml.MappingNode:
		q := url.Values{}
		c.Params = map[string]string{}
		for i := 0; i+1 < len(v.Content); i += 2 {
			name, val := v.Content[i].Value, v.Content[i+1]
			if val.Kind != yaml.ScalarNode {
				return f.errAt(val, "parameter "+name+" must be a value")
			}
			c.Params[name] = val.Value
			q.Set(name, val.Value)
		}
		c.Parameters = q.Encode()
	default:
		return f.errAt(v, `parameters must be a query string ("a=1&b=2")`)
	}
	return nil
}

// ParseParameters reads a request's query string ("a=1&b=2", a leading
// "?" allowed): values are URL-decoded, a name given twice has its values
// joined by commas (as an Array parameter takes them).
func ParseParameters(q string) (map[string]string, error) {
	q = strings.TrimPrefix(strings.TrimSpace(q), "?")
	vals, err := url.ParseQuery(q)
	if err != nil {
		return nil, fmt.Errorf("parameters %q: %v", q, err)
	}
	out := make(map[string]string, len(vals))
	for k, vs := range vals {
		if k == "" {
			return nil, fmt.Errorf("parameters %q: a value without a name", q)
		}
		out[k] = strings.Join(vs, ",")
	}
	return out, nil
}

// yamlErrorLine is the line a yaml error names ("yaml: line 3: ..."), or 1.
func yamlErrorLine(err error) int {
	msg := err.Error()
	if i := strings.Index(msg, "line "); i >= 0 {
		rest := msg[i+len("line "):]
		if j := strings.IndexAny(rest, ":,"); j > 0 {
			if n, cerr := strconv.Atoi(rest[:j]); cerr == nil {
				return n
			}
		}
	}
	return 1
}

// yamlErrorText is a yaml error without its "yaml: line N:" prefix.
func yamlErrorText(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if strings.HasPrefix(msg, "line ") {
		if i := strings.Index(msg, ": "); i >= 0 {
			return msg[i+2:]
		}
	}
	return msg
}

// sortedFiles lists the files by path.
func sortedFiles(files map[string]*File) []*File {
	out := make([]*File, 0, len(files))
	for _, f := range files {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
