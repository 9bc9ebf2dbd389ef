package apply

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/perchdata/perch/workspace/engine"

	"github.com/perchdata/perch/workspace/ddl"
	"github.com/perchdata/perch/workspace/journal"
	"github.com/perchdata/perch/workspace/plan"
)

// changeState carries what a change's steps learn at run time; w is the
// part the apply journal keeps (a later command needs it to finish the
// change after a crash).
type changeState struct {
	w        *journal.Work
	copied   map[string]bool // w.Parts as a set
	lastRows uint64
	tail     *plan.Step
}

func newChangeState(w *journal.Work) *changeState {
	st := &changeState{w: w, copied: map[string]bool{}}
	for _, n := range w.Parts {
		st.copied[n] = true
	}
	if w.Progress == nil {
		w.Progress = map[string]int{}
	}
	if w.SwapSig == nil {
		w.SwapSig = map[string]string{}
	}
	return st
}

// addCopied records parts whose rows are copied.
func (st *changeState) addCopied(names []string, rows uint64) {
	for _, n := range names {
		if !st.copied[n] {
			st.copied[n] = true
			st.w.Parts = append(st.w.Parts, n)
		}
	}
	st.w.CopiedRows += rows
}

type part struct {
	partitionID, partition, name string
	rows                         uint64
	level                        uint32
}

// driverRows is the engine's result set.
type driverRows = engine.Rows

func (x *executor) runStep(ctx context.Context, ch *plan.Change, s plan.Step, st *changeState) error {
	switch s.Kind {
	case plan.StepSQL:
		return x.execFrom(ctx, s, st)
	case plan.StepMetadata:
		return nil
	case plan.StepCopyParts:
		return x.eachShard(ctx, st, func(sx *executor, sst *changeState) error {
			// Rounds until a round finds nothing new: the rest is taken after the swap.
			for round := 0; round < 3; round++ {
				n, err := sx.copyParts(ctx, ch, s, s.Source, s.Dest, sst, true)
				if err != nil {
					return err
				}
				if n == 0 {
					break
				}
			}
			return nil
		})
	case plan.StepSwap:
		if _, ok := st.w.SwapSig[s.ID]; ok && (s.EmptyDest || st.w.Progress[s.ID] > 0) {
			// A retry: the swap may have happened on a connection that broke.
			if done, err := x.reconcileSwap(ctx, s, st); err != nil || done {
				if err != nil {
					return err
				}
				return x.afterSwap(ctx, st)
			}
		}
		if _, ok := st.w.SwapSig[s.ID]; !ok {
			sig, err := x.signature(ctx, s.Dest)
			if err != nil {
				return err
			}
			// Journaled before the swap runs: after a crash, the table
			// under the live name is recognized by it.
			st.w.SwapSig[s.ID] = sig
			if err := x.save(ctx); err != nil {
				return err
			}
		}
		// On a cluster the swap is a DDL task in ZooKeeper that every host
		// runs whether or not perch waits for it: cancelling the wait would
		// leave perch believing it did not happen (and rolling back) while
		// the hosts swap. So perch waits for it, bounded by the DDL timeout.
		sctx := ctx
		if x.c.Cluster() != "" {
			sctx = context.WithoutCancel(ctx)
		}
		if err := x.execFrom(sctx, s, st); err != nil {
			return err
		}
		return x.afterSwap(ctx, st)
	case plan.StepDrain:
		return x.drain(ctx)
	case plan.StepTrackSwap:
		return x.trackSwap(ctx, ch, s, st)
	case plan.StepMatchTail:
		return x.matchTail(ctx, ch, s, st)
	case plan.StepPushUnseen:
		return x.pushUnseen(ctx, ch, s, st)
	case plan.StepCopyTail:
		st.tail = &s
		return x.eachShard(ctx, st, func(sx *executor, sst *changeState) error {
			return sx.copyTail(ctx, ch, s, sst)
		})
	case plan.StepCheckRows:
		return x.checkRows(ctx, ch, s, st)
	case plan.StepCheckDeps:
		return x.checkDeps(ctx, ch, s)
	case plan.StepCheckFlow:
		return x.checkFlow(ctx, ch, s, st)
	case plan.StepDropBackup:
		return x.dropBackup(ctx, ch, s)
	case plan.StepWatermark:
		if st.w.Watermark == 0 {
			now, err := x.serverNow(ctx)
			if err != nil {
				return err
			}
			st.w.Watermark = now + int64(s.MarginSeconds)
			if err := x.save(ctx); err != nil {
				return err
			}
		} else if ok, err := x.exists(ctx, s.View); err != nil || ok {
			return err // created before a crash, with the journaled W
		}
		for _, q := range s.SQL {
			if err := x.exec(ctx, strings.ReplaceAll(q, "{W}", strconv.FormatInt(st.w.Watermark, 10))); err != nil {
				return err
			}
		}
		x.emit(CheckPassed, ch.ID, s.ID, 0, fmt.Sprintf("watermark W = %s", time.Unix(st.w.Watermark, 0).UTC().Format(time.RFC3339)))
		return nil
	case plan.StepWaitUntil:
		for {
			now, err := x.serverNow(ctx)
			if err != nil {
				return err
			}
			if now > st.w.Watermark {
				break
			}
			if err := sleep(ctx, 200*time.Millisecond); err != nil {
				return err
			}
		}
		return x.drain(ctx)
	case plan.StepBackfill:
		return x.backfill(ctx, ch, s, st)
	case plan.StepTrack:
		return x.track(ctx, s, st)
	case plan.StepTrackedBackfill:
		return x.trackedBackfill(ctx, ch, s, st)
	}
	return fmt.Errorf("unknown step kind %q", s.Kind)
}

func (x *executor) activeParts(ctx context.Context, table string) ([]part, error) {
	q := "SELECT partition_id, partition, name, rows, level FROM system.parts WHERE database = " + ddl.String(x.c.Database()) +
		" AND table = " + ddl.String(table) + " AND active ORDER BY partition_id, name"
	rows, err := x.c.Conn().Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("parts of %s: %w", table, err)
	}
	defer rows.Close()
	var out []part
	for rows.Next() {
		var p part
		if err := rows.Scan(&p.partitionID, &p.partition, &p.name, &p.rows, &p.level); err != nil {
			return nil, fmt.Errorf("parts of %s: %w", table, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (x *executor) count(ctx context.Context, table string) (uint64, error) {
	var n uint64
	if err := x.c.Conn().QueryRow(ctx, "SELECT count() FROM "+x.g.Table(table)).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", table, err)
	}
	return n, nil
}

func (x *executor) serverNow(ctx context.Context) (int64, error) {
	var now uint32
	if err := x.c.Conn().QueryRow(ctx, "SELECT toUnixTimestamp(now())").Scan(&now); err != nil {
		return 0, fmt.Errorf("server time: %w", err)
	}
	return int64(now), nil
}

// copyParts copies the parts of source not copied yet into dest, one
// partition per statement, verifying that dest grows by exactly their rows
// (dest has no other writer). With journal, each verified chunk is recorded
// in the apply journal. It returns the number of parts copied.
func (x *executor) copyParts(ctx context.Context, ch *plan.Change, s plan.Step, source, dest string, st *changeState, journal bool) (int, error) {
	if err := x.waitMerges(ctx, source); err != nil {
		return 0, err
	}
	parts, err := x.activeParts(ctx, source)
	if err != nil {
		return 0, err
	}
	if journal {
		if err := stillActive(parts, st.w.Parts, source); err != nil {
			return 0, err
		}
	}
	byPartition := map[string][]part{}
	var order []string
	for _, p := range parts {
		if st.copied[p.name] {
			continue
		}
		if _, ok := byPartition[p.partitionID]; !ok {
			order = append(order, p.partitionID)
		}
		byPartition[p.partitionID] = append(byPartition[p.partitionID], p)
	}
	wants := make([]uint64, len(order))
	for i, pid := range order {
		for _, p := range byPartition[pid] {
			wants[i] += p.rows
		}
		x.emitRows(RowsPlanned, ch.ID, s.ID, pid, 0, wants[i])
	}
	copiedParts := 0
	for i, pid := range order {
		chunk := byPartition[pid]
		var names []string
		want := wants[i]
		for _, p := range chunk {
			names = append(names, p.name)
		}
		before, err := x.count(ctx, dest)
		if err != nil {
			return copiedParts, err
		}
		q := strings.NewReplacer("{dest}", x.g.Table(dest), "{source}", x.g.Table(source), "{parts}", ddl.PartsFilter(names)).Replace(s.Select)
		if err := x.execRows(x.copySettings(ctx), q, ch.ID, s.ID, pid, want); err != nil {
			return copiedParts, fmt.Errorf("copy partition %s: %w", pid, err)
		}
		after, err := x.count(ctx, dest)
		if err != nil {
			return copiedParts, err
		}
		if after-before != want {
			return copiedParts, fmt.Errorf("copy partition %s of %s: %s grew by %d rows, the parts hold %d", pid, source, dest, after-before, want)
		}
		st.addCopied(names, want)
		st.lastRows += want
		copiedParts += len(names)
		if journal {
			if err := x.save(ctx); err != nil {
				return copiedParts, err
			}
		}
		x.emitRows(RowsCopied, ch.ID, s.ID, pid, want, want)
	}
	return copiedParts, nil
}

// stillActive checks that every part copied so far is still an active part
// of source: merges are stopped, but on a cluster a replica can still fetch
// a part another replica merged before its merges were stopped, and such a
// part would hold rows already copied under a name not copied yet.
func stillActive(parts []part, copied []string, source string) error {
	active := make(map[string]bool, len(parts))
	for _, p := range parts {
		active[p.name] = true
	}
	for _, n := range copied {
		if !active[n] {
			return fmt.Errorf("part %s of %s, already copied, was merged away (a merge that started before merges were stopped, or fetched from another replica): the rest cannot be told apart by part name; nothing is swapped, run perch apply again", n, source)
		}
	}
	return nil
}

// copyTail copies the parts of the frozen backup that were not copied before
// the swap into a stage with the table's exact structure, then attaches the
// stage's partitions to the table: attached rows do not fire the views that
// read the table (they fired when first inserted). It is safe to retry and
// to resume after a crash: the stage's state is in the apply journal, each
// stage partition is merged into one part of level >= 1 (OPTIMIZE FINAL),
// and merges on the table are stopped while it attaches, so an attach in
// doubt is recognized exactly (a new part of level >= 1 with the stage's
// rows; inserts only make level-0 parts) and never done twice.
func (x *executor) copyTail(ctx context.Context, ch *plan.Change, s plan.Step, st *changeState) error {
	if st.w.Stage == nil || !st.w.Stage.Ready {
		if err := x.converge(ctx, s.Backup); err != nil {
			return err
		}
		parts, err := x.activeParts(ctx, s.Backup)
		if err != nil {
			return err
		}
		active := map[string]bool{}
		pending := 0
		for _, p := range parts {
			active[p.name] = true
			if !st.copied[p.name] {
				pending++
			}
		}
		for _, n := range st.w.Parts {
			if !active[n] {
				return fmt.Errorf("part %s of %s, copied before the swap, was merged away (server restart?): the rows not copied yet cannot be told apart by part name; %s is kept, compare it with %s", n, s.Backup, s.Backup, s.Table)
			}
		}
		if pending == 0 {
			return nil
		}
		if err := x.newStage(ctx, s, st); err != nil {
			return err
		}
		tmp := newChangeState(&journal.Work{})
		for k := range st.copied {
			tmp.copied[k] = true
		}
		if _, err := x.copyParts(ctx, ch, s, s.Backup, s.Stage, tmp, false); err != nil {
			return err
		}
		if err := x.optimizeStage(ctx, s.Stage); err != nil {
			return err
		}
		st.w.Stage.Ready, st.w.Stage.StageParts, st.w.Stage.StageRows = true, tmp.w.Parts, tmp.w.CopiedRows
		if err := x.save(ctx); err != nil {
			return err
		}
	}
	if err := x.attachStage(ctx, ch, s.ID, st); err != nil {
		return err
	}
	st.addCopied(st.w.Stage.StageParts, st.w.Stage.StageRows)
	st.w.Stage = nil
	return x.save(ctx)
}

// attachStage attaches every partition of the journaled stage to its table,
// exactly once even across retries and crashes (see copyTail), then drops
// the stage. Merges on the table are stopped while it attaches.
func (x *executor) attachStage(ctx context.Context, ch *plan.Change, stepID string, st *changeState) error {
	return x.attachStageOf(ctx, ch, stepID, st.w.Stage)
}

// attachStageOf is attachStage for the journaled stage sg.
func (x *executor) attachStageOf(ctx context.Context, ch *plan.Change, stepID string, sg *journal.Stage) error {
	table, stage := sg.Table, sg.Stage
	if err := x.stopMerges(ctx, table); err != nil {
		return err
	}
	if sg.Pending != nil {
		v := sg.Pending.Verdict
		if v == "" {
			var err error
			if v, err = journal.Recognize(ctx, x.c, sg.Pending); err != nil {
				return err
			}
		}
		if v == journal.VerdictAttached {
			sg.Attached = append(sg.Attached, sg.Pending.Partition)
		}
		sg.Pending = nil
	}
	attached := map[string]bool{}
	for _, pid := range sg.Attached {
		attached[pid] = true
	}
	stageParts, err := x.activeParts(ctx, stage)
	if err != nil {
		return err
	}
	for _, pid := range partitionIDs(stageParts) {
		if attached[pid] {
			continue
		}
		var rows uint64
		for _, p := range stageParts {
			if p.partitionID == pid {
				rows += p.rows
			}
		}
		before, err := x.partsOf(ctx, table, pid)
		if err != nil {
			return err
		}
		names := make([]string, 0, len(before))
		for n := range before {
			names = append(names, n)
		}
		sort.Strings(names)
		level := uint32(journal.AttachLevel)
		for _, p := range stageParts {
			if p.partitionID == pid {
				level = min(level, p.level)
			}
		}
		sg.Pending = &journal.Attach{Table: table, Stage: stage, Partition: pid, Before: names, Rows: rows, Level: level}
		if err := x.save(ctx); err != nil {
			return err
		}
		if err := x.exec(ctx, x.local.AttachPartitionFrom(table, pid, stage)); err != nil {
			v, lerr := journal.Recognize(context.WithoutCancel(ctx), x.c, sg.Pending)
			if lerr != nil || v != journal.VerdictAttached {
				return fmt.Errorf("attach partition %s: %w", pid, err)
			}
			x.emit(CheckPassed, ch.ID, stepID, rows, "partition "+pid+" was attached before the connection broke")
		}
		sg.Attached = append(sg.Attached, pid)
		sg.Pending = nil
		if err := x.save(ctx); err != nil {
			return err
		}
	}
	if err := x.exec(ctx, x.local.DropTable(stage, true)); err != nil {
		return err
	}
	if err := x.exec(ctx, x.g.StartMerges(table)); err != nil {
		return err
	}
	x.j.Entry().StartMerges(table)
	return x.save(ctx)
}

// optimizeStage merges each partition of a stage into one part of level
// journal.AttachLevel or more (each OPTIMIZE FINAL raises it by one), which
// is how an attached partition is recognized after a broken connection: an
// insert forms parts of level 0, or 1 on a merging engine of 26.x, so the
// part an attach adds is told from the parts inserts add meanwhile
// (journal.Recognize).
func (x *executor) optimizeStage(ctx context.Context, stage string) error {
	parts, err := x.activeParts(ctx, stage)
	if err != nil {
		return err
	}
	for _, pid := range partitionIDs(parts) {
		q := "OPTIMIZE TABLE " + x.g.Table(stage) + " PARTITION ID " + ddl.String(pid) + " FINAL"
		for round := 0; ; round++ {
			if err := x.exec(ctx, q); err != nil {
				return err
			}
			now, err := x.activeParts(ctx, stage)
			if err != nil {
				return err
			}
			var n int
			level := uint32(journal.AttachLevel)
			for _, p := range now {
				if p.partitionID == pid {
					n++
					level = min(level, p.level)
				}
			}
			if n <= 1 && level >= journal.AttachLevel {
				break
			}
			if round == 4 {
				return fmt.Errorf("optimize %s partition %s: %d parts, least level %d after %d rounds of OPTIMIZE FINAL", stage, pid, n, level, round+1)
			}
		}
	}
	return nil
}

func partitionIDs(parts []part) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range parts {
		if !seen[p.partitionID] {
			seen[p.partitionID] = true
			out = append(out, p.partitionID)
		}
	}
	return out
}

// partsOf lists the active parts of one partition with their level.
func (x *executor) partsOf(ctx context.Context, table, partitionID string) (map[string]part, error) {
	q := "SELECT name, rows, level FROM system.parts WHERE database = " + ddl.String(x.c.Database()) +
		" AND table = " + ddl.String(table) + " AND partition_id = " + ddl.String(partitionID) + " AND active"
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		var rows driverRows
		if rows, err = x.c.Conn().Query(ctx, q); err != nil {
			if serr := sleep(ctx, 200*time.Millisecond); serr != nil {
				return nil, fmt.Errorf("parts of %s: %w", table, err)
			}
			continue
		}
		out := map[string]part{}
		for rows.Next() {
			var p part
			var level uint32
			if err = rows.Scan(&p.name, &p.rows, &level); err != nil {
				break
			}
			p.level = level
			out[p.name] = p
		}
		rows.Close()
		if err == nil {
			return out, nil
		}
	}
	return nil, fmt.Errorf("parts of %s: %w", table, err)
}

// runningInsertsQuery lists the ids of the INSERTs running on the server
// (perch's own query-id comment may precede the statement). The regex has
// no inline flags: 18.16's match() does not support (?i) or (?s), and an
// expression with them never matches, which once made drain return at once
// while inserts that resolved the old table were still running.
const runningInsertsQuery = "SELECT query_id FROM system.processes WHERE match(lower(query), '^\\\\s*(/\\\\*([^*]|\\\\*[^/])*\\\\*/\\\\s*)*insert\\\\s')"

// drain waits until every INSERT running now has finished (on every host of
// a cluster): after a swap, an insert that resolved the old table before it
// commits there.
func (x *executor) drain(ctx context.Context) error {
	q := runningInsertsQuery
	ids, err := x.hostStrings(ctx, q)
	if err != nil {
		return fmt.Errorf("drain: %w", err)
	}
	deadline := time.Now().Add(x.opts.DrainTimeout)
	for pending(ids) > 0 {
		if time.Now().After(deadline) {
			return fmt.Errorf("drain: %d inserts still running after %s", pending(ids), x.opts.DrainTimeout)
		}
		if err := sleep(ctx, 50*time.Millisecond); err != nil {
			return err
		}
		running, err := x.hostStrings(ctx, q)
		if err != nil {
			return fmt.Errorf("drain: %w", err)
		}
		for host, was := range ids {
			now := map[string]bool{}
			for _, id := range running[host] {
				now[id] = true
			}
			var still []string
			for _, id := range was {
				if now[id] {
					still = append(still, id)
				}
			}
			ids[host] = still
		}
	}
	return nil
}

// pending counts the query ids left in a per-host list.
func pending(ids map[string][]string) int {
	n := 0
	for _, l := range ids {
		n += len(l)
	}
	return n
}

func (x *executor) strings(ctx context.Context, q string) ([]string, error) {
	rows, err := x.c.Conn().Query(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func (x *executor) exists(ctx context.Context, table string) (bool, error) {
	var n uint64
	q := "SELECT count() FROM system.tables WHERE database = " + ddl.String(x.c.Database()) + " AND name = " + ddl.String(table)
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if err = x.c.Conn().QueryRow(ctx, q).Scan(&n); err == nil {
			return n > 0, nil
		}
		if serr := sleep(ctx, 200*time.Millisecond); serr != nil {
			break
		}
	}
	return false, err
}

// checkDeps verifies that the views that read a table before still do.
func (x *executor) checkDeps(ctx context.Context, ch *plan.Change, s plan.Step) error {
	q := "SELECT arrayJoin(dependencies_table) FROM system.tables WHERE database = " + ddl.String(x.c.Database()) + " AND name = " + ddl.String(s.Table)
	deps, err := x.strings(ctx, q)
	if err != nil {
		return fmt.Errorf("dependencies of %s: %w", s.Table, err)
	}
	have := map[string]bool{}
	for _, d := range deps {
		have[d] = true
	}
	for _, v := range s.Views {
		ok, err := x.exists(ctx, v)
		if err != nil {
			return err
		}
		if ok && !have[v] {
			return fmt.Errorf("view %s no longer reads %s", v, s.Table)
		}
	}
	x.emit(CheckPassed, ch.ID, s.ID, 0, fmt.Sprintf("%s is read by %s", s.Table, strings.Join(deps, ", ")))
	return nil
}

// ranDespite reports whether step s, whose statement failed with err (a
// cut connection, a cancel that came too late), ran all the same: a swap
// that happened (finished here when half done), or a view the step drops
// that is gone. Then the change is past that step.
func (x *executor) ranDespite(ctx context.Context, ch *plan.Change, s plan.Step, st *changeState, err error) bool {
	ctx = context.WithoutCancel(ctx)
	switch {
	case s.Kind == plan.StepSwap:
		done, rerr := x.reconcileSwap(ctx, s, st)
		return rerr == nil && done
	case s.Drops != "":
		if still, eerr := x.exists(ctx, s.Drops); eerr != nil || still {
			return false
		}
		x.emit(CheckPassed, ch.ID, s.ID, 0, s.Drops+" is gone: the drop ran although its statement failed ("+err.Error()+")")
		st.w.Progress[s.ID] = len(s.SQL)
		return true
	}
	return false
}

// ddlBarrier returns once every host of a cluster target has run every DDL
// task queued before it: each host runs the ZooKeeper DDL queue in order,
// so a no-op ON CLUSTER statement that every host finished means an earlier
// swap whose answer perch never heard has run everywhere (or failed). On a
// single server it does nothing.
func (x *executor) ddlBarrier(ctx context.Context) error {
	if x.c.Cluster() == "" {
		return nil
	}
	q := "CREATE DATABASE IF NOT EXISTS " + ddl.Ident(x.c.Database()) + " ON CLUSTER " + ddl.Ident(x.c.Cluster())
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if err = x.exec(ctx, q); err == nil {
			return nil
		}
		if serr := sleep(ctx, 200*time.Millisecond); serr != nil {
			break
		}
	}
	return fmt.Errorf("wait for the DDL queued on cluster %s: %w", x.c.Cluster(), err)
}

// reconcileSwap looks at the tables after a swap whose connection broke and
// completes it when it half happened: the replacement is recognized by the
// signature (engine and columns) it had before the swap. It reports whether
// the swap is now done.
func (x *executor) reconcileSwap(ctx context.Context, s plan.Step, st *changeState) (bool, error) {
	if err := x.ddlBarrier(ctx); err != nil {
		return false, fmt.Errorf("reconcile swap of %s: %w", s.Table, err)
	}
	t, err1 := x.exists(ctx, s.Table)
	n, err2 := x.exists(ctx, s.Dest)
	o, err3 := x.exists(ctx, s.Backup)
	if err1 != nil || err2 != nil || err3 != nil {
		return false, fmt.Errorf("reconcile swap of %s: cannot read system.tables", s.Table)
	}
	if !t && n && o {
		// RENAME t TO t__old ran, t__new TO t did not: finish it.
		return true, x.execRetry(ctx, x.g.Rename([2]string{s.Dest, s.Table}))
	}
	if !t {
		return false, fmt.Errorf("reconcile swap: %s is missing", s.Table)
	}
	if s.EmptyDest {
		// The replacement is empty and nothing writes to either table: the
		// swap happened iff the live name holds no rows (when both are
		// empty, either way is the same).
		if !n {
			return true, nil
		}
		rows, err := x.count(ctx, s.Table)
		if err != nil {
			return false, err
		}
		if rows > 0 {
			return false, nil
		}
	} else {
		sig, err := x.signature(ctx, s.Table)
		if err != nil {
			return false, err
		}
		if sig != st.w.SwapSig[s.ID] {
			return false, nil // the swap did not happen
		}
	}
	if n && !o {
		// EXCHANGE ran, the rename of the old table to the backup did not.
		return true, x.execRetry(ctx, x.g.Rename([2]string{s.Dest, s.Backup}))
	}
	return true, nil
}

// signature identifies a table's definition (journal.Signature), retried
// over a broken connection.
func (x *executor) signature(ctx context.Context, table string) (string, error) {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		var sig string
		if sig, err = journal.Signature(ctx, x.c, table); err == nil {
			return sig, nil
		}
		if serr := sleep(ctx, 200*time.Millisecond); serr != nil {
			break
		}
	}
	return "", err
}

// execFrom runs a step's statements from the first one not run yet.
func (x *executor) execFrom(ctx context.Context, s plan.Step, st *changeState) error {
	for i := st.w.Progress[s.ID]; i < len(s.SQL); i++ {
		if err := x.exec(ctx, s.SQL[i]); err != nil {
			return err
		}
		st.w.Progress[s.ID] = i + 1
		if i+1 < len(s.SQL) {
			if err := x.save(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// backfill inserts the view's query below W into the target, one partition
// of the source at a time. The chunks go into a stage (no other writer, so
// each chunk's rows are counted exactly) that is then attached to the target
// partition by partition: a retry after a broken connection neither loses nor
// repeats a chunk.
func (x *executor) backfill(ctx context.Context, ch *plan.Change, s plan.Step, st *changeState) error {
	stage := s.Table + plan.SuffixStage
	if st.w.Stage == nil || !st.w.Stage.Ready {
		w := strconv.FormatInt(st.w.Watermark, 10)
		query := strings.ReplaceAll(s.Query, "{W}", w)
		var key string
		q := "SELECT partition_key FROM system.tables WHERE database = " + ddl.String(x.c.Database()) + " AND name = " + ddl.String(s.Source)
		if err := x.c.Conn().QueryRow(ctx, q).Scan(&key); err != nil {
			return fmt.Errorf("partition key of %s: %w", s.Source, err)
		}
		parts, err := x.activeParts(ctx, s.Source)
		if err != nil {
			return err
		}
		var values []string
		// totals are the source rows of each partition: the rows the
		// backfill reads there (the view may write fewer)
		totals := map[string]uint64{}
		var all uint64
		for _, p := range parts {
			if _, ok := totals[p.partition]; !ok {
				values = append(values, p.partition)
			}
			totals[p.partition] += p.rows
			all += p.rows
		}
		cut := "< toDateTime(" + w + "))"
		if strings.TrimSpace(key) == "" || !strings.Contains(query, cut) {
			values, totals = []string{""}, map[string]uint64{"": all}
		}
		for _, v := range values {
			x.emitRows(RowsPlanned, ch.ID, s.ID, v, 0, totals[v])
		}
		st.w.Stage = &journal.Stage{Stage: stage, Table: s.Table}
		if err := x.save(ctx); err != nil {
			return err
		}
		for _, q := range []string{x.g.DropTable(stage, true), x.g.CreateTableAs(stage, s.Table)} {
			if err := x.exec(ctx, q); err != nil {
				return err
			}
		}
		var total uint64
		for _, v := range values {
			chunk := query
			if v != "" {
				chunk = strings.Replace(query, cut, "< toDateTime("+w+") AND ("+key+") = "+v+")", 1)
			}
			if err := x.execRows(ctx, x.g.InsertSelect(stage, nil, chunk), ch.ID, s.ID, v, totals[v]); err != nil {
				return fmt.Errorf("backfill partition %s: %w", v, err)
			}
			n, err := x.count(ctx, stage)
			if err != nil {
				return err
			}
			x.emitRows(RowsCopied, ch.ID, s.ID, v, n-total, totals[v])
			st.lastRows += n - total
			total = n
		}
		if err := x.optimizeStage(ctx, stage); err != nil {
			return err
		}
		st.w.Stage.Ready, st.w.Stage.StageRows = true, total
		if err := x.save(ctx); err != nil {
			return err
		}
	}
	if err := x.attachStage(ctx, ch, s.ID, st); err != nil {
		return err
	}
	st.w.Stage = nil
	return x.save(ctx)
}

// stopMerges stops the merges of table, journaled first so that the apply's
// end (or a resume) restarts them, and waits for those already running.
func (x *executor) stopMerges(ctx context.Context, table string) error {
	if x.j != nil {
		x.j.Entry().StopMerges(table, true)
		if err := x.save(ctx); err != nil {
			return err
		}
	}
	if err := x.exec(ctx, x.g.StopMerges(table)); err != nil {
		return err
	}
	return x.waitMerges(ctx, table)
}

// waitMerges waits until no merge of table is running: SYSTEM STOP MERGES
// lets merges already running finish, and a merge replaces part names.
func (x *executor) waitMerges(ctx context.Context, table string) error {
	q := "SELECT toString(count()) FROM system.merges WHERE database = " + ddl.String(x.c.Database()) + " AND table = " + ddl.String(table)
	deadline := time.Now().Add(x.opts.DrainTimeout)
	for {
		counts, err := x.hostStrings(ctx, q)
		if err != nil {
			return fmt.Errorf("merges of %s: %w", table, err)
		}
		running := 0
		for _, c := range counts {
			if len(c) == 1 && c[0] != "0" {
				running++
			}
		}
		if running == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("merges of %s still running after %s", table, x.opts.DrainTimeout)
		}
		if err := sleep(ctx, 50*time.Millisecond); err != nil {
			return err
		}
	}
}

// checkRows verifies that every row of the frozen backup was copied, on
// each shard of a cluster of several shards, that every replica holds the
// copy (replicasHold), and records the proof in the journal (a later
// deploy drops a proven backup).
func (x *executor) checkRows(ctx context.Context, ch *plan.Change, s plan.Step, st *changeState) error {
	var rows uint64
	shards := 0
	err := x.eachShard(ctx, st, func(sx *executor, sst *changeState) error {
		n, err := sx.checkShardRows(ctx, ch, s, sst)
		if err != nil {
			return err
		}
		rows += n
		shards++
		if err := sx.replicasHold(ctx, s.Table); err != nil {
			return err
		}
		if sx.c.Cluster() != "" {
			sx.emit(CheckPassed, ch.ID, s.ID, n, fmt.Sprintf("every replica%s holds every part of %s the copy wrote", sx.onShard(), s.Table))
		}
		return nil
	})
	if err != nil || x.j == nil {
		return err
	}
	b := journal.Backup{Table: s.Backup, Live: s.Table, Rows: rows, Proven: true}
	if shards > 1 {
		b.Shards = shards
	}
	x.j.Entry().SetBackup(b)
	return x.save(ctx)
}

// checkShardRows verifies that every row of the frozen backup on the
// executor's host was copied and returns their count. Rows that reached
// the backup after the tail (an insert the drain could not see) are copied
// by running the tail again, by part name, until the backup is stable;
// fewer rows in the backup than copied is an error.
func (x *executor) checkShardRows(ctx context.Context, ch *plan.Change, s plan.Step, st *changeState) (uint64, error) {
	for attempt := 0; ; attempt++ {
		n, err := x.count(ctx, s.Backup)
		if err != nil {
			return 0, err
		}
		if n == st.w.CopiedRows {
			x.emit(CheckPassed, ch.ID, s.ID, n, fmt.Sprintf("%s%s: %d rows, all copied", s.Backup, x.onShard(), n))
			return n, nil
		}
		if n < st.w.CopiedRows || st.tail == nil || attempt >= 10 {
			return 0, fmt.Errorf("row check: %s has %d rows, %d were copied into %s", s.Backup, n, st.w.CopiedRows, s.Table)
		}
		x.emit(StepRetried, ch.ID, s.ID, n-st.w.CopiedRows, fmt.Sprintf("%d rows reached %s%s after the tail; copying them", n-st.w.CopiedRows, s.Backup, x.onShard()))
		if err := sleep(ctx, 100*time.Millisecond); err != nil {
			return 0, err
		}
		if err := x.drain(ctx); err != nil {
			return 0, err
		}
		if err := x.rematchTail(ctx, ch, st); err != nil {
			return 0, err
		}
		if err := x.copyTail(ctx, ch, *st.tail, st); err != nil {
			return 0, err
		}
	}
}
