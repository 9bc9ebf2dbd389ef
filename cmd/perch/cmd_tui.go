package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	tea "charm.land/bubbletea/v2"

	"github.com/perchdata/perch/tui"
	"github.com/perchdata/perch/tui/live"
	"github.com/perchdata/perch/tui/theme"
)

// runTUI opens the terminal UI: perch [DIR] [--read-only] [--theme dark|light].
func runTUI(ctx context.Context, e *env, args []string) error {
	return runTUIWith(ctx, e, args, nil)
}

// runTUIWith is runTUI with an activity line beside the tabs (nil for none),
// polled every second: the demo shows its event stream there.
func runTUIWith(ctx context.Context, e *env, args []string, activity func() string) error {
	fs := newFlagSet("", e.stderr)
	readOnly := fs.Bool("read-only", false, "remove applying entirely")
	themeName := fs.String("theme", "dark", "colour theme: dark or light")
	tf := addTargetFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return fmt.Errorf("unknown command %q (see perch help)", pos[0])
	}
	dir := dirArg(pos)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("%s is not a directory (see perch help)", dir)
	}
	th, err := theme.ByName(*themeName)
	if err != nil {
		return err
	}
	if !e.isTerminal {
		return errors.New("the terminal UI needs a terminal; in scripts use perch check, plan, apply (see perch help)")
	}
	sel := tf.selection()
	backend := live.New(dir, sel, e.getenv)
	target := tf.Target
	if target == "" && (tf.DSN != "" || e.getenv("PERCH_DSN") != "") {
		target = "dsn"
	}
	backend.App.Version = buildVersion()
	defer backend.Close()
	m := tui.New(ctx, backend, tui.Options{ReadOnly: *readOnly, Theme: th, Target: target, Editor: e.getenv("EDITOR"), WatchProject: true, Activity: activity})
	defer m.Close()
	p := tea.NewProgram(m, tea.WithContext(ctx))
	if _, err := p.Run(); err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}
