package datafiles

import (
	"io/fs"
	"syscall"
)

// readFile reads a whole file with the fewest system calls (open, read
// until a short read, close): os.ReadFile also stats the file and registers it with
// the poller, which dominates loading a project of thousands of small files.
// It reads into *scratch (grown as needed and kept for the next call; nil
// for none) and returns the text as a string of the exact size, so a
// project of small files allocates little more than their text.
func readFile(path string, scratch *[]byte) (string, error) {
	if scratch == nil {
		scratch = new([]byte)
	}
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return "", &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	buf := (*scratch)[:0]
	if cap(buf) < 4096 {
		buf = make([]byte, 0, 4096)
	}
	defer func() { *scratch = buf[:0] }()
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return "", &fs.PathError{Op: "read", Path: path, Err: err}
		}
		if n == 0 {
			return string(buf), nil
		}
		short := n < cap(buf)-len(buf)
		buf = buf[:len(buf)+n]
		if short {
			return string(buf), nil // a short read of a regular file is its end
		}
	}
}
