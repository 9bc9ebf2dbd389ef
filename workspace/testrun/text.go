package testrun

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/perchdata/perch/workspace"
)

// sqlLinesShown bounds the lines of compiled SQL a failure shows.
const (
	sqlLinesShown = 6
	sqlLineWidth  = 120
	detailIndent  = "     "
)

// ResultLines are a result for people: "ok   NAME  TIME", or "FAIL NAME
// TIME" followed by indented details: where the test is (under root),
// its parameters, each failure, the diff of the rows and the compiled
// SQL's first lines.
func ResultLines(r *Result, root string) []string {
	mark := "ok  "
	if !r.Passed {
		mark = "FAIL"
	}
	head := fmt.Sprintf("%s %s  %s", mark, r.Name, Duration(r.Elapsed))
	if r.Kind == KindBuild {
		head = fmt.Sprintf("%s build %s  %s", mark, r.Name, Duration(r.Elapsed))
	}
	lines := []string{head}
	if r.Passed {
		return lines
	}
	pos := r.Pos()
	if pos.File != "" && root != "" {
		pos.File = filepath.Join(root, filepath.FromSlash(pos.File))
	}
	if r.Kind == KindBuild {
		// file:line:col: message, where the node (or the engine's error) is.
		for _, f := range r.Failures {
			lines = append(lines, detailIndent+pos.String()+": "+firstLine(f))
		}
		return append(lines, sqlLines(r.SQL)...)
	}
	lines = append(lines, detailIndent+pos.String())
	if r.Kind == KindRequest {
		lines = append(lines, detailIndent+"parameters: "+orNone(r.Parameters))
	}
	for _, f := range r.Failures {
		lines = append(lines, detailIndent+f)
	}
	for _, d := range r.Diff {
		lines = append(lines, detailIndent+"  "+d)
	}
	if r.Kind == KindRequest {
		lines = append(lines, sqlLines(r.SQL)...)
	}
	return lines
}

// sqlLines are the compiled SQL's first lines, labelled.
func sqlLines(sql string) []string {
	if strings.TrimSpace(sql) == "" {
		return nil
	}
	all := strings.Split(strings.TrimSpace(sql), "\n")
	var out []string
	for i, l := range all {
		if i == sqlLinesShown {
			out = append(out, fmt.Sprintf("%s     ... (%d more lines)", detailIndent, len(all)-i))
			break
		}
		label := "     "
		if i == 0 {
			label = "sql: "
		}
		if len(l) > sqlLineWidth {
			l = l[:sqlLineWidth-3] + "..."
		}
		out = append(out, detailIndent+label+l)
	}
	return out
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// BuildLine says what a build did: changes deployed, fixtures loaded,
// nodes run, where.
func BuildLine(rep *Report) string {
	rows := 0
	for _, f := range rep.Fixtures {
		rows += f.Rows
	}
	failed := 0
	for _, r := range rep.Build {
		if !r.Passed {
			failed++
		}
	}
	s := fmt.Sprintf("build: deployed %d changes, loaded %d fixtures (%s rows), ran %d nodes", rep.Deployed, len(rep.Fixtures), workspace.HumanCount(uint64(rows)), len(rep.Build))
	if failed > 0 {
		s += fmt.Sprintf(" (%d failed)", failed)
	}
	return s + " on " + rep.Where + " (" + rep.Engine + ")"
}

// StagesLine is the time of each stage and the total.
func StagesLine(rep *Report) string {
	parts := make([]string, 0, len(rep.Stages))
	for _, s := range rep.Stages {
		parts = append(parts, s.Name+" "+Duration(s.Elapsed))
	}
	return fmt.Sprintf("time: %s; total %s", strings.Join(parts, ", "), Duration(rep.Elapsed))
}

// Summary is "N passed, M failed".
func Summary(rep *Report) string {
	return fmt.Sprintf("%d passed, %d failed", rep.Passed, rep.Failed)
}

// Duration prints a time for a result line: 0.4ms, 12ms, 1.25s.
func Duration(d time.Duration) string {
	switch {
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000)
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

// RegressionLines are a regression for people: per endpoint whether its
// answers are the same and how what it reads changed, then for each
// request that differs its statuses or its rows' diff.
func RegressionLines(reg *Regression) []string {
	var lines []string
	for _, ep := range reg.Endpoints {
		switch {
		case ep.New:
			lines = append(lines, fmt.Sprintf("new      %s (not deployed: nothing to compare)", ep.Pipe))
			continue
		case ep.Removed:
			lines = append(lines, fmt.Sprintf("removed  %s (only deployed)", ep.Pipe))
			continue
		}
		mark := "same    "
		if !ep.Equal {
			mark = "CHANGED "
		}
		lines = append(lines, fmt.Sprintf("%s %s  %d requests · rows read %s · bytes read %s", mark, ep.Pipe, len(ep.Requests),
			change(ep.RowsReadBefore, ep.RowsReadAfter, workspace.HumanCount), change(ep.BytesReadBefore, ep.BytesReadAfter, workspace.HumanBytes)))
		for _, rr := range ep.Requests {
			if rr.Equal {
				continue
			}
			lines = append(lines, fmt.Sprintf("%s%s (parameters: %s)", detailIndent, rr.Name, orNone(rr.Parameters)))
			if rr.Before.Status != rr.After.Status {
				lines = append(lines, fmt.Sprintf("%s  status %d deployed, %d local", detailIndent, rr.Before.Status, rr.After.Status))
				for _, o := range []struct {
					side string
					o    Outcome
				}{{"deployed", rr.Before}, {"local", rr.After}} {
					if o.o.Error != "" {
						lines = append(lines, fmt.Sprintf("%s  %s: %s", detailIndent, o.side, firstLine(o.o.Error)))
					}
				}
				continue
			}
			lines = append(lines, fmt.Sprintf("%s  rows: %d deployed, %d local (- deployed, + local)", detailIndent, rr.Before.Rows, rr.After.Rows))
			for _, d := range rr.Diff {
				lines = append(lines, detailIndent+"  "+d)
			}
		}
	}
	return lines
}

// change prints a before → after change with its ratio.
func change(before, after uint64, human func(uint64) string) string {
	if before == after {
		return human(after) + " (same)"
	}
	s := human(before) + " → " + human(after)
	if before > 0 {
		s += fmt.Sprintf(" (%+.0f%%)", (float64(after)/float64(before)-1)*100)
	}
	return s
}
