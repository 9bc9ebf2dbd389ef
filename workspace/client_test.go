package workspace

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace/clickhousetest"
	"github.com/perchdata/perch/workspace/localserver"
)

func TestOpenReadsVersion(t *testing.T) {
	forEachEngine(t, func(t *testing.T, c *Client, db *clickhousetest.DB) {
		if c.Capabilities().Version.Major == 0 {
			t.Fatalf("version not read: %+v", c.Capabilities().Version)
		}
		if c.Database() != db.Name {
			t.Fatalf("database = %s, want %s", c.Database(), db.Name)
		}
	})
}

// TestPasswordsNeverInErrors connects with wrong passwords in every way a
// password reaches perch and checks that no message contains it.
func TestPasswordsNeverInErrors(t *testing.T) {
	srv.Require(t)
	const pw = "Sup3r-S3cret_pw"
	closed := closedPort(t)
	tests := []struct {
		name string
		t    Target
	}{
		{"dsn userinfo, auth fails", Target{Name: "a", DSN: "clickhouse://default:" + pw + "@" + srv.Addr() + "/default", Source: "test"}},
		{"dsn query, auth fails", Target{Name: "b", DSN: "clickhouse://" + srv.Addr() + "/default?username=default&password=" + pw, Source: "test"}},
		{"password_env, auth fails", Target{Name: "c", DSN: "clickhouse://default@" + srv.Addr() + "/default", PasswordEnv: "X", password: pw, Source: "test"}},
		{"refused", Target{Name: "d", DSN: "clickhouse://default:" + pw + "@" + closed + "/default", Source: "test"}},
		{"http dsn", Target{Name: "e", DSN: "http://default:" + pw + "@" + closed, Source: "test"}},
		{"garbage dsn", Target{Name: "f", DSN: "clickhouse://default:" + pw + "@[::1", Source: "test"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(context.Background(), tt.t)
			if err == nil {
				t.Fatal("Open succeeded with a wrong password")
			}
			for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err.Error()), tt.t.String()} {
				if strings.Contains(s, pw) {
					t.Fatalf("password in output: %s", s)
				}
			}
		})
	}
}

func TestConnectErrorsSayWhatToDo(t *testing.T) {
	closed := closedPort(t)
	tests := []struct {
		name string
		t    Target
		want []string
	}{
		{"local not started", Target{Name: "local", Local: true, Source: "project-local server"}, []string{"perch local start"}},
		{"local refused", Target{Name: "local", Local: true, DSN: "clickhouse://default@" + closed, Source: "project-local server"}, []string{closed, "perch local start"}},
		{"remote refused", Target{Name: "x", DSN: "clickhouse://default@" + closed + "/db", Source: "--dsn"}, []string{closed, "check host and port", "--dsn"}},
		{"http", Target{Name: "x", DSN: "http://h:8123", Source: "--dsn"}, []string{"native protocol"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(context.Background(), tt.t)
			if err == nil {
				t.Fatal("Open succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
	var err error
	_, err = Open(context.Background(), Target{Name: "local", Local: true})
	if !errors.Is(err, localserver.ErrNotRunning) {
		t.Errorf("err = %v, want ErrNotRunning", err)
	}
}

func TestMissingDatabaseHint(t *testing.T) {
	srv.Require(t)
	_, err := Open(context.Background(), Target{Name: "x", DSN: srv.DSN("default"), Database: "no_such_db", Source: "test"})
	if err == nil || !strings.Contains(err.Error(), "CREATE DATABASE no_such_db") {
		t.Fatalf("err = %v", err)
	}
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestClientOptions(t *testing.T) {
	tests := []struct {
		name              string
		t                 Target
		addr, user, db    string
		tls               bool
		password, errHave string
	}{
		{"plain", Target{DSN: "clickhouse://ana@h:9000/a"}, "h:9000", "ana", "a", false, "", ""},
		{"default user, database override", Target{DSN: "clickhouse://h:9000/a", Database: "b"}, "h:9000", "default", "b", false, "", ""},
		{"tls for cloud", Target{DSN: "clickhouse://u@abc.clickhouse.cloud:9440", TLS: true, Database: "x"}, "abc.clickhouse.cloud:9440", "u", "x", true, "", ""},
		{"secure dsn", Target{DSN: "clickhouse://u@h:9440/d?secure=true"}, "h:9440", "u", "d", true, "", ""},
		{"password from env", Target{DSN: "clickhouse://u@h:9000/d", PasswordEnv: "P", password: "pw"}, "h:9000", "u", "d", false, "pw", ""},
		{"http refused", Target{DSN: "https://u:pw@h:8443"}, "", "", "", false, "", "native protocol"},
		{"no scheme", Target{DSN: "h:9000"}, "", "", "", false, "", "want clickhouse://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, _, err := clientOptions(tt.t)
			if tt.errHave != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHave) || strings.Contains(err.Error(), ":pw@") {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if o.Addr[0] != tt.addr || o.Auth.Username != tt.user || o.Auth.Database != tt.db || (o.TLS != nil) != tt.tls || o.Auth.Password != tt.password {
				t.Errorf("options = addr %v user %q db %q tls %v password set %v", o.Addr, o.Auth.Username, o.Auth.Database, o.TLS != nil, o.Auth.Password != "")
			}
			if tt.tls && tt.t.TLS && o.TLS.ServerName != "abc.clickhouse.cloud" {
				t.Errorf("TLS server name = %q", o.TLS.ServerName)
			}
		})
	}
}
