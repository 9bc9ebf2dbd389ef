package localserver

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestProjectLifecycle: start, second start reuses, status, clean stop, restart keeps data dir.
func TestProjectLifecycle(t *testing.T) {
	bin, err := FindBinary(nil)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skipf("*** SKIPPED: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	root := t.TempDir()
	t.Cleanup(func() { _, _ = StopProject(context.Background(), root) })

	if st, err := ProjectStatus(ctx, root); err != nil || st.Running {
		t.Fatalf("status before start = %+v, %v", st, err)
	}
	s1, reused, err := StartProject(ctx, root, bin)
	if err != nil || reused {
		t.Fatalf("first start: reused=%v err=%v", reused, err)
	}
	s2, reused, err := StartProject(ctx, root, bin)
	if err != nil || !reused || s2.PID != s1.PID || s2.Ports != s1.Ports {
		t.Fatalf("second start: %+v reused=%v err=%v, want the running server %+v", s2, reused, err, s1)
	}
	st, err := ProjectStatus(ctx, root)
	if err != nil || !st.Running || st.Version == "" || st.DataBytes == 0 || st.State.PID != s1.PID {
		t.Fatalf("status = %+v, %v", st, err)
	}
	if _, err := os.Stat(filepath.Join(root, ".perch", ".gitignore")); err != nil {
		t.Errorf(".perch/.gitignore: %v", err)
	}
	stopped, err := StopProject(ctx, root)
	if err != nil || !stopped {
		t.Fatalf("stop: stopped=%v err=%v", stopped, err)
	}
	if Alive(s1.PID) {
		t.Fatal("server alive after stop")
	}
	if _, err := ReadState(root); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("state after stop: %v, want not exist", err)
	}
	if stopped, err := StopProject(ctx, root); err != nil || stopped {
		t.Fatalf("second stop: stopped=%v err=%v", stopped, err)
	}
}
