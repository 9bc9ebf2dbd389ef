package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/perchdata/perch/datafiles"
)

// writeCheckBenchProject writes the project `perch check` is measured on:
// 1,000 landing data sources, 500 materialized views (each with its target
// data source) and 1,000 endpoints of three templated nodes: 3,000 files.
func writeCheckBenchProject(tb testing.TB, dir string) {
	tb.Helper()
	write := func(rel, text string) {
		path := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	for i := 0; i < 1000; i++ {
		write(fmt.Sprintf("datasources/events_%04d.datasource", i), fmt.Sprintf(`DESCRIPTION >
    Events of source %d

TOKEN "ingest_%d" APPEND

SCHEMA >
    `+"`timestamp` DateTime `json:$.timestamp`"+`,
    `+"`session_id` String `json:$.session_id`"+`,
    `+"`action` LowCardinality(String) `json:$.action`"+`,
    `+"`tenant_id` String `json:$.tenant_id` DEFAULT ''"+`,
    `+"`amount` Float64 `json:$.amount` DEFAULT 0"+`,
    `+"`tags` Array(String) `json:$.tags[:]`"+`,
    `+"`payload` String `json:$.payload` CODEC(ZSTD(1))"+`

ENGINE "MergeTree"
ENGINE_PARTITION_KEY "toYYYYMM(timestamp)"
ENGINE_SORTING_KEY "tenant_id, timestamp"
ENGINE_TTL "timestamp + toIntervalDay(90)"
`, i, i))
	}
	for i := 0; i < 500; i++ {
		write(fmt.Sprintf("datasources/hourly_%04d.datasource", i), `SCHEMA >
    `+"`hour` DateTime"+`,
    `+"`tenant_id` String"+`,
    `+"`action` LowCardinality(String)"+`,
    `+"`c` AggregateFunction(count)"+`,
    `+"`total` AggregateFunction(sum, Float64)"+`

ENGINE "AggregatingMergeTree"
ENGINE_PARTITION_KEY "toYYYYMM(hour)"
ENGINE_SORTING_KEY "tenant_id, action, hour"
`)
		write(fmt.Sprintf("materializations/hourly_%04d_mv.pipe", i), fmt.Sprintf(`NODE hourly
SQL >
    SELECT toStartOfHour(timestamp) AS hour, tenant_id, action,
        countState() AS c, sumState(amount) AS total
    FROM events_%04d
    GROUP BY hour, tenant_id, action

TYPE materialized
DATASOURCE hourly_%04d
`, i, i))
	}
	for i := 0; i < 1000; i++ {
		write(fmt.Sprintf("endpoints/metrics_%04d.pipe", i), fmt.Sprintf(`TOKEN "read_%d" READ

DESCRIPTION >
    Metrics of source %d

NODE filtered
SQL >
    %%
    SELECT timestamp, tenant_id, action, amount
    FROM events_%04d
    WHERE 1
    {%% if defined(tenant_id) %%}
        AND tenant_id = {{ String(tenant_id, description="Tenant") }}
    {%% end %%}
    {%% if defined(actions) %%}
        AND action IN {{ Array(actions, 'String', default='view,click') }}
    {%% end %%}
    {%% if defined(date_from) %%}
        AND timestamp >= {{ DateTime(date_from, '2024-01-01 00:00:00') }}
    {%% else %%}
        AND timestamp >= now() - interval 7 day
    {%% end %%}

NODE aggregated
SQL >
    %%
    SELECT toStartOfHour(timestamp) AS hour, action, count() AS c, sum(amount) AS total
    FROM filtered
    GROUP BY hour, action
    {%% if defined(min_count) %%} HAVING c >= {{ UInt32(min_count, 1) }} {%% end %%}

NODE endpoint
SQL >
    %%
    SELECT hour, action, c, total
    FROM aggregated
    ORDER BY {{ column(sort_by, 'hour') }} DESC
    LIMIT {{ Int32(limit, 100) }}

TYPE endpoint
`, i, i, i%1000))
	}
}

// TestWriteCheckBenchProject writes the benchmark project to
// $PERCH_CHECK_BENCH_DIR, to time the binary on it (skipped when unset), and
// checks that a small copy of it has no diagnostics.
func TestWriteCheckBenchProject(t *testing.T) {
	if dir := os.Getenv("PERCH_CHECK_BENCH_DIR"); dir != "" {
		writeCheckBenchProject(t, dir)
		return
	}
	dir := t.TempDir()
	writeCheckBenchProject(t, dir)
	p, err := datafiles.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Files) != 3000 || len(p.Datasources) != 1500 || len(p.Pipes) != 1500 {
		t.Fatalf("files %d, data sources %d, pipes %d", len(p.Files), len(p.Datasources), len(p.Pipes))
	}
	if diags := checkProject(context.Background(), p, nil); len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags[:min(len(diags), 5)])
	}
}

// BenchmarkCheckGenerated loads and checks the 3,000-file project, as
// `perch check` does (target: 100 ms per check on a 2-core machine); load
// is the loading alone, for comparison.
func BenchmarkCheckGenerated(b *testing.B) {
	dir := b.TempDir()
	writeCheckBenchProject(b, dir)
	b.Run("load", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b)()
		for b.Loop() {
			if _, err := datafiles.Load(dir); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("check", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b)()
		for b.Loop() {
			p, err := datafiles.Load(dir)
			if err != nil {
				b.Fatal(err)
			}
			if diags := checkProject(context.Background(), p, nil); len(diags) != 0 {
				b.Fatalf("diagnostics: %v", diags[0])
			}
		}
	})
}

// reportCPU starts measuring the process CPU time; the function it returns
// reports user and system CPU per op, comparable across runs on a busy
// machine where wall time mostly measures the other load.
func reportCPU(b *testing.B) func() {
	user0, sys0 := processCPU()
	return func() {
		if user, sys := processCPU(); user > user0 && b.N > 0 {
			b.ReportMetric(float64(user-user0)/float64(b.N), "user-ns/op")
			b.ReportMetric(float64(sys-sys0)/float64(b.N), "sys-ns/op")
		}
	}
}
