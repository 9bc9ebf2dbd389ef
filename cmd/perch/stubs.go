package main

import (
	"context"
	"fmt"
)

// notYet reports a command that is part of the CLI contract but not built yet.
// Each command moves to its own file as it is implemented.
func notYet(e *env, name string) int {
	fmt.Fprintf(e.stderr, "perch %s: not implemented yet\n", name)
	return exitError
}

func runPreview(ctx context.Context, e *env, args []string) int { return notYet(e, "preview") }
func runStatus(ctx context.Context, e *env, args []string) int  { return notYet(e, "status") }
func runPull(ctx context.Context, e *env, args []string) int    { return notYet(e, "pull") }
func runHistory(ctx context.Context, e *env, args []string) int { return notYet(e, "history") }
func runLocal(ctx context.Context, e *env, args []string) int   { return notYet(e, "local") }
