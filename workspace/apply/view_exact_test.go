package apply

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/engine"
	"github.com/perchdata/perch/workspace/plan"
)

// The project of the exact view tests: events partitioned by 6 hours (a day
// of event times crosses 5 partitions), an aggregating target with a count,
// a sum and a uniqExact per user.
const lateEventsFile = `SCHEMA >
    timestamp DateTime,
    user_id String,
    value UInt64

ENGINE "MergeTree"
ENGINE_PARTITION_KEY "intDiv(toUInt32(timestamp), 21600)"
ENGINE_SORTING_KEY "timestamp"
`

const statsFile = `SCHEMA >
    user_id String,
    n AggregateFunction(count),
    total AggregateFunction(sum, UInt64),
    uniq AggregateFunction(uniqExact, UInt64)

ENGINE "AggregatingMergeTree"
ENGINE_SORTING_KEY "user_id"
`

// statsPipe is the view into target with the measure expression and filter.
func statsPipe(target, measure, filter string) string {
	return statsPipeWith(target, measure, filter)
}

// statsPipeWith is statsPipe filling the extra measures of the target too.
func statsPipeWith(target, measure, filter string, extra ...extraMeasure) string {
	var states string
	for _, x := range extra {
		states += ", " + x.state
	}
	return `NODE m
SQL >
    SELECT user_id, countState() AS n, sumState(` + measure + `) AS total, uniqExactState(value) AS uniq` + states + `
    FROM events` + filter + `
    GROUP BY user_id
TYPE materialized
DATASOURCE ` + target + `
`
}

// extraMeasure is a measure a target gains with its view: the column's
// state in the view query, its merge over the target and its recomputation
// from events.
type extraMeasure struct{ column, state, merge, plain string }

// sumOfSquares is the extra measure of the "target schema changed" case.
var sumOfSquares = extraMeasure{column: "sq AggregateFunction(sum, UInt64)", state: "sumState(value * value) AS sq", merge: "sumMerge(sq)", plain: "sum(value * value)"}

// perKey reads the aggregates cols of from, grouped by key, as one string
// "k=c1/c2/...,..." ordered by key.
func perKey(key, from string, cols ...string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = "toString(" + c + ")"
	}
	return "SELECT arrayStringConcat(groupArray(concat(k, '=', v)), ',') FROM (" +
		"SELECT " + key + " AS k, arrayStringConcat([" + strings.Join(parts, ", ") + "], '/') AS v FROM " + from + " GROUP BY k ORDER BY k)"
}

// recompute is the per-user count, sum and uniqExact (and extra measures)
// of the view's query computed from events, and materialized the same read
// from the target.
func recompute(measure, filter string, extra ...extraMeasure) string {
	cols := []string{"count()", "sum(" + measure + ")", "uniqExact(value)"}
	for _, x := range extra {
		cols = append(cols, x.plain)
	}
	return perKey("user_id", "events"+filter, cols...)
}

func materialized(target string, extra ...extraMeasure) string {
	cols := []string{"countMerge(n)", "sumMerge(total)", "uniqExactMerge(uniq)"}
	for _, x := range extra {
		cols = append(cols, x.merge)
	}
	return perKey("user_id", target, cols...)
}

// lateWriters are concurrent producers inserting batches of varied sizes
// whose event times spread over the past day (late by up to 24 hours, out
// of order, crossing partitions), resending about 5% of their batches as
// identical rows (stored twice: two rows each), one of them slowly in many
// blocks so its inserts span the steps of an apply. Users are named u0..u39;
// after markApplied, batches started from then on name them v0..v39, so a
// test can tell the rows of inserts that started after an apply returned.
type lateWriters struct {
	stop    chan struct{}
	wg      sync.WaitGroup
	rows    atomic.Uint64
	inserts atomic.Uint64
	resent  atomic.Uint64
	fails   atomic.Uint64
	// viewGone counts the failures that name a view dropped under the
	// insert ("Table ... doesn't exist"), 18.16's known behaviour.
	viewGone atomic.Uint64

	applied      atomic.Bool
	afterInserts atomic.Uint64
	afterWant    uint64
	afterOnce    sync.Once
	afterDone    chan struct{}
}

// markApplied makes every batch started from now on name its users v*; the
// channel is closed when n of those inserts have succeeded.
func (w *lateWriters) markApplied(n uint64) <-chan struct{} {
	w.afterWant = n
	w.applied.Store(true)
	return w.afterDone
}

func startLateWriters(t *testing.T, db *clickhousetest.DB, n int, base int64) *lateWriters {
	t.Helper()
	w := &lateWriters{stop: make(chan struct{}), afterDone: make(chan struct{})}
	for i := 0; i < n; i++ {
		conn, err := srv.ConnectOn(context.Background(), db.Kind, db.Name)
		if err != nil {
			t.Fatal(err)
		}
		slow := i == 0
		rng := rand.New(rand.NewSource(base + int64(i)))
		w.wg.Add(1)
		go func(id int) {
			defer w.wg.Done()
			defer conn.Close()
			insert := func(seed int64, size int, after bool) {
				prefix := "u"
				if after {
					prefix = "v"
				}
				q := fmt.Sprintf("INSERT INTO events SELECT toDateTime(%d) - cityHash64(%d, number) %% 86400, concat('%s', toString(cityHash64(%d, number, 1) %% 40)), cityHash64(%d, number, 2) %% 5000 FROM numbers(%d)",
					base, seed, prefix, seed, seed, size)
				if slow {
					q += " WHERE sleepEachRow(0.0002) = 0 SETTINGS max_block_size = 400, min_insert_block_size_rows = 400, min_insert_block_size_bytes = 0"
				}
				if err := conn.Exec(context.Background(), q); err != nil {
					if strings.Contains(err.Error(), "doesn't exist") {
						w.viewGone.Add(1)
					}
					if w.fails.Add(1) <= 3 {
						t.Logf("writer %d: %v", id, err)
					}
					return
				}
				w.rows.Add(uint64(size))
				w.inserts.Add(1)
				if after && w.afterInserts.Add(1) == w.afterWant {
					w.afterOnce.Do(func() { close(w.afterDone) })
				}
			}
			for b := 0; ; b++ {
				select {
				case <-w.stop:
					return
				default:
				}
				seed := int64(id)*1_000_000 + int64(b)
				size := 1 + rng.Intn(1500)
				if slow {
					size = 2000 + rng.Intn(2000)
				}
				// A batch is named for the phase its first insert starts in.
				after := w.applied.Load()
				insert(seed, size, after)
				if rng.Intn(20) == 0 {
					// The producer timed out and sends the same batch again.
					w.resent.Add(1)
					insert(seed, size, after)
				}
				time.Sleep(time.Duration(rng.Intn(15)) * time.Millisecond)
			}
		}(i)
	}
	return w
}

func (w *lateWriters) halt() { close(w.stop); w.wg.Wait() }

// check, after halt, fails the test on a failed insert and proves events
// holds exactly the 20000 rows of history and the acknowledged rows. On
// 18.16 an insert in flight when a view is dropped can fail with "Table
// mat_stats doesn't exist" (the README says producers retry them): that is
// logged, and it must have stored no row.
func (w *lateWriters) check(t *testing.T, db *clickhousetest.DB) {
	t.Helper()
	if other := w.fails.Load() - w.viewGone.Load(); other > 0 || (db.Kind != engine.KindNative && w.fails.Load() > 0) {
		t.Errorf("%d inserts failed during the apply", w.fails.Load())
	} else if w.viewGone.Load() > 0 {
		t.Logf("18.16: %d inserts in flight at the drop of a view failed (not acknowledged)", w.viewGone.Load())
	}
	if got, want := db.QueryString(t, "SELECT toString(count()) FROM events"), fmt.Sprint(w.rows.Load()+20000); got != want {
		t.Errorf("events holds %s rows, %s were acknowledged", got, want)
	}
}

func planWith(t testing.TB, c *workspace.Client, local *datafiles.Project, opts plan.Options) *plan.Plan {
	t.Helper()
	ctx := context.Background()
	remote, _, err := plan.Against(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	opts.Compile = plan.Compile
	p, err := plan.Build(local, remote, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := plan.CheckViews(ctx, c, p); err != nil {
		t.Fatal(err)
	}
	return p
}

// groupsFile is the target of a view downstream of stats: the same
// measures per group of users (the first two characters of user_id).
const groupsFile = `SCHEMA >
    grp String,
    n AggregateFunction(count),
    total AggregateFunction(sum, UInt64),
    uniq AggregateFunction(uniqExact, UInt64)

ENGINE "AggregatingMergeTree"
ENGINE_SORTING_KEY "grp"
`

// groupsPipe is the view reading stats into groups: it merges the per-user
// states of each insert into per-group states.
const groupsPipe = `NODE g
SQL >
    SELECT substring(user_id, 1, 2) AS grp, countMergeState(n) AS n, sumMergeState(total) AS total, uniqExactMergeState(uniq) AS uniq
    FROM stats
    GROUP BY grp
TYPE materialized
DATASOURCE groups
`

// recomputeGroups is recompute per group of users; materializedGroups reads
// the same from groups.
func recomputeGroups(measure, filter string) string {
	return "SELECT arrayStringConcat(groupArray(concat(grp, '=', toString(n), '/', toString(s), '/', toString(u))), ',') FROM (" +
		"SELECT substring(user_id, 1, 2) AS grp, count() AS n, sum(" + measure + ") AS s, uniqExact(value) AS u FROM events" + filter + " GROUP BY grp ORDER BY grp)"
}

func materializedGroups() string {
	return "SELECT arrayStringConcat(groupArray(concat(grp, '=', toString(n), '/', toString(s), '/', toString(u))), ',') FROM (" +
		"SELECT grp, countMerge(n) AS n, sumMerge(total) AS s, uniqExactMerge(uniq) AS u FROM groups GROUP BY grp ORDER BY grp)"
}

// viewCase is a change to a materialized view applied while rows stream in.
type viewCase struct {
	name string
	// before and after are the project's files; measure and filter are the
	// final view's, and target the table it writes.
	before, after           map[string]string
	measure, filter, target string
	// groups marks a project with mat_groups downstream of stats: groups
	// must equal a recomputation from events too.
	groups bool
	// extra are measures the target gains with the change: they must equal
	// their recomputation too.
	extra []extraMeasure
	// change is the resource whose change is checked (mat_stats if empty),
	// with method (the tracked method if empty); gone are the objects the
	// apply must have removed.
	change string
	method plan.Method
	gone   []string
	// setup runs after the history is inserted; source, if set, is what
	// the target is recomputed from instead of events (a query in
	// parentheses, with the columns of events).
	setup  []string
	source string
}

func (vc viewCase) changed() string {
	if vc.change == "" {
		return "mat_stats"
	}
	return vc.change
}

func (vc viewCase) wantMethod() plan.Method {
	if vc.method == "" {
		return plan.MethodTracked
	}
	return vc.method
}

// chainCases are the view changes with a view downstream of the changed
// view's target (the embedded engine only: 18.16 fires no view on a view's
// target, so its plan refuses the chain itself).
func chainCases() []viewCase {
	files := func(stats string) map[string]string {
		m := map[string]string{
			"datasources/events.datasource": lateEventsFile,
			"datasources/stats.datasource":  statsFile,
			"datasources/groups.datasource": groupsFile,
			"pipes/mat_groups.pipe":         groupsPipe,
		}
		if stats != "" {
			m["pipes/mat_stats.pipe"] = stats
		}
		return m
	}
	// withoutGroups is files with mat_groups removed (groups, a data
	// source, stays with the rows it holds).
	withoutGroups := func(stats string) map[string]string {
		m := files(stats)
		delete(m, "pipes/mat_groups.pipe")
		return m
	}
	return []viewCase{
		{name: "query changed, a view downstream",
			before:  files(statsPipe("stats", "value", "")),
			after:   files(statsPipe("stats", "value * 2", "\n    WHERE value % 7 != 0")),
			measure: "value * 2", filter: " WHERE value % 7 != 0", target: "stats", groups: true},
		{name: "view added with history, a view downstream",
			before:  files(""),
			after:   files(statsPipe("stats", "value", "")),
			measure: "value", target: "stats", groups: true},
		{name: "view removed from a chain",
			before:  files(statsPipe("stats", "value", "")),
			after:   withoutGroups(statsPipe("stats", "value", "")),
			measure: "value", target: "stats", change: "mat_groups", method: plan.MethodDrop, gone: []string{"mat_groups"}},
		{name: "view removed from a chain, the upstream query changed",
			before:  files(statsPipe("stats", "value", "")),
			after:   withoutGroups(statsPipe("stats", "value * 2", "\n    WHERE value % 7 != 0")),
			measure: "value * 2", filter: " WHERE value % 7 != 0", target: "stats", gone: []string{"mat_groups"}},
	}
}

func viewCases() []viewCase {
	base := func(extra map[string]string) map[string]string {
		m := map[string]string{
			"datasources/events.datasource": lateEventsFile,
			"datasources/stats.datasource":  statsFile,
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	return []viewCase{
		{name: "query changed",
			before:  base(map[string]string{"pipes/mat_stats.pipe": statsPipe("stats", "value", "")}),
			after:   base(map[string]string{"pipes/mat_stats.pipe": statsPipe("stats", "value * 2", "\n    WHERE value % 7 != 0")}),
			measure: "value * 2", filter: " WHERE value % 7 != 0", target: "stats"},
		{name: "view added with history",
			before:  base(nil),
			after:   base(map[string]string{"pipes/mat_stats.pipe": statsPipe("stats", "value", "")}),
			measure: "value", target: "stats"},
		{name: "view moved to a new target",
			before: base(map[string]string{"pipes/mat_stats.pipe": statsPipe("stats", "value", "")}),
			after: base(map[string]string{"pipes/mat_stats.pipe": statsPipe("stats2", "value + 1", ""),
				"datasources/stats2.datasource": statsFile}),
			measure: "value + 1", target: "stats2"},
		{name: "target keys changed",
			before: base(map[string]string{"pipes/mat_stats.pipe": statsPipe("stats", "value", "")}),
			after: map[string]string{
				"datasources/events.datasource": lateEventsFile,
				"datasources/stats.datasource":  strings.Replace(statsFile, `ENGINE_SORTING_KEY "user_id"`, `ENGINE_PARTITION_KEY "substring(user_id, 1, 2)"`+"\n"+`ENGINE_SORTING_KEY "user_id"`, 1),
				"pipes/mat_stats.pipe":          statsPipe("stats", "value * 3", ""),
			},
			measure: "value * 3", target: "stats"},
		{name: "target engine changed",
			before: base(map[string]string{"pipes/mat_stats.pipe": statsPipe("stats", "value", "")}),
			after: map[string]string{
				"datasources/events.datasource": lateEventsFile,
				// The states are merged when read: a plain MergeTree holds them too.
				"datasources/stats.datasource": strings.Replace(statsFile, `ENGINE "AggregatingMergeTree"`, `ENGINE "MergeTree"`, 1),
				"pipes/mat_stats.pipe":         statsPipe("stats", "value + 5", ""),
			},
			measure: "value + 5", target: "stats"},
		{name: "target schema changed",
			before: base(map[string]string{"pipes/mat_stats.pipe": statsPipe("stats", "value", "")}),
			after: map[string]string{
				"datasources/events.datasource": lateEventsFile,
				"datasources/stats.datasource":  strings.Replace(statsFile, "uniq AggregateFunction(uniqExact, UInt64)", "uniq AggregateFunction(uniqExact, UInt64),\n    "+sumOfSquares.column, 1),
				"pipes/mat_stats.pipe":          statsPipeWith("stats", "value", "", sumOfSquares),
			},
			measure: "value", target: "stats", extra: []extraMeasure{sumOfSquares}},
		{name: "view removed, its target fed by another view",
			before: base(map[string]string{"pipes/mat_stats.pipe": statsPipe("stats", "value", ""),
				"datasources/partner.datasource": lateEventsFile, "pipes/mat_partner.pipe": strings.Replace(statsPipe("stats", "value", ""), "FROM events", "FROM partner", 1)}),
			after:   base(map[string]string{"pipes/mat_stats.pipe": statsPipe("stats", "value", ""), "datasources/partner.datasource": lateEventsFile}),
			measure: "value", target: "stats", change: "mat_partner", method: plan.MethodDrop, gone: []string{"mat_partner"},
			setup:  []string{"INSERT INTO partner SELECT now() - number % 86400, concat('u', toString(number % 50)), number % 3000 FROM numbers(5000)"},
			source: "(SELECT * FROM events UNION ALL SELECT * FROM partner)"},
	}
}

// TestViewChangesExactUnderLateEvents applies each materialized-view change
// while several writers insert late, out-of-order, resent batches, and
// proves the target equals a recomputation from the source per user (count,
// sum, uniqExact) and that the source holds every acknowledged row once. On
// a server without queryID() (18.16) the plan must refuse the change instead,
// naming what would make it possible.
func TestViewChangesExactUnderLateEvents(t *testing.T) {
	for _, vc := range viewCases() {
		t.Run(vc.name, func(t *testing.T) {
			forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
				runViewCase(t, c, db, vc, nil)
			})
		})
	}
}

// TestViewChainExactUnderLateEvents: a change to a view whose target another
// view reads (stats -> groups) keeps both exact under the late writers: the
// rows the backfill attaches to stats are run through mat_groups into
// groups, and when stats is recomputed groups is recomputed with it.
func TestViewChainExactUnderLateEvents(t *testing.T) {
	for _, vc := range chainCases() {
		t.Run(vc.name, func(t *testing.T) {
			db := srv.NewDatabaseOn(t, engine.KindEmbedded)
			runViewCase(t, openOn(t, db), db, vc, nil)
		})
	}
}

// TestViewChainInterruptedAtEveryStep is TestViewChangeInterruptedAtEveryStep
// for a query change with a view downstream (groups swapped and backfilled
// with stats).
func TestViewChainInterruptedAtEveryStep(t *testing.T) {
	vc := chainCases()[0]
	steps := []string{"prepare", "drop-old-backup-groups", "drop-view", "swap", "swap-groups", "track", "view", "backfill", "cleanup", "check-downstream"}
	for _, step := range steps {
		t.Run(step, func(t *testing.T) {
			db := srv.NewDatabaseOn(t, engine.KindEmbedded)
			runViewCase(t, openOn(t, db), db, vc, func(s string) bool { return s == step })
		})
	}
}

// runViewCase runs one case; with interrupt, the apply is interrupted at
// the step it names (its context cancelled when the step starts), then the
// apply is finished by Resume and a new plan, as `perch apply` does.
func runViewCase(t *testing.T, c *workspace.Client, db *clickhousetest.DB, vc viewCase, interrupt func(step string) bool) {
	ctx := context.Background()
	base := time.Now().Unix()
	if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, vc.before)), Options{}); err != nil {
		t.Fatal(err)
	}
	insertHistory(t, db, base)
	db.Exec(t, vc.setup...)
	local := writeProject(t, vc.after)
	if db.Kind == engine.KindNative && vc.wantMethod() == plan.MethodTracked {
		p := planFor(t, c, local)
		if len(p.Errors) == 0 {
			t.Fatalf("18.16 has no exact method; want a plan error:\n%s", render(p))
		}
		if msg := strings.Join(p.Errors, "\n"); !strings.Contains(msg, "mat_stats") || !strings.Contains(msg, "--allow-approximate-backfill") || !strings.Contains(msg, "BACKFILL skip") {
			t.Errorf("the plan error does not name the change and what would make it possible:\n%s", msg)
		}
		a := planWith(t, c, local, plan.Options{AllowApproximateBackfill: true})
		if ch := a.Change("mat_stats"); ch == nil || ch.Method != plan.MethodWatermark || !strings.Contains(strings.Join(ch.Notes, " "), "8-9%") {
			t.Errorf("with --allow-approximate-backfill, want the watermark method with its loss stated:\n%s", render(a))
		}
		return
	}
	w := startLateWriters(t, db, 3, base)
	time.Sleep(400 * time.Millisecond)
	p := planFor(t, c, local)
	ch := p.Change(vc.changed())
	if len(p.Errors) > 0 || ch == nil || ch.Method != vc.wantMethod() {
		w.halt()
		t.Fatalf("want %s of %s:\n%s\n%v", vc.wantMethod(), vc.changed(), render(p), p.Errors)
	}
	for _, n := range ch.Notes {
		if strings.Contains(n, "lost") || strings.Contains(n, "not materialized") {
			t.Errorf("a note says rows can be lost: %s", n)
		}
	}
	actx, cancel := context.WithCancel(ctx)
	var interrupted atomic.Bool
	_, err := Apply(actx, c, p, Options{RetryWait: 100 * time.Millisecond, OnEvent: func(e Event) {
		if e.Kind == CheckPassed || e.Kind == StepRetried || e.Kind == StepFailed {
			t.Logf("%s %s: %s", e.Kind, e.Step, e.Message)
		}
		if interrupt != nil && e.Kind == StepStarted && e.Change == ch.ID && interrupt(e.Step) && !interrupted.Load() {
			interrupted.Store(true)
			go func() { time.Sleep(20 * time.Millisecond); cancel() }()
		}
	}})
	cancel()
	if interrupt != nil && !interrupted.Load() {
		t.Errorf("no step of %s started that the interruption names", ch.ID)
	}
	if interrupt != nil && interrupted.Load() && err != nil {
		t.Logf("interrupted: %v", err)
		acts, rerr := Resume(ctx, c, Options{OnEvent: func(e Event) {
			if e.Kind == CheckPassed || e.Kind == StepRetried || e.Kind == StepFailed || e.Kind == StepStarted {
				t.Logf("resume: %s %s: %s", e.Kind, e.Step, e.Message)
			}
		}})
		t.Logf("resume: %v", acts)
		if rerr != nil {
			w.halt()
			t.Fatalf("resume after the interruption: %v", rerr)
		}
		again := planFor(t, c, local)
		if len(again.Errors) > 0 {
			w.halt()
			t.Fatalf("plan after the interruption: %v", again.Errors)
		}
		t.Logf("plan after the interruption:\n%s", render(again))
		if again.Change(vc.changed()) != nil {
			// Rolled back before its commit point: the change is applied anew.
			if _, err = Apply(ctx, c, again, Options{AllowDestructive: true}); err != nil {
				w.halt()
				t.Fatalf("apply again after the interruption: %v", err)
			}
		}
	} else if err != nil {
		w.halt()
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	w.halt()
	t.Logf("writers: %d inserts, %d rows, %d batches resent, %d failed", w.inserts.Load(), w.rows.Load(), w.resent.Load(), w.fails.Load())
	w.check(t, db)
	re := recompute(vc.measure, vc.filter, vc.extra...)
	if vc.source != "" {
		re = strings.Replace(re, " FROM events", " FROM "+vc.source, 1)
	}
	if mv, re := db.QueryString(t, materialized(vc.target, vc.extra...)), db.QueryString(t, re); mv != re {
		t.Errorf("%s differs from a recomputation from events:\n mv %s\n re %s", vc.target, mv, re)
		t.Logf("rows counted in %s: %s, recomputed: %s", vc.target, db.QueryString(t, "SELECT toString(countMerge(n)) FROM "+vc.target),
			db.QueryString(t, "SELECT toString(count()) FROM events"+vc.filter))
	}
	if vc.groups {
		if mv, re := db.QueryString(t, materializedGroups()), db.QueryString(t, recomputeGroups(vc.measure, vc.filter)); mv != re {
			t.Errorf("groups (downstream of %s) differs from a recomputation from events:\n mv %s\n re %s", vc.target, mv, re)
		}
	}
	for _, name := range vc.gone {
		if n := db.QueryString(t, "SELECT toString(count()) FROM system.tables WHERE database = currentDatabase() AND name = '"+name+"'"); n != "0" {
			t.Errorf("%s is still there after the apply", name)
		}
	}
	if left := db.QueryString(t, "SELECT toString(groupArray(name)) FROM system.tables WHERE database = currentDatabase() AND name LIKE '\\_perch\\_track%'"); left != "[]" {
		t.Errorf("tracking objects left behind: %s", left)
	}
	if mergesStopped(t, db, "events") {
		t.Error("merges on events are still stopped")
	}
	for _, x := range planFor(t, c, local).Changes {
		if x.Method != plan.MethodCleanup {
			t.Errorf("changes remain after apply: %s %s", x.ID, x.Method)
		}
	}
	// The old contents of a recomputed target are what the old query made,
	// not rows an apply failed to copy: perch status must say so.
	recomputed := []string{vc.target}
	if vc.groups {
		recomputed = append(recomputed, "groups")
	}
	for _, target := range recomputed {
		old := target + plan.SuffixOld
		if interrupt == nil && db.QueryString(t, "SELECT toString(count()) FROM system.tables WHERE database = currentDatabase() AND name = '"+old+"'") == "1" {
			pr, err := plan.ProveBackup(ctx, c, old, target)
			if err != nil {
				t.Fatal(err)
			}
			if pr.Proven || !strings.Contains(pr.How, "recomputed "+target+" from its sources") {
				t.Errorf("%s after a recompute: proven %v, %q", old, pr.Proven, pr.How)
			}
		}
	}
}

// TestViewChangeInterruptedAtEveryStep interrupts the tracked change of a
// view's query at each of its steps (the apply's context is cancelled as the
// step starts, as a killed connection or Ctrl-C would), with the writers
// running, then finishes it as `perch apply` would (Resume, plan, apply):
// nothing is lost or doubled. The same for the change made with a view
// downstream of the target removed in the deploy (dropped before it). The
// embedded engine only: the tracked method needs queryID(), which 18.16
// lacks (its plan refuses the change, above), and the fault proxy reaches
// only the server.
func TestViewChangeInterruptedAtEveryStep(t *testing.T) {
	cases := []viewCase{viewCases()[0]}
	for _, vc := range chainCases() {
		if vc.name == "view removed from a chain, the upstream query changed" {
			cases = append(cases, vc)
		}
	}
	if len(cases) != 2 {
		t.Fatal("the chain case is gone")
	}
	steps := []string{"prepare", "stop-merges", "drop-old-backup", "drop-view", "drain-old", "swap", "track", "view", "drain", "backfill", "cleanup", "check-views"}
	for _, vc := range cases {
		for _, step := range steps {
			t.Run(vc.name+"/"+step, func(t *testing.T) {
				db := srv.NewDatabaseOn(t, engine.KindEmbedded)
				runViewCase(t, openOn(t, db), db, vc, func(s string) bool { return s == step })
			})
		}
	}
}

// tagged is the measure of the new query in the no-history cases: a row's
// value plus 10^9, so a target's sum per user tells how many of its rows
// the new query processed (intDiv by 10^9) and the sum of the values of all
// the rows it counted, by either query (modulo 10^9; a user's values sum
// to far less than 10^9).
const tagged = "value + 1000000000"

// noHistoryCase is a view change made without history, BACKFILL skip on the
// target or DEPLOYMENT_METHOD alter, applied under the late writers.
type noHistoryCase struct {
	name          string
	before, after map[string]string
	// target is the new view's target; oldTarget the old view's when the
	// view moved (it keeps the rows of the inserts the old view processed).
	target, oldTarget string
	// methods is the method expected per engine; on an engine it does not
	// name the plan must refuse with an error containing refusal.
	methods map[engine.Kind]plan.Method
	refusal string
}

func noHistoryCases() []noHistoryCase {
	skip := statsFile + "BACKFILL skip\n"
	files := func(stats, pipe string, extra ...string) map[string]string {
		m := map[string]string{"datasources/events.datasource": lateEventsFile, "datasources/stats.datasource": stats}
		if pipe != "" {
			m["pipes/mat_stats.pipe"] = pipe
		}
		for i := 0; i+1 < len(extra); i += 2 {
			m[extra[i]] = extra[i+1]
		}
		return m
	}
	alter := strings.Replace(statsPipe("stats", tagged, ""), "TYPE materialized\n", "TYPE materialized\nDEPLOYMENT_METHOD alter\n", 1)
	both := func(m plan.Method) map[engine.Kind]plan.Method {
		return map[engine.Kind]plan.Method{engine.KindNative: m, engine.KindEmbedded: m}
	}
	return []noHistoryCase{
		{name: "BACKFILL skip, view added",
			before: files(skip, ""), after: files(skip, statsPipe("stats", tagged, "")),
			target: "stats", methods: both(plan.MethodCreate)},
		{name: "BACKFILL skip, query changed",
			before: files(skip, statsPipe("stats", "value", "")), after: files(skip, statsPipe("stats", tagged, "")),
			target: "stats", methods: map[engine.Kind]plan.Method{engine.KindNative: plan.MethodRecreateNoHistory, engine.KindEmbedded: plan.MethodModifyQuery}},
		{name: "BACKFILL skip, view moved to a new target",
			before: files(statsFile, statsPipe("stats", "value", "")),
			after:  files(statsFile, statsPipe("stats2", tagged, ""), "datasources/stats2.datasource", skip),
			target: "stats2", oldTarget: "stats", methods: both(plan.MethodRecreateNoHistory)},
		{name: "DEPLOYMENT_METHOD alter",
			before: files(statsFile, statsPipe("stats", "value", "")), after: files(statsFile, alter),
			target: "stats", methods: map[engine.Kind]plan.Method{engine.KindEmbedded: plan.MethodModifyQuery}, refusal: "DEPLOYMENT_METHOD alter needs MODIFY QUERY"},
	}
}

// TestViewChangesWithoutHistoryUnderLateEvents applies each no-history view
// change while the late writers insert, then lets them go on with users
// renamed v*: every row of an insert that started after the apply returned
// is in the new target exactly once, by the new query (count, sum of
// values, rows the new query processed, uniqExact per user equal a
// recomputation), none of them in the old target; of the inserts before,
// no row is counted twice (per user, the counts of the targets add up to at
// most the source's). With MODIFY QUERY every row is counted exactly once,
// by the old query or the new one: the count, the sum of values and the
// uniqExact of every user equal a recomputation.
func TestViewChangesWithoutHistoryUnderLateEvents(t *testing.T) {
	for _, nc := range noHistoryCases() {
		t.Run(nc.name, func(t *testing.T) {
			forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
				runNoHistoryCase(t, c, db, nc, nil)
			})
		})
	}
}

// viewCut cuts the connection through the fault proxy at the first
// statement containing match: before it reaches the server, or after the
// server ran it (forward), so perch never hears back.
type viewCut struct {
	match   string
	forward bool
}

// TestViewChangesWithoutHistoryCutAtEveryStatement is the drop-then-create
// method of 18.16 (BACKFILL skip) with perch's connection cut by the fault
// proxy at each of its statements, before and after the server runs it,
// under the late writers: the apply, or `perch apply` after it (Resume,
// plan, apply), leaves the new view in place, and the inserts started after
// it are materialized exactly once.
func TestViewChangesWithoutHistoryCutAtEveryStatement(t *testing.T) {
	for _, nc := range noHistoryCases() {
		if nc.methods[engine.KindNative] != plan.MethodRecreateNoHistory {
			continue
		}
		for _, cut := range []viewCut{{"DROP TABLE", false}, {"DROP TABLE", true}, {"CREATE MATERIALIZED VIEW", false}, {"CREATE MATERIALIZED VIEW", true}} {
			t.Run(fmt.Sprintf("%s/%s/ran=%v", nc.name, cut.match, cut.forward), func(t *testing.T) {
				db := srv.NewDatabaseOn(t, engine.KindNative)
				runNoHistoryCase(t, openOn(t, db), db, nc, &cut)
			})
		}
	}
}

func runNoHistoryCase(t *testing.T, c *workspace.Client, db *clickhousetest.DB, nc noHistoryCase, cut *viewCut) {
	ctx := context.Background()
	base := time.Now().Unix()
	if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, nc.before)), Options{}); err != nil {
		t.Fatal(err)
	}
	insertHistory(t, db, base)
	local := writeProject(t, nc.after)
	want, ok := nc.methods[db.Kind]
	if !ok {
		p := planFor(t, c, local)
		if msg := strings.Join(p.Errors, "\n"); !strings.Contains(msg, nc.refusal) || !strings.Contains(msg, "mat_stats") {
			t.Errorf("want a plan error with %q naming mat_stats:\n%s", nc.refusal, render(p))
		}
		return
	}
	w := startLateWriters(t, db, 3, base)
	time.Sleep(400 * time.Millisecond)
	p := planFor(t, c, local)
	ch := p.Change("mat_stats")
	if len(p.Errors) > 0 || ch == nil || ch.Method != want {
		w.halt()
		t.Fatalf("want %s of mat_stats:\n%s\n%v", want, render(p), p.Errors)
	}
	if cut == nil {
		if _, err := Apply(ctx, c, p, Options{RetryWait: 100 * time.Millisecond}); err != nil {
			w.halt()
			t.Fatal(err)
		}
	} else if err := applyCut(t, c, db, local, p, *cut); err != nil {
		w.halt()
		t.Fatal(err)
	}
	// Inserts started from now on name their users v*: at least 30 of them
	// must succeed before the writers stop.
	select {
	case <-w.markApplied(30):
	case <-time.After(30 * time.Second):
		t.Errorf("only %d inserts succeeded after the apply", w.afterInserts.Load())
	}
	w.halt()
	t.Logf("writers: %d inserts (%d after the apply), %d rows, %d batches resent, %d failed", w.inserts.Load(), w.afterInserts.Load(), w.rows.Load(), w.resent.Load(), w.fails.Load())
	w.check(t, db)
	after, before := " WHERE user_id LIKE 'v%'", " WHERE user_id LIKE 'u%'"
	if mv, re := db.QueryString(t, perKey("user_id", nc.target+after, "countMerge(n)", "sumMerge(total) % 1000000000", "intDiv(sumMerge(total), 1000000000)", "uniqExactMerge(uniq)")),
		db.QueryString(t, perKey("user_id", "events"+after, "count()", "sum(value)", "count()", "uniqExact(value)")); mv != re || re == "" {
		t.Errorf("the rows of inserts started after the apply: %s differs from the new query over events (count/values/by the new query/uniq):\n mv %s\n re %s", nc.target, mv, re)
	}
	if nc.oldTarget != "" {
		if n := db.QueryString(t, "SELECT toString(count()) FROM "+nc.oldTarget+after); n != "0" {
			t.Errorf("the old target %s holds %s rows of inserts started after the apply", nc.oldTarget, n)
		}
	}
	if want == plan.MethodModifyQuery {
		if mv, re := db.QueryString(t, perKey("user_id", nc.target+before, "countMerge(n)", "sumMerge(total) % 1000000000", "uniqExactMerge(uniq)")),
			db.QueryString(t, perKey("user_id", "events"+before, "count()", "sum(value)", "uniqExact(value)")); mv != re {
			t.Errorf("the rows inserted before and during the apply: %s does not count each once, by the old or the new query (count/values/uniq):\n mv %s\n re %s", nc.target, mv, re)
		}
		t.Logf("of the rows before and during the apply, %s processed by the new query", db.QueryString(t, "SELECT toString(intDiv(sumMerge(total), 1000000000)) FROM "+nc.target+before))
	}
	// No row counted twice: per user, what the targets count (and the
	// values they sum) is at most what events holds.
	var parts []string
	for _, tbl := range []string{nc.target, nc.oldTarget} {
		if tbl != "" {
			parts = append(parts, "SELECT user_id, toInt64(countMerge(n)) AS c, toInt64(sumMerge(total) % 1000000000) AS s FROM "+tbl+" GROUP BY user_id")
		}
	}
	parts = append(parts, "SELECT user_id, -toInt64(count()) AS c, -toInt64(sum(value)) AS s FROM events GROUP BY user_id")
	if over := db.QueryString(t, "SELECT toString(groupArray(user_id)) FROM (SELECT user_id, sum(c) AS c, sum(s) AS s FROM ("+strings.Join(parts, " UNION ALL ")+") GROUP BY user_id) WHERE c > 0 OR s > 0"); over != "[]" {
		t.Errorf("users counted more often than events holds their rows: %s", over)
	}
	for _, x := range planFor(t, c, local).Changes {
		if x.Method != plan.MethodCleanup {
			t.Errorf("changes remain after apply: %s %s", x.ID, x.Method)
		}
	}
}

// TestEveryViewChangeInterruptedAtEveryStep is the long form of
// TestViewChangeInterruptedAtEveryStep, run on demand
// (PERCH_INTERRUPT_EVERY_CASE=1; about ten minutes): every tracked view
// change of viewCases and chainCases, interrupted at each step its plan
// has, then finished as `perch apply` does. Embedded engine only.
func TestEveryViewChangeInterruptedAtEveryStep(t *testing.T) {
	if os.Getenv("PERCH_INTERRUPT_EVERY_CASE") == "" {
		t.Skip("set PERCH_INTERRUPT_EVERY_CASE=1 to interrupt every tracked view change at every step")
	}
	for _, vc := range append(viewCases(), chainCases()...) {
		if vc.wantMethod() != plan.MethodTracked {
			continue
		}
		for _, step := range trackedSteps(t, vc) {
			t.Run(vc.name+"/"+step, func(t *testing.T) {
				db := srv.NewDatabaseOn(t, engine.KindEmbedded)
				runViewCase(t, openOn(t, db), db, vc, func(s string) bool { return s == step })
			})
		}
	}
}

// trackedSteps are the step ids of vc's change, planned from its before
// project deployed in a scratch database of the embedded engine.
func trackedSteps(t *testing.T, vc viewCase) []string {
	t.Helper()
	db := srv.NewDatabaseOn(t, engine.KindEmbedded)
	c := openOn(t, db)
	if _, err := Apply(context.Background(), c, planFor(t, c, writeProject(t, vc.before)), Options{}); err != nil {
		t.Fatal(err)
	}
	insertHistory(t, db, time.Now().Unix())
	db.Exec(t, vc.setup...)
	p := planFor(t, c, writeProject(t, vc.after))
	ch := p.Change(vc.changed())
	if ch == nil || len(p.Errors) > 0 {
		t.Fatalf("%s: no change of %s planned:\n%s", vc.name, vc.changed(), render(p))
	}
	var ids []string
	for _, s := range ch.Steps {
		ids = append(ids, s.ID)
	}
	return ids
}

// applyCut applies p through a fault proxy that cuts the connection at
// cut, then finishes as `perch apply` would: Resume, plan, apply, until the
// project plans clean.
func applyCut(t *testing.T, c *workspace.Client, db *clickhousetest.DB, local *datafiles.Project, p *plan.Plan, cut viewCut) error {
	ctx := context.Background()
	px := startProxy(t, srv.Addr())
	viaProxy, err := workspace.Open(ctx, workspace.Target{Name: "proxy", DSN: strings.Replace(db.DSN, srv.Addr(), px.Addr(), 1), Database: db.Name, Source: "test"})
	if err != nil {
		return err
	}
	defer viaProxy.Close()
	// Armed when the step running the statement starts: the journal's
	// records of the plan, written before, hold the same words.
	at := ""
	for _, st := range p.Change("mat_stats").Steps {
		for _, q := range st.SQL {
			if at == "" && strings.Contains(q, cut.match) {
				at = st.ID
			}
		}
	}
	if at == "" {
		return fmt.Errorf("no step of mat_stats runs %s", cut.match)
	}
	var armed atomic.Bool
	_, err = Apply(ctx, viaProxy, p, Options{RetryWait: 100 * time.Millisecond, OnEvent: func(e Event) {
		if e.Kind == StepStarted && e.Step == at && !armed.Swap(true) {
			px.ArmOn(cut.match, cut.forward)
		}
	}})
	if px.cuts.Load() != 1 {
		return fmt.Errorf("the proxy cut %d connections at %q, want 1 (apply: %v)", px.cuts.Load(), cut.match, err)
	}
	t.Logf("apply with the connection cut at %s in step %s (ran: %v): %v", cut.match, at, cut.forward, err)
	if _, err := Resume(ctx, c, Options{}); err != nil {
		return fmt.Errorf("resume: %w", err)
	}
	again := planFor(t, c, local)
	if len(again.Errors) > 0 {
		return fmt.Errorf("plan after the cut: %v", again.Errors)
	}
	if !again.Empty() {
		if _, err := Apply(ctx, c, again, Options{RetryWait: 100 * time.Millisecond}); err != nil {
			return fmt.Errorf("re-apply after the cut: %w", err)
		}
	}
	if last := planFor(t, c, local); !last.Empty() {
		return fmt.Errorf("plans dirty after the re-apply:\n%s", render(last))
	}
	return nil
}

// insertHistory is a day of events before base, late and out of order.
func insertHistory(t *testing.T, db *clickhousetest.DB, base int64) {
	t.Helper()
	db.Exec(t, fmt.Sprintf("INSERT INTO events SELECT toDateTime(%d) - cityHash64(-1, number) %% 86400, concat('u', toString(cityHash64(-1, number, 1) %% 40)), cityHash64(-1, number, 2) %% 5000 FROM numbers(20000)", base))
}

// TestTrackedDropRanAnswerLost: the drop of the old view, the commit point
// of a tracked change that recomputes its target, runs but its answer is
// lost (a broken connection, a cancel that came too late) under the late
// writers. perch sees the view is gone and goes forward: a rollback would
// leave the target with the old view's rows and no view, and the next plan
// would add the view with a backfill over them (each row counted twice).
func TestTrackedDropRanAnswerLost(t *testing.T) {
	db := srv.NewDatabaseOn(t, engine.KindEmbedded)
	c, rc := openRecorded(t, db)
	rc.fault = func(q string) (bool, bool) {
		return strings.Contains(q, "*/ DROP TABLE IF EXISTS") && strings.Contains(q, "`mat_stats`"), true
	}
	runViewCase(t, c, db, viewCases()[0], nil)
	if rc.Cuts() != 1 {
		t.Fatalf("the drop of mat_stats was cut %d times, want 1", rc.Cuts())
	}
}

// TestTrackedBackfillPartsMergedMidway merges the source under the
// backfill, as merges an interrupted apply restarted could: between the
// listing of its parts and their fingerprints, and between the fingerprints
// and the insert that reads them. The parts listed are gone, and each of
// their rows would be neither skipped nor backfilled. perch sees the parts
// no longer active, starts the tracking over, and the change is exact.
func TestTrackedBackfillPartsMergedMidway(t *testing.T) {
	for _, tc := range []struct{ name, before, and string }{
		{"before the fingerprints", "SELECT _part AS part_name", "SELECT"},
		{"before the backfill reads them", "_part IN (", "INSERT INTO"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := srv.NewDatabaseOn(t, engine.KindEmbedded)
			c, rc := openRecorded(t, db)
			var once sync.Once
			merged := false
			rc.before = func(q string) {
				if !strings.Contains(q, tc.before) || !strings.Contains(q, tc.and) || strings.Contains(q, "_perch_") {
					return
				}
				once.Do(func() {
					t.Logf("merging events before: %.200s", q)
					db.Exec(t, "SYSTEM START MERGES events", "OPTIMIZE TABLE events FINAL")
					merged = true
				})
			}
			runViewCase(t, c, db, viewCases()[0], nil)
			if !merged {
				t.Fatalf("no statement matched %q: nothing was merged under the backfill", tc.before)
			}
		})
	}
}
