package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/perchdata/perch/workspace"
)

// targetFlags are the global flags that choose the remote workspace.
type targetFlags struct {
	Target   string
	DSN      string
	Database string
	Branch   string
}

// newFlagSet returns a flag set for a subcommand that reports errors to
// stderr and does not exit the process.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("perch "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// selection is the target the flags choose.
func (t *targetFlags) selection() workspace.Selection {
	return workspace.Selection{Target: t.Target, DSN: t.DSN, Database: t.Database, Branch: t.Branch}
}

// addTargetFlags registers --target, --dsn, --database and --branch on fs.
func addTargetFlags(fs *flag.FlagSet) *targetFlags {
	t := &targetFlags{}
	fs.StringVar(&t.Target, "target", "", "named target from perch.toml")
	fs.StringVar(&t.DSN, "dsn", "", "ClickHouse DSN (clickhouse://user@host:9000/db, or chdb://FOLDER for the embedded engine); default $PERCH_DSN")
	fs.StringVar(&t.Database, "database", "", "database of the workspace")
	fs.StringVar(&t.Branch, "branch", "", "run against this branch of the workspace (perch branch ls; main: the workspace)")
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
// and returns the positionals. "--" ends flag parsing. A flag error, which
// the flag set has printed, is returned wrapping errReported.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, fmt.Errorf("%v: %w", err, errReported)
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
// positional DIR (default "."); a second positional is a usageError.
func parseDirArgs(fs *flag.FlagSet, args []string, usage string) (dir string, err error) {
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return "", err
	}
	if len(pos) > 1 {
		return "", usageError(usage)
	}
	return dirArg(pos), nil
}

// dirArg is the DIR positional, "." when there is none.
func dirArg(pos []string) string {
	if len(pos) > 0 {
		return pos[0]
	}
	return "."
}

// writeJSON writes v as indented JSON: the --json output of the commands.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
