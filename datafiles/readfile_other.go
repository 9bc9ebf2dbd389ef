//go:build !linux

package datafiles

import "os"

// readFile reads a whole file.
func readFile(path string) ([]byte, error) { return os.ReadFile(path) }
