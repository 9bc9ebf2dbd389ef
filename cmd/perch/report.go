package main

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/perchdata/perch/datafiles/compile"
)

// Exit codes shared by every command (see the README's CLI contract).
const (
	exitOK      = 0
	exitError   = 1
	exitChanges = 2 // with --detailed-exitcode: changes pending
)

// exitStatus is an error that only chooses the exit code: what there was to
// say has been printed (check's diagnostics, fmt --check's files, a flag
// error the flag package reported) or is the code itself (changes pending).
type exitStatus int

func (s exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(s)) }

var (
	// errReported: the command failed and said why already.
	errReported = exitStatus(exitError)
	// errPending: changes are pending (plan --detailed-exitcode).
	errPending = exitStatus(exitChanges)
)

// usageError is a command line a command cannot run; it prints as
// "usage: <text>" (exit 1).
type usageError string

func (u usageError) Error() string { return "usage: " + string(u) }

// plainError prints as is, without the "perch CMD:" prefix: a message that
// starts with its own file:line:col.
type plainError struct{ msg string }

func (p plainError) Error() string { return p.msg }

// hintedError is an error followed by lines saying what to do, each printed
// with the command's prefix.
type hintedError struct {
	err   error
	hints []string
}

func (h *hintedError) Error() string { return h.err.Error() }
func (h *hintedError) Unwrap() error { return h.err }

// withHints adds hint lines to err.
func withHints(err error, hints ...string) error { return &hintedError{err: err, hints: hints} }

// subcommandError names the subcommand that failed ("local start"), which
// the prefix then shows instead of the command's name.
type subcommandError struct {
	name string
	err  error
}

func (s *subcommandError) Error() string { return s.err.Error() }
func (s *subcommandError) Unwrap() error { return s.err }

// report is the one place that prints a command's error and chooses the
// exit code: nil is 0; an exitStatus is its code, silently; a usage error
// prints its usage line; a plainError prints as is; anything else prints
// as "perch CMD: error" (name "" for the TUI: "perch: error"), then its
// hints. Every other failure exits 1.
func report(e *env, name string, err error) int {
	if err == nil {
		return exitOK
	}
	var (
		status exitStatus
		usage  usageError
		plain  plainError
		sub    *subcommandError
		hinted *hintedError
	)
	switch {
	case errors.As(err, &status):
		return int(status)
	case errors.As(err, &usage):
		fmt.Fprintln(e.stderr, usage.Error())
		return exitError
	case errors.As(err, &plain):
		fmt.Fprintln(e.stderr, plain.msg)
		return exitError
	}
	if errors.As(err, &sub) {
		name += " " + sub.name
	}
	prefix := "perch"
	if name != "" {
		prefix += " " + name
	}
	fmt.Fprintf(e.stderr, "%s: %v\n", prefix, err)
	if errors.As(err, &hinted) {
		for _, h := range hinted.hints {
			fmt.Fprintf(e.stderr, "%s: %s\n", prefix, h)
		}
	}
	return exitError
}

// compileError shows a compile error at its position in the project in dir
// (file:line:col: message), other errors as they are.
func compileError(dir string, err error) error {
	var ce *compile.Error
	if errors.As(err, &ce) && ce.Pos.File != "" {
		shown := ce.Pos
		shown.File = filepath.Join(dir, shown.File)
		return plainError{fmt.Sprintf("%s: %s", shown, ce.Msg)}
	}
	return err
}
