package workspace

import (
	"sort"
	"strings"
	"time"

	"github.com/perchdata/perch/datafiles"
)

// ObjectKind says what a live object is.
type ObjectKind string

// The kinds of live object a snapshot reports.
const (
	KindTable            ObjectKind = "table"
	KindView             ObjectKind = "view"
	KindMaterializedView ObjectKind = "materialized_view"
	KindDictionary       ObjectKind = "dictionary"
)

// DeploymentsTable is perch's deployment log in the workspace database.
const DeploymentsTable = "_perch_deployments"

// PerchPrefix starts the names of perch's own tables (the deployment log).
const PerchPrefix = "_perch"

// PerchSuffixes end the names of the temporary objects perch creates while
// applying a plan: a rebuilt table before the swap (t__new), the previous
// table kept for revert after it (t__old), the bridge view that feeds
// the new table meanwhile (t__bridge), and the staging copy of a
// partition-by-partition backfill (t__stage). The planner must use these.
var PerchSuffixes = []string{"__new", "__old", "__stage", "__bridge"}

// IsPerchInternal reports whether a table name is perch's own (the
// deployment log or a temporary object of an apply); such objects are not
// resources of the workspace.
func IsPerchInternal(name string) bool {
	if strings.HasPrefix(name, PerchPrefix) {
		return true
	}
	for _, s := range PerchSuffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// LiveColumn is a column as the server describes it.
type LiveColumn struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	DefaultKind string `json:"default_kind,omitempty"`
	Default     string `json:"default,omitempty"`
	Codec       string `json:"codec,omitempty"`
	Comment     string `json:"comment,omitempty"`
	InSorting   bool   `json:"in_sorting_key,omitempty"`
	InPartition bool   `json:"in_partition_key,omitempty"`
}

// Object is one live table or view of the workspace database.
type Object struct {
	Name   string     `json:"name"`
	Kind   ObjectKind `json:"kind"`
	Engine string     `json:"engine"`
	// EngineFull is the engine with its arguments and clauses, as stored
	// (read from the CREATE statement: system.tables.engine_full would parse
	// the metadata a second time).
	EngineFull   string       `json:"engine_full,omitempty"`
	CreateQuery  string       `json:"create_query"`
	PartitionKey string       `json:"partition_key,omitempty"`
	SortingKey   string       `json:"sorting_key,omitempty"`
	PrimaryKey   string       `json:"primary_key,omitempty"`
	SamplingKey  string       `json:"sampling_key,omitempty"`
	TTL          string       `json:"ttl,omitempty"`
	Settings     string       `json:"settings,omitempty"`
	Columns      []LiveColumn `json:"columns"`
	// Query is the SELECT of a view or materialized view, database prefixes removed.
	Query string `json:"query,omitempty"`
	// To is the target table of a materialized view (TO), without the
	// database when it is the workspace's; empty for an inner-engine view.
	To string `json:"to,omitempty"`
	// Sources are the tables a view reads (database prefix removed when local).
	Sources []string `json:"sources,omitempty"`
	// Dependents are the materialized views that fire on inserts into this table.
	Dependents []string `json:"dependents,omitempty"`
	Rows       uint64   `json:"rows"`
	Bytes      uint64   `json:"bytes"`
	Parts      uint64   `json:"parts"`
	Partitions uint64   `json:"partitions"`
	// Internal marks perch's own objects and the inner tables of views.
	Internal bool `json:"internal,omitempty"`

	engineHead string            // engine with arguments
	clauses    map[string]string // engine clauses by keyword
	indexDefs  []string          // INDEX definitions of the column list
}

// Snapshot is the remote state of one database at one moment.
type Snapshot struct {
	Database     string       `json:"database"`
	Capabilities Capabilities `json:"capabilities"`
	TakenAt      time.Time    `json:"taken_at"`
	// Objects holds every table and view, perch's own included, by name.
	Objects map[string]*Object `json:"objects"`
	// Datasources are the tables as datafile models (perch's own excluded).
	Datasources map[string]*datafiles.Datasource `json:"datasources"`
	// Pipes are the views as datafile models: a materialized view is a pipe
	// with one materialized node, a plain view a pipe with one plain node.
	Pipes map[string]*datafiles.Pipe `json:"pipes"`
	// Queries is the number of queries the snapshot took (constant).
	Queries int `json:"queries"`
	// Functions maps the server's function names to whether each is an
	// aggregate function; case-insensitive ones are also keyed lower-cased.
	// Not part of the fingerprint.
	Functions map[string]bool `json:"-"`
	// Cluster is every host of a cluster target (nil on a single server):
	// whether each is up, where they disagree, which replicas lag.
	Cluster *ClusterState `json:"cluster,omitempty"`
}

// Names returns the names of all objects, sorted.
func (s *Snapshot) Names() []string {
	out := make([]string, 0, len(s.Objects))
	for n := range s.Objects {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Resources returns the objects that are workspace resources (not perch's
// own, not inner tables), sorted by name.
func (s *Snapshot) Resources() []*Object {
	var out []*Object
	for _, n := range s.Names() {
		if o := s.Objects[n]; !o.Internal {
			out = append(out, o)
		}
	}
	return out
}

// Object returns the named object, or nil.
func (s *Snapshot) Object(name string) *Object { return s.Objects[name] }
