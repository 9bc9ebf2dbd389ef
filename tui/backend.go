// Package tui is perch's terminal UI: a root Bubble Tea model that routes
// messages to five views (Explorer, Lineage, Preview, Plan, History) and
// renders them. It holds no domain logic: everything it shows comes through
// the Backend interface, implemented over the domain packages by an adapter,
// and every call to it runs in a tea.Cmd.
package tui

import (
	"context"
	"time"
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
	// Lineage draws the graph (local or remote), optionally focused on one resource.
	Lineage(ctx context.Context, req LineageRequest) (*Drawing, error)
	// Preview compiles and runs a pipe node read-only.
	Preview(ctx context.Context, req PreviewRequest) (*PreviewResult, error)
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
	// DeploymentID is the last deployment recorded, if any.
	DeploymentID string
	Resources    map[string]RemoteResource
	// Warnings are facts about the workspace shown in the banner: an apply
	// running or interrupted, and what to run about it.
	Warnings []string
}

// LineageRequest asks for a drawing.
type LineageRequest struct {
	Remote        bool
	Focus         string
	Width, Height int
}

// DrawNode is a node of a lineage drawing and where its label is.
type DrawNode struct {
	Name, Kind string
	Row, Col   int
	Width      int
	Changed    bool
	Upstream   []string
	Downstream []string
}

// Drawing is a lineage graph drawn as text.
type Drawing struct {
	Lines []string
	Nodes []DrawNode
}

// Param is a declared parameter of a pipe node.
type Param struct {
	Name, Type, Default, Description string
	Required                         bool
}

// PreviewRequest asks to run a pipe node.
type PreviewRequest struct {
	Pipe, Node string
	// SQL replaces the node's SQL when not empty (edits not yet saved).
	SQL    string
	Params map[string]string
}

// PreviewResult is one run of a node.
type PreviewResult struct {
	Columns   []Col
	Rows      [][]string
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

// Change is the plan for one resource.
type Change struct {
	ID, Resource, Kind string
	// Action is the plan's action: create, update, replace or delete;
	// Method says how (alter in place, rebuild and swap, drop...).
	Action, Method, Reason string
	// Marker is the action's marker (+ ~ -/+ -); derived from Action when empty.
	Marker string
	Risk   Risk
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

// ApplyEvent is a progress event of an apply.
type ApplyEvent struct {
	Change string
	Step   int
	Title  string
	// State is running, done, failed or undone.
	State   string
	Rows    int64
	Check   string
	Message string
}

// ApplyResult is the outcome of an apply.
type ApplyResult struct {
	DeploymentID string
	Undone       []string
	Next         string
}

// Deployment is one entry of the deployment log.
type Deployment struct {
	ID, Author, Commit, Message, Outcome string
	Time                                 time.Time
	Changes                              []string
}
