//go:build !linux

package datafiles

import "os"

// readFile reads a whole file (scratch is unused here).
func readFile(path string, _ *[]byte) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}
