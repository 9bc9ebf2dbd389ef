package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/localserver"
)

// runLocal implements `perch local start|stop|status [DIR] [--json]`: the
// project-local ClickHouse server, the default target.
func runLocal(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("local", e.stderr)
	asJSON := fs.Bool("json", false, "print status as JSON")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 1 || len(pos) > 2 {
		return usageError("perch local start|stop|status [DIR] [--json]")
	}
	dir := dirArg(pos[1:])
	action := map[string]func() error{
		"start":  func() error { return localStart(ctx, e, dir) },
		"stop":   func() error { return localStop(ctx, e, dir) },
		"status": func() error { return localStatus(ctx, e, dir, *asJSON) },
	}[pos[0]]
	if action == nil {
		return fmt.Errorf("unknown action %q (start, stop or status)", pos[0])
	}
	if err := action(); err != nil {
		return &subcommandError{name: pos[0], err: err}
	}
	return nil
}

func localStart(ctx context.Context, e *env, dir string) error {
	st, reused, err := localserver.StartProject(ctx, dir, localserver.Binary{})
	if err != nil {
		return err
	}
	if reused {
		fmt.Fprintf(e.stdout, "already running: ClickHouse at 127.0.0.1:%d (pid %d)\n", st.Ports.TCP, st.PID)
		return nil
	}
	fmt.Fprintf(e.stdout, "started %s\n  native 127.0.0.1:%d, http 127.0.0.1:%d, pid %d\n  data in %s\n  perch uses it when no --target, --dsn or PERCH_DSN is given (database %s)\n",
		st.Binary, st.Ports.TCP, st.Ports.HTTP, st.PID, st.Dir, workspace.DefaultLocalDatabase)
	return nil
}

func localStop(ctx context.Context, e *env, dir string) error {
	stopped, err := localserver.StopProject(ctx, dir)
	if err != nil {
		return err
	}
	if !stopped {
		fmt.Fprintln(e.stdout, "not running")
		return nil
	}
	fmt.Fprintf(e.stdout, "stopped (data kept in %s)\n", localserver.ProjectDir(dir))
	return nil
}

func localStatus(ctx context.Context, e *env, dir string, asJSON bool) error {
	st, err := localserver.ProjectStatus(ctx, dir)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(e.stdout, st)
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
	return nil
}
