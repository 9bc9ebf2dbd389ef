package engine_test

import (
	"context"
	"errors"
	"testing"

	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/engine"
	"github.com/perchdata/perch/workspace/localserver"
)

// embeddedFolder is this process's embedded engine folder, skipping
// without libchdb.
func embeddedFolder(b *testing.B) string {
	b.Helper()
	dir, why := engine.EmbeddedTestFolder()
	if why != nil {
		b.Skip(why)
	}
	return dir
}

// selectOne checks conn answers SELECT 1.
func selectOne(b *testing.B, conn engine.Conn) {
	b.Helper()
	var n uint8
	if err := conn.QueryRow(context.Background(), "SELECT 1").Scan(&n); err != nil || n != 1 {
		b.Fatalf("SELECT 1 = %d, %v", n, err)
	}
}

// BenchmarkNativeStart starts a ClickHouse server process, connects, runs
// SELECT 1 and stops it (compare BenchmarkEmbeddedStart).
func BenchmarkNativeStart(b *testing.B) {
	for i := 0; i < b.N; i++ {
		s, err := clickhousetest.Start(context.Background())
		if errors.Is(err, localserver.ErrNoBinary) {
			b.Skip(err)
		}
		if err != nil {
			b.Fatal(err)
		}
		conn, err := s.Connect("default")
		if err != nil {
			b.Fatal(err)
		}
		selectOne(b, conn)
		conn.Close()
		s.Close()
	}
}

// BenchmarkEmbeddedStart opens the embedded engine on its folder, runs
// SELECT 1 and closes it (compare BenchmarkNativeStart). The library itself
// loads once per process, before the first iteration.
func BenchmarkEmbeddedStart(b *testing.B) {
	dir := embeddedFolder(b)
	for i := 0; i < b.N; i++ {
		e, err := engine.OpenEmbedded(context.Background(), dir, engine.EmbeddedOptions{})
		if err != nil {
			b.Fatal(err)
		}
		selectOne(b, e)
		e.Close()
	}
}

// BenchmarkNativeRoundTrip is one small query over the native protocol on
// loopback (compare BenchmarkEmbeddedRoundTrip).
func BenchmarkNativeRoundTrip(b *testing.B) {
	conn, err := clickhousetest.StartServer(b).Connect("default")
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	benchRoundTrip(b, conn)
}

// BenchmarkEmbeddedRoundTrip is one small query and its decoded result in
// the embedded engine (compare BenchmarkNativeRoundTrip).
func BenchmarkEmbeddedRoundTrip(b *testing.B) {
	e, err := engine.OpenEmbedded(context.Background(), embeddedFolder(b), engine.EmbeddedOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	benchRoundTrip(b, e)
}

// benchRoundTrip measures a SELECT of two typed values on conn.
func benchRoundTrip(b *testing.B, conn engine.Conn) {
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var (
			n   uint64
			str string
		)
		if err := conn.QueryRow(ctx, "SELECT toUInt64(42), 'perch'").Scan(&n, &str); err != nil || n != 42 || str != "perch" {
			b.Fatalf("got %d %q, %v", n, str, err)
		}
	}
}
