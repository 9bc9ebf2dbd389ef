package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/localserver"
)

// demoServer starts a private ClickHouse for one test (skipping without a
// binary unless CI=true).
func demoServer(t *testing.T) *clickhousetest.Server {
	t.Helper()
	s, err := clickhousetest.Start(context.Background())
	if errors.Is(err, localserver.ErrNoBinary) && !clickhousetest.InCI() {
		t.Skipf("*** SKIPPED: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func testEnv() (*env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}, &out, &errb
}

var streamedRE = regexp.MustCompile(`stream stopped: (\d+) events in (\d+) batches`)

func TestDemoDeploysStreamsAndProvesNoLoss(t *testing.T) {
	srv := demoServer(t)
	srv.ForEach(t, func(t *testing.T, db *clickhousetest.DB) {
		example := filepath.Join("..", "..", "examples", "analytics")
		args := []string{"demo", example, "--dsn", db.DSN, "--no-tui", "--rate", "1000", "--interval", "50ms"}

		var total uint64
		for i, wantDeploy := range []string{"deploy: applied ", "holds an earlier deployment ("} {
			var out, errb syncBuffer
			e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
			ctx, cancel := context.WithCancel(context.Background())
			exit := make(chan int, 1)
			go func() { exit <- run(ctx, e, args) }()
			// Stream for a second once the deploy is done.
			waitFor(t, 30*time.Second, func() bool { return strings.Contains(out.String(), "streaming") }, "the stream to start")
			time.Sleep(time.Second)
			cancel()
			code := <-exit
			if code != exitOK {
				t.Fatalf("run %d: exit %d\nstdout:\n%s\nstderr:\n%s", i, code, out.String(), errb.String())
			}
			if !strings.Contains(out.String(), wantDeploy) || !strings.Contains(out.String(), "no event lost") {
				t.Fatalf("run %d: stdout lacks %q or the loss check:\n%s", i, wantDeploy, out.String())
			}
			m := streamedRE.FindStringSubmatch(out.String())
			if m == nil {
				t.Fatalf("run %d: no tally in\n%s", i, out.String())
			}
			n, _ := strconv.ParseUint(m[1], 10, 64)
			// The rate itself is tested in workspace/stream; a loaded machine slows inserts.
			if n < 50 {
				t.Fatalf("run %d: streamed only %d events in 1s at 1000/s", i, n)
			}
			total += n
		}
		// Both runs' events are there, and the views saw every page view.
		if got := db.QueryString(t, "SELECT toString(count()) FROM events"); got != strconv.FormatUint(total, 10) {
			t.Fatalf("events holds %s rows, the demo streamed %d", got, total)
		}
		pv := db.QueryString(t, "SELECT toString(countIf(event_type = 'pageview')) FROM events")
		if got := db.QueryString(t, "SELECT toString(countMerge(pageviews)) FROM pages_hourly_mv"); got != pv || pv == "0" {
			t.Fatalf("pages_hourly_mv counted %s page views, events has %s", got, pv)
		}
	})
}

func TestDemoRefusesBadInput(t *testing.T) {
	noEvents := t.TempDir()
	if err := os.WriteFile(filepath.Join(noEvents, "other.datasource"), []byte("SCHEMA >\n    a UInt8\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fewColumns := t.TempDir()
	if err := os.WriteFile(filepath.Join(fewColumns, "events.datasource"), []byte("SCHEMA >\n    event_id UInt64,\n    timestamp DateTime\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := t.TempDir()
	if err := os.WriteFile(filepath.Join(broken, "events.datasource"), []byte("BOGUS directive\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"two dirs", []string{"demo", "a", "b"}, "usage: perch demo"},
		{"missing dir", []string{"demo", filepath.Join(noEvents, "nope"), "--no-tui"}, "nope"},
		{"no events data source", []string{"demo", noEvents, "--no-tui"}, "no events data source"},
		{"events lacks columns", []string{"demo", fewColumns, "--no-tui"}, "lacks columns the generator writes: [session_id user_id"},
		{"project with errors", []string{"demo", broken, "--no-tui"}, "has errors"},
		{"bad rate", []string{"demo", "--rate", "fast"}, "invalid value"},
		{"no terminal for the TUI", []string{"demo", noEvents, "--rate", "5"}, "the TUI needs a terminal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, _, errb := testEnv()
			if code := run(context.Background(), e, tt.args); code != exitError {
				t.Fatalf("exit %d, want %d", code, exitError)
			}
			if !strings.Contains(errb.String(), tt.want) {
				t.Fatalf("stderr lacks %q:\n%s", tt.want, errb)
			}
		})
	}
}
