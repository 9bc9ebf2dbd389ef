package testrun

import (
	"context"
	"sort"
	"time"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
	"github.com/perchdata/perch/workspace"
)

// DefaultsRequest names the request of an endpoint with no parameters.
const DefaultsRequest = "defaults"

// Request is one request a regression makes of an endpoint: its defaults,
// or the parameters of one of its tests.
type Request struct {
	Pipe string `json:"pipe"`
	// Name is DefaultsRequest or the test's name.
	Name       string            `json:"name"`
	Parameters string            `json:"parameters"`
	Params     map[string]string `json:"-"`
}

// Outcome is what one side of a regression answered.
type Outcome struct {
	Status    int    `json:"status"`
	Error     string `json:"error,omitempty"`
	Rows      int    `json:"rows"`
	RowsRead  uint64 `json:"rows_read"`
	BytesRead uint64 `json:"bytes_read"`
	rows      []any
}

// RequestResult compares the deployed endpoint's answer to a request
// (Before) with the local one's (After).
type RequestResult struct {
	Request
	Before Outcome `json:"before"`
	After  Outcome `json:"after"`
	// Equal: the same status and, for 200, the same rows in order.
	Equal bool `json:"equal"`
	// Diff is the aligned diff of the rows, before (-) to after (+).
	Diff []string `json:"diff,omitempty"`
}

// EndpointRegression is every request of one endpoint.
type EndpointRegression struct {
	Pipe string `json:"pipe"`
	// New: the endpoint is not deployed; Removed: it is only deployed.
	// Neither is compared.
	New      bool             `json:"new,omitempty"`
	Removed  bool             `json:"removed,omitempty"`
	Requests []*RequestResult `json:"requests"`
	// Equal: every request answered the same.
	Equal bool `json:"equal"`
	// Rows and bytes read by all requests, before and after.
	RowsReadBefore  uint64 `json:"rows_read_before"`
	RowsReadAfter   uint64 `json:"rows_read_after"`
	BytesReadBefore uint64 `json:"bytes_read_before"`
	BytesReadAfter  uint64 `json:"bytes_read_after"`
}

// Regression is the comparison of every endpoint as deployed on a target
// with the same endpoint in the local project, on the target's data.
type Regression struct {
	Where     string                `json:"where"`
	Endpoints []*EndpointRegression `json:"endpoints"`
	// Changed counts the endpoints whose answers differ.
	Changed   int           `json:"changed"`
	Elapsed   time.Duration `json:"-"`
	ElapsedMS float64       `json:"elapsed_ms"`
}

// endpointPipes are the pipes of p that publish an endpoint.
func endpointPipes(p *datafiles.Project) map[string]bool {
	out := map[string]bool{}
	for name, pipe := range p.Pipes {
		if p.Published(pipe) != nil {
			out[name] = true
		}
	}
	return out
}

// Requests lists the requests of a regression for one endpoint: its
// defaults, then the parameters of each of its tests that requests it
// (each distinct parameter string once).
func Requests(pipe string, files []*File) []Request {
	out := []Request{{Pipe: pipe, Name: DefaultsRequest, Params: map[string]string{}}}
	seen := map[string]bool{"": true}
	for _, f := range files {
		if f.Pipe != pipe {
			continue
		}
		for _, c := range f.Cases {
			if !c.Request || seen[c.Parameters] {
				continue
			}
			seen[c.Parameters] = true
			out = append(out, Request{Pipe: pipe, Name: c.Name, Parameters: c.Parameters, Params: c.Params})
		}
	}
	return out
}

// RunRegression requests every endpoint of the deployed project and of
// the local one (Requests) on the client's database, read-only, once as
// deployed and once as local, and compares the answers.
func RunRegression(ctx context.Context, c *workspace.Client, deployed, local *datafiles.Project, files []*File, opts Options) (*Regression, error) {
	start := time.Now()
	if opts.Limit <= 0 {
		opts.Limit = DefaultLimit
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	before := &runner{c: c, p: deployed, opts: opts, cache: compile.NewCache()}
	after := &runner{c: c, p: local, opts: opts, cache: compile.NewCache()}
	was, is := endpointPipes(deployed), endpointPipes(local)
	names := make([]string, 0, len(was)+len(is))
	for n := range was {
		names = append(names, n)
	}
	for n := range is {
		if !was[n] {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	reg := &Regression{Where: c.Database()}
	for _, name := range names {
		ep := &EndpointRegression{Pipe: name, New: !was[name], Removed: !is[name], Equal: true}
		reg.Endpoints = append(reg.Endpoints, ep)
		if ep.New || ep.Removed {
			continue
		}
		for _, req := range Requests(name, files) {
			rr := &RequestResult{Request: req}
			rr.Before = before.outcome(ctx, req)
			rr.After = after.outcome(ctx, req)
			if err := ctx.Err(); err != nil {
				return reg, err
			}
			rr.Equal = rr.Before.Status == rr.After.Status && (rr.Before.Status != StatusOK || rowsEqual(rr.Before.rows, rr.After.rows))
			if !rr.Equal && rr.Before.Status == StatusOK && rr.After.Status == StatusOK {
				rr.Diff = diffRows(rr.Before.rows, rr.After.rows, [2]string{"deployed", "local"})
			}
			ep.Equal = ep.Equal && rr.Equal
			ep.RowsReadBefore += rr.Before.RowsRead
			ep.RowsReadAfter += rr.After.RowsRead
			ep.BytesReadBefore += rr.Before.BytesRead
			ep.BytesReadAfter += rr.After.BytesRead
			ep.Requests = append(ep.Requests, rr)
		}
		if !ep.Equal {
			reg.Changed++
		}
	}
	reg.Elapsed = time.Since(start)
	reg.ElapsedMS = ms(reg.Elapsed)
	return reg, nil
}

// outcome requests the runner's endpoint.
func (r *runner) outcome(ctx context.Context, req Request) Outcome {
	var res Result
	out, err := r.endpoint(ctx, &res, req.Pipe, req.Params)
	o := Outcome{Status: res.Status, Error: res.Error, RowsRead: res.RowsRead, BytesRead: res.BytesRead}
	if err == nil {
		o.rows = Rows(out)
		o.Rows = len(o.rows)
	}
	return o
}
