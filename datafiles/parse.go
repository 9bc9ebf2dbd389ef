package datafiles

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// osEnv looks variables up in the process environment.
func osEnv(name string) (string, bool) { return os.LookupEnv(name) }

// newFileCtx returns a parse context for one file read on its own: INCLUDE
// paths resolve on disk relative to the file's directory.
func newFileCtx(k Kind, env func(string) (string, bool)) *parseCtx {
	return &parseCtx{kind: k, env: env, include: diskInclude}
}

// diskInclude resolves an INCLUDE relative to the directory of the file
// that contains it, reading from disk.
func diskInclude(from, path string) (string, []byte, error) {
	p := path
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(from), path)
	}
	src, err := os.ReadFile(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", nil, errors.New("file not found next to the including file")
		}
		return "", nil, err
	}
	return p, src, nil
}

// ParseOptions change how a single datafile is parsed.
type ParseOptions struct {
	// Env looks up $VAR references in single-line values; nil leaves them
	// as written (what `perch fmt` wants, so no secret is written to disk).
	Env func(string) (string, bool)
	// Include resolves INCLUDE lines: it gets the including file and the
	// path as written and returns the included file's name and text. Nil
	// resolves on disk relative to the including file.
	Include func(from, path string) (file string, src []byte, err error)
}

// ParseFile parses a .datasource, .pipe or .connection file chosen by its
// extension, with the given options. It returns the resource (a
// *Datasource, *Pipe or *Connection, nil for other extensions) and its
// diagnostics.
func ParseFile(file string, src []byte, opts ParseOptions) (any, []Diagnostic) {
	k, _ := KindOf(file)
	c := &parseCtx{kind: k, env: opts.Env, include: opts.Include}
	if c.include == nil {
		c.include = diskInclude
	}
	switch k {
	case KindDatasource:
		return c.datasource(file, string(src)), c.diags
	case KindPipe:
		return c.pipe(file, string(src)), c.diags
	case KindConnection:
		return c.connection(file, string(src)), c.diags
	}
	return nil, nil
}

func sortStrings(s []string) { sort.Strings(s) }
