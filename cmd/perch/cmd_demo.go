package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/localserver"
	"github.com/perchdata/perch/workspace/stream"
)

// demoOptions are the parsed arguments of `perch demo`.
type demoOptions struct {
	dir      string
	sel      workspace.Selection
	rate     float64
	interval time.Duration
	// noTUI streams until interrupted instead of opening the TUI.
	noTUI bool
}

// runDemo implements `perch demo [DIR]`: start the project-local ClickHouse
// (unless a target is given), deploy the project, stream generated events
// into its `events` data source in the background, open the TUI on it, and
// stop the stream when the TUI exits, checking that every event arrived.
func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("demo", e.stderr)
	tf := addTargetFlags(fs)
	o := demoOptions{dir: "."}
	fs.Float64Var(&o.rate, "rate", 200, "events per second to stream")
	fs.DurationVar(&o.interval, "interval", time.Second, "time between two inserts")
	fs.BoolVar(&o.noTUI, "no-tui", false, "stream until interrupted (Ctrl-C) instead of opening the TUI")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usageError("perch demo [DIR] [--rate N] [--interval D] [--no-tui]")
	}
	o.dir = dirArg(pos)
	o.sel = tf.selection()
	if !o.noTUI && !e.isTerminal {
		return errors.New("the TUI needs a terminal; run it in one, or pass --no-tui to stream until Ctrl-C")
	}
	return demo(ctx, e, o)
}

func demo(ctx context.Context, e *env, o demoOptions) error {
	proj, err := loadDemoProject(ctx, e, o.dir)
	if err != nil {
		return err
	}
	client, fresh, err := connectDemo(ctx, e, o)
	if err != nil {
		if errors.Is(err, localserver.ErrNoBinary) {
			return fmt.Errorf("%w\n\n%s", err, localserver.InstallHelp)
		}
		return err
	}
	defer client.Close()
	if err := deployProject(ctx, e, client, proj, fresh); err != nil {
		return err
	}

	s, err := stream.New(client.Conn(), stream.Config{
		Table:         client.Database() + ".events",
		RowsPerSecond: o.rate,
		BatchInterval: o.interval,
		// A failed insert (say, during a table swap) must not end the demo;
		// it is counted and left out of the loss check.
		KeepGoing: true,
	})
	if err != nil {
		return err
	}
	streamCtx, stopStream := context.WithCancel(ctx)
	defer stopStream()
	type result struct {
		tally stream.Tally
		err   error
	}
	done := make(chan result, 1)
	go func() {
		t, err := s.Run(streamCtx)
		done <- result{t, err}
	}()
	fmt.Fprintf(e.stdout, "streaming %g events/s into %s.events (event_id from %d)\n", o.rate, client.Database(), s.Config().FirstID)

	var tuiErr error
	if o.noTUI {
		fmt.Fprintln(e.stdout, "press Ctrl-C to stop")
		<-ctx.Done()
	} else {
		tuiErr = runTUIWith(ctx, e, demoTUIArgs(o), func() string {
			t := s.Tally()
			line := fmt.Sprintf("● streaming %d events into events", t.Rows)
			if n := len(t.Failed); n > 0 {
				line += fmt.Sprintf(" (%d inserts failed)", n)
			}
			return line
		})
	}
	stopStream()
	r := <-done
	if r.err != nil {
		return r.err
	}
	if err := reportStream(ctx, e, client, r.tally); err != nil {
		return err
	}
	return tuiErr
}

// loadDemoProject loads DIR and checks it has an events data source the
// generator can write.
func loadDemoProject(ctx context.Context, e *env, dir string) (*datafiles.Project, error) {
	p, err := datafiles.Load(dir)
	if err != nil {
		return nil, err
	}
	if p.HasErrors() {
		for _, d := range checkProject(ctx, p, e.getenv) {
			fmt.Fprintln(e.stderr, d)
		}
		return nil, fmt.Errorf("%s has errors: fix them (perch check %s) and try again", dir, dir)
	}
	ds, ok := p.Datasources["events"]
	if !ok {
		return nil, fmt.Errorf("%s has no events data source to stream into (try: perch demo examples/analytics)", dir)
	}
	var have []string
	for _, c := range ds.Columns {
		have = append(have, c.Name)
	}
	if missing := stream.MissingColumns(have); len(missing) > 0 {
		return nil, fmt.Errorf("%s: the events data source lacks columns the generator writes: %v", ds.File, missing)
	}
	return p, nil
}

// connectDemo resolves the target and connects; for the project-local
// server it starts the server first (or reuses the running one) and
// returns the command that starts it from an empty database (fresh).
func connectDemo(ctx context.Context, e *env, o demoOptions) (c *workspace.Client, fresh string, err error) {
	t, err := workspace.ResolveTarget(o.dir, o.sel, e.getenv)
	if err != nil {
		return nil, "", err
	}
	if t.Local {
		st, reused, err := localserver.StartProject(ctx, o.dir, localserver.Binary{})
		if err != nil {
			return nil, "", err
		}
		verb := "started"
		if reused {
			verb = "using running"
		}
		fmt.Fprintf(e.stdout, "%s local ClickHouse at 127.0.0.1:%d (pid %d, data in %s; stop it with: perch local stop %s)\n",
			verb, st.Ports.TCP, st.PID, st.Dir, o.dir)
		if t, err = workspace.ResolveTarget(o.dir, o.sel, e.getenv); err != nil {
			return nil, "", err
		}
		fresh = fmt.Sprintf("perch local stop %s && rm -rf %s", o.dir, localserver.ProjectDir(o.dir))
	}
	c, err = workspace.Open(ctx, t)
	return c, fresh, err
}

// demoTUIArgs are the arguments that open the TUI on the same project and target.
func demoTUIArgs(o demoOptions) []string {
	args := []string{o.dir}
	for _, f := range [][2]string{{"--target", o.sel.Target}, {"--dsn", o.sel.DSN}, {"--database", o.sel.Database}} {
		if f[1] != "" {
			args = append(args, f[0], f[1])
		}
	}
	return args
}

// reportStream prints the stream's tally and proves no event was lost: the
// events table must hold every confirmed event exactly once.
func reportStream(ctx context.Context, e *env, c *workspace.Client, t stream.Tally) error {
	fmt.Fprintf(e.stdout, "stream stopped: %s\n", t)
	// The demo's context may be cancelled (Ctrl-C); the check must still run.
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var rows, ids uint64
	q := t.CheckSQL(c.Database() + ".events")
	if err := c.Conn().QueryRow(cctx, q).Scan(&rows, &ids); err != nil {
		return fmt.Errorf("check the streamed events: %w", err)
	}
	if rows != t.Rows || ids != t.Rows {
		return fmt.Errorf("events LOST or duplicated: %d rows with %d distinct ids stored, %d inserted\n  query: %s", rows, ids, t.Rows, q)
	}
	fmt.Fprintf(e.stdout, "no event lost: all %d streamed events are in %s.events exactly once\n  check: %s\n", t.Rows, c.Database(), q)
	return nil
}
