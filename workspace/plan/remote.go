package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/workspace"
	"github.com/perchdata/perch/workspace/journal"
)

// Remote is the remote state the planner compares a project against: the
// live tables and views of the workspace database, with sizes, plus the
// project of the last deployment (for metadata that lives only in the log).
type Remote struct {
	Database string `json:"database"`
	Cluster  string `json:"cluster,omitempty"`
	// Replication is how a cluster's MergeTree-family tables are written.
	Replication  workspace.Replication  `json:"replication,omitempty"`
	Capabilities workspace.Capabilities `json:"capabilities"`
	// Cluster health: every host of the cluster, read by the snapshot
	// (nil on a single server).
	Hosts  *workspace.ClusterState `json:"-"`
	Tables map[string]*Table       `json:"tables"`
	Views  map[string]*View        `json:"views"`
	// Deployed is the project of the last deployment, nil when none.
	Deployed *datafiles.Project `json:"-"`
	// Functions maps the server's functions to whether each is an aggregate
	// (workspace.Snapshot.Functions); empty when unknown, which skips the
	// check of the functions views and copies call.
	Functions map[string]bool `json:"-"`
	// Fingerprint identifies the live state; computed from Tables and Views when empty.
	Fingerprint string `json:"fingerprint,omitempty"`
	// Backups proves, per leftover table (t__old, t__new, t__stage), whether
	// every row of it is in its live table; a leftover without an entry is
	// not proven, so dropping it is destructive.
	Backups map[string]*BackupProof `json:"backups,omitempty"`
	// Journal is what journal.Settle found: an apply running or interrupted
	// (nil when not read).
	Journal *journal.Report `json:"-"`
}

// Table is a live table with its definition as a data source model.
type Table struct {
	Datasource *datafiles.Datasource `json:"datasource"`
	Rows       uint64                `json:"rows"`
	Bytes      uint64                `json:"bytes"`
	Partitions int                   `json:"partitions"`
	// ReadBy lists the views reading this table (system.tables dependencies).
	ReadBy []string `json:"read_by,omitempty"`
}

// View is a live view.
type View struct {
	Name         string `json:"name"`
	Materialized bool   `json:"materialized"`
	// Target is the TO table of a materialized view.
	Target string `json:"target,omitempty"`
	// Query is the view's SELECT as the server stores it.
	Query string `json:"query"`
}

// NewRemote returns an empty remote state for a database.
func NewRemote(db string, caps workspace.Capabilities) *Remote {
	return &Remote{Database: db, Capabilities: caps, Tables: map[string]*Table{}, Views: map[string]*View{}, Backups: map[string]*BackupProof{}}
}

// ComputeFingerprint hashes the definitions (not the sizes) of the live
// objects, so streaming inserts do not make a plan stale but any DDL does.
func (r *Remote) ComputeFingerprint() string {
	type obj struct {
		Name string
		Def  any
	}
	var objs []obj
	for _, name := range sortedKeys(r.Tables) {
		objs = append(objs, obj{"table " + name, r.Tables[name].Datasource})
	}
	for _, name := range sortedKeys(r.Views) {
		v := r.Views[name]
		objs = append(objs, obj{"view " + name, []string{v.Target, v.Query}})
	}
	b, _ := json.Marshal(objs)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

// EffectiveFingerprint returns Fingerprint, computing it when empty.
func (r *Remote) EffectiveFingerprint() string {
	if r.Fingerprint == "" {
		r.Fingerprint = r.ComputeFingerprint()
	}
	return r.Fingerprint
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
