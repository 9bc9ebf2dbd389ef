package workspace

import "strings"

// Default replication of a cluster target's tables: one ZooKeeper path per
// shard, database and table, and the node's {replica} macro.
const (
	DefaultReplicationPath = "/clickhouse/tables/{shard}/{database}/{table}"
	DefaultReplicaName     = "{replica}"
)

// Replication says how perch writes the MergeTree-family engines of a
// cluster target: Tinybird datafiles name the family (MergeTree,
// ReplacingMergeTree...), the target names how to replicate it. The zero
// value writes engines as the datafiles say (a single server).
type Replication struct {
	// Path is the ZooKeeper path template: {database} and {table} are
	// filled in by perch when it writes the table (18.16 would expand them
	// again at every attach, so a renamed table would lose its replica);
	// the node's macros ({shard}) are left to the server.
	Path string `json:"path,omitempty"`
	// Replica is the replica name, usually the {replica} macro.
	Replica string `json:"replica,omitempty"`
}

// Enabled reports whether engines are written Replicated*.
func (r Replication) Enabled() bool { return r.Path != "" }

// ZooKeeperPath is the path of table in database: {database} and {table}
// filled in.
func (r Replication) ZooKeeperPath(database, table string) string {
	return strings.NewReplacer("{database}", database, "{table}", table).Replace(r.Path)
}

// Replication is how the target's tables replicate: the configured path and
// replica name, their defaults on a cluster, none on a single server.
func (t Target) Replication() Replication {
	if t.Cluster == "" {
		return Replication{}
	}
	r := Replication{Path: t.ReplicationPath, Replica: t.ReplicaName}
	if r.Path == "" {
		r.Path = DefaultReplicationPath
	}
	if r.Replica == "" {
		r.Replica = DefaultReplicaName
	}
	return r
}
