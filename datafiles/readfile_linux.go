package datafiles

import (
	"io/fs"
	"syscall"
)

// readFile reads a whole file with the fewest system calls (open, read
// until a short read, close): os.ReadFile also stats the file and registers it with
// the poller, which dominates loading a project of thousands of small files.
func readFile(path string) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	buf := make([]byte, 0, 4096)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		if n == 0 {
			return buf, nil
		}
		short := n < cap(buf)-len(buf)
		buf = buf[:len(buf)+n]
		if short {
			return buf, nil // a short read of a regular file is its end
		}
	}
}
