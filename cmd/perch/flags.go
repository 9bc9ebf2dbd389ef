package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// targetFlags are the global flags that choose the remote workspace.
type targetFlags struct {
	Target   string
	DSN      string
	Database string
}

// newFlagSet returns a flag set for a subcommand that reports errors to
// stderr and does not exit the process.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("perch "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// addTargetFlags registers --target, --dsn and --database on fs.
func addTargetFlags(fs *flag.FlagSet) *targetFlags {
	t := &targetFlags{}
	fs.StringVar(&t.Target, "target", "", "named target from perch.toml")
	fs.StringVar(&t.DSN, "dsn", "", "ClickHouse DSN (clickhouse://user@host:9000/db, or chdb://FOLDER for the embedded engine); default $PERCH_DSN")
	fs.StringVar(&t.Database, "database", "", "database of the workspace")
	return t
}

// multiFlag collects a repeatable string flag (--param k=v --param k2=v2).
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// parseParams turns k=v strings into a map; a value without = is an error.
func parseParams(kvs []string) (map[string]string, error) {
	out := make(map[string]string, len(kvs))
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--param %q: want name=value", kv)
		}
		out[k] = v
	}
	return out, nil
}

// parseInterspersed parses flags that may come before, between or after the
// positional arguments (`perch check DIR --json` and `perch check --json DIR`)
// and returns the positionals. "--" ends flag parsing.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		// fs.Parse stops at the first positional; "--" was consumed if present.
		consumedDashes := len(args) > len(rest) && args[len(args)-len(rest)-1] == "--"
		if consumedDashes {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// parseDirArgs parses the flags of a command that takes at most one
// positional DIR (default "."). On a usage error it prints usage to stderr and
// returns ok = false.
func parseDirArgs(fs *flag.FlagSet, args []string, stderr io.Writer, usage string) (dir string, ok bool) {
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return "", false
	}
	if len(pos) > 1 {
		fmt.Fprintln(stderr, "usage: "+usage)
		return "", false
	}
	if len(pos) == 1 {
		return pos[0], true
	}
	return ".", true
}
