package apply

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/plan"
)

const eventsFile = `SCHEMA >
    timestamp DateTime,
    user_id String,
    value UInt64

ENGINE "MergeTree"
ENGINE_PARTITION_KEY "toYYYYMM(timestamp)"
ENGINE_SORTING_KEY "timestamp"
`

const perUserFile = `SCHEMA >
    user_id String,
    total UInt64

ENGINE "SummingMergeTree"
ENGINE_SORTING_KEY "user_id"
`

const matFile = `NODE m
SQL >
    SELECT user_id, sum(value) AS total FROM events GROUP BY user_id
TYPE materialized
DATASOURCE per_user
`

const endpointFile = `NODE e
SQL >
    SELECT user_id, total FROM per_user ORDER BY total DESC LIMIT 10
TYPE endpoint
`

// writeProject writes datafiles into a temp folder and loads it.
func writeProject(t testing.TB, files map[string]string) *datafiles.Project {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := datafiles.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if errs := p.Errors(); len(errs) > 0 {
		t.Fatalf("project errors: %v", errs)
	}
	return p
}

func baseFiles() map[string]string {
	return map[string]string{
		"datasources/events.datasource":   eventsFile,
		"datasources/per_user.datasource": perUserFile,
		"pipes/mat_per_user.pipe":         matFile,
		"endpoints/top_users.pipe":        endpointFile,
	}
}

func render(p *plan.Plan) string {
	var b bytes.Buffer
	_ = plan.Render(&b, p, plan.RenderOptions{})
	return b.String()
}

func TestApplyThenNoChanges(t *testing.T) {
	ctx := context.Background()
	forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
		local := writeProject(t, baseFiles())
		p := planFor(t, c, local)
		if len(p.Errors) > 0 || p.Empty() {
			t.Fatalf("want creates, got %s", render(p))
		}
		if _, err := Apply(ctx, c, p, Options{}); err != nil {
			t.Fatal(err)
		}
		again := planFor(t, c, local)
		if !again.Empty() {
			t.Fatalf("perpetual drift after apply:\n%s", render(again))
		}
		d, err := c.Latest(ctx)
		if err != nil || d == nil || d.Outcome != "success" {
			t.Fatalf("deployment not recorded: %+v %v", d, err)
		}
	})
}

func TestAddColumnAltersInPlace(t *testing.T) {
	ctx := context.Background()
	forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
		if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, baseFiles())), Options{}); err != nil {
			t.Fatal(err)
		}
		db.Exec(t, "INSERT INTO events SELECT now(), toString(number % 7), number FROM numbers(1000)")
		files := baseFiles()
		files["datasources/events.datasource"] = strings.Replace(eventsFile, "value UInt64", "value UInt64,\n    country String DEFAULT 'xx'", 1)
		p := planFor(t, c, writeProject(t, files))
		ch := p.Change("events")
		if ch == nil || ch.Method != plan.MethodAlter || ch.EstRows != 0 {
			t.Fatalf("want alter in place moving no rows:\n%s", render(p))
		}
		var copied uint64
		if _, err := Apply(ctx, c, p, Options{OnEvent: func(e Event) {
			if e.Kind == RowsCopied {
				copied += e.Rows
			}
		}}); err != nil {
			t.Fatal(err)
		}
		if copied != 0 {
			t.Errorf("alter copied %d rows", copied)
		}
		if got := db.QueryString(t, "SELECT toString(countIf(country = 'xx')) FROM events"); got != "1000" {
			t.Errorf("country default on old rows: %s", got)
		}
		if got := db.QueryString(t, "SELECT toString(count()) FROM system.tables WHERE database = currentDatabase() AND (endsWith(name, '__new') OR endsWith(name, '__old') OR endsWith(name, '__stage'))"); got != "0" {
			t.Errorf("an alter left %s helper tables", got)
		}
	})
}

func TestDropNeedsAllowDestructive(t *testing.T) {
	ctx := context.Background()
	forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
		if _, err := Apply(ctx, c, planFor(t, c, writeProject(t, baseFiles())), Options{}); err != nil {
			t.Fatal(err)
		}
		files := baseFiles()
		delete(files, "pipes/mat_per_user.pipe")
		delete(files, "datasources/per_user.datasource")
		delete(files, "endpoints/top_users.pipe")
		p := planFor(t, c, writeProject(t, files))
		_, err := Apply(ctx, c, p, Options{})
		if !errors.Is(err, ErrDestructive) {
			t.Fatalf("err = %v, want ErrDestructive", err)
		}
		if _, err := Apply(ctx, c, p, Options{AllowDestructive: true}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestStalePlanRefused(t *testing.T) {
	ctx := context.Background()
	forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
		p := planFor(t, c, writeProject(t, baseFiles()))
		db.Exec(t, "CREATE TABLE sneaky (a UInt8) ENGINE = MergeTree ORDER BY a")
		_, err := Apply(ctx, c, p, Options{})
		if !errors.Is(err, ErrStale) {
			t.Fatalf("err = %v, want ErrStale", err)
		}
	})
}

func TestLockRefusesSecondApply(t *testing.T) {
	ctx := context.Background()
	forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
		p := planFor(t, c, writeProject(t, baseFiles()))
		db.Exec(t, "CREATE TABLE "+plan.LockTable+" (deployment String, since DateTime) ENGINE = TinyLog")
		_, err := Apply(ctx, c, p, Options{})
		if !errors.Is(err, ErrLocked) {
			t.Fatalf("err = %v, want ErrLocked", err)
		}
	})
}
