package app

import (
	"path/filepath"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace/plan"
)

// ResourceDiff is the difference of one resource: its status and the
// unified diff from its remote definition to its local one.
type ResourceDiff struct {
	ResourceStatus
	// Unified is the diff from RemoteText to LocalText, headed
	// remote/FILE and local/FILE.
	Unified string
}

// Marker is what the plan does to a resource in this state: + create,
// ~ change, - delete ("" when in sync).
func (s State) Marker() string {
	switch s {
	case New, Missing:
		return "+"
	case Changed, Drifted:
		return "~"
	case Removed, Unmanaged:
		return "-"
	}
	return ""
}

// Diff returns the differences of every resource not in sync, by name: the
// very statuses and texts the Explorer shows, so `perch diff` and the TUI
// give one answer.
func Diff(local *datafiles.Project, r *Remote) []ResourceDiff {
	var out []ResourceDiff
	for _, st := range Statuses(local, r) {
		if st.State == InSync {
			continue
		}
		file := filepath.ToSlash(st.File)
		if file == "" {
			file = st.Name
		}
		d := ResourceDiff{ResourceStatus: st, Unified: plan.UnifiedDiff(st.RemoteText, st.LocalText, "remote/"+file, "local/"+file)}
		if d.Unified == "" {
			continue // the same text: a state only drift explains (see Notes)
		}
		out = append(out, d)
	}
	return out
}
