package apply

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/ddl"
	"github.com/perchdata/perch/workspace/engine"
	"github.com/perchdata/perch/workspace/journal"
	"github.com/perchdata/perch/workspace/plan"
)

const benchRows = 2_000_000

// BenchmarkBackfill compares perch's backfill (one INSERT ... SELECT per
// partition, chosen by exact part names, each chunk's rows verified) with a
// plain INSERT INTO dst SELECT * FROM src of the same 2M rows in 4 partitions,
// on each engine.
func BenchmarkBackfill(b *testing.B) {
	for _, kind := range srv.Engines() {
		b.Run(string(kind), func(b *testing.B) {
			db := srv.NewDatabaseOn(b, kind)
			benchBackfill(b, openOn(b, db), db)
		})
	}
}

func benchBackfill(b *testing.B, c *workspace.Client, db *clickhousetest.DB) {
	ctx := context.Background()
	db.Exec(b,
		"CREATE TABLE src (ts DateTime, user_id String, value UInt64) ENGINE = MergeTree PARTITION BY toYYYYMM(ts) ORDER BY ts",
		"INSERT INTO src SELECT toDateTime('2024-01-01 00:00:00') + number * 5, toString(number % 1000), number FROM numbers(2000000)",
		"OPTIMIZE TABLE src FINAL",
	)
	const dstDDL = "CREATE TABLE dst (ts DateTime, user_id String, value UInt64) ENGINE = MergeTree PARTITION BY toYYYYMM(ts) ORDER BY (user_id, ts)"
	x := &executor{c: c, opts: Options{DrainTimeout: 60e9}, g: ddl.Generator{Database: c.Database(), Caps: c.Capabilities()}}
	step := plan.Step{ID: "backfill", Kind: plan.StepCopyParts,
		Select: "INSERT INTO {dest} (`ts`, `user_id`, `value`)\nSELECT `ts`, `user_id`, `value` FROM {source} WHERE {parts}"}
	b.Run("plain-insert-select", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			db.Exec(b, "DROP TABLE IF EXISTS dst", dstDDL)
			b.StartTimer()
			db.Exec(b, "INSERT INTO dst SELECT ts, user_id, value FROM src")
		}
		b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("perch-copy-parts", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			db.Exec(b, "DROP TABLE IF EXISTS dst", dstDDL)
			st := newChangeState(&journal.Work{})
			b.StartTimer()
			if _, err := x.copyParts(ctx, &plan.Change{ID: "bench"}, step, "src", "dst", st, false); err != nil {
				b.Fatal(err)
			}
			if st.w.CopiedRows != benchRows {
				b.Fatalf("copied %d rows", st.w.CopiedRows)
			}
		}
		b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}

// BenchmarkDeployLargestCorpus plans and applies the largest corpus project
// (web-analytics-starter-kit: 6 data sources, 23 pipes) into an empty
// database, per engine. The embedded 26.x engine deploys it whole; 18.16
// cannot (SimpleAggregateFunction, functions two pipes call), so "native"
// deploys the part it supports (the subset TestCorpusApplyThenNoChanges
// uses), and reports how many objects each deployed.
func BenchmarkDeployLargestCorpus(b *testing.B) {
	dir := filepath.Join(corpusDirTB(b), "web-analytics-starter-kit")
	for _, kind := range srv.Engines() {
		b.Run(string(kind), func(b *testing.B) {
			ctx := context.Background()
			objects := 0
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				local, err := datafiles.Load(dir)
				if err != nil {
					b.Fatal(err)
				}
				c := openOn(b, srv.NewDatabaseOn(b, kind))
				b.StartTimer()
				p := planFor(b, c, local)
				if kind == engine.KindNative {
					supportedSubset(local)
					if missing := pipesMissingFunctions(p.Errors); len(missing) > 0 {
						dropReaders(local, missing)
					}
					p = planFor(b, c, local)
				}
				if len(p.Errors) > 0 {
					b.Fatalf("plan errors: %v", p.Errors)
				}
				if _, err := Apply(ctx, c, p, Options{Files: keptFiles(local)}); err != nil {
					b.Fatal(err)
				}
				objects = len(p.Changes)
			}
			b.ReportMetric(float64(objects), "objects")
		})
	}
}
