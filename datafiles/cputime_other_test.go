//go:build !linux

package datafiles

// processCPU is not measured on this platform.
func processCPU() (user, sys int64) { return 0, 0 }
