package main

import "fmt"

// notYet reports a command that is part of the CLI contract but not built yet.
// Each command moves to its own file as it is implemented.
func notYet(e *env, name string) int {
	fmt.Fprintf(e.stderr, "perch %s: not implemented yet\n", name)
	return exitError
}
