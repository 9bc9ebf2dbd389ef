package tui

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// fakeBackend serves fixed domain data so Update tests and goldens are
// deterministic; the real adapter lives in tui/live.
type fakeBackend struct {
	mu        sync.Mutex
	remoteErr error
	previews  []PreviewRequest
	applied   [][]string
	applyErr  error
	reverted  string
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
	l, err := f.Diagnose(ctx)
	for i := range l.Resources {
		l.Resources[i].Diags = nil
		l.Resources[i].Params = nil
	}
	return l, err
}

// Diagnose is the complete project.
func (f *fakeBackend) Diagnose(ctx context.Context) (*Local, error) {
	return &Local{Root: "/proj", Name: "analytics", Resources: []Resource{
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
	if f.remoteErr != nil {
		return nil, f.remoteErr
	}
	return &Remote{Target: "local", Database: "perch", ServerVersion: "18.16.1", DeploymentID: "d2", Resources: map[string]RemoteResource{
		"events":    {Name: "events", Kind: "datasource", Status: StatusChanged, Text: eventsText[:len(eventsText)-len("ENGINE_SORTING_KEY \"page, timestamp\"\n")] + "ENGINE_SORTING_KEY \"timestamp\"\n"},
		"top_pages": {Name: "top_pages", Kind: "endpoint", Status: StatusInSync, Text: topPagesText},
		"old_stats": {Name: "old_stats", Kind: "datasource", Status: StatusUnmanaged, Text: "SCHEMA >\n    `x` UInt8\n"},
	}}, nil
}

func (f *fakeBackend) Lineage(ctx context.Context, req LineageRequest) (*Drawing, error) {
	if req.Focus != "" {
		return &Drawing{Lines: []string{"[" + req.Focus + "]"}, Nodes: []DrawNode{{Name: req.Focus, Row: 0, Col: 1, Width: len(req.Focus)}}}, nil
	}
	return &Drawing{
		Lines: []string{
			"[events] ──┬──▶ [top_pages]",
			"           └──▶ [daily] ──▶ [daily_mv]",
		},
		Nodes: []DrawNode{
			{Name: "events", Kind: "datasource", Row: 0, Col: 1, Width: 6, Changed: true, Downstream: []string{"top_pages", "daily", "daily_mv"}},
			{Name: "top_pages", Kind: "endpoint", Row: 0, Col: 17, Width: 9, Upstream: []string{"events"}},
			{Name: "daily", Kind: "materialization", Row: 1, Col: 17, Width: 5, Upstream: []string{"events"}, Downstream: []string{"daily_mv"}},
			{Name: "daily_mv", Kind: "datasource", Row: 1, Col: 29, Width: 8, Upstream: []string{"daily", "events"}},
		},
	}, nil
}

func (f *fakeBackend) Preview(ctx context.Context, req PreviewRequest) (*PreviewResult, error) {
	f.mu.Lock()
	f.previews = append(f.previews, req)
	f.mu.Unlock()
	if req.SQL == "SELEC" {
		return nil, errors.New("line 1, col 1: syntax error near SELEC")
	}
	return &PreviewResult{
		Columns:  []Col{{"page", "String"}, {"hits", "UInt64"}},
		Rows:     [][]string{{"/", "120"}, {"/pricing", "44"}, {"/docs", "" + fmt.Sprint(len(req.Params))}},
		RowsRead: 1000, BytesRead: 48 << 10, Elapsed: 12 * time.Millisecond, SQL: "SELECT ...",
	}, nil
}

func fakePlan() *Plan {
	return &Plan{Fingerprint: "abc", Changes: []Change{
		{ID: "events", Resource: "events", Kind: "datasource", Action: "rebuild", Method: "rebuild and swap", Reason: "sorting key changed: timestamp → page, timestamp",
			Risk: RiskRewrites, Estimate: "1.2M rows, 48 MiB", Downstream: []string{"top_pages", "daily"},
			Steps: []Step{{Title: "create events__new", SQL: "CREATE TABLE events__new AS events ENGINE = MergeTree ORDER BY (page, timestamp)", Undo: "DROP TABLE events__new"},
				{Title: "copy rows", SQL: "INSERT INTO events__new SELECT * FROM events", Check: "row counts equal"}}},
		{ID: "daily", Resource: "daily", Kind: "materialization", Action: "recreate", Method: "recreate view with backfill", Reason: "depends on rebuilt events",
			Risk: RiskSafe, DependsOn: []string{"events"}, Steps: []Step{{Title: "recreate daily", SQL: "DROP TABLE daily; CREATE MATERIALIZED VIEW daily TO daily_mv AS SELECT 1"}}},
		{ID: "old_stats", Resource: "old_stats", Kind: "datasource", Action: "drop", Method: "drop", Reason: "not in the project", Risk: RiskDestroys,
			Steps: []Step{{Title: "drop old_stats", SQL: "DROP TABLE old_stats"}}},
	}}
}

func (f *fakeBackend) Plan(ctx context.Context) (*Plan, error) { return fakePlan(), nil }

func (f *fakeBackend) Apply(ctx context.Context, p *Plan, req ApplyRequest, events chan<- ApplyEvent) (*ApplyResult, error) {
	defer close(events)
	staged := req.Staged
	f.mu.Lock()
	f.applied = append(f.applied, staged)
	err := f.applyErr
	f.mu.Unlock()
	for _, id := range staged {
		events <- ApplyEvent{Change: id, Step: 1, Title: "step 1", State: "done", Rows: 10}
	}
	if err != nil {
		return &ApplyResult{Undone: []string{"dropped events__new"}, Next: "fix the error and apply again"}, err
	}
	return &ApplyResult{DeploymentID: "d3"}, nil
}

func (f *fakeBackend) History(ctx context.Context) ([]Deployment, error) {
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
