package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/perchdata/perch/datafiles"
)

// runFmt implements `perch fmt [DIR] [--check]`: rewrite every datafile in
// the canonical style, or with --check list the files that would change and
// exit 1 when there are any. Files with errors are reported and left alone
// (exit 1); files using INCLUDE are left alone with a note.
func runFmt(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("fmt", e.stderr)
	check := fs.Bool("check", false, "list files that are not formatted and exit 1; write nothing")
	dir, err := parseDirArgs(fs, args, "perch fmt [DIR] [--check]")
	if err != nil {
		return err
	}
	p, err := datafiles.LoadWith(dir, datafiles.LoadOptions{})
	if err != nil {
		return err
	}
	var failed error // the files that failed are reported as they come
	for _, rel := range p.Files {
		if strings.HasSuffix(rel, ".incl") {
			continue
		}
		src, ok := p.Sources[rel]
		if !ok {
			continue // unreadable: reported below by the loader's diagnostics
		}
		path := filepath.Join(dir, filepath.FromSlash(rel))
		out, err := datafiles.FormatFile(rel, []byte(src))
		switch {
		case errors.Is(err, datafiles.ErrUsesInclude):
			fmt.Fprintf(e.stderr, "%s: %v\n", path, err)
			continue
		case err != nil:
			report(e, "fmt", fmt.Errorf("%s: %w", path, err))
			failed = errReported
			continue
		}
		if out == src {
			continue
		}
		fmt.Fprintln(e.stdout, path)
		if *check {
			failed = errReported
			continue
		}
		if err := writeFileAtomic(path, []byte(out)); err != nil {
			report(e, "fmt", err)
			failed = errReported
		}
	}
	return failed
}

// writeFileAtomic replaces path with data through a temporary file in the
// same folder, keeping the file's permissions.
func writeFileAtomic(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".perch-fmt-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
