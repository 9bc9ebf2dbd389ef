package engine

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// LockFile is the file in an embedded engine's folder that the perch
// process using it holds locked, with its pid inside.
const LockFile = "perch.lock"

// ErrEngineBusy is returned (wrapped) when another process holds the folder.
var ErrEngineBusy = errors.New("the embedded engine folder is open in another process")

// processEngine is the one embedded engine of this process. libchdb runs
// one data folder per process (a second folder needs the first closed), so
// this is process-wide by nature: every Embedded of the process shares it,
// and it holds the folder's lock while any of them is open.
var processEngine struct {
	mu   sync.Mutex
	path string
	refs int
	lock *os.File
}

// acquireEngine registers one more user of the engine at path, taking the
// folder's lock for the process on first use.
func acquireEngine(path string) error {
	e := &processEngine
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.refs > 0 {
		if e.path != path {
			return fmt.Errorf("open embedded engine %s: this process already runs one at %s (libchdb runs one folder per process)", path, e.path)
		}
		e.refs++
		return nil
	}
	f, err := lockFolder(path)
	if err != nil {
		return err
	}
	e.path, e.refs, e.lock = path, 1, f
	return nil
}

// releaseEngine drops one user; the last one releases the folder's lock.
func releaseEngine() {
	e := &processEngine
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.refs == 0 {
		return
	}
	e.refs--
	if e.refs == 0 && e.lock != nil {
		e.lock.Close() // closing releases the flock
		e.lock = nil
	}
}

// lockFolder takes an exclusive, non-blocking lock on path/perch.lock and
// writes this process's pid into it. When another process holds it, the
// error names that process.
func lockFolder(path string) (*os.File, error) {
	name := filepath.Join(path, LockFile)
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open embedded engine %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		holder := "another process"
		if b, rerr := os.ReadFile(name); rerr == nil {
			if pid, perr := strconv.Atoi(strings.TrimSpace(string(b))); perr == nil {
				holder = fmt.Sprintf("process %d", pid)
			}
		}
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("open embedded engine %s: %w: held by %s (%s); stop it or use another folder", path, ErrEngineBusy, holder, name)
		}
		return nil, fmt.Errorf("lock embedded engine %s: %w", path, err)
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f, nil
}
