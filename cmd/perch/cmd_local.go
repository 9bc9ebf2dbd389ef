package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/localserver"
)

// runLocal implements `perch local start|stop|status [DIR] [--json]`: the
// project-local ClickHouse server, the default target.
func runLocal(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("local", e.stderr)
	asJSON := fs.Bool("json", false, "print status as JSON")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitError
	}
	if len(pos) < 1 || len(pos) > 2 {
		fmt.Fprintln(e.stderr, "usage: perch local start|stop|status [DIR] [--json]")
		return exitError
	}
	dir := "."
	if len(pos) == 2 {
		dir = pos[1]
	}
	switch pos[0] {
	case "start":
		return localStart(ctx, e, dir)
	case "stop":
		return localStop(ctx, e, dir)
	case "status":
		return localStatus(ctx, e, dir, *asJSON)
	}
	fmt.Fprintf(e.stderr, "perch local: unknown action %q (start, stop or status)\n", pos[0])
	return exitError
}

func localStart(ctx context.Context, e *env, dir string) int {
	st, reused, err := localserver.StartProject(ctx, dir, localserver.Binary{})
	if err != nil {
		fmt.Fprintf(e.stderr, "perch local start: %v\n", err)
		return exitError
	}
	if reused {
		fmt.Fprintf(e.stdout, "already running: ClickHouse at 127.0.0.1:%d (pid %d)\n", st.Ports.TCP, st.PID)
		return exitOK
	}
	fmt.Fprintf(e.stdout, "started %s\n  native 127.0.0.1:%d, http 127.0.0.1:%d, pid %d\n  data in %s\n  perch uses it when no --target, --dsn or PERCH_DSN is given (database %s)\n",
		st.Binary, st.Ports.TCP, st.Ports.HTTP, st.PID, st.Dir, workspace.DefaultLocalDatabase)
	return exitOK
}

func localStop(ctx context.Context, e *env, dir string) int {
	stopped, err := localserver.StopProject(ctx, dir)
	if err != nil {
		fmt.Fprintf(e.stderr, "perch local stop: %v\n", err)
		return exitError
	}
	if !stopped {
		fmt.Fprintln(e.stdout, "not running")
		return exitOK
	}
	fmt.Fprintf(e.stdout, "stopped (data kept in %s)\n", localserver.ProjectDir(dir))
	return exitOK
}

func localStatus(ctx context.Context, e *env, dir string, asJSON bool) int {
	st, err := localserver.ProjectStatus(ctx, dir)
	if err != nil {
		fmt.Fprintf(e.stderr, "perch local status: %v\n", err)
		return exitError
	}
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(st); err != nil {
			fmt.Fprintf(e.stderr, "perch local status: %v\n", err)
			return exitError
		}
		return exitOK
	}
	var b strings.Builder
	switch {
	case st.Running:
		fmt.Fprintf(&b, "running: ClickHouse %s, pid %d\n  native 127.0.0.1:%d, http 127.0.0.1:%d\n", st.Version, st.State.PID, st.State.Ports.TCP, st.State.Ports.HTTP)
	case st.State != nil:
		fmt.Fprintf(&b, "not answering: pid %d recorded but the server does not respond (run: perch local stop %s, then start)\n", st.State.PID, dir)
	default:
		fmt.Fprintf(&b, "not running (start it with: perch local start %s)\n", dir)
		if _, err := localserver.FindBinary(nil); errors.Is(err, localserver.ErrNoBinary) {
			fmt.Fprintf(&b, "no ClickHouse server binary found.\n%s\n", localserver.InstallHelp)
		}
	}
	fmt.Fprintf(&b, "  data %s in %s\n", workspace.HumanBytes(uint64(st.DataBytes)), st.Dir)
	fmt.Fprint(e.stdout, b.String())
	return exitOK
}
