package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime/debug"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/compile"
)

// projectCheck is one validation run over a loaded project beyond parsing;
// getenv answers tb_secret() and tb_var() (nil: none is set).
type projectCheck func(ctx context.Context, p *datafiles.Project, getenv func(string) string) []datafiles.Diagnostic

// projectChecks lists the checks `perch check` runs after loading. Template
// validation (datafiles/compile) is added here as one more entry.
func projectChecks() []projectCheck {
	return []projectCheck{
		// Render every templated node in placeholder mode, with the secrets
		// the environment sets (as perch compile reads them), and compile it.
		func(ctx context.Context, p *datafiles.Project, getenv func(string) string) []datafiles.Diagnostic {
			return compile.ValidateEnv(p, getenv)
		},
	}
}

// checkProject returns every diagnostic of a loaded project, sorted: the
// loader's and those of projectChecks, with getenv answering secrets.
func checkProject(ctx context.Context, p *datafiles.Project, getenv func(string) string) []datafiles.Diagnostic {
	diags := append([]datafiles.Diagnostic(nil), p.Diagnostics...)
	for _, check := range projectChecks() {
		diags = append(diags, check(ctx, p, getenv)...)
	}
	datafiles.SortDiagnostics(diags)
	return diags
}

// The garbage collector's GOGC and soft memory limit during `perch check`
// (a 3,000-file project peaks at about 60 MB).
const (
	checkGCPercent   = 800
	checkMemoryLimit = 512 << 20
)

// checkItem is one diagnostic in `perch check --json`.
type checkItem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
}

// checkCounts is the resource count of `perch check --json`.
type checkCounts struct {
	Datasources int `json:"datasources"`
	Pipes       int `json:"pipes"`
	Connections int `json:"connections"`
}

// checkReport is the stable JSON output of `perch check --json`.
type checkReport struct {
	Files     int         `json:"files"`
	Resources checkCounts `json:"resources"`
	Errors    []checkItem `json:"errors"`
	Warnings  []checkItem `json:"warnings"`
}

// runCheck implements `perch check [DIR] [--json]`: load and validate a
// project, print every diagnostic and a summary, exit 1 on any error.
func runCheck(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("check", e.stderr)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	dir, err := parseDirArgs(fs, args, "perch check [DIR] [--json]")
	if err != nil {
		return err
	}
	// A check is one short pass over the whole project that keeps most of
	// what it builds: collecting garbage rarely saves a third of its CPU
	// time. A soft memory limit still makes the collector run before a very
	// large project's heap grows past it.
	defer debug.SetGCPercent(debug.SetGCPercent(checkGCPercent))
	if debug.SetMemoryLimit(-1) > checkMemoryLimit {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(checkMemoryLimit))
	}
	p, err := datafiles.Load(dir)
	if err != nil {
		return err
	}
	diags := checkProject(ctx, p, e.getenv)
	report := checkReport{
		Files:     len(p.Files),
		Resources: checkCounts{len(p.Datasources), len(p.Pipes), len(p.Connections)},
		Errors:    []checkItem{},
		Warnings:  []checkItem{},
	}
	for _, d := range diags {
		item := checkItem{File: d.Pos.File, Line: d.Pos.Line, Col: d.Pos.Col, Message: d.Message}
		if d.Severity == datafiles.Error {
			report.Errors = append(report.Errors, item)
		} else {
			report.Warnings = append(report.Warnings, item)
		}
	}
	if *asJSON {
		if err := json.NewEncoder(e.stdout).Encode(report); err != nil {
			return err
		}
	} else {
		for _, d := range diags {
			shown := d
			shown.Pos.File = filepath.Join(dir, d.Pos.File)
			fmt.Fprintln(e.stdout, shown)
		}
		fmt.Fprintf(e.stdout, "%d files: %d data sources, %d pipes, %d connections; %d errors, %d warnings\n",
			report.Files, report.Resources.Datasources, report.Resources.Pipes, report.Resources.Connections,
			len(report.Errors), len(report.Warnings))
	}
	if len(report.Errors) > 0 {
		return errReported
	}
	return nil
}
