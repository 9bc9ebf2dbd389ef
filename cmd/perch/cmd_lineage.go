package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/charmbracelet/x/term"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/lineage"
	"github.com/perchdata/perch/lineage/render"
	"github.com/perchdata/perch/workspace/app"
)

// runLineage implements `perch lineage [DIR] [--format text|dot|mermaid|json]
// [--focus NAME] [--remote | --compare] [--width N]`: the graph of the local
// project (or of the remote workspace, or both compared), drawn or exported.
func runLineage(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("lineage", e.stderr)
	format := fs.String("format", "text", "output format: text, dot, mermaid or json")
	focus := fs.String("focus", "", "only NAME and what is upstream and downstream of it")
	remote := fs.Bool("remote", false, "the graph of the remote workspace instead of the local project")
	compare := fs.Bool("compare", false, "local and remote together, marking what exists on one side only")
	width := fs.Int("width", 0, "text: fit the drawing in N columns, else draw a tree (default: the terminal's width or $COLUMNS; any width when neither)")
	tf := addTargetFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return fmt.Errorf("want at most one DIR, got %q", pos)
	}
	write, ok := lineageWriters[*format]
	if !ok {
		return fmt.Errorf("--format %q: want text, dot, mermaid or json", *format)
	}
	if *remote && *compare {
		return fmt.Errorf("choose --remote or --compare, not both")
	}
	if *width == 0 {
		*width = terminalWidth(e)
	}
	dir := dirArg(pos)

	var g *lineage.Graph
	if !*remote {
		p, err := datafiles.Load(dir)
		if err != nil {
			return err
		}
		if n := len(p.Errors()); n > 0 {
			fmt.Fprintf(e.stderr, "perch lineage: warning: the project has %d errors (see perch check %s)\n", n, dir)
		}
		g = lineage.Build(p, lineage.Options{})
	}
	if *remote || *compare {
		rg, err := remoteGraph(ctx, e, dir, tf)
		if err != nil {
			return err
		}
		if g == nil {
			g = rg
		} else {
			g = lineage.Compare(g, rg)
		}
	}
	if *focus != "" {
		if g, err = g.Focus(*focus); err != nil {
			return err
		}
	}
	for _, u := range g.Unresolved {
		fmt.Fprintf(e.stderr, "%s:%d: unresolved reference %s in %s.%s: %s\n",
			filepath.Join(dir, u.File), u.Line, u.Name, u.Pipe, u.Step, u.Reason)
	}
	for _, d := range g.Diagnostics {
		fmt.Fprintf(e.stderr, "%s\n", d)
	}
	return write(e.stdout, g, *width)
}

// lineageWriters writes a graph in each --format.
var lineageWriters = map[string]func(w io.Writer, g *lineage.Graph, width int) error{
	"text": func(w io.Writer, g *lineage.Graph, width int) error {
		if _, err := io.WriteString(w, render.Text(g, width)); err != nil {
			return err
		}
		_, err := fmt.Fprintf(w, "\n%s\n", render.Legend())
		return err
	},
	"dot":     func(w io.Writer, g *lineage.Graph, _ int) error { return lineage.WriteDOT(w, g) },
	"mermaid": func(w io.Writer, g *lineage.Graph, _ int) error { return lineage.WriteMermaid(w, g) },
	"json":    func(w io.Writer, g *lineage.Graph, _ int) error { return lineage.WriteJSON(w, g) },
}

// remoteGraph connects to the chosen target and builds the graph of what is
// deployed there: the live tables and views, and the endpoints, copies and
// sinks of the last deployment (app.Remote.Project).
func remoteGraph(ctx context.Context, e *env, dir string, tf *targetFlags) (*lineage.Graph, error) {
	c, err := openWorkspace(ctx, e, dir, tf)
	if err != nil {
		return nil, fmt.Errorf("remote: %w", err)
	}
	defer c.Close()
	rem, err := app.ReadRemote(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("remote: %w", err)
	}
	return lineage.Build(rem.Project(), lineage.Options{Database: rem.Snapshot.Database}), nil
}

// terminalWidth is the width of the terminal stdout writes to, else
// $COLUMNS, else 0 (any width).
func terminalWidth(e *env) int {
	if f, ok := e.stdout.(*os.File); ok {
		if w, _, err := term.GetSize(f.Fd()); err == nil && w > 0 {
			return w
		}
	}
	w, _ := strconv.Atoi(e.getenv("COLUMNS"))
	return max(w, 0)
}
