package branch

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

// benchRows is the size of the workspace table of the benchmarks.
const benchRows = 10_000_000

// benchEvents is the benchmarks' landing table: it has a sampling key, so
// the plain copy can use SAMPLE.
const benchEvents = `SCHEMA >
    ` + "`id`" + ` UInt64,
    ` + "`ts`" + ` DateTime,
    ` + "`user`" + ` String,
    ` + "`country`" + ` String,
    ` + "`amount`" + ` Float64

ENGINE "MergeTree"
ENGINE_PARTITION_KEY "toYYYYMM(ts)"
ENGINE_SORTING_KEY "toDate(ts), intHash32(id)"
ENGINE_SAMPLING_KEY "intHash32(id)"
`

var (
	benchOnce sync.Once
	benchWS   *benchFixture
	benchErr  error
)

type benchFixture struct {
	db  *clickhousetest.DB
	c   *workspace.Client
	dir string
}

// benchWorkspace deploys the benchmark project and fills it with benchRows
// rows, once per process (the database lives as long as the server).
func benchWorkspace(b *testing.B) *benchFixture {
	benchOnce.Do(func() {
		db := srv.NewDatabase(&keepTB{TB: b})
		ctx := context.Background()
		// Not b.TempDir: it is removed when the first benchmark ends.
		dir, err := os.MkdirTemp("", "perch-branch-bench-")
		if err != nil {
			benchErr = err
			return
		}
		if benchErr = writeFile(dir, "datasources/events.datasource", benchEvents); benchErr != nil {
			return
		}
		c, err := workspace.Open(ctx, workspace.Target{Name: "bench", DSN: db.DSN, Database: db.Name, Source: "bench"})
		if err != nil {
			benchErr = err
			return
		}
		a := &app.App{Dir: dir}
		p, err := app.LoadProject(dir)
		if err != nil {
			benchErr = err
			return
		}
		prep, err := a.Plan(ctx, c, p)
		if err == nil {
			_, err = a.Apply(ctx, c, prep, app.ApplyOptions{})
		}
		if err == nil {
			err = c.Exec(ctx, fmt.Sprintf("INSERT INTO events SELECT number, toDateTime('2024-01-01 00:00:00') + number %% 7776000, "+
				"concat('user', toString(number %% 100000)), ['FR', 'DE', 'US', 'BR', 'ES'][number %% 5 + 1], number / 100 FROM numbers(%d)", benchRows))
		}
		if err == nil {
			err = c.Exec(ctx, "OPTIMIZE TABLE events FINAL")
		}
		benchWS, benchErr = &benchFixture{db: db, c: c, dir: dir}, err
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchWS
}

// keepTB is a testing.TB whose cleanups never run: the benchmark database
// outlives the first benchmark that made it.
type keepTB struct{ testing.TB }

func (keepTB) Cleanup(func()) {}

// BenchmarkCreate10Percent creates (and removes) a branch with a 10% sample
// of a 10M-row table, reporting the bytes it read from the workspace.
func BenchmarkCreate10Percent(b *testing.B) {
	srv.Require(b)
	w := benchWorkspace(b)
	ctx := context.Background()
	p, err := app.LoadProject(w.dir)
	if err != nil {
		b.Fatal(err)
	}
	pct, _ := ParsePercent("10")
	a := &app.App{Dir: w.dir}
	var read, rows uint64
	var copyTime time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := Create(ctx, a, w.c, CreateOptions{Name: fmt.Sprintf("bench%d", i), Project: p, Sample: pct})
		if err != nil {
			b.Fatal(err)
		}
		for _, cp := range res.Copies {
			read += cp.BytesRead
			rows += cp.Rows
			copyTime += cp.Elapsed
		}
		b.StopTimer()
		if _, err := Remove(ctx, a, w.c, fmt.Sprintf("bench%d", i)); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(read)/float64(b.N), "bytes-read/op")
	b.ReportMetric(float64(rows)/float64(b.N), "rows-copied/op")
	b.ReportMetric(float64(copyTime.Milliseconds())/float64(b.N), "copy-ms/op")
}

// BenchmarkInsertSelectSample is the plain copy branches are compared with:
// INSERT INTO a table of the same structure SELECT * ... SAMPLE 0.1.
func BenchmarkInsertSelectSample(b *testing.B) {
	srv.Require(b)
	w := benchWorkspace(b)
	ctx := context.Background()
	create := strings.Replace(w.db.QueryString(b, "SELECT create_table_query FROM system.tables WHERE database = '"+w.db.Name+"' AND name = 'events'"),
		"CREATE TABLE "+w.db.Name+".events", "CREATE TABLE "+w.db.Name+".plain_copy", 1)
	var read, rows uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if err := w.c.Exec(ctx, "DROP TABLE IF EXISTS plain_copy"); err != nil {
			b.Fatal(err)
		}
		if err := w.c.Exec(ctx, create); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		var p Progress
		qctx := copyContext(ctx, fmt.Sprintf("perch-bench-plain-%d", i), 0, func(r, by, _ uint64) { p.RowsRead += r; p.BytesRead += by })
		if err := w.c.Conn().Exec(qctx, "INSERT INTO plain_copy SELECT * FROM events SAMPLE 0.1"); err != nil {
			b.Fatal(err)
		}
		read += p.BytesRead
		b.StopTimer()
		var n uint64
		if err := w.c.Conn().QueryRow(ctx, "SELECT count() FROM plain_copy").Scan(&n); err != nil {
			b.Fatal(err)
		}
		rows += n
		b.StartTimer()
	}
	b.ReportMetric(float64(read)/float64(b.N), "bytes-read/op")
	b.ReportMetric(float64(rows)/float64(b.N), "rows-copied/op")
}
