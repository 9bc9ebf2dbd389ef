// Package tui is perch's terminal UI: a root Bubble Tea model that routes
// messages to five views (Explorer, Lineage, Preview, Plan, History) and
// renders them. It holds no domain logic: everything it shows comes through
// the Backend interface, implemented over the domain packages by an adapter,
// and every call to it runs in a tea.Cmd.
package tui

import (
	"context"
	"fmt"
	"time"

	"github.com/perchdata/perch/lineage/render"
	"github.com/perchdata/perch/workspace/plan"
	"github.com/perchdata/perch/workspace/progress"
)

// Backend is everything the views need from the domain packages.
type Backend interface {
	// Local loads the project from disk (no network), quickly: enough for
	// the first frame.
	Local(ctx context.Context) (*Local, error)
	// Diagnose returns the project last loaded by Local completed with what
	// takes longer: compile diagnostics and each node's parameters.
	Diagnose(ctx context.Context) (*Local, error)
	// Remote connects to the target and snapshots it against local.
	Remote(ctx context.Context, local *Local) (*Remote, error)
	// Lineage lays the graph (local or remote) out, optionally focused on
	// one resource; the view draws, navigates and hit-tests the scene.
	Lineage(ctx context.Context, req LineageRequest) (*Drawing, error)
	// Preview compiles and runs a pipe node (or reads a data source)
	// read-only, reporting progress on req.Progress. A failure with a
	// position is a *PreviewError whose line is in req's SQL.
	Preview(ctx context.Context, req PreviewRequest) (*PreviewResult, error)
	// ComparePreview runs one preview request on two sides, read-only and
	// bounded like Preview: side A is the target the backend works on,
	// side B req.Against (MainBranch: the workspace, else one of its
	// branches). Both run the same compiled SQL, and the results are
	// compared as perch branch compare compares them. A failure of one
	// side is that side's Err; the error returned is one of both (the node
	// does not compile, ctx ended).
	ComparePreview(ctx context.Context, req CompareRequest) (*PreviewComparison, error)
	// Params lists the parameters of a node whose SQL is sql (the editor's
	// text), those of the nodes it reads included.
	Params(ctx context.Context, pipe, node, sql string) ([]Param, error)
	// SaveNode writes sql as the SQL of a pipe node into its datafile.
	SaveNode(ctx context.Context, pipe, node, sql string) error
	// Plan computes the changes that take remote to local.
	Plan(ctx context.Context) (*Plan, error)
	// Apply runs the staged changes of p, reporting progress on events
	// (which it closes when done). A destructive change runs only when its
	// resource is in req.Approved (the user typed its name).
	Apply(ctx context.Context, p *Plan, req ApplyRequest, events chan<- ApplyEvent) (*ApplyResult, error)
	// History lists deployments, newest first.
	History(ctx context.Context) ([]Deployment, error)
	// RevertPlan prepares the plan that goes back to deployment id.
	RevertPlan(ctx context.Context, id string) (*Plan, error)
	// DeploymentFiles lists the datafiles deployment id changed, against
	// the deployment before it.
	DeploymentFiles(ctx context.Context, id string) ([]FileChange, error)
	// Export writes rows to the file at path (relative to the project's
	// folder) in the format its extension names (.csv, .tsv, .json,
	// .ndjson), returning the file's absolute path.
	Export(ctx context.Context, path string, rows *PreviewResult) (string, error)
	// Vocabulary is the names the SQL editor completes from the project
	// and the last remote snapshot: tables with their columns, the
	// server's functions.
	Vocabulary(ctx context.Context) (*Vocabulary, error)
	// Queries lists the queries run on target ("pipe.node" or a data
	// source), oldest first, kept across sessions under the project's .perch/.
	Queries(ctx context.Context, target string) ([]string, error)
	// AddQuery adds sql to target's queries (a repeat of the last is not added).
	AddQuery(ctx context.Context, target, sql string) error
	// RunTests runs the tests of one pipe (perch test PIPE): deploy into
	// a throwaway engine, load the fixtures, run tests/PIPE.yaml.
	RunTests(ctx context.Context, pipe string) (*TestRun, error)
	// LastTestRun is the project's last recorded test run (nil: none).
	LastTestRun(ctx context.Context) (*TestRun, error)
}

// Vocabulary is what the SQL editor completes besides the project's nodes
// and parameters.
type Vocabulary struct {
	// Tables are the data sources of the project and the tables and views
	// of the remote, each with its column names.
	Tables map[string][]string
	// Functions are the server's function names (system.functions).
	Functions []string
}

// Status is a resource's state against the remote workspace.
type Status string

// The statuses the Explorer shows.
const (
	StatusUnknown   Status = "unknown" // remote not loaded (yet)
	StatusInSync    Status = "in sync"
	StatusNew       Status = "new"
	StatusChanged   Status = "changed"
	StatusDeleted   Status = "deleted remotely"
	StatusRemoved   Status = "deleted locally" // deployed, gone from the project: the plan's -
	StatusDrifted   Status = "drifted"
	StatusUnmanaged Status = "unmanaged"
)

// Diag is a diagnostic of one file, at a 1-based line and column.
type Diag struct {
	Line, Col int
	Error     bool
	Message   string
}

// Resource is one local resource.
type Resource struct {
	Name string
	// Kind is datasource, endpoint, materialization, copy, sink, pipe or connection.
	Kind string
	File string
	// Text is the datafile as written.
	Text string
	// Nodes are the node names of a pipe, in order.
	Nodes []string
	// NodeSQL is the SQL of each node, by name.
	NodeSQL map[string]string
	// Params are the declared parameters of each node, by name.
	Params map[string][]Param
	Diags  []Diag
}

// Local is the loaded project.
type Local struct {
	Root      string
	Name      string
	Resources []Resource
	// Diags are the project's diagnostics not tied to one resource.
	Diags []string
}

// Resource returns the resource called name, or nil.
func (l *Local) Resource(name string) *Resource {
	if l == nil {
		return nil
	}
	for i := range l.Resources {
		if l.Resources[i].Name == name {
			return &l.Resources[i]
		}
	}
	return nil
}

// RemoteResource is the remote side of one resource.
type RemoteResource struct {
	Name, Kind string
	Status     Status
	// Text is the remote definition as a datafile (the formatter's text of
	// the snapshot's model); empty when the resource is not on the server.
	Text string
	// Notes explain the status (what drifted, and how).
	Notes []string
}

// Remote is a snapshot of the target workspace.
type Remote struct {
	Target, Database, ServerVersion string
	// Branch is the branch of the workspace the target is, "" for the workspace.
	Branch string
	// Cluster is a cluster target's cluster name ("" on a single server),
	// with how many of its hosts answered and whether they all agree.
	Cluster      string
	HostsUp      int
	Hosts        int
	ClusterIssue bool
	// DeploymentID is the last deployment recorded, if any.
	DeploymentID string
	Resources    map[string]RemoteResource
	// Warnings are facts about the workspace shown in the banner: an apply
	// running or interrupted, and what to run about it.
	Warnings []string
}

// LineageRequest asks for a drawing.
type LineageRequest struct {
	Remote bool
	Focus  string
	// Width is the width the drawing should fit (layered when it does, a
	// tree otherwise).
	Width int
}

// Drawing is a lineage graph laid out by lineage/render: the view draws
// any viewport of Scene with a selection, moves with Scene.Neighbor and
// hit-tests with Scene.NodeAt.
type Drawing struct {
	Scene *render.Scene
	// Changed are the resources whose local side differs from the remote.
	Changed map[string]bool
}

// Param is a declared parameter of a pipe node.
type Param struct {
	Name, Type, Default, Description string
	Required                         bool
}

// PreviewRequest asks to run a pipe node, or to read a data source.
type PreviewRequest struct {
	Pipe, Node string
	// Datasource, when set (and Pipe is not), previews the data source's
	// rows: SQL when given, else SELECT * FROM it.
	Datasource string
	// SQL replaces the node's SQL when not empty (edits not yet saved).
	SQL    string
	Params map[string]string
	// Progress, when set, receives what the query has read so far; the
	// backend never blocks on it (a full channel skips an update) and
	// does not close it.
	Progress chan<- PreviewProgress
}

// CompareRequest asks to run a preview on two sides: the request's
// Progress is side A's.
type CompareRequest struct {
	PreviewRequest
	// Against is side B: MainBranch (the workspace) or a branch's name.
	Against string
	// ProgressB, when set, receives side B's progress as Progress does A's.
	ProgressB chan<- PreviewProgress
}

// CompareSide is one side of a comparison.
type CompareSide struct {
	// Name is the side's branch, MainBranch for the workspace.
	Name string
	// Result is what the side returned; nil when it failed.
	Result *PreviewResult
	// Err is the side's failure (a *PreviewError when it points into the SQL).
	Err error
}

// PreviewComparison is one run of a node on two sides.
type PreviewComparison struct {
	A, B CompareSide
	// Equal says both sides returned the same rows (as multisets; floats
	// within a relative 1e-9); Difference says how they differ when they
	// do. Both are unset unless both sides ran.
	Equal      bool
	Difference string
}

// PreviewProgress is how far a running preview has got.
type PreviewProgress struct {
	RowsRead, BytesRead uint64
	// Rows are the result rows received.
	Rows    int
	Elapsed time.Duration
}

// PreviewError is a failed preview with the place it points at in the
// SQL that was sent (the editor's text).
type PreviewError struct {
	// Message is the whole message of the compiler or the server.
	Message string
	// Line and Col are 1-based in the request's SQL (the node's SQL when
	// none was given); 0 when the error has no position there.
	Line, Col int
	// Node names the node the position is in when it is not the previewed
	// one (a node it reads); Line is then in that node's SQL.
	Node string
}

// Error returns the message with its line when known.
func (e *PreviewError) Error() string {
	switch {
	case e.Line > 0 && e.Node != "":
		return fmt.Sprintf("%s line %d:%d: %s", e.Node, e.Line, e.Col, e.Message)
	case e.Line > 0:
		return fmt.Sprintf("line %d:%d: %s", e.Line, e.Col, e.Message)
	}
	return e.Message
}

// PreviewResult is one run of a node.
type PreviewResult struct {
	Columns []Col
	// Rows are the values rendered as text (NULL as "NULL").
	Rows [][]string
	// Null marks the NULL values, by row and column (nil: none).
	Null      [][]bool
	RowsRead  uint64
	BytesRead uint64
	Elapsed   time.Duration
	Truncated bool
	SQL       string
}

// Col is a result column.
type Col struct{ Name, Type string }

// Risk is how dangerous a change is.
type Risk string

// The risks of a change.
const (
	RiskSafe     Risk = "safe"
	RiskRewrites Risk = "rewrites data"
	RiskDestroys Risk = "destroys data"
)

// Step is one ordered step of a change.
type Step struct {
	Title, SQL, Undo, Check string
}

// Action is what a change does to its resource: the domain's own type
// (create, update, replace, delete, with the markers + ~ -/+ -); the
// change's Method says how.
type Action = plan.Action

// The actions of a change.
const (
	ActionCreate  = plan.Create
	ActionUpdate  = plan.Update  // in place: alter, modify query, metadata
	ActionReplace = plan.Replace // rebuild and swap, recreate a view
	ActionDelete  = plan.Delete
)

// Change is the plan for one resource.
type Change struct {
	ID, Resource, Kind string
	Action             Action
	// Method is how the action is carried out ("rebuild and swap",
	// "alter", "drop"...); Reason why it is needed.
	Method, Reason string
	Risk           Risk
	// Destructive changes need the resource name typed before applying.
	Destructive bool
	// Notes are caveats the user must read.
	Notes                 []string
	Estimate              string
	Downstream, DependsOn []string
	Steps                 []Step
}

// Plan is the set of changes from remote to local.
type Plan struct {
	Title       string
	Fingerprint string
	Changes     []Change
	// Errors make the plan unappliable.
	Errors []string
}

// ApplyRequest says what to apply: the staged change ids, and the resources
// of the destructive changes among them that the user confirmed one by one
// by typing each name.
type ApplyRequest struct {
	Staged   []string
	Approved []string
}

// ApplyEvent is a progress event of an apply: a line of the log (a change
// or a step and its state), or, with Progress set and no Change, only the
// rows a copy or a backfill has moved (the Plan view draws them as bars).
type ApplyEvent struct {
	Change string
	Step   int
	Title  string
	// State is running, done, failed or undone.
	State   string
	Rows    int64
	Check   string
	Message string
	// Progress is the rows of the partition being moved, when the event
	// reports some.
	Progress *progress.Update
}

// ApplyResult is the outcome of an apply.
type ApplyResult struct {
	DeploymentID string
	Undone       []string
	Next         string
}

// FileChange is a datafile a deployment changed: its text before (empty
// when it was added) and after (empty when it was removed).
type FileChange struct {
	Path, Before, After string
}

// Deployment is one entry of the deployment log.
type Deployment struct {
	ID, Author, Commit, Message, Outcome string
	Time                                 time.Time
	Changes                              []string
}
