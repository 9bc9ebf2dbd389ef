package branch

import (
	"github.com/perchdata/perch/workspace/progress"
)

// Update is the event as a progress update (workspace/progress, which
// the CLI and the TUI render), false for events that move no rows: a task
// per table copied, Done in rows read from the workspace.
func (e Event) Update() (progress.Update, bool) {
	u := progress.Update{Time: e.Time, Task: e.Table}
	switch e.Kind {
	case EventCopyStarted:
		u.Total = e.Progress.TotalRows
	case EventCopyProgress:
		u.Done, u.Total = e.Progress.RowsRead, e.Progress.TotalRows
		if u.Total > 0 {
			u.Done = min(u.Done, u.Total)
		}
	case EventCopied:
		u.Finished = true
		if e.Copy != nil {
			u.Done = e.Copy.RowsRead
		}
	default:
		return progress.Update{}, false
	}
	return u, true
}
