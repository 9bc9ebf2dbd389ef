package tui

import (
	"fmt"

	"charm.land/bubbles/v2/progress"
	"github.com/charmbracelet/x/ansi"

	"github.com/perchdata/perch/tui/component"
	domain "github.com/perchdata/perch/workspace/progress"
)

// maxPartitionBars is how many partitions in flight the Plan view draws.
const maxPartitionBars = 3

// rowLines draw the rows the apply's copies and backfills moved, w wide:
// the overall bar with rows, rate, elapsed time and ETA, then a bar for
// each partition in flight; once the apply ended, the totals. Nothing when
// the apply moved no rows.
func (v *planView) rowLines(w int) []string {
	s := v.rows.Snapshot(v.opt.Now())
	if s.Empty() || w < 20 {
		return nil
	}
	o := s.Overall
	if !v.applying {
		return append(component.Wrap([]string{v.th.OK.Render(" rows: " + s.Summary("step"))}, w), "")
	}
	title := fmt.Sprintf(" moving rows · %d of %d partitions done", o.FinishedPartitions, o.Partitions)
	lines := []string{
		v.th.Bold.Render(ansi.Truncate(title, w, "…")),
		" " + v.bar(w-2, o.Fraction()),
		v.th.Text.Render(ansi.Truncate(" "+o.Text(), w, "…")),
	}
	running := s.Running
	if len(running) > maxPartitionBars {
		running = running[len(running)-maxPartitionBars:]
	}
	for _, p := range running {
		label := fmt.Sprintf(" %s %s", p.Name(), p.Percent())
		lines = append(lines, v.th.Muted.Render(ansi.Truncate(label, w, "…")))
		info := p.Counts()
		if sp := p.Speed(); sp != "" {
			info += " · " + sp
		}
		if p.Known && !p.Finished {
			info += " · ETA " + domain.Duration(p.ETA)
		}
		barW := min(40, max(10, w/3))
		lines = append(lines, "   "+v.bar(barW, p.Fraction())+v.th.Muted.Render(ansi.Truncate(" "+info, max(0, w-barW-3), "…")))
	}
	return append(lines, "")
}

// bar is a progress bar (bubbles' progress, drawn still: no animation) w
// cells wide filled to f.
func (v *planView) bar(w int, f float64) string {
	b := progress.New(progress.WithColors(v.th.Palette.Info), progress.WithoutPercentage(), progress.WithWidth(max(1, w)),
		progress.WithFillCharacters('█', '░'))
	b.EmptyColor = v.th.Palette.Faint
	return b.ViewAs(f)
}
