package workspace

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/perchdata/perch/workspace/engine"
)

// EmbeddedScheme starts the DSN of an embedded engine target:
// chdb://PATH, PATH a folder (relative to the project when not absolute).
const EmbeddedScheme = "chdb://"

// IsEmbeddedDSN reports whether dsn names the embedded engine.
func IsEmbeddedDSN(dsn string) bool { return strings.HasPrefix(dsn, EmbeddedScheme) }

// embeddedPath splits chdb://PATH[?database=NAME] into the folder and the
// database ("" when not given).
func embeddedPath(dsn string) (path, database string) {
	rest := strings.TrimPrefix(dsn, EmbeddedScheme)
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		if q, err := url.ParseQuery(rest[i+1:]); err == nil {
			database = q.Get("database")
		}
		rest = rest[:i]
	}
	return rest, database
}

// resolveEmbedded makes the folder of an embedded DSN absolute, relative
// to the project root.
func resolveEmbedded(root, dsn string) string {
	path, db := embeddedPath(dsn)
	if path != "" && !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	out := EmbeddedScheme + filepath.Clean(path)
	if db != "" {
		out += "?database=" + url.QueryEscape(db)
	}
	return out
}

// openEmbedded opens the embedded engine of target t, creating its folder
// and database when missing.
func openEmbedded(ctx context.Context, t Target) (*Client, error) {
	path, database := embeddedPath(t.DSN)
	if path == "" {
		return nil, fmt.Errorf("dsn %s: want chdb://PATH (a folder)", t.DSN)
	}
	if t.Database != "" {
		database = t.Database
	}
	if database == "" {
		database = "default"
	}
	t.Database = database
	// A branch exists only once perch branch create made it: never create one here.
	conn, err := engine.OpenEmbedded(ctx, path, engine.EmbeddedOptions{Database: database, CreateDatabase: t.Branch == ""})
	if err != nil && t.Branch != "" && strings.Contains(err.Error(), "UNKNOWN_DATABASE") {
		return nil, fmt.Errorf("via %s: %w\n  workspace %s has no branch %s: perch branch ls lists its branches, perch branch create %s makes one", t.Source, err, t.Workspace, t.Branch, t.Branch)
	}
	if err != nil {
		return nil, fmt.Errorf("via %s: %w", t.Source, err)
	}
	c := &Client{target: t, database: t.Database}
	if err := c.start(ctx, conn); err != nil {
		return nil, fmt.Errorf("connect to target %s (%s): %w", t.Name, t.DSN, err)
	}
	return c, nil
}
