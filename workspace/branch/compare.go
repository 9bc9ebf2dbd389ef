package branch

import (
	"context"
	"fmt"
	"time"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/lineage"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/testrun"
)

// DefaultCompareLimit is the most result rows compared per query.
const DefaultCompareLimit = 100000

// CompareOptions bound the queries of a comparison.
type CompareOptions struct {
	// Limit is the most result rows read per query (DefaultCompareLimit
	// when 0); a result cut there is marked Truncated on its side.
	Limit int
	// Timeout is each query's max_execution_time (the preview default when 0).
	Timeout time.Duration
	// Runs runs each query this many times per side, alternating sides, and
	// keeps the fastest time (1 when 0): the rows and bytes read do not vary.
	Runs int
	// Getenv resolves environment lookups in templates.
	Getenv func(string) string
}

// SideResult is what one query read and took on one side.
type SideResult struct {
	RowsRead  uint64        `json:"rows_read"`
	BytesRead uint64        `json:"bytes_read"`
	Elapsed   time.Duration `json:"-"`
	// Rows is the number of result rows; Truncated says the result had more
	// than the limit.
	Rows      int    `json:"rows"`
	Truncated bool   `json:"truncated,omitempty"`
	QueryID   string `json:"query_id,omitempty"`
	Error     string `json:"error,omitempty"`
}

// Case is one endpoint run with one set of parameters on both sides.
type Case struct {
	Endpoint string `json:"endpoint"`
	// Test names the test whose parameters these are; "" for the defaults.
	Test string `json:"test,omitempty"`
	// Params are the parameters as a query string ("" for the defaults).
	Params string `json:"params"`
	// Equal says both sides returned the same rows (as multisets: a sorting
	// key may order ties differently; floats within a relative 1e-9).
	Equal bool `json:"results_equal"`
	// Difference says how the results differ ("1 of 10 rows differ;
	// first: ..."), "" when equal.
	Difference string     `json:"difference,omitempty"`
	A, B       SideResult `json:"-"`
	// Error is a problem of the case itself (the node does not compile).
	Error string `json:"error,omitempty"`
}

// Comparison is every case of an endpoint comparison of two sides.
type Comparison struct {
	A, B  string
	Cases []Case
}

// Compare runs every endpoint of project p on the workspaces (or branches)
// a and b, named nameA and nameB: once with no parameters (the defaults, as
// an API request without any) and once with each test's parameters
// (tests/<pipe>.yaml). Every query runs on the preview path: read-only
// (readonly=2) and bounded. Both sides run the same compiled SQL, resolved
// against each side's database.
func Compare(ctx context.Context, p *datafiles.Project, a, b *workspace.Client, nameA, nameB string, opts CompareOptions) (*Comparison, error) {
	if opts.Limit <= 0 {
		opts.Limit = DefaultCompareLimit
	}
	if opts.Runs <= 0 {
		opts.Runs = 1
	}
	cases, err := compareCases(p)
	if err != nil {
		return nil, err
	}
	out := &Comparison{A: nameA, B: nameB}
	for _, cs := range cases {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out.Cases = append(out.Cases, runCase(ctx, p, a, b, cs, opts))
	}
	return out, nil
}

// caseSpec is one endpoint and one parameter set.
type caseSpec struct {
	endpoint, test, query string
	params                map[string]string
}

// compareCases lists every endpoint of p (by name) with the defaults, then
// the parameters of each of its tests (testrun.Requests: the test files
// perch test reads).
func compareCases(p *datafiles.Project) ([]caseSpec, error) {
	g := lineage.Build(p, lineage.Options{})
	files, err := testrun.LoadFiles(p)
	if err != nil {
		return nil, err
	}
	var out []caseSpec
	for _, name := range p.PipeNames() {
		if n := g.Node(name); n == nil || n.Kind != lineage.KindEndpoint {
			continue
		}
		for _, r := range testrun.Requests(name, files) {
			cs := caseSpec{endpoint: name, query: r.Parameters, params: r.Params}
			if r.Name != testrun.DefaultsRequest {
				cs.test = r.Name
			}
			out = append(out, cs)
		}
	}
	return out, nil
}

// runCase compiles one case and runs it on both sides.
func runCase(ctx context.Context, p *datafiles.Project, a, b *workspace.Client, cs caseSpec, opts CompareOptions) Case {
	c := Case{Endpoint: cs.endpoint, Test: cs.test, Params: cs.query}
	compiled, err := app.Compile(p, app.PreviewRequest{Pipe: cs.endpoint, Params: cs.params, Getenv: opts.Getenv})
	if err != nil {
		c.Error = err.Error()
		return c
	}
	var ra, rb *workspace.PreviewResult
	for i := 0; i < opts.Runs; i++ {
		ra = runSide(ctx, a, compiled.SQL, opts, &c.A, ra)
		rb = runSide(ctx, b, compiled.SQL, opts, &c.B, rb)
	}
	if ra != nil && rb != nil && c.A.Error == "" && c.B.Error == "" {
		c.Equal, c.Difference = EqualResults(ra, rb)
	}
	return c
}

// runSide runs sql once on client c, keeping in s what it read and the
// fastest time so far; it returns the result (prev when this run failed
// after an earlier one succeeded).
func runSide(ctx context.Context, c *workspace.Client, sql string, opts CompareOptions, s *SideResult, prev *workspace.PreviewResult) *workspace.PreviewResult {
	res, err := c.Preview(ctx, sql, workspace.PreviewOptions{Limit: opts.Limit, MaxExecutionTime: opts.Timeout})
	if err != nil {
		s.Error = fmt.Sprintf("%s: %v", c.Database(), err)
		return prev
	}
	if s.Elapsed == 0 || res.Elapsed < s.Elapsed {
		s.Elapsed = res.Elapsed
	}
	s.RowsRead, s.BytesRead, s.Rows, s.Truncated, s.QueryID = res.RowsRead, res.BytesRead, len(res.Rows), res.Truncated, res.QueryID
	return res
}
