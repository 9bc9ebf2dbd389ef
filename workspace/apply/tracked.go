package apply

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/perchdata/perch/workspace/ddl"
	"github.com/perchdata/perch/workspace/journal"
	"github.com/perchdata/perch/workspace/plan"
)

// blockPart is an active part of a table with its block range.
type blockPart struct {
	name, partitionID string
	rows              uint64
	level             uint32
	minBlock          int64
	maxBlock          int64
}

func (x *executor) blockParts(ctx context.Context, table string) ([]blockPart, error) {
	q := "SELECT name, partition_id, rows, level, min_block_number, max_block_number FROM system.parts WHERE database = " + ddl.String(x.c.Database()) +
		" AND table = " + ddl.String(table) + " AND active ORDER BY partition_id, name"
	rows, err := x.c.Conn().Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("parts of %s: %w", table, err)
	}
	defer rows.Close()
	var out []blockPart
	for rows.Next() {
		var p blockPart
		if err := rows.Scan(&p.name, &p.partitionID, &p.rows, &p.level, &p.minBlock, &p.maxBlock); err != nil {
			return nil, fmt.Errorf("parts of %s: %w", table, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// track journals the last block number of the source before its trackers
// exist (a part made only of blocks up to it is one no tracked insert
// formed), then creates the trackers.
// nextBlock is the block number after the highest of table's active
// parts: a part made only of blocks below it existed before.
func (x *executor) nextBlock(ctx context.Context, table string) (int64, error) {
	parts, err := x.blockParts(ctx, table)
	if err != nil {
		return 0, err
	}
	var last int64
	for _, p := range parts {
		last = max(last, p.maxBlock)
	}
	return last + 1, nil
}

func (x *executor) track(ctx context.Context, s plan.Step, st *changeState) error {
	if st.w.TrackBlock == 0 {
		next, err := x.nextBlock(ctx, s.Source)
		if err != nil {
			return err
		}
		st.w.TrackBlock = next
		if err := x.save(ctx); err != nil {
			return err
		}
	}
	return x.execFrom(ctx, s, st)
}

// fingerprint identifies an insert block of one partition (plan.Fingerprint).
type fingerprint struct {
	partition string
	rows      uint64
	h1, h2    uint64
}

// trackedBackfill backfills the parts of the source that no insert the view
// processed formed, through a stage attached to the target: parts older than
// the trackers, and tracked parts whose insert the output tracker did not see,
// matched to tracker rows as multisets (identical resent batches are as many
// parts as tracker rows).
func (x *executor) trackedBackfill(ctx context.Context, ch *plan.Change, s plan.Step, st *changeState) error {
	if st.w.Stage == nil || !st.w.Stage.Ready {
		// Merges stay stopped from the stop-merges step, but an interrupted
		// apply restarts them to keep ingestion going and a resume finishes
		// the change from here: stopped again, so that the part names read
		// below still name the same rows when they are fingerprinted and
		// backfilled (a part merged meanwhile all the same, found by
		// untrackedParts, fingerprints or partsKept, starts the tracking over).
		if err := x.stopMerges(ctx, s.Source); err != nil {
			return err
		}
		for attempt := 1; ; attempt++ {
			err := x.backfillUntracked(ctx, ch, s, st)
			if !errors.Is(err, errTrackingBroken) || attempt == 3 {
				if err != nil {
					return err
				}
				break
			}
			x.emit(CheckPassed, ch.ID, s.ID, 0, err.Error()+": "+s.Table+" is emptied and the tracking starts over")
			if err := x.retrack(ctx, s, st); err != nil {
				return err
			}
		}
	}
	if err := x.cascade(ctx, ch, s, st); err != nil {
		return err
	}
	if err := x.attachStage(ctx, ch, s.ID, st); err != nil {
		return err
	}
	st.w.Stage = nil
	return x.save(ctx)
}

// backfillUntracked inserts into a new stage the new query over the parts
// of the source no insert the view processed formed, and journals the stage
// ready. Parts merged before they were read, or while they were (merges
// someone started), make it fail with errTrackingBroken.
func (x *executor) backfillUntracked(ctx context.Context, ch *plan.Change, s plan.Step, st *changeState) error {
	todo, err := x.untrackedPartsExact(ctx, s, st.w.TrackBlock-1)
	if err != nil {
		return err
	}
	if err := x.newStage(ctx, s, st); err != nil {
		return err
	}
	byPartition := map[string][]blockPart{}
	var order []string
	totals := map[string]uint64{}
	for _, p := range todo {
		if _, ok := byPartition[p.partitionID]; !ok {
			order = append(order, p.partitionID)
		}
		byPartition[p.partitionID] = append(byPartition[p.partitionID], p)
		totals[p.partitionID] += p.rows
	}
	for _, pid := range order {
		x.emitRows(RowsPlanned, ch.ID, s.ID, pid, 0, totals[pid])
	}
	var before uint64
	for _, pid := range order {
		names := make([]string, len(byPartition[pid]))
		for i, p := range byPartition[pid] {
			names[i] = ddl.String(p.name)
		}
		sql := x.g.InsertSelect(s.Stage, nil, strings.ReplaceAll(s.Query, "{parts}", strings.Join(names, ", ")))
		if err := x.execRows(ctx, sql, ch.ID, s.ID, pid, totals[pid]); err != nil {
			return fmt.Errorf("backfill partition %s: %w", pid, err)
		}
		n, err := x.count(ctx, s.Stage)
		if err != nil {
			return err
		}
		x.emitRows(RowsCopied, ch.ID, s.ID, pid, totals[pid], totals[pid])
		st.lastRows += n - before
		before = n
	}
	// every part read must still be there: a part merged during its read
	// was read whole, in the old part or in the new one, or not at all
	if err := x.partsKept(ctx, s.Source, todo); err != nil {
		return err
	}
	if err := x.optimizeStage(ctx, s.Stage); err != nil {
		return err
	}
	st.w.Stage.Ready, st.w.Stage.StageRows = true, before
	if err := x.save(ctx); err != nil {
		return err
	}
	x.emit(CheckPassed, ch.ID, s.ID, 0, fmt.Sprintf("%d parts of %s backfilled: those no insert processed by %s formed", len(todo), s.Source, s.View))
	return nil
}

// partsKept checks that every part of todo is still an active part of
// table, errTrackingBroken otherwise.
func (x *executor) partsKept(ctx context.Context, table string, todo []blockPart) error {
	parts, err := x.blockParts(ctx, table)
	if err != nil {
		return err
	}
	active := make(map[string]bool, len(parts))
	for _, p := range parts {
		active[p.name] = true
	}
	gone := 0
	for _, p := range todo {
		if !active[p.name] {
			gone++
		}
	}
	if gone > 0 {
		return fmt.Errorf("%w: %d of the %d parts of %s backfilled were merged while they were read", errTrackingBroken, gone, len(todo), table)
	}
	return nil
}

// cascade runs each view downstream of the backfilled table (s.Cascade)
// over its stage, before the stage is attached (an attach fires no view):
// the view's query reads the stage into a stage of the view's target, which
// is attached there partition by partition, exactly once across retries
// and crashes (the journal's Cascade and CascadeDone). The table's stage is
// not attached until every downstream copy is, so a retry reads the same
// rows.
func (x *executor) cascade(ctx context.Context, ch *plan.Change, s plan.Step, st *changeState) error {
	done := map[string]bool{}
	for _, v := range st.w.CascadeDone {
		done[v] = true
	}
	for _, d := range s.Cascade {
		if done[d.View] {
			continue
		}
		if sg := st.w.Cascade; sg == nil || sg.Table != d.Table || !sg.Ready {
			st.w.Cascade = &journal.Stage{Stage: d.Stage, Table: d.Table}
			if err := x.save(ctx); err != nil {
				return err
			}
			for _, q := range []string{x.g.DropTable(d.Stage, true), x.g.CreateTableAs(d.Stage, d.Table), x.g.InsertSelect(d.Stage, nil, d.Query)} {
				if err := x.exec(ctx, q); err != nil {
					return fmt.Errorf("run %s over the backfill of %s: %w", d.View, s.Table, err)
				}
			}
			if err := x.optimizeStage(ctx, d.Stage); err != nil {
				return err
			}
			n, err := x.count(ctx, d.Stage)
			if err != nil {
				return err
			}
			st.w.Cascade.Ready, st.w.Cascade.StageRows = true, n
			if err := x.save(ctx); err != nil {
				return err
			}
			x.emit(CheckPassed, ch.ID, s.ID, n, fmt.Sprintf("%s run over the backfill of %s: %d rows for %s", d.View, s.Table, n, d.Table))
		}
		if err := x.attachStageOf(ctx, ch, s.ID, st.w.Cascade); err != nil {
			return fmt.Errorf("attach the backfill of %s to %s: %w", d.View, d.Table, err)
		}
		st.w.Cascade = nil
		st.w.CascadeDone = append(st.w.CascadeDone, d.View)
		if err := x.save(ctx); err != nil {
			return err
		}
	}
	return nil
}

// untrackedPartsExact is untrackedParts, looked at again with a later cut
// while identical batches straddle the cut (never guessed).
func (x *executor) untrackedPartsExact(ctx context.Context, s plan.Step, last int64) ([]blockPart, error) {
	for round := 1; ; round++ {
		todo, err := x.untrackedParts(ctx, s, last)
		if !errors.Is(err, errAmbiguous) || round == 60 {
			return todo, err
		}
		x.emit(CheckPassed, "", s.ID, 0, fmt.Sprintf("round %d: %v; looking again", round, err))
		if err := sleep(ctx, time.Duration(50+50*min(round, 10))*time.Millisecond); err != nil {
			return nil, err
		}
	}
}

// untrackedParts lists the parts of the source the view did not process.
// Every insert the view did not process finished before this step (the drain
// after the view was created), so the parts to backfill are all committed;
// only inserts the view processes are still running. The cut is B, the last
// block when this step looks:
//   - a part made only of blocks up to last (older than the trackers) was
//     formed by no tracked insert: backfilled;
//   - a part above B was committed by an insert running at the cut or
//     started since, which the view processes: skipped;
//   - a part in (last, B] is matched to the tracker rows of the inserts that
//     formed it (running at the cut, or with tracker rows just after it),
//     as a multiset per fingerprint: as many are skipped as such inserts
//     the view processed, less the parts those inserts formed above B once
//     finished (an insert running across the cut), the rest backfilled.
//
// A merged part holding newer blocks, or more processed inserts than
// parts, is an error: the tracking cannot be trusted then.
func (x *executor) untrackedParts(ctx context.Context, s plan.Step, last int64) ([]blockPart, error) {
	if len(s.Views) != 2 {
		return nil, fmt.Errorf("backfill %s: the step names no trackers", s.Table)
	}
	srcTrack, outTrack := s.Views[0], s.Views[1]
	if last < 0 {
		return nil, fmt.Errorf("%w: the apply journal has no record of when tracking started", errTrackingBroken)
	}
	parts, err := x.blockParts(ctx, s.Source)
	if err != nil {
		return nil, err
	}
	var cut int64
	for _, p := range parts {
		cut = max(cut, p.maxBlock)
	}
	// Who formed the parts up to the cut: inserts running now, or finished
	// (their tracker rows are written before they finish).
	running, err := x.strings(ctx, runningInsertsQuery)
	if err != nil {
		return nil, fmt.Errorf("backfill %s: running inserts: %w", s.Table, err)
	}
	finished, err := x.strings(ctx, "SELECT DISTINCT qid FROM "+x.g.Table(srcTrack))
	if err != nil {
		return nil, fmt.Errorf("backfill %s: read the trackers: %w", s.Table, err)
	}
	allowed := make([]string, 0, len(running)+len(finished)+1)
	for _, q := range append(running, finished...) {
		allowed = append(allowed, ddl.String(q))
	}
	allowed = append(allowed, "''")
	// Wait for the inserts running at the cut: then every part up to it has
	// its tracker rows, and those inserts have formed all their parts.
	if err := x.drain(ctx); err != nil {
		return nil, err
	}
	var todo []blockPart
	byName := map[string]blockPart{}
	var names []string
	for _, p := range parts {
		switch {
		case p.maxBlock <= last:
			todo = append(todo, p)
		case p.level > 0:
			return nil, fmt.Errorf("%w: part %s of %s was merged after tracking started (merges ran while the change was interrupted)", errTrackingBroken, p.name, s.Source)
		default:
			byName[p.name] = p
			names = append(names, ddl.String(p.name))
		}
	}
	if len(names) == 0 {
		return todo, nil
	}
	groups, err := x.fingerprints(ctx, s, names, byName)
	if err != nil {
		return nil, err
	}
	// How many blocks of each fingerprint the inserts that may have formed
	// these parts added, among those the view processed.
	q := "SELECT p, n, h1, h2, toUInt64(count()) FROM " + x.g.Table(srcTrack) + " WHERE qid IN (SELECT qid FROM " + x.g.Table(outTrack) + ") AND qid IN (" + strings.Join(allowed, ", ") + ") GROUP BY p, n, h1, h2"
	seen, err := x.fingerprintCounts(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read the trackers of %s: %w", s.Table, err)
	}
	// Less the blocks they added above the cut (an insert running across it).
	var above []string
	aboveByName := map[string]blockPart{}
	later, err := x.blockParts(ctx, s.Source)
	if err != nil {
		return nil, err
	}
	for _, p := range later {
		if p.minBlock > cut && p.level == 0 {
			aboveByName[p.name] = p
			above = append(above, ddl.String(p.name))
		}
	}
	if len(above) > 0 {
		aboveGroups, err := x.fingerprints(ctx, s, above, aboveByName)
		if err != nil {
			return nil, err
		}
		// Of the processed blocks of a fingerprint, between none and all of
		// those above the cut were added by the inserts counted: when both
		// are possible (identical batches on both sides of the cut), the
		// count is not known yet, and the caller looks again later.
		for f, ps := range aboveGroups {
			if _, ok := groups[f]; ok && seen[f] > 0 && len(ps) > 0 {
				return nil, fmt.Errorf("%w: %d identical blocks of %d rows in partition %s lie on both sides of the cut", errAmbiguous, len(ps), f.rows, f.partition)
			}
		}
	}
	keys := make([]fingerprint, 0, len(groups))
	for f := range groups {
		keys = append(keys, f)
	}
	sort.Slice(keys, func(i, j int) bool { return groups[keys[i]][0].name < groups[keys[j]][0].name })
	old, processed := len(todo), 0
	for _, f := range keys {
		ps := groups[f]
		sort.Slice(ps, func(i, j int) bool { return ps[i].name < ps[j].name })
		done := seen[f]
		if done > len(ps) {
			return nil, fmt.Errorf("backfill %s: %d inserts processed by %s added a block of %d rows to partition %s of %s, but it has %d such parts: "+
				"an insert failed after its view ran, or a part was dropped", s.Table, done, s.View, f.rows, f.partition, s.Source, len(ps))
		}
		todo = append(todo, ps[done:]...)
		processed += done
	}
	x.emit(CheckPassed, "", s.ID, 0, fmt.Sprintf("%d parts of %s predate the trackers; of the %d parts formed since, up to block %d, %d were processed by %s", old, s.Source, len(names), cut, processed, s.View))
	sort.Slice(todo, func(i, j int) bool {
		if todo[i].partitionID != todo[j].partitionID {
			return todo[i].partitionID < todo[j].partitionID
		}
		return todo[i].name < todo[j].name
	})
	return todo, nil
}

// errAmbiguous says identical batches straddle the backfill's cut: which of
// them the view processed is known once they are all below a later cut.
var errAmbiguous = errors.New("not known yet")

// errTrackingBroken says the trackers can no longer tell which parts the view
// processed: merges ran on the source (an interrupted apply restarts them
// to keep ingestion going), or the start of tracking was not journaled.
var errTrackingBroken = errors.New("the tracking of inserts is broken")

// retrack starts the tracking over with the view in place: the view is
// dropped and drained, the target and the trackers emptied, the inserts
// running then drained, the source's last block journaled, and the view
// created again, so that every part up to that block is backfilled whole and
// every later one is tracked. Each statement is idempotent: an apply that
// dies here starts it over.
func (x *executor) retrack(ctx context.Context, s plan.Step, st *changeState) error {
	st.w.TrackBlock = 0
	if err := x.stopMerges(ctx, s.Source); err != nil {
		return err
	}
	if len(s.SQL) < 2 {
		return fmt.Errorf("backfill %s: the step has no view statement to start the tracking over", s.Table)
	}
	if err := x.exec(ctx, x.g.DropTable(s.View, true)); err != nil {
		return err
	}
	if err := x.drain(ctx); err != nil {
		return err
	}
	// the views downstream of s.Table received what the dropped view wrote:
	// they are emptied with it, and get the whole backfill
	truncate := []string{s.Table, s.Views[0], s.Views[1]}
	for _, d := range s.Cascade {
		truncate = append(truncate, d.Table)
	}
	for _, t := range truncate {
		if err := x.exec(ctx, "TRUNCATE TABLE "+x.g.Table(t)); err != nil {
			return err
		}
	}
	if err := x.drain(ctx); err != nil {
		return err
	}
	next, err := x.nextBlock(ctx, s.Source)
	if err != nil {
		return err
	}
	st.w.TrackBlock = next
	if err := x.save(ctx); err != nil {
		return err
	}
	if err := x.exec(ctx, s.SQL[1]); err != nil {
		return err
	}
	return x.drain(ctx)
}

// fingerprints groups the named parts of the source by fingerprint.
func (x *executor) fingerprints(ctx context.Context, s plan.Step, names []string, byName map[string]blockPart) (map[fingerprint][]blockPart, error) {
	groups := map[fingerprint][]blockPart{}
	q := "SELECT _part AS part_name, " + s.Select + " FROM " + x.g.Table(s.Source) + " WHERE _part IN (" + strings.Join(names, ", ") + ") GROUP BY part_name, p"
	rows, err := x.c.Conn().Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("fingerprint parts of %s: %w", s.Source, err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var f fingerprint
		if err := rows.Scan(&name, &f.partition, &f.rows, &f.h1, &f.h2); err != nil {
			return nil, fmt.Errorf("fingerprint parts of %s: %w", s.Source, err)
		}
		groups[f] = append(groups[f], byName[name])
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("fingerprint parts of %s: %w", s.Source, err)
	}
	n := 0
	for _, ps := range groups {
		n += len(ps)
	}
	if n != len(names) {
		// a part listed is no longer active: merged since, and so each of
		// its rows would be neither skipped nor backfilled
		return nil, fmt.Errorf("%w: %d of the %d parts of %s listed were merged before they were fingerprinted", errTrackingBroken, len(names)-n, len(names), s.Source)
	}
	return groups, nil
}

// fingerprintCounts runs q, which returns a fingerprint and a count per row.
func (x *executor) fingerprintCounts(ctx context.Context, q string) (map[fingerprint]int, error) {
	out := map[fingerprint]int{}
	rows, err := x.c.Conn().Query(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var f fingerprint
		var n uint64
		if err := rows.Scan(&f.partition, &f.rows, &f.h1, &f.h2, &n); err != nil {
			return nil, err
		}
		out[f] = int(n)
	}
	return out, rows.Err()
}
