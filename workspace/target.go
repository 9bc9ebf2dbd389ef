package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/perchdata/perch/workspace/localserver"
)

// ConfigFile is the optional project configuration at the project root.
const ConfigFile = "perch.toml"

// DefaultLocalDatabase is the database of the project-local server.
const DefaultLocalDatabase = "default"

// Target is where a workspace lives: a ClickHouse server and a database.
type Target struct {
	// Name is the perch.toml target name, "local" for the project-local
	// server, or "dsn" for a DSN given by flag or PERCH_DSN.
	Name string `json:"name"`
	// DSN is clickhouse://user[:password]@host:port[/database][?secure=true],
	// or chdb://PATH[?database=NAME] for the embedded engine in folder PATH.
	DSN string `json:"-"`
	// Database overrides the DSN's database.
	Database string `json:"database"`
	// PasswordEnv names the environment variable that holds the password.
	PasswordEnv string `json:"password_env,omitempty"`
	// TLS connects with TLS (ClickHouse Cloud, port 9440).
	TLS bool `json:"tls,omitempty"`
	// Cluster runs DDL ON CLUSTER this name, reads every replica and writes
	// MergeTree-family engines Replicated* (see Replication).
	Cluster string `json:"cluster,omitempty"`
	// ReplicationPath is the ZooKeeper path template of replicated tables
	// (DefaultReplicationPath when empty); cluster targets only.
	ReplicationPath string `json:"replication_path,omitempty"`
	// ReplicaName is the replica name of replicated tables
	// (DefaultReplicaName when empty); cluster targets only.
	ReplicaName string `json:"replica_name,omitempty"`
	// Local is the project-local server (`perch local start`).
	Local bool `json:"local,omitempty"`
	// Source says how the target was chosen, for messages.
	Source string `json:"source"`
	// Branch is the branch of the workspace this target is (--branch), ""
	// for the workspace itself; Database is then the branch's database and
	// Workspace the workspace's.
	Branch    string `json:"branch,omitempty"`
	Workspace string `json:"workspace,omitempty"`

	password string // from PasswordEnv, resolved once
}

// Redacted is the DSN with the password replaced by ***: safe to print.
func (t Target) Redacted() string { return RedactDSN(t.DSN) }

// String describes the target safely: name, redacted DSN and database.
func (t Target) String() string {
	if t.DSN == "" {
		return fmt.Sprintf("%s (database %s)", t.Name, t.Database)
	}
	return fmt.Sprintf("%s (%s, database %s)", t.Name, t.Redacted(), t.Database)
}

// TargetConfig is one [targets.NAME] table of perch.toml.
type TargetConfig struct {
	DSN         string `toml:"dsn"`
	Database    string `toml:"database"`
	PasswordEnv string `toml:"password_env"`
	TLS         bool   `toml:"tls"`
	Cluster     string `toml:"cluster"`
	// ReplicationPath and ReplicaName say how a cluster's tables replicate.
	ReplicationPath string `toml:"replication_path"`
	ReplicaName     string `toml:"replica_name"`
}

// Config is perch.toml.
type Config struct {
	// Default names the target used when no flag or PERCH_DSN chooses one;
	// without it the project-local server is the default.
	Default string                  `toml:"default_target"`
	Targets map[string]TargetConfig `toml:"targets"`
}

// LoadConfig reads perch.toml at root; a missing file is an empty config.
func LoadConfig(root string) (*Config, error) {
	path := filepath.Join(root, ConfigFile)
	var c Config
	md, err := toml.DecodeFile(path, &c)
	if errors.Is(err, fs.ErrNotExist) {
		return &Config{}, nil
	}
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d:%d: %s", path, pe.Position.Line, pe.Position.Col, pe.Message)
		}
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return nil, fmt.Errorf("%s: unknown keys %s (targets take dsn, database, password_env, tls, cluster, replication_path, replica_name)", path, strings.Join(keys, ", "))
	}
	for name, tc := range c.Targets {
		if (tc.ReplicationPath != "" || tc.ReplicaName != "") && tc.Cluster == "" {
			return nil, fmt.Errorf("%s: [targets.%s] sets replication_path or replica_name without cluster: they say how a cluster's tables replicate", path, name)
		}
		if tc.ReplicationPath != "" && !strings.Contains(tc.ReplicationPath, "{table}") {
			return nil, fmt.Errorf("%s: [targets.%s] replication_path %q has no {table}: every table needs its own ZooKeeper path", path, name, tc.ReplicationPath)
		}
		if tc.DSN == "" {
			return nil, fmt.Errorf("%s: [targets.%s] has no dsn", path, name)
		}
		if u, err := url.Parse(tc.DSN); err == nil && u.User != nil {
			if _, has := u.User.Password(); has {
				return nil, fmt.Errorf("%s: [targets.%s] dsn holds a password: remove it and set password_env = \"VAR\" instead (the file is meant for git)", path, name)
			}
		}
	}
	if c.Default != "" {
		if _, ok := c.Targets[c.Default]; !ok {
			return nil, fmt.Errorf("%s: default_target %q is not a [targets.*] table (have %s)", path, c.Default, strings.Join(c.names(), ", "))
		}
	}
	return &c, nil
}

func (c *Config) names() []string {
	var out []string
	for n := range c.Targets {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// TargetNames lists the targets --target NAME chooses for project root:
// perch.toml's [targets.NAME] by name, then "local" (the project-local
// server) unless perch.toml names a target so.
func TargetNames(root string) ([]string, error) {
	cfg, err := LoadConfig(root)
	if err != nil {
		return nil, err
	}
	names := cfg.names()
	if _, ok := cfg.Targets["local"]; !ok {
		names = append(names, "local")
	}
	return names, nil
}

// Selection is what the user chose on the command line.
type Selection struct {
	Target   string // --target
	DSN      string // --dsn
	Database string // --database
	Branch   string // --branch: a branch of the workspace ("main": the workspace)
}

// ResolveTarget picks the target for project root: --dsn, then --target,
// then $PERCH_DSN, then perch.toml's default_target, then the project-local
// server. --database overrides the database of any of them; --branch then
// points at that workspace's branch (Target.WithBranch).
func ResolveTarget(root string, sel Selection, getenv func(string) string) (Target, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	cfg, err := LoadConfig(root)
	if err != nil {
		return Target{}, err
	}
	var t Target
	switch {
	case sel.DSN != "" && sel.Target != "":
		return Target{}, errors.New("choose a target with --target or --dsn, not both")
	case sel.DSN != "":
		t = Target{Name: "dsn", DSN: sel.DSN, Source: "--dsn"}
	case sel.Target != "":
		if sel.Target == "local" {
			if _, ok := cfg.Targets["local"]; !ok {
				t = localTarget(root)
				break
			}
		}
		tc, ok := cfg.Targets[sel.Target]
		if !ok {
			have := "none"
			if n := cfg.names(); len(n) > 0 {
				have = strings.Join(n, ", ")
			}
			return Target{}, fmt.Errorf("--target %s: no [targets.%s] in %s (targets: %s)", sel.Target, sel.Target, filepath.Join(root, ConfigFile), have)
		}
		t = fromConfig(sel.Target, tc, "--target "+sel.Target)
	case getenv("PERCH_DSN") != "":
		t = Target{Name: "dsn", DSN: getenv("PERCH_DSN"), Source: "PERCH_DSN"}
	case cfg.Default != "":
		t = fromConfig(cfg.Default, cfg.Targets[cfg.Default], ConfigFile+" default_target")
	default:
		t = localTarget(root)
	}
	if IsEmbeddedDSN(t.DSN) {
		t.DSN = resolveEmbedded(root, t.DSN)
	}
	if sel.Database != "" {
		t.Database = sel.Database
	}
	if t.Database == "" {
		t.Database = dsnDatabase(t.DSN)
	}
	if t.Database == "" {
		t.Database = "default"
	}
	if sel.Branch != "" {
		if t, err = t.WithBranch(sel.Branch); err != nil {
			return Target{}, fmt.Errorf("--branch %s: %w", sel.Branch, err)
		}
	}
	if t.PasswordEnv != "" {
		t.password = getenv(t.PasswordEnv)
		if t.password == "" {
			return Target{}, fmt.Errorf("target %s: password_env %s is not set: export %s=... (the password is never read from perch.toml)", t.Name, t.PasswordEnv, t.PasswordEnv)
		}
	}
	return t, nil
}

func fromConfig(name string, tc TargetConfig, source string) Target {
	return Target{Name: name, DSN: tc.DSN, Database: tc.Database, PasswordEnv: tc.PasswordEnv, TLS: tc.TLS, Cluster: tc.Cluster,
		ReplicationPath: tc.ReplicationPath, ReplicaName: tc.ReplicaName, Source: source}
}

// localTarget is the project-local server; its DSN is empty until it runs.
func localTarget(root string) Target {
	t := Target{Name: "local", Local: true, Database: DefaultLocalDatabase, Source: "project-local server (" + localserver.ProjectDir(root) + ")"}
	if s, err := localserver.ReadState(root); err == nil {
		t.DSN = s.DSN()
	}
	return t
}

func dsnDatabase(dsn string) string {
	if IsEmbeddedDSN(dsn) {
		_, db := embeddedPath(dsn)
		return db
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return ""
	}
	if db := u.Query().Get("database"); db != "" {
		return db
	}
	return strings.Trim(u.Path, "/")
}
