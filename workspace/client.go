package workspace

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/perchdata/perch/workspace/engine"
	"github.com/perchdata/perch/workspace/localserver"
)

// Client is a connection to a target's database with the server's
// capabilities, read once at Open.
type Client struct {
	conn     engine.Conn
	target   Target
	caps     Capabilities
	database string
	secrets  []string
}

// Open connects to t (over the native protocol, or to the embedded engine
// for chdb:// targets), checks the engine answers and reads its version.
// Errors say what was tried and what to do; they never contain the password.
func Open(ctx context.Context, t Target) (*Client, error) {
	if t.Local && t.DSN == "" {
		return nil, fmt.Errorf("connect to %s: %w", t.Source, localserver.ErrNotRunning)
	}
	if IsEmbeddedDSN(t.DSN) {
		return openEmbedded(ctx, t)
	}
	opts, secrets, err := clientOptions(t)
	if err != nil {
		return nil, redactError(fmt.Errorf("connect to target %s: %w", t.Name, err), secrets...)
	}
	c := &Client{target: t, database: opts.Auth.Database, secrets: secrets}
	conn, err := engine.OpenNative(opts)
	if err != nil {
		return nil, c.connectError(err, opts)
	}
	if err := conn.Ping(ctx); err != nil {
		conn.Close()
		return nil, c.connectError(err, opts)
	}
	if err := c.start(ctx, conn); err != nil {
		return nil, c.connectError(err, opts)
	}
	return c, nil
}

// start reads the engine's version into the client's capabilities and
// keeps conn; it closes conn on error.
func (c *Client) start(ctx context.Context, conn engine.Conn) error {
	raw, err := conn.ServerVersion(ctx)
	if err != nil {
		conn.Close()
		return err
	}
	v, err := ParseVersion(raw)
	if err != nil {
		conn.Close()
		return fmt.Errorf("connect to %s: %w", c.target.Redacted(), err)
	}
	c.conn, c.caps = conn, CapabilitiesFor(v)
	return nil
}

// NewClient wraps an open engine connection as a client of database on
// target t (tests and tools that open the engine themselves).
func NewClient(ctx context.Context, conn engine.Conn, t Target) (*Client, error) {
	c := &Client{target: t, database: t.Database}
	if c.database == "" {
		c.database = "default"
	}
	if err := c.start(ctx, conn); err != nil {
		return nil, fmt.Errorf("connect to %s: %w", t, err)
	}
	return c, nil
}

// clientOptions turns a target into driver options, with the secrets that
// must never be printed.
func clientOptions(t Target) (*clickhouse.Options, []string, error) {
	var secrets []string
	if t.password != "" {
		secrets = append(secrets, t.password, url.QueryEscape(t.password), url.PathEscape(t.password))
	}
	if u, err := url.Parse(t.DSN); err == nil && u.User != nil {
		if p, has := u.User.Password(); has && p != "" {
			secrets = append(secrets, p, url.QueryEscape(p), url.PathEscape(p))
		}
	}
	switch {
	case strings.HasPrefix(t.DSN, "clickhouse://"), strings.HasPrefix(t.DSN, "tcp://"):
	case strings.HasPrefix(t.DSN, "http://"), strings.HasPrefix(t.DSN, "https://"):
		return nil, secrets, fmt.Errorf("dsn %s: perch talks the native protocol; use clickhouse://host:9000 (or :9440 with tls = true), not HTTP", RedactDSN(t.DSN))
	default:
		return nil, secrets, fmt.Errorf("dsn %q: want clickhouse://user@host:port/database", RedactDSN(t.DSN))
	}
	opts, err := clickhouse.ParseDSN(t.DSN)
	if err != nil {
		return nil, secrets, fmt.Errorf("dsn %s: %w", RedactDSN(t.DSN), err)
	}
	opts.Protocol = clickhouse.Native
	if t.Database != "" {
		opts.Auth.Database = t.Database
	}
	if t.password != "" {
		opts.Auth.Password = t.password
	}
	if opts.Auth.Username == "" {
		opts.Auth.Username = "default"
	}
	if t.TLS && opts.TLS == nil {
		host, _, _ := net.SplitHostPort(opts.Addr[0])
		opts.TLS = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	}
	if opts.DialTimeout == 0 {
		opts.DialTimeout = 5 * time.Second
	}
	opts.ClientInfo.Products = append(opts.ClientInfo.Products, struct{ Name, Version string }{"perch", "dev"})
	return opts, secrets, nil
}

// connectError explains a failed connection: what was tried and what to do.
func (c *Client) connectError(err error, opts *clickhouse.Options) error {
	t := c.target
	tried := fmt.Sprintf("connect to %s as user %s, database %s, via %s", strings.Join(opts.Addr, ","), opts.Auth.Username, opts.Auth.Database, t.Source)
	if opts.TLS != nil {
		tried += ", TLS"
	}
	hint := ""
	code := engine.ErrorCode(err)
	switch {
	case code == 81 && t.Branch != "":
		hint = fmt.Sprintf("workspace %s has no branch %s: perch branch ls lists its branches, perch branch create %s makes one", t.Workspace, t.Branch, t.Branch)
	case code == 81:
		hint = fmt.Sprintf("database %s does not exist: create it (CREATE DATABASE %s) or choose another with --database", opts.Auth.Database, opts.Auth.Database)
	case code == 516 || code == 192 || code == 193 || code == 194:
		hint = "authentication failed: check the user in the DSN"
		if t.PasswordEnv != "" {
			hint += " and the password in $" + t.PasswordEnv
		} else {
			hint += " and set password_env in perch.toml"
		}
	case errors.Is(err, syscall.ECONNREFUSED):
		if t.Local {
			hint = "the project-local server is not answering: run `perch local start` (or `perch local status`)"
		} else {
			hint = "nothing listens there: check host and port (native protocol: 9000, or 9440 with TLS)"
		}
	case isTimeout(err):
		hint = "no answer in time: check the host, firewalls, and TLS (ClickHouse Cloud needs port 9440 with tls = true)"
	case opts.TLS == nil && strings.Contains(err.Error(), "EOF"):
		hint = "the server closed the connection: if it expects TLS, set tls = true (or ?secure=true)"
	}
	msg := tried + ": " + err.Error()
	if hint != "" {
		msg += "\n  " + hint
	}
	return redactError(&secretError{msg: msg, err: err}, c.secrets...)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

// Conn is the engine connection, for packages that run DDL and queries.
func (c *Client) Conn() engine.Conn { return c.conn }

// Engine says which engine the client talks to.
func (c *Client) Engine() engine.Kind { return c.conn.Kind() }

// Target is the target this client is connected to.
func (c *Client) Target() Target { return c.target }

// Database is the workspace database.
func (c *Client) Database() string { return c.database }

// Capabilities is what the server can do, from its version.
func (c *Client) Capabilities() Capabilities { return c.caps }

// Cluster is the cluster DDL runs ON, or "".
func (c *Client) Cluster() string { return c.target.Cluster }

// Replication is how the target's MergeTree-family tables replicate (zero
// on a single server).
func (c *Client) Replication() Replication { return c.target.Replication() }

// Exec runs one statement; errors never contain the password. On a
// cluster, a statement each replica must run itself (PerHostStatement) runs
// on every host.
func (c *Client) Exec(ctx context.Context, query string) error {
	if c.target.Cluster != "" && PerHostStatement(query) {
		return c.ExecEveryHost(ctx, query)
	}
	if err := c.conn.Exec(ctx, query); err != nil {
		return redactError(fmt.Errorf("exec %s: %w", abbreviate(query), err), c.secrets...)
	}
	return nil
}

// abbreviate shortens a statement for error messages.
func abbreviate(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	if len(q) > 120 {
		return q[:117] + "..."
	}
	return q
}
