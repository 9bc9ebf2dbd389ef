package apply

import (
	"context"
	"fmt"
	"strings"

	"github.com/perchdata/perch/workspace/plan"
)

// checkFlow proves an insert into s.Table flows through every view reading
// or writing it (plan.CheckFlows), against s.Dest's structure before a swap
// (then the differences the server takes today are recorded as accepted,
// for the check after the swap) or the live tables after it.
func (x *executor) checkFlow(ctx context.Context, ch *plan.Change, s plan.Step, st *changeState) error {
	if s.Dest != "" {
		base, err := plan.FlowMismatches(ctx, x.c, s.Table)
		if err != nil {
			return err
		}
		st.w.Accepted = base
		if err := x.save(ctx); err != nil {
			return err
		}
	}
	checked, _, err := plan.CheckFlows(ctx, x.c, s.Table, s.Dest, st.w.Accepted)
	if err != nil {
		return err
	}
	if len(checked) == 0 {
		x.emit(CheckPassed, ch.ID, s.ID, 0, "no materialized view reads or writes "+s.Table)
		return nil
	}
	x.emit(CheckPassed, ch.ID, s.ID, 0, fmt.Sprintf("inserts into %s flow through %s (typed, and one synthetic row pushed through scratch copies)", s.Table, strings.Join(checked, ", ")))
	return nil
}

// dropBackup drops a backup table once every row in it is proven to be in
// the live table; without proof only --allow-destructive drops it.
func (x *executor) dropBackup(ctx context.Context, ch *plan.Change, s plan.Step) error {
	ok, err := x.exists(ctx, s.Table)
	if err != nil || !ok {
		return err
	}
	pr, err := plan.ProveBackup(ctx, x.c, s.Table, s.Source)
	if err != nil {
		return err
	}
	if !pr.Proven && !x.opts.AllowDestructive {
		return fmt.Errorf("refusing to drop %s: %s (it is the only copy of those rows; pass --allow-destructive to drop it anyway)", s.Table, pr.How)
	}
	if err := x.exec(ctx, x.g.DropTable(s.Table, true)); err != nil {
		return err
	}
	how := pr.How
	if !pr.Proven {
		how = "allowed to destroy data: " + how
	}
	x.emit(CheckPassed, ch.ID, s.ID, pr.Rows, "dropped "+s.Table+": "+how)
	return nil
}
