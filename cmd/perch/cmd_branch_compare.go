package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"text/tabwriter"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/app"
	"github.com/perchdata/perch/workspace/branch"
)

// branchCompare implements `perch branch compare A B [DIR] [--json]`:
// every endpoint with its defaults and each test's parameters on both sides
// (main: the workspace), read-only.
func branchCompare(ctx context.Context, e *env, args []string) error {
	const usage = "perch branch compare A B [DIR] [--json] [--limit N] [--runs N] [--timeout D]"
	fs := newFlagSet("branch compare", e.stderr)
	tf := addTargetFlags(fs)
	asJSON := fs.Bool("json", false, "print the comparison as JSON")
	limit := fs.Int("limit", branch.DefaultCompareLimit, "most result rows compared per query")
	runs := fs.Int("runs", 1, "run each query this many times per side and keep the fastest time")
	timeout := fs.Duration("timeout", workspace.DefaultPreviewTimeout, "max_execution_time of each query")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 || len(pos) > 3 {
		return usageError(usage)
	}
	nameA, nameB := pos[0], pos[1]
	if nameA == nameB {
		return fmt.Errorf("compare %s with itself: name two different branches (main is the workspace)", nameA)
	}
	if tf.Branch != "" {
		return fmt.Errorf("--branch: name the branches to compare as A and B")
	}
	dir := dirArg(pos[2:])
	p, err := app.LoadProject(dir)
	if err != nil {
		return err
	}
	t, err := workspace.ResolveTarget(dir, tf.selection(), e.getenv)
	if err != nil {
		return err
	}
	clients := make([]*workspace.Client, 2)
	for i, name := range []string{nameA, nameB} {
		bt, err := t.WithBranch(name)
		if err != nil {
			return err
		}
		c, err := workspace.Open(ctx, bt)
		if err != nil {
			return fmt.Errorf("connect to %s: %w", bt, err)
		}
		defer c.Close()
		if err := c.CheckBranch(ctx); err != nil {
			return err
		}
		clients[i] = c
	}
	cmp, err := branch.Compare(ctx, p, clients[0], clients[1], nameA, nameB,
		branch.CompareOptions{Limit: *limit, Runs: *runs, Timeout: *timeout, Getenv: e.getenv})
	if err != nil {
		return err
	}
	if *asJSON {
		b, err := comparisonJSON(cmp)
		if err != nil {
			return err
		}
		_, err = e.stdout.Write(b)
		return err
	}
	return printComparison(e.stdout, cmp)
}

// comparisonJSON is the document of `perch branch compare --json`:
// {"endpoints": [{"endpoint", "test"?, "params", "results_equal", "difference"?, "<A>":
// {"rows_read", "bytes_read", "elapsed_ms", "rows"}, "<B>": {...}, "error"?}]},
// keys in that order, A and B replaced by the names compared.
func comparisonJSON(cmp *branch.Comparison) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{\n  \"endpoints\": [")
	for i, c := range cmp.Cases {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n    {")
		fields := []jsonField{{"endpoint", c.Endpoint}}
		if c.Test != "" {
			fields = append(fields, jsonField{"test", c.Test})
		}
		fields = append(fields, jsonField{"params", c.Params}, jsonField{"results_equal", c.Equal})
		if c.Difference != "" {
			fields = append(fields, jsonField{"difference", c.Difference})
		}
		fields = append(fields, jsonField{cmp.A, sideJSON(c.A)}, jsonField{cmp.B, sideJSON(c.B)})
		if c.Error != "" {
			fields = append(fields, jsonField{"error", c.Error})
		}
		for j, f := range fields {
			if j > 0 {
				b.WriteString(", ")
			}
			if err := writeCompact(&b, f.key); err != nil {
				return nil, err
			}
			b.WriteString(": ")
			if err := writeCompact(&b, f.val); err != nil {
				return nil, err
			}
		}
		b.WriteString("}")
	}
	if len(cmp.Cases) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("]\n}\n")
	return b.Bytes(), nil
}

// writeCompact appends v as JSON on one line, & < > unescaped.
func writeCompact(b *bytes.Buffer, v any) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // Encode's newline
	return nil
}

// jsonField is one key and value of an object written in order.
type jsonField struct {
	key string
	val any
}

// sideJSONDoc is one side of a case in the JSON document.
type sideJSONDoc struct {
	RowsRead  uint64  `json:"rows_read"`
	BytesRead uint64  `json:"bytes_read"`
	ElapsedMS float64 `json:"elapsed_ms"`
	Rows      int     `json:"rows"`
	Truncated bool    `json:"truncated,omitempty"`
	Error     string  `json:"error,omitempty"`
}

func sideJSON(s branch.SideResult) sideJSONDoc {
	return sideJSONDoc{RowsRead: s.RowsRead, BytesRead: s.BytesRead, ElapsedMS: math.Round(float64(s.Elapsed)/1e3) / 1e3,
		Rows: s.Rows, Truncated: s.Truncated, Error: s.Error}
}

// printComparison prints one line per case: whether the results are
// equal, then rows read, bytes read and time on A and B with B/A, then
// the totals and every error.
func printComparison(w io.Writer, cmp *branch.Comparison) error {
	fmt.Fprintf(w, "Comparing %s (A) with %s (B): %d queries, each run on both, read-only\n\n", cmp.A, cmp.B, len(cmp.Cases))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ENDPOINT\tPARAMS\tEQUAL\tROWS READ A → B\tBYTES READ A → B\tTIME A → B")
	var total struct {
		rowsA, rowsB, bytesA, bytesB uint64
		timeA, timeB                 time.Duration
		equal                        int
	}
	var problems []string
	for _, c := range cmp.Cases {
		params := c.Params
		if params == "" {
			params = "(defaults)"
		}
		equal := "yes"
		switch {
		case c.Error != "" || c.A.Error != "" || c.B.Error != "":
			equal = "error"
		case !c.Equal:
			equal = "NO"
		default:
			total.equal++
		}
		if c.A.Truncated || c.B.Truncated {
			equal += " (cut)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s → %s (%s)\t%s → %s (%s)\t%s → %s (%s)\n", c.Endpoint, params, equal,
			workspace.HumanCount(c.A.RowsRead), workspace.HumanCount(c.B.RowsRead), ratio(float64(c.B.RowsRead), float64(c.A.RowsRead)),
			workspace.HumanBytes(c.A.BytesRead), workspace.HumanBytes(c.B.BytesRead), ratio(float64(c.B.BytesRead), float64(c.A.BytesRead)),
			millis(c.A.Elapsed), millis(c.B.Elapsed), ratio(float64(c.B.Elapsed), float64(c.A.Elapsed)))
		total.rowsA += c.A.RowsRead
		total.rowsB += c.B.RowsRead
		total.bytesA += c.A.BytesRead
		total.bytesB += c.B.BytesRead
		total.timeA += c.A.Elapsed
		total.timeB += c.B.Elapsed
		if c.Difference != "" {
			problems = append(problems, fmt.Sprintf("%s %s: results differ: %s", c.Endpoint, params, c.Difference))
		}
		for _, e := range []struct{ side, msg string }{{"", c.Error}, {cmp.A, c.A.Error}, {cmp.B, c.B.Error}} {
			if e.msg != "" {
				where := c.Endpoint + " " + params
				if e.side != "" {
					where += " on " + e.side
				}
				problems = append(problems, where+": "+e.msg)
			}
		}
	}
	fmt.Fprintf(tw, "total\t\t%d/%d\t%s → %s (%s)\t%s → %s (%s)\t%s → %s (%s)\n", total.equal, len(cmp.Cases),
		workspace.HumanCount(total.rowsA), workspace.HumanCount(total.rowsB), ratio(float64(total.rowsB), float64(total.rowsA)),
		workspace.HumanBytes(total.bytesA), workspace.HumanBytes(total.bytesB), ratio(float64(total.bytesB), float64(total.bytesA)),
		millis(total.timeA), millis(total.timeB), ratio(float64(total.timeB), float64(total.timeA)))
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintf(w, "\n%s", p)
	}
	if len(problems) > 0 {
		fmt.Fprintln(w)
	}
	switch {
	case len(cmp.Cases) == 0:
		fmt.Fprintln(w, "\nThe project has no endpoints to compare.")
	case total.equal == len(cmp.Cases):
		fmt.Fprintf(w, "\nEvery result is equal; %s reads %s the bytes %s reads.\n", cmp.B, ratio(float64(total.bytesB), float64(total.bytesA)), cmp.A)
	default:
		fmt.Fprintf(w, "\n%d of %d results differ or failed.\n", len(cmp.Cases)-total.equal, len(cmp.Cases))
	}
	return nil
}

// ratio is b/a as "0.25×", "—" when a is 0 (workspace.Ratio).
func ratio(b, a float64) string { return workspace.Ratio(b, a) }

// millis is a duration in milliseconds, "1.2 ms".
func millis(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}
