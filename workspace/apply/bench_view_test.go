package apply

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace/engine"
)

// BenchmarkViewChange changes a materialized view's query over a source of
// PERCH_BENCH_VIEW_ROWS rows (default 10M) with PERCH_BENCH_VIEW_USERS keys
// (default 40) on the embedded engine (the tracked method needs queryID(),
// which 18.16 lacks), and compares it with a plain
// INSERT ... SELECT of the new query into an empty copy of the target: time
// and bytes inserted (system.events InsertedBytes, uncompressed) and
// written to files (WriteBufferFromFileDescriptorWriteBytes: parts, merges,
// perch's journal), reported as metrics with their ratios.
func BenchmarkViewChange(b *testing.B) {
	rows := 10_000_000
	if v, err := strconv.Atoi(os.Getenv("PERCH_BENCH_VIEW_ROWS")); err == nil && v > 0 {
		rows = v
	}
	// users is the number of keys of the target (PERCH_BENCH_VIEW_USERS,
	// default 40, as in the streaming tests): with few, the bytes written
	// are perch's overhead; with many, the target's own size.
	users := 40
	if v, err := strconv.Atoi(os.Getenv("PERCH_BENCH_VIEW_USERS")); err == nil && v > 0 {
		users = v
	}
	ctx := context.Background()
	db := srv.NewDatabaseOn(b, engine.KindEmbedded)
	c := openOn(b, db)
	vc := viewCases()[0]
	if _, err := Apply(ctx, c, planFor(b, c, writeProject(b, vc.before)), Options{}); err != nil {
		b.Fatal(err)
	}
	db.Exec(b, fmt.Sprintf("INSERT INTO events SELECT toDateTime(%d) - cityHash64(-1, number) %% 86400, concat('u', toString(cityHash64(-1, number, 1) %% %d)), cityHash64(-1, number, 2) %% 5000 FROM numbers(%d)", time.Now().Unix(), users, rows),
		"OPTIMIZE TABLE events FINAL")
	counter := func(event string) uint64 {
		var n uint64
		v := db.QueryString(b, "SELECT toString(sum(value)) FROM system.events WHERE event = '"+event+"'")
		fmt.Sscan(v, &n)
		return n
	}
	inserted := func() uint64 { return counter("InsertedBytes") }
	// written is what went to files (parts, merges, the journal): the
	// extra bytes on disk, compressed.
	written := func() uint64 { return counter("WriteBufferFromFileDescriptorWriteBytes") }
	var plainTime, perchTime time.Duration
	var plainBytes, perchBytes, plainDisk, perchDisk uint64
	lastAfter := false
	b.Run("plain-insert-select", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			db.Exec(b, "DROP TABLE IF EXISTS stats_re", "CREATE TABLE stats_re AS stats")
			before, disk, start := inserted(), written(), time.Now()
			db.Exec(b, "INSERT INTO stats_re SELECT user_id, countState() AS n, sumState(value * 2) AS total, uniqExactState(value) AS uniq FROM events WHERE value % 7 != 0 GROUP BY user_id")
			plainTime, plainBytes, plainDisk = time.Since(start), inserted()-before, written()-disk
		}
		// Not in the project: left, the perch plan would drop it.
		db.Exec(b, "DROP TABLE stats_re")
		b.ReportMetric(float64(plainBytes), "bytes-inserted")
		b.ReportMetric(float64(plainDisk), "bytes-to-disk")
	})
	b.Run("perch-tracked", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			to := vc.after // odd runs change it back
			if i%2 == 1 {
				to = vc.before
			}
			p := planFor(b, c, writeProject(b, to))
			before, disk, start := inserted(), written(), time.Now()
			if _, err := Apply(ctx, c, p, Options{AllowDestructive: true}); err != nil {
				b.Fatal(err)
			}
			perchTime, perchBytes, perchDisk = time.Since(start), inserted()-before, written()-disk
			lastAfter = i%2 == 0
		}
		b.ReportMetric(float64(perchBytes), "bytes-inserted")
		b.ReportMetric(float64(perchDisk), "bytes-to-disk")
	})
	if plainTime > 0 && perchTime > 0 {
		b.Logf("%d source rows, %d users: plain INSERT SELECT %s, %d bytes inserted, %d to disk; perch tracked change %s, %d bytes inserted, %d to disk; time ratio %.2f, bytes inserted ratio %.2f, to disk %.2f",
			rows, users, plainTime, plainBytes, plainDisk, perchTime, perchBytes, perchDisk, perchTime.Seconds()/plainTime.Seconds(),
			float64(perchBytes)/float64(max(plainBytes, 1)), float64(perchDisk)/float64(max(plainDisk, 1)))
	}
	if mv, re := db.QueryString(b, materialized("stats")), db.QueryString(b, recompute(vc.measure, vc.filter)); lastAfter && mv != re {
		b.Errorf("after the tracked change, stats differs from a recomputation")
	}
}
