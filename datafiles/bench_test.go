package datafiles

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// generateProject writes a project of n data sources and n pipes of three
// nodes each (a templated filter, an aggregation and an endpoint) to dir.
func generateProject(tb testing.TB, dir string, n int) {
	tb.Helper()
	for _, sub := range []string{"datasources", "pipes"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	for i := 0; i < n; i++ {
		ds := fmt.Sprintf(`DESCRIPTION >
    Events of source %d

TOKEN "ingest_%d" APPEND

SCHEMA >
    `+"`timestamp` DateTime `json:$.timestamp`"+`,
    `+"`session_id` String `json:$.session_id`"+`,
    `+"`action` LowCardinality(String) `json:$.action`"+`,
    `+"`version` LowCardinality(String) `json:$.version`"+`,
    `+"`tenant_id` String `json:$.tenant_id` DEFAULT ''"+`,
    `+"`amount` Float64 `json:$.amount` DEFAULT 0"+`,
    `+"`tags` Array(String) `json:$.tags[:]`"+`,
    `+"`payload` String `json:$.payload` CODEC(ZSTD(1))"+`

ENGINE "MergeTree"
ENGINE_PARTITION_KEY "toYYYYMM(timestamp)"
ENGINE_SORTING_KEY "tenant_id, timestamp"
ENGINE_TTL "timestamp + toIntervalDay(90)"
`, i, i)
		pipe := fmt.Sprintf(`DESCRIPTION >
    Metrics of source %d

TOKEN "read_%d" READ

NODE filtered
DESCRIPTION >
    Filter by tenant and dates
SQL >
    %%
    SELECT timestamp, tenant_id, action, amount
    FROM events_%d
    WHERE 1
    {%% if defined(tenant_id) %%}
        AND tenant_id = {{ String(tenant_id, description="Tenant") }}
    {%% end %%}
    {%% if defined(date_from) %%}
        AND timestamp >= {{ DateTime(date_from, '2024-01-01 00:00:00') }}
    {%% end %%}

NODE aggregated
SQL >
    SELECT toStartOfHour(timestamp) AS hour, action, count() AS c, sum(amount) AS total
    FROM filtered
    GROUP BY hour, action

NODE endpoint
SQL >
    %%
    SELECT hour, action, c, total
    FROM aggregated
    ORDER BY hour DESC
    LIMIT {{ Int32(limit, 100) }}
TYPE endpoint
`, i, i, i)
		write := func(rel, text string) {
			if err := os.WriteFile(filepath.Join(dir, rel), []byte(text), 0o644); err != nil {
				tb.Fatal(err)
			}
		}
		write(fmt.Sprintf("datasources/events_%d.datasource", i), ds)
		write(fmt.Sprintf("pipes/metrics_%d.pipe", i), pipe)
	}
}

// BenchmarkLoadGenerated loads a generated project of 1,000 data sources and
// 1,000 pipes of 3 nodes (target: under 100 ms and 100 MB per load).
func BenchmarkLoadGenerated(b *testing.B) {
	dir := b.TempDir()
	generateProject(b, dir, 1000)
	b.ReportAllocs()
	b.ResetTimer()
	user0, sys0 := processCPU()
	for b.Loop() {
		p, err := Load(dir)
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Datasources) != 1000 || len(p.Pipes) != 1000 || len(p.Diagnostics) != 0 {
			b.Fatalf("loaded %d data sources, %d pipes, diagnostics %v", len(p.Datasources), len(p.Pipes), p.Diagnostics)
		}
	}
	if user, sys := processCPU(); user > user0 {
		// CPU time (all threads) per load, comparable across runs on a busy
		// machine: user (parsing) and system (reading files).
		b.ReportMetric(float64(user-user0)/float64(b.N), "user-ns/op")
		b.ReportMetric(float64(sys-sys0)/float64(b.N), "sys-ns/op")
	}
}

// TestLoadGenerated checks the generated benchmark project loads cleanly.
func TestLoadGenerated(t *testing.T) {
	dir := t.TempDir()
	generateProject(t, dir, 20)
	p, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Datasources) != 20 || len(p.Pipes) != 20 || len(p.Diagnostics) != 0 {
		t.Fatalf("loaded %d data sources, %d pipes, diagnostics:\n%s", len(p.Datasources), len(p.Pipes), diagList(p.Diagnostics))
	}
	if n := p.Pipes["metrics_3"].Nodes; len(n) != 3 || n[2].Type != NodeEndpoint {
		t.Errorf("nodes = %+v", n)
	}
}
