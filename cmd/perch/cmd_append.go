package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace/ingest"
)

// maxRejectedShown bounds the rejected lines printed.
const maxRejectedShown = 50

// runAppend implements `perch append [DIR] DATASOURCE FILE [--format
// ndjson|csv]`: append a file's rows to a data source's table.
func runAppend(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("append", e.stderr)
	tf := addTargetFlags(fs)
	format := fs.String("format", "", "input format: ndjson or csv (default: by the file's extension)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 || len(pos) > 3 {
		return usageError("perch append [DIR] DATASOURCE FILE [--format ndjson|csv]")
	}
	dir := "."
	if len(pos) == 3 {
		dir, pos = pos[0], pos[1:]
	}
	name, file := pos[0], pos[1]
	f := ingest.Format(*format)
	if f == "" {
		f = ingest.FormatOf(file)
	}
	p, err := datafiles.Load(dir)
	if err != nil {
		return err
	}
	ds, ok := p.Datasources[name]
	if !ok {
		return fmt.Errorf("no data source %s in %s", name, dir)
	}
	in, err := os.Open(file)
	if err != nil {
		return err
	}
	defer in.Close()
	c, err := openWorkspace(ctx, e, dir, tf)
	if err != nil {
		return err
	}
	defer c.Close()
	res, err := ingest.Append(ctx, c, ds, in, ingest.Options{Format: f})
	if errors.Is(err, ingest.ErrRejected) {
		for i, r := range res.Rejected {
			if i == maxRejectedShown {
				fmt.Fprintf(e.stderr, "... and %d more\n", len(res.Rejected)-i)
				break
			}
			fmt.Fprintf(e.stderr, "%s:%s\n", file, r)
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "appended %d rows to %s (%d inserts)\n", res.Rows, name, res.Batches)
	return nil
}
