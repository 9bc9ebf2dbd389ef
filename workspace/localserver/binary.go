// Package localserver generates the configuration of a private ClickHouse
// server and runs it: the project-local server of `perch local` and the
// per-package servers of integration tests share this code.
package localserver

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
)

// ErrNoBinary is returned (wrapped) when no ClickHouse server binary is found.
var ErrNoBinary = errors.New("no ClickHouse server binary found (looked for clickhouse-server and clickhouse on PATH, and /usr/sbin/clickhouse-server, /usr/bin/clickhouse)")

// InstallHelp says how to install a ClickHouse server on common systems.
const InstallHelp = `Install ClickHouse, then try again:
  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y clickhouse-server clickhouse-client
  macOS:          brew install --cask clickhouse     (or: curl https://clickhouse.com/ | sh)
  anywhere:       curl https://clickhouse.com/ | sh  (puts a single ./clickhouse binary here; move it onto PATH)`

// Binary is a ClickHouse server executable: either clickhouse-server or the
// single clickhouse binary, which needs the "server" sub-command.
type Binary struct {
	Path string `json:"path"`
	// Args come before the server flags ("server" for the single binary).
	Args []string `json:"args,omitempty"`
}

// String is the command line prefix, e.g. "/usr/bin/clickhouse server".
func (b Binary) String() string {
	s := b.Path
	for _, a := range b.Args {
		s += " " + a
	}
	return s
}

// LookPath finds an executable by name; exec.LookPath in production.
type LookPath func(name string) (string, error)

// candidate is a well-known install location of a server binary.
type candidate struct {
	path string
	args []string
}

// packagePaths are where OS packages put the server when it is not on PATH.
var packagePaths = []candidate{
	{"/usr/sbin/clickhouse-server", nil},
	{"/usr/bin/clickhouse-server", nil},
	{"/usr/bin/clickhouse", []string{"server"}},
}

// FindBinary looks for clickhouse-server, then the single clickhouse binary,
// on PATH and in the usual package locations. The error wraps ErrNoBinary
// and says how to install one.
func FindBinary(look LookPath) (Binary, error) {
	return findBinary(look, packagePaths)
}

func findBinary(look LookPath, fallbacks []candidate) (Binary, error) {
	if look == nil {
		look = exec.LookPath
	}
	if p, err := look("clickhouse-server"); err == nil {
		return Binary{Path: p}, nil
	}
	if p, err := look("clickhouse"); err == nil {
		return Binary{Path: p, Args: []string{"server"}}, nil
	}
	for _, c := range fallbacks {
		if fi, err := os.Stat(c.path); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return Binary{Path: c.path, Args: c.args}, nil
		}
	}
	return Binary{}, fmt.Errorf("%w\n%s", ErrNoBinary, InstallHelp)
}
