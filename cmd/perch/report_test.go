package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestReport: the one place that prints a command's error chooses the
// exit code of each kind of error and what stderr says.
func TestReport(t *testing.T) {
	tests := []struct {
		name       string
		cmd        string
		err        error
		wantCode   int
		wantStderr string
	}{
		{"success", "plan", nil, exitOK, ""},
		{"changes pending", "plan", errPending, exitChanges, ""},
		{"already reported", "check", errReported, exitError, ""},
		{"flag error (the flag set printed it)", "plan", fmt.Errorf("flag provided but not defined: -x: %w", errReported), exitError, ""},
		{"usage", "diff", usageError("perch diff [DIR]"), exitError, "usage: perch diff [DIR]\n"},
		{"plain", "compile", plainError{"p/a.pipe:3:7: unknown function"}, exitError, "p/a.pipe:3:7: unknown function\n"},
		{"error", "apply", errors.New("connect to x: refused"), exitError, "perch apply: connect to x: refused\n"},
		{"TUI", "", errors.New("x is not a directory"), exitError, "perch: x is not a directory\n"},
		{"hints", "apply", withHints(errors.New("stale"), "run perch plan again"), exitError, "perch apply: stale\nperch apply: run perch plan again\n"},
		{"subcommand", "local", &subcommandError{"start", errors.New("no binary")}, exitError, "perch local start: no binary\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr strings.Builder
			code := report(&env{stderr: &stderr}, tt.cmd, tt.err)
			if code != tt.wantCode || stderr.String() != tt.wantStderr {
				t.Errorf("report = %d %q, want %d %q", code, stderr.String(), tt.wantCode, tt.wantStderr)
			}
		})
	}
}
