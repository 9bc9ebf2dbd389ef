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
func runDiff(ctx context.Context, e *env, args []string) int    { return notYet(e, "diff") }
func runPlan(ctx context.Context, e *env, args []string) int    { return notYet(e, "plan") }
func runApply(ctx context.Context, e *env, args []string) int   { return notYet(e, "apply") }
func runPull(ctx context.Context, e *env, args []string) int    { return notYet(e, "pull") }
func runHistory(ctx context.Context, e *env, args []string) int { return notYet(e, "history") }
func runRevert(ctx context.Context, e *env, args []string) int  { return notYet(e, "revert") }
func runLocal(ctx context.Context, e *env, args []string) int   { return notYet(e, "local") }
