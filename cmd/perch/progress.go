package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/apply"
	"github.com/perchdata/perch/workspace/progress"
)

// logEvery is how often a progress line is printed when the output is not
// a terminal (CI logs): by the work's clock, so a quiet copy prints little.
const logEvery = 5 * time.Second

// barWidth is the width of the text progress bar.
const barWidth = 20

// progressPrinter shows the rows a rebuild, a backfill or a branch copy
// has moved: on a terminal one line rewritten in place, elsewhere a plain
// line at most every logEvery; the arithmetic is workspace/progress's.
type progressPrinter struct {
	w   io.Writer
	tty bool
	tr  *progress.Tracker
	// shown is set while a line in place is on the terminal.
	shown bool
	// logged is when the last plain line was printed.
	logged time.Time
}

func newProgressPrinter(w io.Writer, tty bool) *progressPrinter {
	return &progressPrinter{w: w, tty: tty, tr: progress.NewTracker()}
}

// Observe takes a progress update and shows it.
func (p *progressPrinter) Observe(u progress.Update) {
	p.tr.Observe(u)
	s := p.tr.Snapshot(u.Time)
	if p.tty {
		fmt.Fprint(p.w, "\r\033[K      "+progressLine(s))
		p.shown = true
		return
	}
	if !u.Planned && !u.Finished && u.Done > 0 && u.Time.Sub(p.logged) >= logEvery {
		fmt.Fprintln(p.w, "      progress: "+progressLine(s))
		p.logged = u.Time
	}
}

// event shows an apply event's rows; false for events that move none.
func (p *progressPrinter) event(ev apply.Event) bool {
	u, ok := ev.Progress()
	if !ok {
		return false
	}
	if ev.Kind == apply.RowsCopied {
		p.clear()
		if ev.Total > 0 && ev.Total != ev.Rows {
			fmt.Fprintf(p.w, "      %s rows written from %s read (%s)\n", workspace.HumanCount(ev.Rows), workspace.HumanCount(ev.Total), ev.Message)
		} else {
			fmt.Fprintf(p.w, "      %s rows (%s)\n", workspace.HumanCount(ev.Rows), ev.Message)
		}
	}
	p.Observe(u)
	return true
}

// clear removes the line in place before other output.
func (p *progressPrinter) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}

// summary prints the totals of the rows moved (nothing when none moved);
// task names the work's tasks ("step", "table").
func (p *progressPrinter) summary(w io.Writer, task string) {
	p.clear()
	if s := p.tr.Snapshot(time.Time{}); !s.Empty() {
		fmt.Fprintln(w, "Rows: "+s.Summary(task)+".")
	}
}

// progressLine is the overall bar and the partition running now.
func progressLine(s progress.Snapshot) string {
	o := s.Overall
	line := textBar(o.Fraction()) + " " + o.Text()
	if len(s.Running) > 0 {
		r := s.Running[len(s.Running)-1]
		line += fmt.Sprintf(" · now %s", r.Name())
		if pc := r.Percent(); pc != "" {
			line += " " + pc
		}
	}
	return line
}

// textBar is a bar of barWidth cells filled to f.
func textBar(f float64) string {
	n := min(barWidth, max(0, int(f*barWidth+0.5)))
	return "[" + strings.Repeat("#", n) + strings.Repeat(".", barWidth-n) + "]"
}
