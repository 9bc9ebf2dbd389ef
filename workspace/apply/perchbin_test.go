package apply

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// perchBin is the perch command built once for the tests that run it as a
// real process (to SIGKILL it).
var perchBin struct {
	once sync.Once
	dir  string
	path string
	err  error
	out  []byte
}

// perchBinary builds cmd/perch into a temporary folder (removed by
// TestMain) and returns its path.
func perchBinary(t testing.TB) string {
	t.Helper()
	perchBin.once.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(file), "..", "..")
		if perchBin.dir, perchBin.err = os.MkdirTemp("", "perch-bin-"); perchBin.err != nil {
			return
		}
		perchBin.path = filepath.Join(perchBin.dir, "perch")
		cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", perchBin.path, "./cmd/perch")
		cmd.Dir = root
		perchBin.out, perchBin.err = cmd.CombinedOutput()
	})
	if perchBin.err != nil {
		t.Fatalf("build perch: %v\n%s", perchBin.err, perchBin.out)
	}
	return perchBin.path
}

// removePerchBinary deletes the built command (TestMain).
func removePerchBinary() {
	if perchBin.dir != "" {
		os.RemoveAll(perchBin.dir)
	}
}

// perchCmd prepares `perch args...` with a clean environment (no PERCH_DSN).
func perchCmd(t testing.TB, ctx context.Context, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	cmd := exec.CommandContext(ctx, perchBinary(t), args...)
	var env []string
	for _, kv := range os.Environ() {
		if !bytes.HasPrefix([]byte(kv), []byte("PERCH_")) {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	return cmd, &stdout, &stderr
}

// runPerch runs `perch args...` to its end.
func runPerch(t testing.TB, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd, o, e := perchCmd(t, context.Background(), args...)
	err = cmd.Run()
	return o.String(), e.String(), err
}
