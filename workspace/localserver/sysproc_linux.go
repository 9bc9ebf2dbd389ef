//go:build linux

package localserver

import "syscall"

// sysProcAttr runs a detached server in its own session; an attached one
// is killed when this process dies, so test servers never leak.
func sysProcAttr(detached bool) *syscall.SysProcAttr {
	if detached {
		return &syscall.SysProcAttr{Setsid: true}
	}
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
