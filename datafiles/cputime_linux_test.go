package datafiles

import "syscall"

// processCPU returns the user and system CPU time of the process in ns, to
// report work per operation independently of how loaded the machine is.
func processCPU() (user, sys int64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	return ru.Utime.Nano(), ru.Stime.Nano()
}
