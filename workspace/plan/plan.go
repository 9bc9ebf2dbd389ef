// Package plan computes what it takes to bring a remote workspace to a local
// project: per resource the action, the method chosen from the server's
// capabilities and the reason, the risk, the estimated cost, the downstream
// resources affected and ordered steps with SQL, checks and undo. A plan
// carries the fingerprint of the remote state it was computed against, renders
// as text and stable JSON, and saves to a file that apply runs as reviewed.
package plan

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/perchdata/perch/workspace"
)

// FormatVersion is the version of the plan JSON; bump it on breaking changes.
const FormatVersion = 1

// Action is what happens to a resource.
type Action string

// The actions, with their text markers (+ ~ -/+ -).
const (
	Create  Action = "create"
	Update  Action = "update"  // in place: alter, modify query, metadata
	Replace Action = "replace" // rebuild and swap, recreate view
	Delete  Action = "delete"
)

// Marker returns the Terraform-like marker of an action.
func (a Action) Marker() string {
	switch a {
	case Create:
		return "+"
	case Update:
		return "~"
	case Replace:
		return "-/+"
	case Delete:
		return "-"
	}
	return "?"
}

// Method is how a change is carried out.
type Method string

// The methods perch chooses between.
const (
	MethodCreate      Method = "create"
	MethodMetadata    Method = "metadata only"
	MethodAlter       Method = "alter in place"
	MethodRebuild     Method = "rebuild and swap"
	MethodModifyQuery Method = "modify query"
	MethodWatermark   Method = "recreate view with watermark backfill (approximate)"
	// MethodTracked creates the view with its final query and backfills
	// exactly the source parts it did not process (tracked.go).
	MethodTracked Method = "create view with tracked backfill"
	// MethodRecreateNoHistory drops and recreates a view whose target says
	// BACKFILL skip: no history, every row inserted after the apply counted.
	MethodRecreateNoHistory Method = "recreate view without history"
	// MethodRefused marks a change no method makes exact on this server:
	// the plan's errors say why and what would make it possible.
	MethodRefused           Method = "refused: no exact method (see errors)"
	MethodDrop              Method = "drop"
	MethodCleanup           Method = "drop backup"
	MethodRecreateViewPlain Method = "replace view"
)

// Risk says what a change may do to data.
type Risk string

// The risks, from least to most.
const (
	Safe     Risk = "safe"
	Rewrites Risk = "rewrites data"
	Destroys Risk = "destroys data"
)

// ResourceKind is the kind of object a change touches.
type ResourceKind string

// The kinds of resource.
const (
	KindDatasource ResourceKind = "datasource"
	KindMatView    ResourceKind = "materialized view"
	KindView       ResourceKind = "view"
	KindPipe       ResourceKind = "pipe"
	KindBackup     ResourceKind = "backup table"
)

// StepKind says how apply runs a step.
type StepKind string

// The step kinds. SQL steps run their statements in order; the others are
// data-moving or waiting steps whose SQL is shown as a template.
const (
	StepSQL       StepKind = "sql"        // run SQL, undo with Undo
	StepCopyParts StepKind = "copy_parts" // copy Source's parts into Dest by part name, chunk per partition
	StepSwap      StepKind = "swap"       // swap Table and Dest names, keeping the old as Backup
	StepDrain     StepKind = "drain"      // wait until inserts running now have finished
	StepCopyTail  StepKind = "copy_tail"  // copy the parts of Backup not copied yet into Table via a stage
	StepCheckRows StepKind = "check_rows" // rows of Backup == rows copied
	StepCheckDeps StepKind = "check_deps" // every view in Views still reads Table
	StepWatermark StepKind = "watermark"  // choose W = now + margin; create the view filtered >= W
	StepWaitUntil StepKind = "wait_until" // wait until W has passed, then drain
	StepBackfill  StepKind = "backfill"   // INSERT INTO Table the view query filtered < W, per source partition
	StepMetadata  StepKind = "metadata"   // nothing to run: recorded in the deployment log
	// StepTrack records the last block number of Source in the apply
	// journal, then creates the tracking views (SQL) of a tracked change.
	StepTrack StepKind = "track"
	// StepTrackedBackfill inserts Query (the view's query over the parts of
	// Source named in {parts}) into Stage for exactly the parts of Source
	// no insert processed by View formed, then attaches Stage to Table.
	// Views are the source tracker and the output tracker; Select is the
	// fingerprint list (plan.Fingerprint). Before Stage is attached, each
	// of Cascade (a view firing on Table) is run over Stage into a stage of
	// its own target, attached there: the backfilled rows reach the views
	// downstream of Table as the rows of an insert would.
	StepTrackedBackfill StepKind = "tracked_backfill"
	// StepTrackSwap creates the swap tracker of a rebuild (SQL: a table
	// and a view on Source recording queryID(), the time and the
	// fingerprint Select of every insert block), waits for the inserts that
	// started before it, and copies the parts of Source they formed into
	// Dest (Query: the copy template), so that every part of Source not
	// copied before the swap comes from an insert the tracker saw, or one
	// that fired no view at all (issue 12, EXCHANGE TABLES on 26.x).
	StepTrackSwap StepKind = "track_swap"
	// StepMatchTail lists the parts of Source (the old table after the
	// swap) not copied yet and matches them, as multisets of fingerprints
	// (Select), to the blocks the tracker View recorded: the parts no
	// insert's views processed are journaled for StepPushUnseen.
	StepMatchTail StepKind = "match_tail"
	// StepPushUnseen inserts Query (View's query over the parts of Source
	// named in {parts}) for the parts StepMatchTail journaled into Stage,
	// then attaches Stage to Table, View's target.
	StepPushUnseen StepKind = "push_unseen"
	// StepDropBackup drops the backup Table after proving every row of it
	// is in the live table Source (the apply journal's record of the copy,
	// or a row-by-row comparison); without proof it needs --allow-destructive.
	StepDropBackup StepKind = "drop_backup"
	// StepCheckFlow proves an insert into Table flows through every
	// materialized view reading it: each view's query is typed against
	// Table's structure (or Dest's, before a swap) and compared with its
	// target's columns, and one synthetic row is pushed through scratch
	// Null-engine copies of the table, the view and its target. It never
	// touches user data.
	StepCheckFlow StepKind = "check_flow"
)

// Step is one ordered step of a change.
type Step struct {
	ID    string   `json:"id"`
	Kind  StepKind `json:"kind"`
	Title string   `json:"title"`
	// SQL are the statements (for data-moving steps, templates with {parts},
	// {partition}, {W}); Undo reverses a completed step where possible.
	SQL  []string `json:"sql"`
	Undo []string `json:"undo"`
	// Check describes what is verified after the step.
	Check string `json:"check"`

	// Parameters of data-moving steps.
	Table  string   `json:"table,omitempty"`
	Source string   `json:"source,omitempty"`
	Dest   string   `json:"dest,omitempty"`
	Backup string   `json:"backup,omitempty"`
	Stage  string   `json:"stage,omitempty"`
	Select string   `json:"select,omitempty"` // the SELECT list (or full query) moving rows
	Views  []string `json:"views,omitempty"`
	// View, Target, Query and WatermarkColumn describe a watermark recreate.
	View            string `json:"view,omitempty"`
	Query           string `json:"query,omitempty"`
	WatermarkColumn string `json:"watermark_column,omitempty"`
	MarginSeconds   int    `json:"margin_seconds,omitempty"`
	// Drops names the view a commit step drops: when its statement fails
	// (a broken connection, a cancel that came too late), the view's
	// absence says the step ran and the change must go forward.
	Drops string `json:"drops,omitempty"`
	// Cascade lists the views downstream of a tracked backfill's Table
	// (StepTrackedBackfill).
	Cascade []Cascade `json:"cascade,omitempty"`
	// EmptyDest marks a swap whose Dest is empty and whose tables nothing
	// writes to while it runs (a recomputed view target): a retry tells
	// whether the swap happened by the rows under the live name, as the two
	// tables have the same definition.
	EmptyDest bool `json:"empty_dest,omitempty"`
	// Commit marks the step after which the change can no longer be undone
	// (the swap): later steps are retried instead of undone.
	Commit bool `json:"commit,omitempty"`
	// Creates lists the objects the step creates; the apply journal records
	// them before the step runs, so a rollback after a crash drops them.
	Creates []string `json:"creates,omitempty"`
	// StopsMerges names the table whose merges the step stops; the journal
	// records it before the step runs, so whoever finds an interrupted apply
	// restarts them.
	StopsMerges string `json:"stops_merges,omitempty"`
	// CreateStage creates a tail step's stage when it cannot be `CREATE
	// TABLE stage AS table`: on a cluster the stage is a local, unreplicated
	// table on the host perch is connected to (a replica's clone would join
	// the table's ZooKeeper path).
	CreateStage string `json:"create_stage,omitempty"`
	// Hosts says where the step runs on a cluster target: every host (ON
	// CLUSTER, named) or the host perch is connected to; empty on a single
	// server.
	Hosts string `json:"hosts,omitempty"`
}

// Cascade is a materialized view downstream of a tracked backfill's target:
// Query (View's query reading the target's stage) runs into Stage, which is
// attached to Table, View's target.
type Cascade struct {
	View  string `json:"view"`
	Table string `json:"table"`
	Stage string `json:"stage"`
	Query string `json:"query"`
}

// Change is the plan for one resource.
type Change struct {
	ID       string       `json:"id"`
	Resource string       `json:"resource"`
	Kind     ResourceKind `json:"kind"`
	Action   Action       `json:"action"`
	Method   Method       `json:"method"`
	// Parts lists what differs: columns, types, sorting key, engine, view query...
	Parts   []string `json:"parts"`
	Reasons []string `json:"reasons"`
	Risk    Risk     `json:"risk"`
	// Destructive changes need --allow-destructive.
	Destructive bool   `json:"destructive"`
	Drifted     bool   `json:"drifted,omitempty"`
	EstRows     uint64 `json:"est_rows"`
	EstBytes    uint64 `json:"est_bytes"`
	// Downstream lists the resources reading this one (affected by the change).
	Downstream []string `json:"downstream"`
	// DependsOn lists the ids of changes that must run first.
	DependsOn []string `json:"depends_on"`
	// Notes are caveats the user must read (watermark assumptions, old rows).
	Notes []string `json:"notes"`
	Steps []Step   `json:"steps"`
}

// Plan is the set of changes taking the remote workspace to the local project.
type Plan struct {
	FormatVersion int    `json:"format_version"`
	Database      string `json:"database"`
	Cluster       string `json:"cluster,omitempty"`
	// Hosts are the cluster's hosts (host:port) when the plan was made.
	Hosts        []string               `json:"hosts,omitempty"`
	Capabilities workspace.Capabilities `json:"capabilities"`
	// Fingerprint is the remote state's fingerprint the plan was computed from.
	Fingerprint string `json:"fingerprint"`
	// ProjectRoot is the folder of the local project (informational).
	ProjectRoot string `json:"project_root,omitempty"`
	// Files holds the local datafiles planned, by relative path, so a saved
	// plan can be recorded in the deployment log as it was reviewed.
	Files   map[string]string `json:"files,omitempty"`
	Changes []*Change         `json:"changes"`
	// Errors make the plan unappliable (impossible conversions, broken endpoints).
	Errors []string `json:"errors"`
	// Warnings are facts about the workspace the reader must know: an apply
	// running or interrupted, what perch did to restore ingestion.
	Warnings []string `json:"warnings,omitempty"`
	// flows are the materialized views whose path the plan changes, for
	// CheckViews (not part of the saved plan).
	flows []flowCase
}

// Summary counts changes by action.
type Summary struct {
	Create, Update, Replace, Delete int
}

// Summary returns the counts of the plan's changes by action.
func (p *Plan) Summary() Summary {
	var s Summary
	for _, c := range p.Changes {
		switch c.Action {
		case Create:
			s.Create++
		case Update:
			s.Update++
		case Replace:
			s.Replace++
		case Delete:
			s.Delete++
		}
	}
	return s
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.Changes) == 0 }

// Change returns the change with the given id or resource name, or nil.
func (p *Plan) Change(idOrResource string) *Change {
	for _, c := range p.Changes {
		if c.ID == idOrResource || c.Resource == idOrResource {
			return c
		}
	}
	return nil
}

// Destructive returns the changes that need --allow-destructive.
func (p *Plan) Destructive() []*Change {
	var out []*Change
	for _, c := range p.Changes {
		if c.Destructive {
			out = append(out, c)
		}
	}
	return out
}

// MarshalStable renders the plan as indented JSON with a trailing newline.
// Field order is fixed by the struct and changes are in plan order, so the
// output is stable for a given plan; changes and errors are lists even
// when empty.
func (p *Plan) MarshalStable() ([]byte, error) {
	doc := *p
	if doc.Changes == nil {
		doc.Changes = []*Change{}
	}
	if doc.Errors == nil {
		doc.Errors = []string{}
	}
	changes := make([]*Change, len(doc.Changes))
	for i, ch := range doc.Changes {
		changes[i] = ch.withEmptyLists()
	}
	doc.Changes = changes
	b, err := json.MarshalIndent(&doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("marshal plan: %w", err)
	}
	return append(b, '\n'), nil
}

// withEmptyLists returns a copy of ch whose nil lists are empty, so the
// stable document says `[]` where there is nothing, never `null`.
func (ch *Change) withEmptyLists() *Change {
	c := *ch
	for _, l := range []*[]string{&c.Parts, &c.Reasons, &c.Downstream, &c.DependsOn, &c.Notes} {
		if *l == nil {
			*l = []string{}
		}
	}
	c.Steps = make([]Step, len(ch.Steps))
	for i, s := range ch.Steps {
		if s.SQL == nil {
			s.SQL = []string{}
		}
		if s.Undo == nil {
			s.Undo = []string{}
		}
		c.Steps[i] = s
	}
	return &c
}

// Save writes the plan as JSON to path.
func (p *Plan) Save(path string) error {
	b, err := p.MarshalStable()
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	return nil
}

// Load reads a plan saved with Save.
func Load(path string) (*Plan, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load plan: %w", err)
	}
	p, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("load plan %s: %w", path, err)
	}
	return p, nil
}

// Parse reads a plan document as Save writes it (and as the deployment log
// keeps it).
func Parse(b []byte) (*Plan, error) {
	var p Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, err
	}
	if p.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("format version %d, this perch reads %d", p.FormatVersion, FormatVersion)
	}
	return &p, nil
}
