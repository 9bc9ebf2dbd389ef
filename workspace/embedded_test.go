package workspace

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace/engine"
)

func TestResolveEmbeddedTargets(t *testing.T) {
	tests := []struct {
		name   string
		config string
		sel    Selection
		env    map[string]string
		dsn    string // %ROOT% is the project root
		db     string
		source string
	}{
		{"perch.toml, relative to the project", "default_target = \"emb\"\n[targets.emb]\ndsn = \"chdb://.perch/engine\"\n",
			Selection{}, nil, "chdb://%ROOT%/.perch/engine", "default", ConfigFile + " default_target"},
		{"--dsn absolute", "", Selection{DSN: "chdb:///var/lib/perch"}, nil, "chdb:///var/lib/perch", "default", "--dsn"},
		{"PERCH_DSN with a database", "", Selection{}, map[string]string{"PERCH_DSN": "chdb://data?database=analytics"},
			"chdb://%ROOT%/data?database=analytics", "analytics", "PERCH_DSN"},
		{"--database wins", "", Selection{DSN: "chdb://d?database=a", Database: "b"}, nil, "chdb://%ROOT%/d?database=a", "b", "--dsn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeConfig(t, tt.config)
			got, err := ResolveTarget(root, tt.sel, func(k string) string { return tt.env[k] })
			if err != nil {
				t.Fatal(err)
			}
			want := strings.ReplaceAll(tt.dsn, "%ROOT%", root)
			if got.DSN != want || got.Database != tt.db || got.Source != tt.source {
				t.Fatalf("target = %+v, want dsn %s, database %s, source %s", got, want, tt.db, tt.source)
			}
		})
	}
}

// TestOpenEmbeddedTarget opens a chdb:// target on the test engine's folder
// in a database that does not exist yet: it is created, and the client
// reports the embedded engine's version.
func TestOpenEmbeddedTarget(t *testing.T) {
	srv.RequireEngine(t, engine.KindEmbedded)
	ctx := context.Background()
	c, err := Open(ctx, Target{Name: "emb", DSN: EmbeddedScheme + srv.EmbeddedDir() + "?database=created_by_open", Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Engine() != engine.KindEmbedded || c.Database() != "created_by_open" || c.Capabilities().Version.Major < 26 {
		t.Fatalf("client: engine %s, database %s, version %v", c.Engine(), c.Database(), c.Capabilities().Version)
	}
	var db string
	if err := c.Conn().QueryRow(ctx, "SELECT currentDatabase()").Scan(&db); err != nil || db != "created_by_open" {
		t.Fatalf("current database %q, %v", db, err)
	}
	if err := c.Exec(ctx, "DROP DATABASE created_by_open"); err != nil {
		t.Fatal(err)
	}
}

// TestOpenEmbeddedSecondFolderRefused: the library runs one folder per
// process; a second folder is refused with a clear error, not a hang.
func TestOpenEmbeddedSecondFolderRefused(t *testing.T) {
	srv.RequireEngine(t, engine.KindEmbedded)
	other := filepath.Join(t.TempDir(), "other")
	_, err := Open(context.Background(), Target{Name: "emb", DSN: EmbeddedScheme + other, Source: "test"})
	if err == nil || !strings.Contains(err.Error(), "one folder per process") || !strings.Contains(err.Error(), srv.EmbeddedDir()) {
		t.Fatalf("second folder: %v", err)
	}
}
