package localserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrNotRunning is returned (wrapped) when a project's local server is not running.
var ErrNotRunning = errors.New("the project-local ClickHouse server is not running: run `perch local start`")

// ProjectDir is where a project's local server keeps its config, data and
// state: <root>/.perch/local.
func ProjectDir(root string) string { return filepath.Join(root, ".perch", "local") }

// StatePath is the state file of a project's local server.
func StatePath(root string) string { return filepath.Join(ProjectDir(root), "state.json") }

// State is what `perch local start` records about the server it started.
type State struct {
	PID       int       `json:"pid"`
	Ports     Ports     `json:"ports"`
	Binary    Binary    `json:"binary"`
	Dir       string    `json:"dir"`
	StartedAt time.Time `json:"started_at"`
}

// DSN is the native-protocol DSN of the server, without a database.
func (s *State) DSN() string { return fmt.Sprintf("clickhouse://default@127.0.0.1:%d", s.Ports.TCP) }

// Running reports whether the recorded process is alive and answers.
func (s *State) Running(ctx context.Context) bool {
	return s != nil && Alive(s.PID) && Ping(ctx, s.Ports.HTTP) == nil
}

// ReadState reads the state file of root's local server. The error wraps
// fs.ErrNotExist when the server was never started (or was stopped).
func ReadState(root string) (*State, error) {
	b, err := os.ReadFile(StatePath(root))
	if err != nil {
		return nil, fmt.Errorf("read local server state: %w", err)
	}
	var s State
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("read local server state %s: %w", StatePath(root), err)
	}
	return &s, nil
}

func writeState(root string, s *State) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("write local server state: %w", err)
	}
	tmp := StatePath(root) + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write local server state: %w", err)
	}
	if err := os.Rename(tmp, StatePath(root)); err != nil {
		return fmt.Errorf("write local server state: %w", err)
	}
	return nil
}

// StartProject starts root's local server in the background, or returns the
// running one (reused = true). bin is found on PATH when zero.
func StartProject(ctx context.Context, root string, bin Binary) (st *State, reused bool, err error) {
	if s, err := ReadState(root); err == nil && s.Running(ctx) {
		return s, true, nil
	}
	dir, err := filepath.Abs(ProjectDir(root))
	if err != nil {
		return nil, false, fmt.Errorf("start local server: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, false, fmt.Errorf("start local server: %w", err)
	}
	if err := EnsureGitignored(root); err != nil {
		return nil, false, err
	}
	p, err := Launch(ctx, LaunchOptions{Dir: dir, Binary: bin, Detached: true})
	if err != nil {
		return nil, false, fmt.Errorf("start local server: %w", err)
	}
	p.Release()
	s := &State{PID: p.PID, Ports: p.Ports, Binary: p.Binary, Dir: dir, StartedAt: time.Now().UTC()}
	if err := writeState(root, s); err != nil {
		_ = StopPID(ctx, p.PID, nil)
		return nil, false, err
	}
	return s, false, nil
}

// EnsureGitignored writes .perch/.gitignore (the folder must exist) so
// the server's data and perch's caches never land in git.
func EnsureGitignored(root string) error {
	p := filepath.Join(root, ".perch", ".gitignore")
	if _, err := os.Stat(p); err == nil {
		return nil
	}
	if err := os.WriteFile(p, []byte("# perch's local server and caches\n*\n"), 0o644); err != nil {
		return fmt.Errorf("start local server: %w", err)
	}
	return nil
}

// StopProject stops root's local server cleanly and removes its state file;
// the data stays for the next start. stopped is false when none was running.
func StopProject(ctx context.Context, root string) (stopped bool, err error) {
	s, err := ReadState(root)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if Alive(s.PID) && s.isOurs() {
		if err := StopPID(ctx, s.PID, nil); err != nil {
			return false, err
		}
		stopped = true
	}
	if err := os.Remove(StatePath(root)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return stopped, fmt.Errorf("stop local server: %w", err)
	}
	return stopped, nil
}

// isOurs guards against signalling an unrelated process that reused the pid:
// the command line must name this server's config.
func (s *State) isOurs() bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", s.PID))
	if err != nil {
		return true // no /proc (macOS): trust the recorded pid
	}
	return strings.Contains(string(b), Layout{Dir: s.Dir}.ConfigPath())
}

// Status describes a project's local server for `perch local status`.
type Status struct {
	State     *State `json:"state,omitempty"`
	Running   bool   `json:"running"`
	Version   string `json:"version,omitempty"`
	DataBytes int64  `json:"data_bytes"`
	Dir       string `json:"dir"`
}

// ProjectStatus reports whether root's local server runs, its version,
// ports, pid and the size of its folder.
func ProjectStatus(ctx context.Context, root string) (*Status, error) {
	st := &Status{Dir: ProjectDir(root)}
	st.DataBytes = dirSize(st.Dir)
	s, err := ReadState(root)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	st.State = s
	st.Running = s.Running(ctx)
	if st.Running {
		v, err := Query(ctx, s.Ports.HTTP, "SELECT version()")
		if err == nil {
			st.Version = strings.TrimSpace(v)
		}
	}
	return st, nil
}

func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
