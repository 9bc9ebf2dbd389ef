//go:build !linux

package localserver

import "syscall"

// sysProcAttr runs a detached server in its own session.
func sysProcAttr(detached bool) *syscall.SysProcAttr {
	if detached {
		return &syscall.SysProcAttr{Setsid: true}
	}
	return &syscall.SysProcAttr{Setpgid: true}
}
