package workspace

import (
	"context"
	"fmt"
	"testing"

	"golang.org/x/sync/errgroup"

	"github.com/perchdata/perch/workspace/engine"
)

const (
	benchTables = 2000
	benchViews  = 500
)

// benchDatabase creates (once per engine) a database with 2,000 tables of
// mixed engines and 500 materialized views, each from one table into another.
func benchDatabase(b *testing.B, kind engine.Kind) *Client {
	b.Helper()
	srv.RequireEngine(b, kind)
	ctx := context.Background()
	const name = "bench_snapshot"
	admin, err := srv.ConnectOn(ctx, kind, "default")
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	var n uint64
	if err := admin.QueryRow(ctx, "SELECT count() FROM system.tables WHERE database = '"+name+"'").Scan(&n); err != nil {
		b.Fatal(err)
	}
	if n != benchTables+benchViews {
		if err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name); err != nil {
			b.Fatal(err)
		}
		if err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
			b.Fatal(err)
		}
		var g errgroup.Group
		g.SetLimit(8)
		for i := 0; i < benchTables; i++ {
			q := fmt.Sprintf("CREATE TABLE %s.t_%04d (ts DateTime, user_id UInt64, name String DEFAULT 'x', v Nullable(Float64), tags Array(String), n UInt64) ENGINE = MergeTree() PARTITION BY toYYYYMM(ts) ORDER BY (user_id, ts)", name, i)
			if i%4 == 1 {
				q = fmt.Sprintf("CREATE TABLE %s.t_%04d (ts DateTime, user_id UInt64, name String DEFAULT 'x', v Nullable(Float64), tags Array(String), n UInt64) ENGINE = ReplacingMergeTree(n) ORDER BY (user_id, name) SETTINGS index_granularity = 1024", name, i)
			}
			g.Go(func() error { return admin.Exec(ctx, q) })
		}
		if err := g.Wait(); err != nil {
			b.Fatal(err)
		}
		for i := 0; i < benchViews; i++ {
			q := fmt.Sprintf("CREATE MATERIALIZED VIEW %[1]s.mv_%04[2]d TO %[1]s.t_%04[3]d AS SELECT ts, user_id, name, v, tags, n + 1 AS n FROM %[1]s.t_%04[2]d WHERE name != ''", name, i, i+benchTables/2)
			g.Go(func() error { return admin.Exec(ctx, q) })
		}
		if err := g.Wait(); err != nil {
			b.Fatal(err)
		}
		if err := admin.Exec(ctx, "INSERT INTO "+name+".t_0000 (ts, user_id, name, n) SELECT now(), number, 'a', number FROM numbers(1000)"); err != nil {
			b.Fatal(err)
		}
	}
	dsn := srv.DSN(name)
	if kind == engine.KindEmbedded {
		dsn = EmbeddedScheme + srv.EmbeddedDir()
	}
	c, err := Open(ctx, Target{Name: "bench", DSN: dsn, Database: name, Source: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	return c
}

// BenchmarkSnapshot2000Tables500Views reads 2,000 tables and 500
// materialized views in a fixed number of queries (4), on each engine.
func BenchmarkSnapshot2000Tables500Views(b *testing.B) {
	for _, kind := range srv.Engines() {
		b.Run(string(kind), func(b *testing.B) { benchSnapshot(b, kind) })
	}
}

func benchSnapshot(b *testing.B, kind engine.Kind) {
	c := benchDatabase(b, kind)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := c.Snapshot(ctx, "")
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Datasources) != benchTables || len(s.Pipes) != benchViews || s.Queries != 4 {
			b.Fatalf("snapshot: %d tables, %d views, %d queries", len(s.Datasources), len(s.Pipes), s.Queries)
		}
		if s.Objects["mv_0007"].To != "t_1007" || len(s.Objects["mv_0007"].Sources) != 1 {
			b.Fatalf("mv_0007 = %+v", s.Objects["mv_0007"])
		}
	}
}

// BenchmarkFingerprint hashes a 2,500-object snapshot.
func BenchmarkFingerprint(b *testing.B) {
	c := benchDatabase(b, engine.KindNative)
	s, err := c.Snapshot(context.Background(), "")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = s.Fingerprint()
	}
}

// BenchmarkSnapshotClientSide is the client's share of a snapshot: parsing
// the 2,500 stored DDL statements and building the datafile models, from
// rows already read (the rest of BenchmarkSnapshot2000Tables500Views is the
// server answering the three queries).
func BenchmarkSnapshotClientSide(b *testing.B) {
	c := benchDatabase(b, engine.KindNative)
	live, err := c.Snapshot(context.Background(), "")
	if err != nil {
		b.Fatal(err)
	}
	raw := make([]Object, 0, len(live.Objects))
	for _, o := range live.Objects {
		raw = append(raw, Object{Name: o.Name, Engine: o.Engine, CreateQuery: o.CreateQuery, PartitionKey: o.PartitionKey,
			SortingKey: o.SortingKey, PrimaryKey: o.PrimaryKey, SamplingKey: o.SamplingKey, Dependents: o.Dependents, Columns: o.Columns})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := &Snapshot{Database: live.Database, Objects: make(map[string]*Object, len(raw))}
		for _, r := range raw {
			o := r
			parseObject(&o, s.Database)
			s.Objects[o.Name] = &o
		}
		s.link()
		s.convert()
		if len(s.Pipes) != benchViews {
			b.Fatalf("%d views", len(s.Pipes))
		}
	}
}
