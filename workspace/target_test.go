package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, ConfigFile), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

const sampleConfig = `
default_target = "staging"

[targets.production]
dsn = "clickhouse://deploy@ch.example.com:9440"
database = "analytics"
password_env = "PROD_PW"
tls = true
cluster = "main"

[targets.staging]
dsn = "clickhouse://deploy@staging:9000/stage"
`

func TestResolveTarget(t *testing.T) {
	root := writeConfig(t, sampleConfig)
	env := map[string]string{"PROD_PW": "hunter2", "PERCH_DSN": "clickhouse://u@envhost:9000/envdb"}
	noDSN := map[string]string{"PROD_PW": "hunter2"}
	tests := []struct {
		name   string
		sel    Selection
		env    map[string]string
		want   Target
		errHas string
	}{
		{"--target", Selection{Target: "production"}, env,
			Target{Name: "production", DSN: "clickhouse://deploy@ch.example.com:9440", Database: "analytics", PasswordEnv: "PROD_PW", TLS: true, Cluster: "main", Source: "--target production"}, ""},
		{"--dsn wins over env", Selection{DSN: "clickhouse://a@b:9000/x"}, env,
			Target{Name: "dsn", DSN: "clickhouse://a@b:9000/x", Database: "x", Source: "--dsn"}, ""},
		{"PERCH_DSN over default", Selection{}, env,
			Target{Name: "dsn", DSN: "clickhouse://u@envhost:9000/envdb", Database: "envdb", Source: "PERCH_DSN"}, ""},
		{"default_target", Selection{}, noDSN,
			Target{Name: "staging", DSN: "clickhouse://deploy@staging:9000/stage", Database: "stage", Source: "perch.toml default_target"}, ""},
		{"--database overrides", Selection{Target: "staging", Database: "other"}, noDSN,
			Target{Name: "staging", DSN: "clickhouse://deploy@staging:9000/stage", Database: "other", Source: "--target staging"}, ""},
		{"unknown target", Selection{Target: "nope"}, env, Target{}, "no [targets.nope]"},
		{"both flags", Selection{Target: "staging", DSN: "clickhouse://x"}, env, Target{}, "not both"},
		{"password env unset", Selection{Target: "production"}, map[string]string{}, Target{}, "password_env PROD_PW is not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ResolveTarget(root, tt.sel, func(k string) string { return tt.env[k] })
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("err = %v, want %q", err, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.password = ""
			if got != tt.want {
				t.Fatalf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestResolveTargetDefaultsToLocal(t *testing.T) {
	got, err := ResolveTarget(t.TempDir(), Selection{}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if !got.Local || got.Name != "local" || got.Database != DefaultLocalDatabase || got.DSN != "" {
		t.Fatalf("got %+v, want the (not running) local server", got)
	}
}

func TestLoadConfigErrors(t *testing.T) {
	tests := []struct{ name, body, errHas string }{
		{"syntax", "[targets.x\ndsn = 1", "perch.toml:2:"},
		{"password in dsn", "[targets.x]\ndsn = \"clickhouse://u:topsecret@h:9000\"", "holds a password"},
		{"unknown key", "[targets.x]\ndsn = \"clickhouse://h\"\npasword_env = \"X\"", "unknown keys targets.x.pasword_env"},
		{"no dsn", "[targets.x]\ndatabase = \"d\"", "has no dsn"},
		{"bad default", "default_target = \"y\"\n[targets.x]\ndsn = \"clickhouse://h\"", "default_target \"y\""},
		{"replication without cluster", "[targets.x]\ndsn = \"clickhouse://h\"\nreplica_name = \"{replica}\"", "without cluster"},
		{"path without table", "[targets.x]\ndsn = \"clickhouse://h\"\ncluster = \"c\"\nreplication_path = \"/ch/{shard}\"", "has no {table}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(writeConfig(t, tt.body))
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("err = %v, want %q", err, tt.errHas)
			}
			if strings.Contains(err.Error(), "topsecret") {
				t.Fatalf("error leaks the password: %v", err)
			}
		})
	}
}

func TestRedactDSN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"clickhouse://u:pw@h:9000/db", "clickhouse://u:***@h:9000/db"},
		{"clickhouse://u@h:9000/db", "clickhouse://u@h:9000/db"},
		{"clickhouse://h:9000/db?username=u&password=pw", "clickhouse://h:9000/db?password=***&username=u"},
		{"clickhouse://u:p%40ss@h", "clickhouse://u:***@h"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := RedactDSN(tt.in); got != tt.want {
			t.Errorf("RedactDSN(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A cluster target replicates with the configured path and replica name,
// or the defaults; a single-server target does not replicate.
func TestTargetReplication(t *testing.T) {
	root := writeConfig(t, "[targets.c]\ndsn = \"clickhouse://h:9000\"\ncluster = \"main\"\n"+
		"[targets.p]\ndsn = \"clickhouse://h:9000\"\ncluster = \"main\"\nreplication_path = \"/ch/{database}/{table}\"\nreplica_name = \"{host}\"\n"+
		"[targets.s]\ndsn = \"clickhouse://h:9000\"\n")
	tests := []struct {
		target string
		want   Replication
	}{
		{"c", Replication{Path: DefaultReplicationPath, Replica: DefaultReplicaName}},
		{"p", Replication{Path: "/ch/{database}/{table}", Replica: "{host}"}},
		{"s", Replication{}},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			tg, err := ResolveTarget(root, Selection{Target: tt.target}, func(string) string { return "" })
			if err != nil {
				t.Fatal(err)
			}
			if got := tg.Replication(); got != tt.want {
				t.Fatalf("replication %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestTargetNames: the targets of perch.toml by name, then the project-local
// server unless a target is called local; none but local without a file.
func TestTargetNames(t *testing.T) {
	for _, tc := range []struct {
		name, config string
		want         string
	}{
		{"no perch.toml", "", "[local]"},
		{"targets", sampleConfig, "[production staging local]"},
		{"a target called local", sampleConfig + "\n[targets.local]\ndsn = \"clickhouse://u@127.0.0.1:9000\"\n", "[local production staging]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			if tc.config != "" {
				root = writeConfig(t, tc.config)
			}
			got, err := TargetNames(root)
			if err != nil || fmt.Sprint(got) != tc.want {
				t.Errorf("TargetNames = %v, %v; want %s", got, err, tc.want)
			}
		})
	}
	if _, err := TargetNames(writeConfig(t, "[targets.x]\n")); err == nil {
		t.Error("a broken perch.toml listed targets")
	}
}
