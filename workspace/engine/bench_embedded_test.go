package engine

import (
	"context"
	"testing"
)

// BenchmarkEmbeddedStart opens the embedded engine on its folder, runs
// SELECT 1 and closes it (compare BenchmarkNativeStart: a server process).
// The library itself loads once per process, before the first iteration.
func BenchmarkEmbeddedStart(b *testing.B) {
	if skipReason != nil {
		b.Skip(skipReason)
	}
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		e, err := OpenEmbedded(ctx, testDir, EmbeddedOptions{})
		if err != nil {
			b.Fatal(err)
		}
		var n uint8
		if err := e.QueryRow(ctx, "SELECT 1").Scan(&n); err != nil || n != 1 {
			b.Fatalf("SELECT 1 = %d, %v", n, err)
		}
		e.Close()
	}
}

// BenchmarkEmbeddedRoundTrip is one small query and its decoded result
// (compare BenchmarkNativeRoundTrip).
func BenchmarkEmbeddedRoundTrip(b *testing.B) {
	if skipReason != nil {
		b.Skip(skipReason)
	}
	ctx := context.Background()
	e, err := OpenEmbedded(ctx, testDir, EmbeddedOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	benchRoundTrip(b, e)
}

// benchRoundTrip measures SELECT of a few typed values on conn.
func benchRoundTrip(b *testing.B, conn Conn) {
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var (
			n uint64
			s string
		)
		if err := conn.QueryRow(ctx, "SELECT toUInt64(42), 'perch'").Scan(&n, &s); err != nil || n != 42 || s != "perch" {
			b.Fatalf("got %d %q, %v", n, s, err)
		}
	}
}
