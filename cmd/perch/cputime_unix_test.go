//go:build unix

package main

import "syscall"

// processCPU returns the user and system CPU time of the process so far, in
// nanoseconds (0, 0 where unknown).
func processCPU() (user, sys int64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	return ru.Utime.Nano(), ru.Stime.Nano()
}
