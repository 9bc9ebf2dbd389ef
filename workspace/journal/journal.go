// Package journal keeps the durable record of an apply in the workspace
// database, so that an apply that dies (SIGKILL, a lost machine) leaves
// enough behind for the next perch command to see it, restore ingestion and
// finish or roll back its work: the apply journal (which plan, which change
// and step, what each step created, stopped or copied), the apply lock with
// its holder and heartbeat, and Settle, which any command runs to find
// unfinished applies and undo what degrades ingestion.
//
// The journal is the append-only table _perch_apply_journal: every update
// is a new row holding the whole state of one deployment as JSON, so the
// newest row (highest seq) of a deployment is its state, and a row written
// before a statement runs says what that statement may have done if the
// process dies while it runs.
package journal

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/engine"
)

// Table is the journal table in the workspace database.
const Table = "_perch_apply_journal"

// Status is where an apply stands.
type Status string

// The statuses of an apply. Running and Incomplete are unfinished: an entry
// running whose holder is gone is an interrupted apply; an incomplete one
// stopped on an error after its commit point and must be finished.
const (
	Running    Status = "running"
	Incomplete Status = "incomplete" // stopped on an error after a swap: `perch apply` finishes it
	Done       Status = "done"       // every staged change applied
	Failed     Status = "failed"     // stopped on an error, its current change undone
	Resolved   Status = "resolved"   // interrupted, then finished or rolled back by a later command
)

// Unfinished reports whether the status needs a later command.
func (s Status) Unfinished() bool { return s == Running || s == Incomplete }

// Merges is a table whose merges the apply stopped.
type Merges struct {
	Table string `json:"table"`
	// Live marks a table receiving inserts: its merges must be restarted as
	// soon as its holder is gone, or inserts fail with "Too many parts".
	// A frozen backup (t__old after a swap) is not live: its merges stay
	// stopped so its part names still say which rows were copied.
	Live bool `json:"live"`
}

// Attach is an ATTACH PARTITION whose outcome is not known yet: written
// before the statement runs, with merges on Table stopped, so the part it
// adds is recognized exactly afterwards (a part of level >= Level with Rows
// rows that is not in Before: an attach keeps the stage part's level, and
// inserts form parts of level 0, or 1 on a merging engine of 26.x).
type Attach struct {
	Table     string   `json:"table"`
	Stage     string   `json:"stage"`
	Partition string   `json:"partition"`
	Before    []string `json:"before"`
	Rows      uint64   `json:"rows"`
	// Level is the stage part's level (AttachLevel or more; 0 in journals
	// written before it was recorded, read as 1).
	Level uint32 `json:"level,omitempty"`
	// Verdict is set once known: "attached" or "absent".
	Verdict string `json:"verdict,omitempty"`
}

// AttachLevel is the least level of the part a stage partition is merged
// into before it is attached: above the level-1 parts an insert into a
// merging engine forms on 26.x (optimize_on_insert).
const AttachLevel = 2

// The verdicts of an Attach.
const (
	VerdictAttached = "attached"
	VerdictAbsent   = "absent"
)

// Work is what the current change of an apply has done so far, as much as
// a later command needs to roll it back or finish it.
type Work struct {
	// Parts lists the part names of the rebuilt table (its old object, the
	// backup after the swap) whose rows are copied.
	Parts []string `json:"parts,omitempty"`
	// CopiedRows counts the rows copied into the change's table.
	CopiedRows uint64 `json:"copied_rows,omitempty"`
	// Accepted lists the view columns whose type differs from their
	// target's before the swap ("view.column"): the server takes them today.
	Accepted []string `json:"accepted,omitempty"`
	// Progress counts the statements of each SQL step already run.
	Progress map[string]int `json:"progress,omitempty"`
	// SwapSig is the replacement's signature (engine and columns) before the swap.
	SwapSig map[string]string `json:"swap_sig,omitempty"`
	// Stage is a copy through a stage table attached partition by partition
	// (the tail of a rebuild, the backfill of a view).
	Stage *Stage `json:"stage,omitempty"`
	// Cascade is the copy, through a stage of its own target, of a view
	// downstream of a tracked backfill (plan.Cascade) run over Stage before
	// Stage is attached; CascadeDone lists the views whose copy is attached.
	Cascade     *Stage   `json:"cascade,omitempty"`
	CascadeDone []string `json:"cascade_done,omitempty"`
	// Watermark is the W of a watermark step (unix seconds).
	Watermark int64 `json:"watermark,omitempty"`
	// TrackBlock is 1 + the last block number of the source of a tracked
	// view change before its trackers existed (0: not recorded yet): a part
	// made only of blocks up to it was formed by no tracked insert.
	TrackBlock int64 `json:"track_block,omitempty"`
	// Swap is the state of a rebuild's swap tracker (plan.StepTrackSwap),
	// nil without one.
	Swap *SwapTrack `json:"swap_track,omitempty"`
	// Shards is the copy of a rebuild on a cluster of several shards, by
	// shard number: each shard's rows are copied on one of its replicas,
	// and Parts, CopiedRows, Stage and Host of a shard's Work are that
	// shard's.
	Shards map[string]*Work `json:"shards,omitempty"`
	// Host is the replica (host:port) a shard's copy runs on: its stage is
	// a local table there, so a later command goes on there.
	Host string `json:"host,omitempty"`
}

// SwapTrack is what a rebuild's swap tracker learned: the server times and
// running inserts that bound which tracker records belong to inserts into
// the old table, and the parts of the old table no view processed.
type SwapTrack struct {
	// Before is the server time (now64(6) as text) read after the drain
	// that followed the tracker's creation, before BeforeRunning was listed
	// and the parts were copied: an insert whose records all precede it and
	// that was not running then formed only copied parts.
	Before        string   `json:"before,omitempty"`
	BeforeRunning []string `json:"before_running,omitempty"`
	// After is the server time read after the swap, once AfterRunning was
	// listed: every insert into the old table was running then, or has
	// records up to After.
	After        string   `json:"after,omitempty"`
	AfterRunning []string `json:"after_running,omitempty"`
	// Matched lists the parts of the old table matched so far; Unseen
	// those of them no insert's views processed, to push through the views.
	Matched []string `json:"matched,omitempty"`
	Unseen  []string `json:"unseen,omitempty"`
	// Pushed lists the views the unseen parts were pushed through (by
	// step id, with the number of unseen parts pushed).
	Pushed map[string]int `json:"pushed,omitempty"`
}

// Stage is the state of a copy through a stage: rows copied into Stage,
// then attached to Table partition by partition.
type Stage struct {
	Stage      string   `json:"stage"`
	Table      string   `json:"table"`
	Ready      bool     `json:"ready,omitempty"`
	StageParts []string `json:"stage_parts,omitempty"`
	StageRows  uint64   `json:"stage_rows,omitempty"`
	Attached   []string `json:"attached,omitempty"`
	Pending    *Attach  `json:"pending,omitempty"`
}

// Swap names the tables of a swap: Dest takes Table's name, Table's old
// object becomes Backup.
type Swap struct {
	Table  string `json:"table"`
	Dest   string `json:"dest"`
	Backup string `json:"backup"`
}

// Backup records a backup table a change left and the proof that every
// row in it reached the live table.
type Backup struct {
	Table string `json:"table"`
	Live  string `json:"live"`
	// Rows is the backup's row count when its rows were proven copied; 0
	// with Proven false means not proven.
	Rows   uint64 `json:"rows"`
	Proven bool   `json:"proven"`
	// Shards, above 1, says Rows counts the backup on every shard of the
	// cluster (one replica each), each shard proven on its own.
	Shards int `json:"shards,omitempty"`
	// Copy marks a table that is a copy of live rows (a rebuild's t__new
	// before its swap): dropping it loses nothing.
	Copy bool `json:"copy,omitempty"`
	// Replaced marks the previous contents of a table the deployment
	// recomputed from its sources (an empty table was swapped in): its rows
	// were never meant to reach live, so they are not proven there.
	Replaced bool `json:"replaced,omitempty"`
}

// Entry is the state of one apply.
type Entry struct {
	Deployment string `json:"deployment"`
	Seq        int    `json:"seq"`
	Status     Status `json:"status"`
	Holder     Holder `json:"holder"`
	// Staged are the ids of the changes to run, in order; Applied those done.
	Staged  []string `json:"staged"`
	Applied []string `json:"applied,omitempty"`
	// Change and Step are where the apply is; StepDone says the step finished.
	Change   string `json:"change,omitempty"`
	Step     string `json:"step,omitempty"`
	StepDone bool   `json:"step_done,omitempty"`
	// Committed says the current change passed its commit point (the swap):
	// it can only go forward.
	Committed bool `json:"committed,omitempty"`
	// Created lists the objects the current change created before its
	// commit point (dropped by a rollback).
	Created []string `json:"created,omitempty"`
	// Swap is the swap of the current change, set before it runs: if the
	// process dies during it, the tables say how far it got.
	Swap *Swap `json:"swap,omitempty"`
	// Swapped says a swap in doubt is known to have happened (Settle
	// compared the live table with the journaled signature).
	Swapped bool `json:"swapped,omitempty"`
	// Merges lists the tables whose merges this apply stopped and has not restarted.
	Merges []Merges `json:"merges,omitempty"`
	Work   Work     `json:"work"`
	// Backups are the backup tables the apply left, with their proofs.
	Backups []Backup `json:"backups,omitempty"`
	Error   string   `json:"error,omitempty"`
	// Resolution says how a later command ended an interrupted apply.
	Resolution string `json:"resolution,omitempty"`
	// Recorded says the deployment log has this apply's outcome.
	Recorded bool      `json:"recorded,omitempty"`
	Time     time.Time `json:"time"`
}

// Where says where an apply stands, for messages.
func (e *Entry) Where() string {
	switch {
	case e.Change == "":
		return "before its first change"
	case e.StepDone:
		return fmt.Sprintf("%s, after step %s", e.Change, e.Step)
	case e.Step == "":
		return e.Change
	}
	return fmt.Sprintf("%s, step %s", e.Change, e.Step)
}

// StopMerges adds table to the stopped merges (once).
func (e *Entry) StopMerges(table string, live bool) {
	for i, m := range e.Merges {
		if m.Table == table {
			e.Merges[i].Live = live
			return
		}
	}
	e.Merges = append(e.Merges, Merges{Table: table, Live: live})
}

// StartMerges removes table from the stopped merges.
func (e *Entry) StartMerges(table string) {
	out := e.Merges[:0]
	for _, m := range e.Merges {
		if m.Table != table {
			out = append(out, m)
		}
	}
	e.Merges = out
}

// AddCreated records an object the current change creates (once).
func (e *Entry) AddCreated(name string) {
	for _, n := range e.Created {
		if n == name {
			return
		}
	}
	e.Created = append(e.Created, name)
}

// SetBackup records (or replaces) the proof of a backup table.
func (e *Entry) SetBackup(b Backup) {
	for i := range e.Backups {
		if e.Backups[i].Table == b.Table {
			e.Backups[i] = b
			return
		}
	}
	e.Backups = append(e.Backups, b)
}

// Start is what the first row of an apply holds besides its state: the
// plan and what the deployment log needs to record it.
type Start struct {
	Deployment workspace.Deployment `json:"deployment"`
}

// ddl creates the journal; MergeTree works on every server version.
func ddl(database string) string {
	return "CREATE TABLE IF NOT EXISTS " + workspace.QuoteIdent(database) + "." + Table + ` (
    deployment String,
    seq UInt32,
    time DateTime,
    kind String,
    status String,
    state String
) ENGINE = MergeTree() ORDER BY (deployment, seq)`
}

// Journal writes the entries of one apply. It is not safe for concurrent use.
type Journal struct {
	c     *workspace.Client
	entry Entry
}

// Begin creates the journal table when needed and writes the first rows of
// an apply: its start (plan, files, author) and its state.
func Begin(ctx context.Context, c *workspace.Client, start Start, e Entry) (*Journal, error) {
	if err := c.Exec(ctx, ddl(c.Database())); err != nil {
		return nil, fmt.Errorf("journal: create %s: %w", Table, err)
	}
	b, err := json.Marshal(start)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	e.Seq, e.Status = 0, Running
	if err := insert(ctx, c, e.Deployment, 0, "start", string(Running), string(b)); err != nil {
		return nil, err
	}
	j := &Journal{c: c, entry: e}
	return j, j.Write(ctx)
}

// Resume continues the journal of an existing entry (a later command
// settling or finishing an interrupted apply).
func Resume(c *workspace.Client, e *Entry) *Journal {
	return &Journal{c: c, entry: *e}
}

// Entry is the current state; change it, then Write.
func (j *Journal) Entry() *Entry { return &j.entry }

// Write appends the current state as a new row. Transient failures (a
// connection the pool has not replaced yet) are retried.
func (j *Journal) Write(ctx context.Context) error {
	j.entry.Seq++
	j.entry.Time = time.Now().UTC()
	b, err := json.Marshal(j.entry)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	for attempt := 0; ; attempt++ {
		err = insert(ctx, j.c, j.entry.Deployment, j.entry.Seq, "state", string(j.entry.Status), string(b))
		if err == nil || attempt == 4 || ctx.Err() != nil {
			return err
		}
		select {
		case <-ctx.Done():
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func insert(ctx context.Context, c *workspace.Client, deployment string, seq int, kind, status, state string) error {
	q := fmt.Sprintf("INSERT INTO %s.%s (deployment, seq, time, kind, status, state) SELECT %s, %d, now(), %s, %s, %s",
		workspace.QuoteIdent(c.Database()), Table, workspace.QuoteString(deployment), seq,
		workspace.QuoteString(kind), workspace.QuoteString(status), workspace.QuoteString(state))
	qctx := engine.WithSettings(ctx, engine.Settings{"max_query_size": len(q) + 65536})
	if err := c.Conn().Exec(qctx, q); err != nil {
		return fmt.Errorf("journal: write %s of deployment %s: %w", kind, deployment, err)
	}
	return nil
}

// Note appends a note to a deployment's journal: why the apply stopped
// itself, written the moment it decides (state rows are separate).
func Note(ctx context.Context, c *workspace.Client, deployment, text string) error {
	return insert(ctx, c, deployment, 0, "note", "", text)
}

// Notes returns the notes of a deployment, oldest first.
func Notes(ctx context.Context, c *workspace.Client, deployment string) ([]string, error) {
	ok, err := exists(ctx, c, Table)
	if err != nil || !ok {
		return nil, err
	}
	q := "SELECT state FROM " + workspace.QuoteIdent(c.Database()) + "." + Table +
		" WHERE kind = 'note' AND deployment = " + workspace.QuoteString(deployment) + " ORDER BY time"
	rows, err := c.Conn().Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("journal: notes of %s: %w", deployment, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("journal: notes of %s: %w", deployment, err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// exists reports whether a table of the workspace database exists.
func exists(ctx context.Context, c *workspace.Client, table string) (bool, error) {
	var n uint64
	q := "SELECT count() FROM system.tables WHERE database = " + workspace.QuoteString(c.Database()) + " AND name = " + workspace.QuoteString(table)
	if err := c.Conn().QueryRow(ctx, q).Scan(&n); err != nil {
		return false, fmt.Errorf("journal: look for %s: %w", table, err)
	}
	return n > 0, nil
}

// Unfinished returns the entries still running (their holder may be alive
// or gone), oldest first; none when perch never applied here.
func Unfinished(ctx context.Context, c *workspace.Client) ([]*Entry, error) {
	return read(ctx, c, "HAVING s IN ("+workspace.QuoteString(string(Running))+", "+workspace.QuoteString(string(Incomplete))+")")
}

// Latest returns the newest state of every deployment that mentions table
// as a backup or a created object, newest first.
func Latest(ctx context.Context, c *workspace.Client, table string) ([]*Entry, error) {
	q := workspace.QuoteString(`"` + table + `"`)
	es, err := read(ctx, c, "HAVING position(st, "+q+") > 0")
	if err != nil {
		return nil, err
	}
	for i, k := 0, len(es)-1; i < k; i, k = i+1, k-1 {
		es[i], es[k] = es[k], es[i]
	}
	return es, nil
}

func read(ctx context.Context, c *workspace.Client, having string) ([]*Entry, error) {
	ok, err := exists(ctx, c, Table)
	if err != nil || !ok {
		return nil, err
	}
	q := "SELECT argMax(state, seq) AS st, argMax(status, seq) AS s FROM " + workspace.QuoteIdent(c.Database()) + "." + Table +
		" WHERE kind = 'state' GROUP BY deployment " + having + " ORDER BY min(time), deployment"
	rows, err := c.Conn().Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("journal: read: %w", err)
	}
	defer rows.Close()
	var out []*Entry
	for rows.Next() {
		var st, s string
		if err := rows.Scan(&st, &s); err != nil {
			return nil, fmt.Errorf("journal: read: %w", err)
		}
		var e Entry
		if err := json.Unmarshal([]byte(st), &e); err != nil {
			return nil, fmt.Errorf("journal: read an entry: %w", err)
		}
		out = append(out, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("journal: read: %w", err)
	}
	return out, nil
}

// StartOf returns the start row of a deployment: its plan and files.
func StartOf(ctx context.Context, c *workspace.Client, deployment string) (*Start, error) {
	q := "SELECT state FROM " + workspace.QuoteIdent(c.Database()) + "." + Table +
		" WHERE kind = 'start' AND deployment = " + workspace.QuoteString(deployment) + " LIMIT 1"
	var st string
	if err := c.Conn().QueryRow(ctx, q).Scan(&st); err != nil {
		return nil, fmt.Errorf("journal: read the start of %s: %w", deployment, err)
	}
	var s Start
	if err := json.Unmarshal([]byte(st), &s); err != nil {
		return nil, fmt.Errorf("journal: read the start of %s: %w", deployment, err)
	}
	return &s, nil
}

// IsInternal reports whether a table is one of the journal's.
func IsInternal(name string) bool {
	return name == Table || name == LockTable || strings.HasPrefix(name, LockTable+"_")
}
