package tui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/perchdata/perch/lineage"
	"github.com/perchdata/perch/lineage/render"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/branch"
)

// fakeBackend serves fixed domain data so Update tests and goldens are
// deterministic; the real adapter lives in tui/live.
type fakeBackend struct {
	mu        sync.Mutex
	remoteErr error
	previews  []PreviewRequest
	applied   []ApplyRequest
	applyErr  error
	reverted  string
	saved     []string
	// loads and remotes count the calls of Local and Remote.
	loads, remotes int
	// plan replaces fakePlan when set.
	plan func() *Plan
	// previewErr, when set, fails every preview with it.
	previewErr error
	// progress is sent on the preview's progress channel before it returns.
	progress []PreviewProgress
	// history replaces the two fixed deployments when set.
	history []Deployment
	// root is the project's folder ("/proj" when empty).
	root string
	// block makes Preview and Apply wait for their context to end (a slow
	// query, a long apply), after reporting progress.
	block bool
	// rows, when set, is how many rows a node preview returns.
	rows int
	// result, when set, is what every node preview returns.
	result *PreviewResult
	// exported are the paths Export wrote.
	exported []string
	// queries is the query history by target.
	queries map[string][]string
	// tested lists the pipes RunTests ran; lastTest is LastTestRun's answer.
	tested   []string
	lastTest *TestRun
	// compared are the comparison requests; sideBDiffers makes side B
	// return other values, sideBErr fails side B.
	compared     []CompareRequest
	sideBDiffers bool
	sideBErr     error
}

const eventsText = `DESCRIPTION >
    Raw page views

SCHEMA >
    ` + "`timestamp`" + ` DateTime,
    ` + "`page`" + ` String,
    ` + "`country`" + ` LowCardinality(String)

ENGINE "MergeTree"
ENGINE_SORTING_KEY "page, timestamp"
`

const topPagesText = `NODE top_pages_node
SQL >
    %
    SELECT page, count() AS hits
    FROM events
    WHERE country = {{ String(country, 'ES') }}
    GROUP BY page
    ORDER BY hits DESC
    LIMIT {{ Int32(limit, 10) }}

TYPE endpoint
`

// Local is the fast load: no diagnostics and no parameters yet.
func (f *fakeBackend) Local(ctx context.Context) (*Local, error) {
	f.mu.Lock()
	f.loads++
	f.mu.Unlock()
	l, err := f.Diagnose(ctx)
	for i := range l.Resources {
		l.Resources[i].Diags = nil
		l.Resources[i].Params = nil
	}
	return l, err
}

// Diagnose is the complete project.
func (f *fakeBackend) Diagnose(ctx context.Context) (*Local, error) {
	root := f.root
	if root == "" {
		root = "/proj"
	}
	return &Local{Root: root, Name: "analytics", Resources: []Resource{
		{Name: "events", Kind: "datasource", File: "datasources/events.datasource", Text: eventsText},
		{Name: "top_pages", Kind: "endpoint", File: "pipes/top_pages.pipe", Text: topPagesText,
			Nodes:   []string{"top_pages_node"},
			NodeSQL: map[string]string{"top_pages_node": "%\nSELECT page, count() AS hits\nFROM events\nWHERE country = {{ String(country, 'ES') }}\nGROUP BY page"},
			Params: map[string][]Param{"top_pages_node": {
				{Name: "country", Type: "String", Default: "ES"},
				{Name: "limit", Type: "Int32", Default: "10"},
			}},
			Diags: []Diag{{Line: 5, Col: 20, Message: "unknown column contry", Error: true}}},
		{Name: "daily", Kind: "materialization", File: "pipes/daily.pipe", Text: "NODE daily_node\nSQL >\n    SELECT toDate(timestamp) AS d, count() AS c FROM events GROUP BY d\n\nTYPE materialized\nDATASOURCE daily_mv\n",
			Nodes: []string{"daily_node"}, NodeSQL: map[string]string{"daily_node": "SELECT toDate(timestamp) AS d, count() AS c FROM events GROUP BY d"}},
	}}, nil
}

func (f *fakeBackend) Remote(ctx context.Context, l *Local) (*Remote, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.remotes++
	if f.remoteErr != nil {
		return nil, f.remoteErr
	}
	return &Remote{Target: "local", Database: "perch", ServerVersion: "18.16.1", DeploymentID: "d2", Resources: map[string]RemoteResource{
		"events":    {Name: "events", Kind: "datasource", Status: StatusChanged, Text: eventsText[:len(eventsText)-len("ENGINE_SORTING_KEY \"page, timestamp\"\n")] + "ENGINE_SORTING_KEY \"timestamp\"\n"},
		"top_pages": {Name: "top_pages", Kind: "endpoint", Status: StatusInSync, Text: topPagesText},
		"old_stats": {Name: "old_stats", Kind: "datasource", Status: StatusUnmanaged, Text: "SCHEMA >\n    `x` UInt8\n"},
	}}, nil
}

// fakeGraph is events feeding top_pages and daily, daily materializing daily_mv.
func fakeGraph() *lineage.Graph {
	g, err := lineage.NewGraph([]*lineage.Node{
		{Name: "daily", Kind: lineage.KindMaterialization},
		{Name: "daily_mv", Kind: lineage.KindDatasource},
		{Name: "events", Kind: lineage.KindDatasource},
		{Name: "top_pages", Kind: lineage.KindEndpoint},
	}, []lineage.Edge{
		{From: "events", To: "top_pages", Kind: lineage.EdgeReads},
		{From: "events", To: "daily", Kind: lineage.EdgeReads},
		{From: "daily", To: "daily_mv", Kind: lineage.EdgeMaterializes},
	})
	if err != nil {
		panic(err)
	}
	return g
}

func (f *fakeBackend) Lineage(ctx context.Context, req LineageRequest) (*Drawing, error) {
	g := fakeGraph()
	if req.Focus != "" {
		fg, err := g.Focus(req.Focus)
		if err != nil {
			return nil, err
		}
		g = fg
	}
	return &Drawing{Scene: render.New(g, render.Options{Width: req.Width}), Changed: map[string]bool{"events": true}}, nil
}

func (f *fakeBackend) Preview(ctx context.Context, req PreviewRequest) (*PreviewResult, error) {
	f.mu.Lock()
	f.previews = append(f.previews, req)
	progress, perr := f.progress, f.previewErr
	f.mu.Unlock()
	for _, p := range progress {
		select {
		case req.Progress <- p:
		default:
		}
	}
	if f.block {
		<-ctx.Done()
		return nil, fmt.Errorf("preview cancelled: %w", ctx.Err())
	}
	if perr != nil {
		return nil, perr
	}
	if req.SQL == "SELEC" {
		return nil, &PreviewError{Message: "Syntax error: failed at position 1 ('SELEC'): SELEC. Expected one of: SELECT, WITH", Line: 1, Col: 1}
	}
	if req.Datasource != "" {
		return &PreviewResult{Columns: []Col{{"timestamp", "DateTime"}, {"page", "String"}}, Rows: [][]string{{"2026-01-01 00:00:00", "/"}}, SQL: req.SQL + " LIMIT 200"}, nil
	}
	if f.result != nil {
		return f.result, nil
	}
	if f.rows > 0 {
		res := &PreviewResult{Columns: []Col{{"n", "UInt64"}}, SQL: "SELECT number AS n FROM numbers(" + fmt.Sprint(f.rows) + ")"}
		for i := range f.rows {
			res.Rows = append(res.Rows, []string{fmt.Sprint(i)})
		}
		return res, nil
	}
	return &PreviewResult{
		Columns:  []Col{{"page", "String"}, {"hits", "UInt64"}},
		Rows:     [][]string{{"/", "120"}, {"/pricing", "44"}, {"/docs", "" + fmt.Sprint(len(req.Params))}},
		RowsRead: 1000, BytesRead: 48 << 10, Elapsed: 12 * time.Millisecond, SQL: "SELECT ...",
	}, nil
}

// paramRe finds the typed parameters of a template: {{ Type(name, default) }}.
var paramRe = regexp.MustCompile(`\{\{\s*(\w+)\((\w+)(?:,\s*'?([^')]*)'?)?\)\s*\}\}`)

// Params reads the typed parameters written in sql (the real backend asks
// the compiler).
func (f *fakeBackend) Params(ctx context.Context, pipe, node, sql string) ([]Param, error) {
	var out []Param
	for _, m := range paramRe.FindAllStringSubmatch(sql, -1) {
		out = append(out, Param{Name: m[2], Type: m[1], Default: m[3]})
	}
	return out, nil
}

func (f *fakeBackend) SaveNode(ctx context.Context, pipe, node, sql string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if strings.Contains(sql, "unsavable") {
		return errors.New("the node's SQL could not be placed in the file")
	}
	f.saved = append(f.saved, pipe+"."+node+": "+sql)
	return nil
}

func fakePlan() *Plan {
	return &Plan{Fingerprint: "abc", Changes: []Change{
		{ID: "events", Resource: "events", Kind: "datasource", Action: ActionReplace, Method: "rebuild and swap", Reason: "sorting key changed: timestamp → page, timestamp",
			Risk: RiskRewrites, Estimate: "1.2M rows, 48 MiB", Downstream: []string{"top_pages", "daily"},
			Steps: []Step{{Title: "create events__new", SQL: "CREATE TABLE events__new AS events ENGINE = MergeTree ORDER BY (page, timestamp)", Undo: "DROP TABLE events__new"},
				{Title: "copy rows", SQL: "INSERT INTO events__new SELECT * FROM events", Check: "row counts equal"}}},
		{ID: "daily", Resource: "daily", Kind: "materialization", Action: ActionReplace, Method: "recreate view with backfill", Reason: "depends on rebuilt events",
			Risk: RiskSafe, DependsOn: []string{"events"}, Steps: []Step{{Title: "recreate daily", SQL: "DROP TABLE daily; CREATE MATERIALIZED VIEW daily TO daily_mv AS SELECT 1"}}},
		{ID: "old_stats", Resource: "old_stats", Kind: "datasource", Action: ActionDelete, Method: "drop", Reason: "not in the project", Risk: RiskDestroys,
			Steps: []Step{{Title: "drop old_stats", SQL: "DROP TABLE old_stats"}}},
	}}
}

func (f *fakeBackend) Plan(ctx context.Context) (*Plan, error) {
	if f.plan != nil {
		return f.plan(), nil
	}
	return fakePlan(), nil
}

func (f *fakeBackend) Apply(ctx context.Context, p *Plan, req ApplyRequest, events chan<- ApplyEvent) (*ApplyResult, error) {
	defer close(events)
	f.mu.Lock()
	f.applied = append(f.applied, req)
	err := f.applyErr
	f.mu.Unlock()
	// like the real backend: a destructive change runs only when confirmed by its own name
	approved := map[string]bool{}
	for _, r := range req.Approved {
		approved[r] = true
	}
	for _, id := range req.Staged {
		for _, c := range p.Changes {
			if c.ID == id && destructive(&c) && !approved[c.Resource] {
				return &ApplyResult{Next: "confirm it"}, fmt.Errorf("apply: %s destroys data and was not confirmed by name", c.Resource)
			}
		}
	}
	if f.block {
		events <- ApplyEvent{Change: req.Staged[0], Step: 1, Title: "step 1", State: "running"}
		<-ctx.Done()
		return &ApplyResult{Undone: []string{"the steps of " + req.Staged[0] + " that had run were undone"}}, ctx.Err()
	}
	for _, id := range req.Staged {
		events <- ApplyEvent{Change: id, Step: 1, Title: "step 1", State: "done", Rows: 10}
	}
	if err != nil {
		return &ApplyResult{Undone: []string{"dropped events__new"}, Next: "fix the error and apply again"}, err
	}
	return &ApplyResult{DeploymentID: "d3"}, nil
}

func (f *fakeBackend) History(ctx context.Context) ([]Deployment, error) {
	if f.history != nil {
		return f.history, nil
	}
	t := time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)
	return []Deployment{
		{ID: "d2", Author: "ana", Commit: "9f1c2ab", Outcome: "ok", Message: "sort events by page", Time: t, Changes: []string{"~ events: rebuild and swap"}},
		{ID: "d1", Author: "bo", Commit: "77aa001", Outcome: "failed", Message: "first deploy", Time: t.Add(-24 * time.Hour), Changes: []string{"+ events", "+ top_pages"}},
	}, nil
}

func (f *fakeBackend) RevertPlan(ctx context.Context, id string) (*Plan, error) {
	f.mu.Lock()
	f.reverted = id
	f.mu.Unlock()
	p := fakePlan()
	p.Changes = p.Changes[:1]
	return p, nil
}

func (f *fakeBackend) DeploymentFiles(ctx context.Context, id string) ([]FileChange, error) {
	switch id {
	case "d2":
		before := strings.Replace(eventsText, `"page, timestamp"`, `"timestamp"`, 1)
		return []FileChange{{Path: "datasources/events.datasource", Before: before, After: eventsText}}, nil
	case "d1":
		return []FileChange{{Path: "datasources/events.datasource", After: eventsText}, {Path: "pipes/top_pages.pipe", After: topPagesText}}, nil
	}
	return nil, fmt.Errorf("no deployment %s", id)
}

// Export writes the rows as the real backend does (workspace.ExportPreview),
// relative to the project's folder.
func (f *fakeBackend) Export(ctx context.Context, path string, rows *PreviewResult) (string, error) {
	root := f.root
	if root == "" {
		root = "/proj"
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	r := &workspace.PreviewResult{Rows: rows.Rows}
	for _, c := range rows.Columns {
		r.Columns = append(r.Columns, workspace.PreviewColumn{Name: c.Name, Type: c.Type})
	}
	f.mu.Lock()
	f.exported = append(f.exported, path)
	f.mu.Unlock()
	return path, workspace.ExportPreview(path, r)
}

// Vocabulary is the tables of the fake remote with their columns and a few
// functions.
func (f *fakeBackend) Vocabulary(ctx context.Context) (*Vocabulary, error) {
	return &Vocabulary{
		Tables:    map[string][]string{"events": {"timestamp", "page", "country"}, "old_stats": {"x"}, "daily_mv": {"d", "c"}},
		Functions: []string{"count", "countIf", "countDistinct", "toDate", "toStartOfHour", "uniq"},
	}, nil
}

// Queries and AddQuery keep the query history in memory.
func (f *fakeBackend) Queries(ctx context.Context, target string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.queries[target]...), nil
}

func (f *fakeBackend) AddQuery(ctx context.Context, target, sql string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.queries == nil {
		f.queries = map[string][]string{}
	}
	if qs := f.queries[target]; len(qs) > 0 && qs[len(qs)-1] == sql {
		return nil
	}
	f.queries[target] = append(f.queries[target], sql)
	return nil
}

// fakeTestTime is when the fake's test runs happen.
var fakeTestTime = time.Date(2026, 11, 25, 9, 58, 0, 0, time.UTC)

func (f *fakeBackend) RunTests(ctx context.Context, pipe string) (*TestRun, error) {
	f.mu.Lock()
	f.tested = append(f.tested, pipe)
	f.mu.Unlock()
	if pipe != "top_pages" {
		return nil, fmt.Errorf("no test named %s (write tests/%s.yaml)", pipe, pipe)
	}
	return &TestRun{Time: fakeTestTime, Where: "a throwaway embedded engine", Pipe: pipe, Passed: 1, Failed: 1, Elapsed: 812 * time.Millisecond,
		Results: []TestResult{
			{Name: "top_pages.all", Passed: true, Elapsed: 4 * time.Millisecond},
			{Name: "top_pages.spain", Elapsed: 5 * time.Millisecond, Detail: []string{
				"     /proj/tests/top_pages.yaml:4:3", "     parameters: country=ES", "     the result differs: expected 1 row, got 1",
				`       - {"page":"/","n":2}`, `       + {"page":"/","n":3}`, "           n: expected 2, got 3"}},
		}}, nil
}

func (f *fakeBackend) LastTestRun(ctx context.Context) (*TestRun, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lastTest, nil
}

// ComparePreview runs the preview on side A as Preview does, and on side
// B the same rows read with a quarter of the reading (a better sorting
// key; other values with sideBDiffers), compared with branch.EqualResults
// as the real backend compares them.
func (f *fakeBackend) ComparePreview(ctx context.Context, req CompareRequest) (*PreviewComparison, error) {
	f.mu.Lock()
	f.compared = append(f.compared, req)
	progress, errB, differs := f.progress, f.sideBErr, f.sideBDiffers
	f.mu.Unlock()
	for _, p := range progress {
		select {
		case req.ProgressB <- PreviewProgress{RowsRead: p.RowsRead / 4, BytesRead: p.BytesRead / 4}:
		default:
		}
	}
	ra, err := f.Preview(ctx, req.PreviewRequest)
	if err != nil && (errors.Is(err, context.Canceled) || ctx.Err() != nil) {
		return nil, err
	}
	out := &PreviewComparison{A: CompareSide{Name: MainBranch, Result: ra, Err: err}, B: CompareSide{Name: req.Against, Err: errB}}
	if err != nil {
		out.B.Err = err // the same SQL fails on both
		return out, nil
	}
	if errB == nil {
		rb := *ra
		rb.RowsRead, rb.BytesRead, rb.Elapsed = ra.RowsRead/4, ra.BytesRead/4, ra.Elapsed/2
		rb.Rows = append([][]string(nil), ra.Rows...)
		if differs && len(rb.Rows) > 0 {
			rb.Rows[0] = append([]string{rb.Rows[0][0]}, "121")
		}
		out.B.Result = &rb
		out.Equal, out.Difference = branch.EqualResults(workspaceResult(ra), workspaceResult(&rb))
	}
	return out, nil
}

// workspaceResult is r as the domain's result (columns and rows).
func workspaceResult(r *PreviewResult) *workspace.PreviewResult {
	out := &workspace.PreviewResult{Rows: r.Rows}
	for _, c := range r.Columns {
		out.Columns = append(out.Columns, workspace.PreviewColumn{Name: c.Name, Type: c.Type})
	}
	return out
}
