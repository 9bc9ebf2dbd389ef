package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
	"github.com/perchdata/perch/datafiles/template"
)

// runCompile implements `perch compile [DIR] PIPE[.NODE] [--param k=v ...]
// [--placeholders | --defaults]`: print a node as one runnable SELECT.
func runCompile(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("compile", e.stderr)
	var params multiFlag
	fs.Var(&params, "param", "template parameter name=value (repeatable)")
	placeholders := fs.Bool("placeholders", false, "render missing parameters as defaults or typed placeholders; every branch that tests a parameter is taken")
	defaults := fs.Bool("defaults", false, "render as if every parameter with a default had been given it")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 1 || len(pos) > 2 || *placeholders && *defaults {
		return usageError("perch compile [DIR] PIPE[.NODE] [--param k=v ...] [--placeholders | --defaults]")
	}
	dir, target := ".", pos[0]
	if len(pos) == 2 {
		dir, target = pos[0], pos[1]
	}
	values, err := parseParams(params)
	if err != nil {
		return err
	}
	opts := compile.Options{Mode: template.Given, Params: values, Getenv: e.getenv}
	switch {
	case *placeholders:
		opts.Mode = template.Placeholders
	case *defaults:
		opts.Mode = template.Defaults
	}
	p, err := datafiles.Load(dir)
	if err != nil {
		return err
	}
	pipe, node, _ := strings.Cut(target, ".")
	res, err := compile.Compile(p, pipe, node, opts)
	if err != nil {
		return compileError(dir, err)
	}
	for _, u := range res.Unresolved {
		shown := u.Pos
		shown.File = filepath.Join(dir, shown.File)
		fmt.Fprintf(e.stderr, "%s: warning: %s is not a node, pipe or data source of the project; left as is\n", shown, u.Name)
	}
	fmt.Fprintln(e.stdout, res.SQL)
	return nil
}
