package engine

// The embedded engine binds libchdb's C API (chdb.h of the chDB project) at
// run time with purego: no cgo, and perch starts and runs every other target
// on machines without the library. It does not use github.com/chdb-io/chdb-go:
// that module's purego package loads the library in init() and panics when it
// is missing, which would make every perch command fail on such machines.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
)

// LibPathEnv names the environment variable pointing at libchdb.so; it is
// tried first.
const LibPathEnv = "CHDB_LIB_PATH"

// InstallCommand is the one command that installs the library where perch
// looks for it.
const InstallCommand = "make deps (or .ci/install-chdb)"

// ErrNoLibrary is returned (wrapped) when libchdb cannot be loaded.
var ErrNoLibrary = errors.New("the embedded ClickHouse engine (libchdb.so) is not installed")

// LibraryCandidates are the paths tried for libchdb, in order:
// $CHDB_LIB_PATH, perch's cache (~/.cache/perch/chdb/libchdb.so), then
// /usr/local/lib/libchdb.so. getenv nil means os.Getenv.
func LibraryCandidates(getenv func(string) string) []string {
	if getenv == nil {
		getenv = os.Getenv
	}
	var out []string
	if p := getenv(LibPathEnv); p != "" {
		out = append(out, p)
	}
	if p := CachedLibraryPath(getenv); p != "" {
		out = append(out, p)
	}
	return append(out, "/usr/local/lib/libchdb.so")
}

// CachedLibraryPath is where `make deps` installs libchdb: the user's cache
// folder ($XDG_CACHE_HOME, else ~/.cache), perch/chdb/libchdb.so.
func CachedLibraryPath(getenv func(string) string) string {
	if getenv == nil {
		getenv = os.Getenv
	}
	base := getenv("XDG_CACHE_HOME")
	if base == "" {
		home := getenv("HOME")
		if home == "" {
			return ""
		}
		base = filepath.Join(home, ".cache")
	}
	return filepath.Join(base, "perch", "chdb", "libchdb.so")
}

// cResult is an opaque chdb_result.
type cResult struct{ _ unsafe.Pointer }

// cConnSlot is what chdb_connect returns: a slot holding the connection.
type cConnSlot struct{ conn unsafe.Pointer }

// library is libchdb's functions, bound once per process: a shared library
// is loaded into the process once, whatever the number of connections.
type library struct {
	path string

	connect       func(argc int32, argv unsafe.Pointer) *cConnSlot
	closeConn     func(slot *cConnSlot)
	query         func(conn unsafe.Pointer, query, format string) *cResult
	streamQuery   func(conn unsafe.Pointer, query, format string) *cResult
	streamFetch   func(conn unsafe.Pointer, res *cResult) *cResult
	streamCancel  func(conn unsafe.Pointer, res *cResult)
	destroyResult func(res *cResult)
	resultBuffer  func(res *cResult) unsafe.Pointer
	resultLength  func(res *cResult) uint
	resultElapsed func(res *cResult) float64
	resultRows    func(res *cResult) uint64
	resultBytes   func(res *cResult) uint64
	resultError   func(res *cResult) unsafe.Pointer
	storageRows   func(res *cResult) uint64
	storageBytes  func(res *cResult) uint64

	setSignalHandlers func(enabled int32)
	sigaction         func(sig int32, act, old unsafe.Pointer) int32
}

var (
	libOnce sync.Once
	libErr  error
	libVal  *library
)

// loadLibrary loads libchdb once per process from the first candidate
// that loads.
func loadLibrary(candidates []string) (*library, error) {
	libOnce.Do(func() { libVal, libErr = openFirst(candidates) })
	return libVal, libErr
}

// openFirst opens the first candidate that is a usable libchdb; the error
// lists every path tried and the command that installs the library.
func openFirst(candidates []string) (*library, error) {
	var tried []string
	for _, path := range candidates {
		if _, err := os.Stat(path); err != nil {
			tried = append(tried, fmt.Sprintf("  %s: not found", path))
			continue
		}
		h, err := purego.Dlopen(path, purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			tried = append(tried, fmt.Sprintf("  %s: %v", path, err))
			continue
		}
		lib, err := bind(h, path)
		if err != nil {
			tried = append(tried, fmt.Sprintf("  %s: %v", path, err))
			continue
		}
		return lib, nil
	}
	return nil, fmt.Errorf("%w; tried:\n%s\n  install it with: %s", ErrNoLibrary, strings.Join(tried, "\n"), InstallCommand)
}

// bind resolves every function perch uses; a library without one of them
// is refused (RegisterLibFunc would panic).
func bind(h uintptr, path string) (lib *library, err error) {
	for _, name := range []string{"chdb_connect", "chdb_close_conn", "chdb_query", "chdb_stream_query",
		"chdb_stream_fetch_result", "chdb_stream_cancel_query", "chdb_destroy_query_result",
		"chdb_result_buffer", "chdb_result_length", "chdb_result_elapsed", "chdb_result_rows_read",
		"chdb_result_bytes_read", "chdb_result_error", "chdb_result_storage_rows_read", "chdb_result_storage_bytes_read"} {
		if _, err := purego.Dlsym(h, name); err != nil {
			return nil, fmt.Errorf("not a usable libchdb: no %s", name)
		}
	}
	lib = &library{path: path}
	purego.RegisterLibFunc(&lib.connect, h, "chdb_connect")
	purego.RegisterLibFunc(&lib.closeConn, h, "chdb_close_conn")
	purego.RegisterLibFunc(&lib.query, h, "chdb_query")
	purego.RegisterLibFunc(&lib.streamQuery, h, "chdb_stream_query")
	purego.RegisterLibFunc(&lib.streamFetch, h, "chdb_stream_fetch_result")
	purego.RegisterLibFunc(&lib.streamCancel, h, "chdb_stream_cancel_query")
	purego.RegisterLibFunc(&lib.destroyResult, h, "chdb_destroy_query_result")
	purego.RegisterLibFunc(&lib.resultBuffer, h, "chdb_result_buffer")
	purego.RegisterLibFunc(&lib.resultLength, h, "chdb_result_length")
	purego.RegisterLibFunc(&lib.resultElapsed, h, "chdb_result_elapsed")
	purego.RegisterLibFunc(&lib.resultRows, h, "chdb_result_rows_read")
	purego.RegisterLibFunc(&lib.resultBytes, h, "chdb_result_bytes_read")
	purego.RegisterLibFunc(&lib.resultError, h, "chdb_result_error")
	purego.RegisterLibFunc(&lib.storageRows, h, "chdb_result_storage_rows_read")
	purego.RegisterLibFunc(&lib.storageBytes, h, "chdb_result_storage_bytes_read")
	if _, err := purego.Dlsym(h, "chdb_set_signal_handlers_enabled"); err == nil {
		purego.RegisterLibFunc(&lib.setSignalHandlers, h, "chdb_set_signal_handlers_enabled")
	}
	if libc, err := purego.Dlopen(libcName(), purego.RTLD_NOW); err == nil {
		if _, err := purego.Dlsym(libc, "sigaction"); err == nil {
			purego.RegisterLibFunc(&lib.sigaction, libc, "sigaction")
		}
	}
	if lib.setSignalHandlers != nil {
		restore := lib.keepSignalHandlers()
		lib.setSignalHandlers(0)
		restore()
	}
	return lib, nil
}

func libcName() string {
	if runtime.GOOS == "darwin" {
		return "/usr/lib/libSystem.B.dylib"
	}
	return "libc.so.6"
}

// sigactionSize holds a struct sigaction on every libc (152 bytes on glibc).
const sigactionSize = 256

// keepSignalHandlers snapshots the process's signal handlers (the Go
// runtime's: stack growth, preemption, SIGINT for the CLI) and returns the
// function that puts them back. ClickHouse installs its own handlers when
// an engine starts; the Go runtime must keep owning every signal.
func (lib *library) keepSignalHandlers() func() {
	if lib.sigaction == nil {
		return func() {}
	}
	const maxSignal = 31
	saved := make([][sigactionSize]byte, maxSignal+1)
	for sig := int32(1); sig <= maxSignal; sig++ {
		lib.sigaction(sig, nil, unsafe.Pointer(&saved[sig][0]))
	}
	return func() {
		for sig := int32(1); sig <= maxSignal; sig++ {
			if sig == 9 || sig == 19 { // SIGKILL, SIGSTOP
				continue
			}
			lib.sigaction(sig, unsafe.Pointer(&saved[sig][0]), nil)
		}
	}
}

// cString reads a NUL-terminated C string.
func cString(p unsafe.Pointer) string {
	if p == nil {
		return ""
	}
	n := 0
	for *(*byte)(unsafe.Add(p, n)) != 0 {
		n++
	}
	return string(unsafe.Slice((*byte)(p), n))
}

// cArgv builds a C argv from args in Go memory pinned for the call; unpin
// after chdb_connect returns.
func cArgv(args []string) (unsafe.Pointer, func()) {
	var pin runtime.Pinner
	ptrs := make([]*byte, len(args)+1)
	for i, a := range args {
		b := append([]byte(a), 0)
		pin.Pin(&b[0])
		ptrs[i] = &b[0]
	}
	pin.Pin(&ptrs[0])
	return unsafe.Pointer(&ptrs[0]), pin.Unpin
}
