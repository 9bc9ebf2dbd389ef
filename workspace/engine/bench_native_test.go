package engine_test

import (
	"context"
	"errors"
	"testing"

	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/localserver"
)

// startServer starts a private 18.16 server, skipping without one.
func startServer(b *testing.B) *clickhousetest.Server {
	b.Helper()
	s, err := clickhousetest.Start(context.Background())
	if errors.Is(err, localserver.ErrNoBinary) {
		b.Skip(err)
	}
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkNativeStart starts a ClickHouse server process, connects, runs
// SELECT 1 and stops it (compare BenchmarkEmbeddedStart).
func BenchmarkNativeStart(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		s := startServer(b)
		conn, err := s.Connect("default")
		if err != nil {
			b.Fatal(err)
		}
		var n uint8
		if err := conn.QueryRow(ctx, "SELECT 1").Scan(&n); err != nil || n != 1 {
			b.Fatalf("SELECT 1 = %d, %v", n, err)
		}
		conn.Close()
		s.Close()
	}
}

// BenchmarkNativeRoundTrip is one small query over the native protocol on
// loopback (compare BenchmarkEmbeddedRoundTrip).
func BenchmarkNativeRoundTrip(b *testing.B) {
	s := startServer(b)
	defer s.Close()
	conn, err := s.Connect("default")
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
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
