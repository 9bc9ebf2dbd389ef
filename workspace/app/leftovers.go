package app

import (
	"context"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/ddl"
	"github.com/perchdata/perch/workspace/plan"
)

// Leftover is an object an apply left in the workspace (a rebuild's
// t__old, t__new or t__stage, a tracker of an exact view change or of a
// swap), whether dropping it loses rows, and the command that resolves it.
type Leftover struct {
	// Name is the leftover object; Of the table or view it belongs to.
	Name    string `json:"name"`
	Of      string `json:"of"`
	Rows    uint64 `json:"rows"`
	Proven  bool   `json:"proven"`
	How     string `json:"how"`
	Resolve string `json:"resolve"`
}

// Leftovers lists the objects applies left in the workspace of snapshot s,
// each with its proof (are all its rows in the live table?) and the command
// that resolves it; perch status shows them.
func Leftovers(ctx context.Context, c *workspace.Client, s *workspace.Snapshot) ([]Leftover, error) {
	out := []Leftover{}
	for _, name := range s.Names() {
		if view, ok := plan.TrackedView(name); ok {
			// A tracking object of a tracked view change that did not finish.
			out = append(out, Leftover{Name: name, Of: view,
				How: "tracking object of an exact view change of " + view + " that did not finish",
				Resolve: "perch apply finishes the change and drops it; if no apply is unfinished, drop it: DROP TABLE IF EXISTS " +
					ddl.Generator{Database: c.Database()}.Table(name)})
			continue
		}
		if table, ok := plan.SwapTracked(name); ok {
			// The swap tracker of a rebuild that did not finish.
			out = append(out, Leftover{Name: name, Of: table,
				How: "swap tracker of a rebuild of " + table + " that did not finish (it records the inserts racing the swap)",
				Resolve: "perch apply finishes the rebuild and drops it; if no apply is unfinished, drop it: DROP TABLE IF EXISTS " +
					ddl.Generator{Database: c.Database()}.Table(name)})
			continue
		}
		base, _, ok := plan.Leftover(name)
		if !ok || s.Objects[name].Kind != workspace.KindTable || s.Objects[base] == nil {
			continue
		}
		pr, err := plan.ProveBackup(ctx, c, name, base)
		if err != nil {
			return nil, err
		}
		l := Leftover{Name: name, Of: base, Rows: pr.Rows, Proven: pr.Proven, How: pr.How}
		switch {
		case pr.Unfinished != "":
			l.Resolve = "perch apply (finishes deployment " + pr.Unfinished + " first)"
		case pr.Proven:
			l.Resolve = "nothing to do: the next perch apply that changes something drops it"
		default:
			l.Resolve = "perch apply --allow-destructive drops it with the next change (the plan names it); keep it until you have checked those rows"
		}
		out = append(out, l)
	}
	return out, nil
}
