package journal

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/clickhousetest"
)

var srv *clickhousetest.Server

func TestMain(m *testing.M) { os.Exit(clickhousetest.Run(m, &srv)) }

// forEachEngine is the one place these tests get a database and a client:
// fn runs once per engine of the harness.
func forEachEngine(t *testing.T, fn func(t *testing.T, c *workspace.Client, db *clickhousetest.DB)) {
	t.Helper()
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		c, err := workspace.Open(context.Background(), workspace.Target{Name: "test", DSN: db.DSN, Database: db.Name, Source: "test"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		fn(t, c, db)
	})
}

// plantLock creates a lock as another process would have: holder h, last
// heartbeat ageSeconds ago by the server's clock.
func plantLock(t *testing.T, db *clickhousetest.DB, h Holder, ageSeconds int) {
	t.Helper()
	row := strings.Replace(holderRow(h, "holder"), "now() AS heartbeat", fmt.Sprintf("now() - %d AS heartbeat", ageSeconds), 1)
	db.Exec(t, "CREATE TABLE "+LockTable+" ENGINE = MergeTree() ORDER BY tuple() AS "+row)
}

// deadPID returns the pid of a process that has exited (and been reaped).
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// TestLockHolder reproduces issue 20 case 4: a lock names its holder; the
// loser of two applies is told who holds it (and is never told to drop
// it); a lock is taken over only when its holder is provably gone (its
// process gone from this machine, or no heartbeat for the lease); releasing
// never drops another holder's lock; a holder whose lock was taken over
// learns it at its next heartbeat.
func TestLockHolder(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		holder    func(t *testing.T) Holder
		age       int
		takenOver bool
	}{
		{"alive here", func(t *testing.T) Holder { return Self("d-alive") }, 0, false},
		{"alive here, old heartbeat", func(t *testing.T) Holder { return Self("d-slow") }, 600, false},
		{"dead here", func(t *testing.T) Holder {
			h := Self("d-dead")
			h.PID, h.ProcStart = deadPID(t), 0
			return h
		}, 0, true},
		{"reused pid here", func(t *testing.T) Holder {
			h := Self("d-reused")
			h.ProcStart++
			return h
		}, 0, true},
		{"elsewhere, heartbeat fresh", func(t *testing.T) Holder {
			return Holder{Deployment: "d-far", Host: "far", PID: 1, Machine: "other-machine", Started: time.Now()}
		}, 5, false},
		{"elsewhere, heartbeat expired", func(t *testing.T) Holder {
			return Holder{Deployment: "d-far-dead", Host: "far", PID: 1, Machine: "other-machine", Started: time.Now()}
		}, 120, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
				h := tt.holder(t)
				plantLock(t, db, h, tt.age)
				l, err := Acquire(ctx, c, Self("d-me"), 30*time.Second)
				if !tt.takenOver {
					var le *LockedError
					if !errors.As(err, &le) || !errors.Is(err, ErrLocked) || le.Holder == nil || le.Holder.Deployment != h.Deployment {
						t.Fatalf("err = %v, want a LockedError naming %s", err, h.Deployment)
					}
					msg := err.Error()
					for _, want := range []string{h.Deployment, fmt.Sprintf("pid %d on %s", h.PID, h.Host)} {
						if !strings.Contains(msg, want) {
							t.Errorf("message %q does not say %q", msg, want)
						}
					}
					if strings.Contains(msg, "DROP TABLE") {
						t.Errorf("message %q tells to drop the lock of a live holder", msg)
					}
					return
				}
				if err != nil {
					t.Fatalf("the lock of a gone holder was not taken over: %v", err)
				}
				got, _, err := ReadHolder(ctx, c)
				if err != nil || got == nil || got.Deployment != "d-me" {
					t.Fatalf("holder after take-over = %+v, %v", got, err)
				}
				if err := l.Release(ctx); err != nil {
					t.Fatal(err)
				}
			})
		})
	}
}

// TestReleaseNeverDropsAnothersLock: a holder whose lock was taken over
// (it was paused past its lease) can neither heartbeat nor release it.
func TestReleaseNeverDropsAnothersLock(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
		releaseNeverDropsAnothersLock(t, c, db)
	})
}

func releaseNeverDropsAnothersLock(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
	ctx := context.Background()
	a, err := Acquire(ctx, c, Self("d-a"), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Heartbeat(ctx); err != nil {
		t.Fatalf("heartbeat of the holder: %v", err)
	}
	// d-a's lock is replaced, as a take-over after its lease would.
	db.Exec(t, "DROP TABLE "+LockTable)
	b, err := Acquire(ctx, c, Self("d-b"), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Heartbeat(ctx); !errors.Is(err, ErrLost) {
		t.Fatalf("heartbeat of the old holder: err = %v, want ErrLost", err)
	}
	if err := a.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if h, found, err := ReadHolder(ctx, c); err != nil || !found || h == nil || h.Deployment != "d-b" {
		t.Fatalf("after the old holder released, lock = %+v found %v %v", h, found, err)
	}
	if err := b.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if _, found, err := ReadHolder(ctx, c); err != nil || found {
		t.Fatalf("the holder's release left the lock: %v %v", found, err)
	}
}

// TestSettleLeavesRunningApplyAlone: Settle does nothing to an apply whose
// holder is alive, and reports it.
func TestSettleLeavesRunningApplyAlone(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
		settleLeavesRunningApplyAlone(t, c, db)
	})
}

func settleLeavesRunningApplyAlone(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
	ctx := context.Background()
	l, err := Acquire(ctx, c, Self("d-live"), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release(ctx)
	j, err := Begin(ctx, c, Start{}, Entry{Deployment: "d-live", Staged: []string{"change:t"}})
	if err != nil {
		t.Fatal(err)
	}
	db.Exec(t, "CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a", "SYSTEM STOP MERGES t", "INSERT INTO t SELECT 1", "INSERT INTO t SELECT 2")
	j.Entry().Change, j.Entry().Step = "change:t", "stop-merges"
	j.Entry().StopMerges("t", true)
	if err := j.Write(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := Settle(ctx, c, SettleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Running == nil || r.Running.Deployment != "d-live" || r.RunningEntry == nil || len(r.Actions) > 0 {
		t.Fatalf("report = %+v", r)
	}
	if err := db.Conn.Exec(ctx, "OPTIMIZE TABLE t FINAL"); err == nil || !strings.Contains(err.Error(), "Cancelled merging") {
		t.Fatalf("Settle restarted the merges of a live apply: %v", err)
	}
	db.Exec(t, "SYSTEM START MERGES t")
}

// TestDropStaleScratch drops only the scratch tables older than the age.
func TestDropStaleScratch(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) { dropStaleScratch(t, c, db) })
}

func dropStaleScratch(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
	ctx := context.Background()
	db.Exec(t, "CREATE TABLE _perch_scratch_ab_events (a UInt8) ENGINE = Null", "CREATE TABLE kept (a UInt8) ENGINE = Null")
	if n, err := DropStaleScratch(ctx, c, time.Hour); err != nil || n != 0 {
		t.Fatalf("a fresh scratch table: dropped %d, %v", n, err)
	}
	if n, err := DropStaleScratch(ctx, c, -time.Second); err != nil || n != 1 {
		t.Fatalf("an old scratch table: dropped %d, %v", n, err)
	}
	if got := db.QueryString(t, "SELECT arrayStringConcat(groupArray(name), ',') FROM system.tables WHERE database = currentDatabase()"); got != "kept" {
		t.Errorf("tables left: %s", got)
	}
}

// TestOldLockHasNoHolder reads a lock an older perch took (no holder
// columns): it is found, without a holder, on both engines; 26.x words the
// missing column differently ("Unknown expression identifier", not
// "Missing columns"), so the error is told apart by its code.
func TestOldLockHasNoHolder(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *workspace.Client, db *clickhousetest.DB) {
		db.Exec(t, "CREATE TABLE "+LockTable+" (deployment String, since DateTime) ENGINE = TinyLog")
		h, found, err := ReadHolder(context.Background(), c)
		if err != nil || !found || h != nil {
			t.Fatalf("ReadHolder of an old lock = %+v, found %v, err %v; want no holder, found, no error", h, found, err)
		}
	})
}
