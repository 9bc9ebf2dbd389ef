package testrun

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
	"github.com/perchdata/perch/datafiles/template"
	"github.com/perchdata/perch/workspace"
)

// Defaults of a run.
const (
	// DefaultLimit is the most rows a request returns before its test
	// fails as too large.
	DefaultLimit = 10000
	// DefaultTimeout bounds each query of a run.
	DefaultTimeout = 30 * time.Second
	// checkRowsShown bounds the rows a failed data check shows.
	checkRowsShown = 10
	// rowsDiffer starts the failure of rows that differ from expected_result.
	rowsDiffer = "the result differs"
)

// Kinds of result.
const (
	KindRequest = "request" // the endpoint requested with the case's parameters
	KindCheck   = "check"   // a data check only
	KindBuild   = "build"   // a node of perch build
)

// Options tune a run.
type Options struct {
	// Filter keeps the tests named pipe or pipe.test by one of its
	// entries; empty keeps all.
	Filter []string
	// Limit is the most result rows a request may return (DefaultLimit when 0).
	Limit int
	// Timeout bounds each query (DefaultTimeout when 0).
	Timeout time.Duration
	// Getenv resolves env() and tb_secret() in templates; nil resolves nothing.
	Getenv func(string) string
	// OnResult is called with each result when it is known.
	OnResult func(*Result)
}

// Result is the outcome of one test.
type Result struct {
	// Name is pipe.test (for perch build: pipe.node).
	Name string `json:"name"`
	Kind string `json:"kind"`
	// File, Line and Col are where the test (or the node) is written.
	File   string `json:"file"`
	Line   int    `json:"line"`
	Col    int    `json:"col"`
	Passed bool   `json:"passed"`
	// Updated: --update rewrote the test's expected_result.
	Updated bool `json:"updated,omitempty"`
	// Failures say why the test failed, one reason each.
	Failures []string `json:"failures,omitempty"`
	// Diff is the aligned expected-vs-actual diff of the rows, when they differ.
	Diff []string `json:"diff,omitempty"`
	// Parameters are the request's, as written.
	Parameters string `json:"parameters,omitempty"`
	// Status is the HTTP status the request got; ExpectedStatus the test's.
	Status         int `json:"status,omitempty"`
	ExpectedStatus int `json:"expected_status,omitempty"`
	// Error is the compile or engine error of a request that failed.
	Error string `json:"error,omitempty"`
	// SQL is the compiled query.
	SQL string `json:"sql,omitempty"`
	// Rows is the number of rows returned; RowsRead and BytesRead what
	// the request (and its data check) read.
	Rows      int    `json:"rows"`
	RowsRead  uint64 `json:"rows_read"`
	BytesRead uint64 `json:"bytes_read"`
	// Elapsed is the test's time.
	Elapsed   time.Duration `json:"-"`
	ElapsedMS float64       `json:"elapsed_ms"`

	// actual are the rows returned, for --update; file and test locate it.
	actual []any
	file   *File
	test   *Case
}

// Pos is where the test is written.
func (r *Result) Pos() datafiles.Pos { return datafiles.Pos{File: r.File, Line: r.Line, Col: r.Col} }

func (r *Result) fail(format string, args ...any) {
	r.Failures = append(r.Failures, fmt.Sprintf(format, args...))
}

// LoadFiles reads and parses the data test files of a project
// (p.DataTests), in path order. A file that is not a pipe's may only hold
// data checks.
func LoadFiles(p *datafiles.Project) ([]*File, error) {
	paths := make([]string, 0, len(p.DataTests))
	for _, rel := range p.DataTests {
		paths = append(paths, rel)
	}
	sort.Strings(paths)
	var out []*File
	for _, rel := range paths {
		src, err := os.ReadFile(filepath.Join(p.Root, filepath.FromSlash(rel)))
		if err != nil {
			return nil, fmt.Errorf("read test file %s: %w", rel, err)
		}
		f, err := ParseFile(rel, src)
		if err != nil {
			return nil, err
		}
		if p.Pipes[f.Pipe] == nil {
			for _, c := range f.Cases {
				if c.Request {
					return nil, &FileError{Pos: c.Pos, Msg: fmt.Sprintf("test %s requests pipe %s, which the project does not have (a file named after no pipe may only hold sql: data checks)", c.Name, f.Pipe)}
				}
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// Select keeps the cases that filter names (pipe or pipe.test); every
// name must match at least one test.
func Select(files []*File, filter []string) ([]*File, error) {
	if len(filter) == 0 {
		return files, nil
	}
	used := make([]bool, len(filter))
	var out []*File
	for _, f := range files {
		kept := &File{Path: f.Path, Pipe: f.Pipe, src: f.src}
		for _, c := range f.Cases {
			for i, name := range filter {
				if name == f.Pipe || name == f.FullName(c) {
					used[i] = true
					kept.Cases = append(kept.Cases, c)
					break
				}
			}
		}
		if len(kept.Cases) > 0 {
			out = append(out, kept)
		}
	}
	var unknown []string
	for i, ok := range used {
		if !ok {
			unknown = append(unknown, filter[i])
		}
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("no test named %s (names are PIPE or PIPE.TEST)", strings.Join(unknown, ", "))
	}
	return out, nil
}

// Run runs every case of files on the client's database, which holds the
// project deployed with its fixtures, in file order. A request runs the
// pipe's endpoint as an API request would: rendered with the given
// parameters only, read-only and bounded. It stops early only when ctx
// ends.
func Run(ctx context.Context, c *workspace.Client, p *datafiles.Project, files []*File, opts Options) ([]*Result, error) {
	if opts.Limit <= 0 {
		opts.Limit = DefaultLimit
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	r := &runner{c: c, p: p, opts: opts, cache: compile.NewCache()}
	var out []*Result
	for _, f := range files {
		for _, tc := range f.Cases {
			res := r.run(ctx, f, tc)
			if err := ctx.Err(); err != nil {
				return out, err
			}
			out = append(out, res)
			if opts.OnResult != nil {
				opts.OnResult(res)
			}
		}
	}
	return out, nil
}

// runner holds what the cases of one run share.
type runner struct {
	c     *workspace.Client
	p     *datafiles.Project
	opts  Options
	cache *compile.Cache
}

func (r *runner) run(ctx context.Context, f *File, tc *Case) *Result {
	start := time.Now()
	res := &Result{Name: f.FullName(tc), Kind: KindCheck, File: f.Path, Line: tc.Pos.Line, Col: tc.Pos.Col, file: f, test: tc}
	if tc.Request {
		res.Kind = KindRequest
		r.request(ctx, res, f, tc)
	}
	if tc.SQL != "" {
		r.check(ctx, res, tc)
	}
	res.Passed = len(res.Failures) == 0
	res.Elapsed = time.Since(start)
	res.ElapsedMS = ms(res.Elapsed)
	return res
}

// request runs the pipe's endpoint with the case's parameters and checks
// the status, the rows and the budgets.
func (r *runner) request(ctx context.Context, res *Result, f *File, tc *Case) {
	res.Parameters, res.ExpectedStatus = tc.Parameters, tc.ExpectedStatus
	out, err := r.endpoint(ctx, res, f.Pipe, tc.Params)
	switch {
	case err != nil && res.Status == 0:
		res.fail("the request failed: %v", err)
		return
	case res.Status != tc.ExpectedStatus:
		msg := fmt.Sprintf("status %d, expected %d", res.Status, tc.ExpectedStatus)
		if res.Error != "" {
			msg += ": " + res.Error
		}
		res.fail("%s", msg)
	}
	if out == nil {
		return
	}
	res.Rows = len(out.Rows)
	res.actual = Rows(out)
	if out.Truncated {
		res.fail("the result has more than %d rows", r.opts.Limit)
	}
	if res.Status == tc.ExpectedStatus && tc.HasExpected {
		expected, perr := ParseNDJSON(tc.ExpectedResult)
		switch {
		case perr != nil:
			res.fail("expected_result %v", perr)
		case !rowsEqual(expected, res.actual):
			res.fail("%s: expected %s, got %d", rowsDiffer, countRows(len(expected)), len(res.actual))
			res.Diff = DiffRows(expected, res.actual)
		}
	}
	if tc.MaxRowsRead > 0 && res.RowsRead > tc.MaxRowsRead {
		res.fail("read %s rows, over max_rows_read %s", workspace.HumanCount(res.RowsRead), workspace.HumanCount(tc.MaxRowsRead))
	}
	if tc.MaxBytesRead > 0 && res.BytesRead > tc.MaxBytesRead {
		res.fail("read %s bytes, over max_bytes_read %s", workspace.HumanCount(res.BytesRead), workspace.HumanCount(tc.MaxBytesRead))
	}
}

// endpoint compiles the pipe's endpoint for params (Given mode: what an
// API request renders) and runs it read-only. A failure sets res.Status
// (and res.Error) to what the API would answer; an error with Status 0
// is no answer at all (the connection failed).
func (r *runner) endpoint(ctx context.Context, res *Result, pipe string, params map[string]string) (*workspace.PreviewResult, error) {
	comp, err := compile.Compile(r.p, pipe, "", compile.Options{Mode: template.Given, Params: params, Getenv: r.opts.Getenv, Cache: r.cache})
	if err != nil {
		res.Status, res.Error = CompileStatus(err), r.located(err)
		return nil, err
	}
	res.SQL = comp.SQL
	out, err := r.c.Preview(ctx, comp.SQL, workspace.PreviewOptions{Limit: r.opts.Limit, MaxExecutionTime: r.opts.Timeout})
	if err != nil {
		res.Status, res.Error = QueryStatus(err), err.Error()
		return nil, err
	}
	res.Status = StatusOK
	res.RowsRead += out.RowsRead
	res.BytesRead += out.BytesRead
	return out, nil
}

// located is a compile error with its file under the project's root (the
// folder as given), so that it can be opened from where perch runs.
func (r *runner) located(err error) string {
	var ce *compile.Error
	if errors.As(err, &ce) && ce.Pos.File != "" {
		pos := ce.Pos
		pos.File = filepath.Join(r.p.Root, filepath.FromSlash(pos.File))
		return pos.String() + ": " + ce.Msg
	}
	return err.Error()
}

// check runs a data check: its SELECT must return no rows.
func (r *runner) check(ctx context.Context, res *Result, tc *Case) {
	out, err := r.c.Preview(ctx, tc.SQL, workspace.PreviewOptions{Limit: checkRowsShown, MaxExecutionTime: r.opts.Timeout})
	if err != nil {
		res.fail("sql: %v", err)
		return
	}
	res.RowsRead += out.RowsRead
	res.BytesRead += out.BytesRead
	if len(out.Rows) == 0 {
		return
	}
	more := ""
	if out.Truncated {
		more = fmt.Sprintf(" (the first %d shown)", len(out.Rows))
	}
	res.fail("sql returned rows%s; a data check passes when it returns none", more)
	for _, row := range Rows(out) {
		res.Diff = append(res.Diff, "  "+EncodeJSON(row))
	}
}

// countRows is "1 row", "2 rows".
func countRows(n int) string {
	if n == 1 {
		return "1 row"
	}
	return fmt.Sprintf("%d rows", n)
}

// rowsEqual compares results row by row, in order.
func rowsEqual(expected, actual []any) bool {
	if len(expected) != len(actual) {
		return false
	}
	for i := range expected {
		if !Equal(expected[i], actual[i]) {
			return false
		}
	}
	return true
}
