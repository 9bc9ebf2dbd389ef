//go:build !unix

package main

// processCPU is unknown on this system.
func processCPU() (user, sys int64) { return 0, 0 }
