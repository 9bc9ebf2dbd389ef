package workspace

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/perchdata/perch/workspace/engine"
)

// Outcome is how a deployment ended.
type Outcome string

// The outcomes of a deployment.
const (
	OutcomeSuccess Outcome = "success"
	OutcomeFailed  Outcome = "failed"
	// OutcomeInterrupted is an apply that died (killed, machine lost)
	// before it could record its outcome; the next perch command that found
	// its journal recorded it.
	OutcomeInterrupted Outcome = "interrupted"
	// OutcomeBranchCreated and OutcomeBranchRemoved record, in the
	// workspace's log, a branch made or dropped (perch branch): nothing was
	// deployed to the workspace, and such entries have no files to revert to.
	OutcomeBranchCreated Outcome = "branch created"
	OutcomeBranchRemoved Outcome = "branch removed"
)

// DeployedFile is one datafile of a deployment, with its full text.
type DeployedFile struct {
	Path string `json:"path"`
	Text string `json:"text"`
}

// Deployment is one entry of perch's deployment log.
type Deployment struct {
	// ID sorts by time: 20261125T114612Z-3fa9c1.
	ID        string    `json:"id"`
	Time      time.Time `json:"time"`
	Author    string    `json:"author"`
	GitCommit string    `json:"git_commit,omitempty"`
	GitBranch string    `json:"git_branch,omitempty"`
	Message   string    `json:"message,omitempty"`
	// Files are every datafile of the project deployed (not only the changed ones).
	Files []DeployedFile `json:"files,omitempty"`
	// FileCount is len(Files), also filled by History, which omits the texts.
	FileCount int `json:"file_count"`
	// Plan is the plan applied, as JSON text.
	Plan    string  `json:"plan,omitempty"`
	Outcome Outcome `json:"outcome"`
	Error   string  `json:"error,omitempty"`
	// PerchVersion is the version of perch that deployed.
	PerchVersion string `json:"perch_version,omitempty"`
	// Target is the target's name (never its DSN).
	Target string `json:"target,omitempty"`
}

// File returns the text of the deployed file at path, and whether it was deployed.
func (d *Deployment) File(path string) (string, bool) {
	for _, f := range d.Files {
		if f.Path == path {
			return f.Text, true
		}
	}
	return "", false
}

// deploymentsDDL creates the log; MergeTree works on every server version.
func deploymentsDDL(database string) string {
	return "CREATE TABLE IF NOT EXISTS " + QuoteIdent(database) + "." + DeploymentsTable + ` (
    id String,
    time DateTime,
    author String,
    git_commit String,
    git_branch String,
    message String,
    file_paths Array(String),
    file_texts Array(String),
    plan String,
    outcome String,
    error String,
    perch_version String,
    target String
) ENGINE = MergeTree() ORDER BY (time, id)`
}

// NewDeploymentID returns a time-sortable, unique deployment id.
func NewDeploymentID(t time.Time) string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return t.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

// Record appends d to the deployment log of the client's database, creating
// the log table on first use. It fills ID and Time when empty. Passwords
// and credentials in DSNs are scrubbed from every text stored.
func (c *Client) Record(ctx context.Context, d *Deployment) error {
	if d.Time.IsZero() {
		d.Time = time.Now().UTC()
	}
	d.Time = d.Time.UTC().Truncate(time.Second)
	if d.ID == "" {
		d.ID = NewDeploymentID(d.Time)
	}
	if d.Outcome == "" {
		return fmt.Errorf("record deployment %s: no outcome", d.ID)
	}
	d.FileCount = len(d.Files)
	if err := c.Exec(ctx, deploymentsDDL(c.database)); err != nil {
		return fmt.Errorf("record deployment %s: create log: %w", d.ID, err)
	}
	q := c.insertDeployment(d)
	// The literals count towards max_query_size; give the statement room.
	qctx := engine.WithSettings(ctx, engine.Settings{"max_query_size": len(q) + 65536})
	if err := c.conn.Exec(qctx, q); err != nil {
		return redactError(fmt.Errorf("record deployment %s: %w", d.ID, err), c.secrets...)
	}
	return nil
}

// insertDeployment is the INSERT ... SELECT of one log row (18.16 cannot take
// INSERT ... VALUES through the driver), every text scrubbed of secrets.
func (c *Client) insertDeployment(d *Deployment) string {
	s := func(v string) string { return QuoteString(c.scrub(v)) }
	paths := make([]string, len(d.Files))
	texts := make([]string, len(d.Files))
	for i, f := range d.Files {
		paths[i], texts[i] = s(f.Path), s(f.Text)
	}
	arr := func(items []string) string {
		if len(items) == 0 {
			return "emptyArrayString()"
		}
		return "[" + strings.Join(items, ", ") + "]"
	}
	return fmt.Sprintf("INSERT INTO %s.%s (id, time, author, git_commit, git_branch, message, file_paths, file_texts, plan, outcome, error, perch_version, target) "+
		"SELECT %s, toDateTime(%d), %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s",
		QuoteIdent(c.database), DeploymentsTable,
		s(d.ID), d.Time.Unix(), s(d.Author), s(d.GitCommit), s(d.GitBranch), s(d.Message),
		arr(paths), arr(texts), s(d.Plan), s(string(d.Outcome)), s(d.Error), s(d.PerchVersion), s(d.Target))
}

// dsnCredentials matches user:password@ in any URL-like text.
var dsnCredentials = regexp.MustCompile(`(://[^:/@\s]*:)[^@\s]*@`)

// scrub removes the client's passwords and any DSN credentials from text.
func (c *Client) scrub(text string) string {
	for _, sec := range c.secrets {
		if sec != "" {
			text = strings.ReplaceAll(text, sec, "***")
		}
	}
	text = dsnCredentials.ReplaceAllString(text, "${1}***@")
	return queryPassword.ReplaceAllString(text, "${1}***")
}

// ErrNoDeployment is returned (wrapped) by Get for an unknown id.
var ErrNoDeployment = errors.New("no such deployment")

// logExists reports whether the deployment log table exists.
func (c *Client) logExists(ctx context.Context) (bool, error) {
	var n uint64
	q := "SELECT count() FROM system.tables WHERE database = " + QuoteString(c.database) + " AND name = " + QuoteString(DeploymentsTable)
	if err := c.conn.QueryRow(ctx, q).Scan(&n); err != nil {
		return false, fmt.Errorf("read deployment log: %w", err)
	}
	return n > 0, nil
}

const deploymentColumns = "id, time, author, git_commit, git_branch, message, file_paths, %s, plan, outcome, error, perch_version, target"

// queryDeployments reads log rows; withTexts includes file texts and plans.
func (c *Client) queryDeployments(ctx context.Context, where string, limit int, withTexts bool) ([]*Deployment, error) {
	ok, err := c.logExists(ctx)
	if err != nil || !ok {
		return nil, err
	}
	texts, plan := "file_texts", "plan"
	if !withTexts {
		texts, plan = "emptyArrayString()", "''"
	}
	cols := strings.Replace(fmt.Sprintf(deploymentColumns, texts), "plan,", plan+",", 1)
	q := "SELECT " + cols + " FROM " + QuoteIdent(c.database) + "." + DeploymentsTable
	if where != "" {
		q += " WHERE " + where
	}
	q += " ORDER BY time DESC, id DESC"
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := c.conn.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read deployment log: %w", err)
	}
	defer rows.Close()
	var out []*Deployment
	for rows.Next() {
		var (
			d            Deployment
			paths, files []string
			outcome      string
		)
		if err := rows.Scan(&d.ID, &d.Time, &d.Author, &d.GitCommit, &d.GitBranch, &d.Message, &paths, &files,
			&d.Plan, &outcome, &d.Error, &d.PerchVersion, &d.Target); err != nil {
			return nil, fmt.Errorf("read deployment log: %w", err)
		}
		d.Time = d.Time.UTC()
		d.Outcome = Outcome(outcome)
		d.FileCount = len(paths)
		if withTexts {
			for i, p := range paths {
				f := DeployedFile{Path: p}
				if i < len(files) {
					f.Text = files[i]
				}
				d.Files = append(d.Files, f)
			}
		}
		out = append(out, &d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read deployment log: %w", err)
	}
	return out, nil
}

// History lists deployments, newest first, without file texts and plans
// (use Get for those); limit <= 0 means all. An empty list when perch never
// deployed here.
func (c *Client) History(ctx context.Context, limit int) ([]*Deployment, error) {
	return c.queryDeployments(ctx, "", limit, false)
}

// Latest returns the newest successful deployment with its files and plan,
// or nil when there is none.
func (c *Client) Latest(ctx context.Context) (*Deployment, error) {
	ds, err := c.queryDeployments(ctx, "outcome = "+QuoteString(string(OutcomeSuccess)), 1, true)
	if err != nil || len(ds) == 0 {
		return nil, err
	}
	return ds[0], nil
}

// Get returns the deployment with the given id (or a unique prefix of it),
// with its files and plan.
func (c *Client) Get(ctx context.Context, id string) (*Deployment, error) {
	if id == "" {
		return nil, fmt.Errorf("get deployment: empty id")
	}
	ds, err := c.queryDeployments(ctx, "startsWith(id, "+QuoteString(id)+")", 2, true)
	if err != nil {
		return nil, fmt.Errorf("get deployment %s: %w", id, err)
	}
	switch {
	case len(ds) == 0:
		return nil, fmt.Errorf("get deployment %s: %w", id, ErrNoDeployment)
	case len(ds) > 1 && ds[0].ID != id:
		return nil, fmt.Errorf("get deployment %s: the prefix matches more than one deployment", id)
	}
	return ds[0], nil
}
