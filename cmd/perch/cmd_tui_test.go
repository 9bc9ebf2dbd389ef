package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestRunTUIArguments(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name     string
		args     []string
		terminal bool
		want     string
	}{
		{"not a directory", []string{dir + "/missing"}, true, "is not a directory"},
		{"unknown theme", []string{dir, "--theme", "pink"}, true, `theme "pink": want dark or light`},
		{"two positionals", []string{dir, "other"}, true, "unknown command"},
		{"bad flag", []string{"--nope"}, true, "flag provided but not defined"},
		{"no terminal", []string{dir, "--read-only"}, false, "needs a terminal"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, isTerminal: tc.terminal}
			if code := run(context.Background(), e, tc.args); code != exitError {
				t.Fatalf("exit %d, want %d", code, exitError)
			}
			if !strings.Contains(errb.String(), tc.want) {
				t.Fatalf("stderr %q lacks %q", errb.String(), tc.want)
			}
		})
	}
}
