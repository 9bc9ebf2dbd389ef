package progress

import (
	"fmt"
	"strings"
	"time"

	"github.com/perchdata/perch/workspace"
)

// Counts is "1,200 / 5,000 rows" (the total left out when unknown).
func (b Bar) Counts() string {
	if b.Total == 0 {
		return workspace.HumanCount(b.Done) + " rows"
	}
	return workspace.HumanCount(b.Done) + " / " + workspace.HumanCount(b.Total) + " rows"
}

// Percent is "24%" ("" when the total is unknown).
func (b Bar) Percent() string {
	if b.Total == 0 && !b.Finished {
		return ""
	}
	return fmt.Sprintf("%d%%", int(b.Fraction()*100))
}

// Speed is "12,000 rows/s" ("" before any row moved).
func (b Bar) Speed() string {
	if b.Rate <= 0 {
		return ""
	}
	return workspace.HumanCount(uint64(b.Rate+0.5)) + " rows/s"
}

// Times is "elapsed 5s · ETA 16s" (the ETA "?" when it cannot be told,
// left out once finished).
func (b Bar) Times() string {
	s := "elapsed " + Duration(b.Elapsed)
	switch {
	case b.Finished:
	case b.Known:
		s += " · ETA " + Duration(b.ETA)
	default:
		s += " · ETA ?"
	}
	return s
}

// Text is the bar as one line of text: counts, percent, speed and times.
func (b Bar) Text() string {
	parts := []string{b.Counts()}
	if p := b.Percent(); p != "" {
		parts[0] += " (" + p + ")"
	}
	if s := b.Speed(); s != "" {
		parts = append(parts, s)
	}
	parts = append(parts, b.Times())
	return strings.Join(parts, " · ")
}

// Name is the bar's task and partition: "events/copy partition 202601".
func (b Bar) Name() string {
	switch {
	case b.Partition != "":
		return b.Task + " partition " + b.Partition
	case b.Task != "":
		return b.Task
	}
	return "overall"
}

// Summary is the final line of a finished (or stopped) work: the rows
// read, the partitions and the tasks (task names them: "step", "table"),
// the time and the mean rate.
func (s Snapshot) Summary(task string) string {
	o := s.Overall
	rows := workspace.HumanCount(o.Done) + " rows"
	if !o.Finished && o.Total > 0 {
		rows = o.Counts()
	}
	where := count(len(s.Tasks), task)
	if o.Partitions != len(s.Tasks) {
		where = count(o.Partitions, "partition") + " of " + where
	}
	out := fmt.Sprintf("%s read in %s · elapsed %s", rows, where, Duration(o.Elapsed))
	if sp := o.Speed(); sp != "" {
		out += " · " + sp
	}
	if !o.Finished {
		out += fmt.Sprintf(" · %d of %d partitions finished", o.FinishedPartitions, o.Partitions)
	}
	return out
}

func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// Duration is a short human duration: 850ms, 12s, 3m05s, 1h02m.
func Duration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d < time.Minute:
		return d.Round(time.Second).String()
	case d < time.Hour:
		d = d.Round(time.Second)
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	d = d.Round(time.Minute)
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}
