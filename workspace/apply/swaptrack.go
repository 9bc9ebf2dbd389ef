package apply

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/perchdata/perch/workspace/ddl"
	"github.com/perchdata/perch/workspace/journal"
	"github.com/perchdata/perch/workspace/plan"
)

// The swap tracker of a rebuild (plan/swaptrack.go, issue 12): an insert
// whose pipeline is built while EXCHANGE TABLES runs fires no view (the
// tracker included) and writes into the old table. These steps find its
// parts among the old table's tail and push them through every view.

// trackSwap creates the tracker, waits for the inserts that started before
// it, journals the time and the inserts running then, and copies the parts
// of the source: every part not copied after this comes from an insert the
// tracker saw, or from one that fired no view.
func (x *executor) trackSwap(ctx context.Context, ch *plan.Change, s plan.Step, st *changeState) error {
	if st.w.Swap == nil {
		st.w.Swap = &journal.SwapTrack{}
		if err := x.save(ctx); err != nil {
			return err
		}
	}
	if err := x.execFrom(ctx, s, st); err != nil {
		return err
	}
	if err := x.drain(ctx); err != nil {
		return err
	}
	sw := st.w.Swap
	if sw.Before == "" {
		// The time first, then the inserts running: an insert with all its
		// records before the time and not running after it had finished
		// before the parts are listed below.
		now, err := x.serverNow64(ctx)
		if err != nil {
			return err
		}
		running, err := x.strings(ctx, runningInsertsQuery)
		if err != nil {
			return fmt.Errorf("track the swap of %s: running inserts: %w", s.Source, err)
		}
		sw.Before, sw.BeforeRunning = now, running
		if err := x.save(ctx); err != nil {
			return err
		}
	}
	_, err := x.copyParts(ctx, ch, s, s.Source, s.Dest, st, true)
	return err
}

// afterSwap journals, right after the swap, the inserts running and then
// the server time: an insert into the old table (it resolved the table
// before the swap) is running then, or has its records up to that time.
func (x *executor) afterSwap(ctx context.Context, st *changeState) error {
	sw := st.w.Swap
	if sw == nil || sw.After != "" {
		return nil
	}
	running, err := x.strings(ctx, runningInsertsQuery)
	if err != nil {
		return fmt.Errorf("after the swap: running inserts: %w", err)
	}
	now, err := x.serverNow64(ctx)
	if err != nil {
		return err
	}
	sw.After, sw.AfterRunning = now, running
	return x.save(ctx)
}

func (x *executor) serverNow64(ctx context.Context) (string, error) {
	var now string
	if err := x.c.Conn().QueryRow(ctx, "SELECT toString(now64(6))").Scan(&now); err != nil {
		return "", fmt.Errorf("server time: %w", err)
	}
	return now, nil
}

// matchTail matches the parts of the old table not copied yet to the
// blocks the tracker recorded for inserts into the old table, per
// fingerprint as multisets, and journals the parts beyond the recorded
// blocks as unseen. Parts found unseen before stay unseen (they may be
// pushed already); a retry only adds parts.
func (x *executor) matchTail(ctx context.Context, ch *plan.Change, s plan.Step, st *changeState) error {
	sw := st.w.Swap
	if sw == nil {
		return fmt.Errorf("match the tail of %s: the apply journal has no state of the swap tracker %s", s.Source, s.View)
	}
	if sw.After == "" {
		// The swap was recognized after a broken connection or a crash:
		// any time after it bounds the inserts into the old table (only
		// more loosely).
		if err := x.afterSwap(ctx, st); err != nil {
			return err
		}
	}
	if err := x.waitMerges(ctx, s.Source); err != nil {
		return err
	}
	all, err := x.blockParts(ctx, s.Source)
	if err != nil {
		return err
	}
	matched := map[string]bool{}
	for _, n := range sw.Matched {
		matched[n] = true
	}
	byName := map[string]blockPart{}
	var names []string
	for _, p := range all {
		if st.copied[p.name] && !matched[p.name] {
			continue
		}
		if p.level > 0 {
			return fmt.Errorf("match the tail of %s: part %s was merged after the tracker started (merges ran while the change was interrupted): the rows no view processed cannot be told apart; compare the targets of the views of %s with a recomputation", s.Source, p.name, s.Source)
		}
		byName[p.name] = p
		names = append(names, ddl.String(p.name))
	}
	for n := range matched {
		if _, ok := byName[n]; !ok {
			return fmt.Errorf("match the tail of %s: part %s, matched before, is gone", s.Source, n)
		}
	}
	if len(names) == 0 {
		return nil
	}
	groups, err := x.fingerprints(ctx, s, names, byName)
	if err != nil {
		return err
	}
	seen, err := x.fingerprintCounts(ctx, "SELECT p, n, h1, h2, toUInt64(count()) FROM "+x.g.Table(s.View)+" WHERE qid IN ("+x.oldTableInserts(s, sw)+") GROUP BY p, n, h1, h2")
	if err != nil {
		return fmt.Errorf("read the swap tracker %s: %w", s.View, err)
	}
	unseen := map[string]bool{}
	for _, n := range sw.Unseen {
		unseen[n] = true
	}
	keys := make([]fingerprint, 0, len(groups))
	for f := range groups {
		keys = append(keys, f)
	}
	sort.Slice(keys, func(i, j int) bool { return groups[keys[i]][0].name < groups[keys[j]][0].name })
	var added []string
	for _, f := range keys {
		ps := groups[f]
		// the latest first: a part added since a previous match is newer
		sort.Slice(ps, func(i, j int) bool { return ps[i].minBlock > ps[j].minBlock })
		want := len(ps) - seen[f]
		if want < 0 {
			want = 0
		}
		have := 0
		for _, p := range ps {
			if unseen[p.name] {
				have++
			}
		}
		if have > want {
			return fmt.Errorf("match the tail of %s: %d parts of %d rows in partition %s were found unseen by every view, but the tracker now records all but %d of them: the tracker is inconsistent; compare the targets of the views of %s with a recomputation",
				s.Source, have, f.rows, f.partition, want, s.Source)
		}
		for _, p := range ps {
			if have == want {
				break
			}
			if !unseen[p.name] {
				added = append(added, p.name)
				unseen[p.name] = true
				have++
			}
		}
	}
	sort.Strings(added)
	sw.Unseen = append(sw.Unseen, added...)
	for n := range byName {
		if !matched[n] {
			sw.Matched = append(sw.Matched, n)
		}
	}
	sort.Strings(sw.Matched)
	if err := x.save(ctx); err != nil {
		return err
	}
	var rows uint64
	for _, n := range added {
		rows += byName[n].rows
	}
	x.emit(CheckPassed, ch.ID, s.ID, rows, fmt.Sprintf("%d parts of %s not copied before the swap: %d (%d rows) came from inserts that fired no view", len(names), s.Source, len(added), rows))
	return nil
}

// oldTableInserts is a subquery of the query ids in the tracker whose
// records may belong to parts of the old table not copied before the
// swap: the inserts running right after the swap or with a record up to
// then (After: any time after the swap bounds them, a later one more
// loosely), but not those finished before the last copy listed the parts.
func (x *executor) oldTableInserts(s plan.Step, sw *journal.SwapTrack) string {
	quote := func(ids []string) string {
		q := []string{"''"}
		for _, id := range ids {
			q = append(q, ddl.String(id))
		}
		return strings.Join(q, ", ")
	}
	upper := "min(at) <= toDateTime64(" + ddl.String(sw.After) + ", 6) OR qid IN (" + quote(sw.AfterRunning) + ")"
	lower := "0"
	if sw.Before != "" {
		lower = "max(at) < toDateTime64(" + ddl.String(sw.Before) + ", 6) AND qid NOT IN (" + quote(sw.BeforeRunning) + ")"
	}
	return "SELECT qid FROM " + x.g.Table(s.View) + " GROUP BY qid HAVING (" + upper + ") AND NOT (" + lower + ")"
}

// pushUnseen runs the view's query over the unseen parts not pushed
// through it yet into a stage, then attaches the stage to the view's
// target: exactly once across retries and crashes (attachStage).
func (x *executor) pushUnseen(ctx context.Context, ch *plan.Change, s plan.Step, st *changeState) error {
	sw := st.w.Swap
	if sw == nil {
		return fmt.Errorf("push through %s: the apply journal has no state of the swap tracker", s.View)
	}
	if sw.Pushed == nil {
		sw.Pushed = map[string]int{}
	}
	if st.w.Stage == nil || !st.w.Stage.Ready {
		todo := sw.Unseen[sw.Pushed[s.ID]:]
		if len(todo) == 0 {
			return nil
		}
		if err := x.newStage(ctx, s, st); err != nil {
			return err
		}
		names := make([]string, len(todo))
		for i, n := range todo {
			names[i] = ddl.String(n)
		}
		if err := x.exec(ctx, x.g.InsertSelect(s.Stage, nil, strings.ReplaceAll(s.Query, "{parts}", strings.Join(names, ", ")))); err != nil {
			return fmt.Errorf("push %d parts of %s through %s: %w", len(todo), s.Source, s.View, err)
		}
		n, err := x.count(ctx, s.Stage)
		if err != nil {
			return err
		}
		if err := x.optimizeStage(ctx, s.Stage); err != nil {
			return err
		}
		st.w.Stage.Ready, st.w.Stage.StageRows, st.w.Stage.StageParts = true, n, todo
		if err := x.save(ctx); err != nil {
			return err
		}
	}
	pushed := len(st.w.Stage.StageParts)
	if err := x.attachStage(ctx, ch, s.ID, st); err != nil {
		return err
	}
	x.emit(CheckPassed, ch.ID, s.ID, st.w.Stage.StageRows, fmt.Sprintf("%d parts of %s that fired no view pushed through %s into %s", pushed, s.Source, s.View, s.Table))
	sw.Pushed[s.ID] += pushed
	st.w.Stage = nil
	return x.save(ctx)
}

// rematchTail matches the parts that reached the old table after the tail
// and pushes the unseen ones through the views, when the change has a
// swap tracker (checkRows, before copying them).
func (x *executor) rematchTail(ctx context.Context, ch *plan.Change, st *changeState) error {
	if st.w.Swap == nil {
		return nil
	}
	for _, s := range ch.Steps {
		var err error
		switch s.Kind {
		case plan.StepMatchTail:
			err = x.matchTail(ctx, ch, s, st)
		case plan.StepPushUnseen:
			err = x.pushUnseen(ctx, ch, s, st)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
