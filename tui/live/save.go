package live

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/perchdata/perch/datafiles"
)

// SaveNode writes sql as the SQL of a pipe node into its datafile: the
// lines of the node's SQL block are replaced, indented as they were, and
// the rest of the file is kept byte for byte. It refuses when the file
// changed on disk since the project was loaded, when the block holds
// comment lines (they would be lost), and when the file would not parse
// back to exactly sql; the file is replaced atomically.
func (b *Backend) SaveNode(ctx context.Context, pipe, node, sql string) error {
	p := b.loaded()
	if p == nil {
		return errors.New("save: the project is not loaded")
	}
	pp := p.Pipes[pipe]
	if pp == nil || pp.Node(node) == nil {
		return fmt.Errorf("save: no node %s.%s", pipe, node)
	}
	n := pp.Node(node)
	path := filepath.Join(p.Root, pp.File)
	src, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("save %s.%s: %w", pipe, node, err)
	}
	if loaded, ok := p.Sources[pp.File]; ok && loaded != string(src) {
		return fmt.Errorf("save %s.%s: %s changed on disk since it was loaded; reload it first", pipe, node, pp.File)
	}
	out, err := replaceNodeSQL(string(src), n, sql)
	if err != nil {
		return fmt.Errorf("save %s.%s in %s: %w", pipe, node, pp.File, err)
	}
	if err := checkSaved(pp.File, out, node, sql); err != nil {
		return fmt.Errorf("save %s.%s in %s: %w", pipe, node, pp.File, err)
	}
	if err := writeAtomic(path, []byte(out)); err != nil {
		return fmt.Errorf("save %s.%s: %w", pipe, node, err)
	}
	return nil
}

// replaceNodeSQL replaces the lines of n's SQL block in src with sql.
func replaceNodeSQL(src string, n *datafiles.Node, sql string) (string, error) {
	if len(n.SQLLines) == 0 {
		return "", errors.New("the node has no SQL block to replace")
	}
	lines := strings.SplitAfter(src, "\n")
	first, last := n.SQLLines[0], n.SQLLines[len(n.SQLLines)-1]
	if first < 1 || last > len(lines) || first > last {
		return "", fmt.Errorf("the node's SQL (lines %d-%d) is not in the file", first, last)
	}
	for i := first; i <= last; i++ {
		if t := strings.TrimSpace(lines[i-1]); strings.HasPrefix(t, "#") {
			return "", fmt.Errorf("line %d is a comment inside the SQL, which saving would drop: edit the file in $EDITOR (e)", i)
		}
	}
	if l := lines[first-1]; l == strings.TrimLeft(l, " \t") {
		return "", errors.New("the SQL is written inline, on the SQL line: edit the file in $EDITOR (e)")
	}
	indent := strings.Repeat(" ", n.SQLIndent)
	if n.SQLIndent == 0 {
		indent = "    "
	}
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(sql, "\n"), "\n") {
		l = strings.TrimRight(l, " \t")
		if l != "" {
			b.WriteString(indent + l)
		}
		b.WriteByte('\n')
	}
	end := strings.Join(lines[last:], "")
	return strings.Join(lines[:first-1], "") + b.String() + end, nil
}

// checkSaved parses the new text and makes sure the node reads back as sql
// (blank lines aside) and that no error appeared.
func checkSaved(file, text, node, sql string) error {
	pp, diags := datafiles.ParsePipe(file, []byte(text))
	for _, d := range diags {
		if d.Severity == datafiles.Error {
			return fmt.Errorf("the file would not parse: %s", d)
		}
	}
	if pp == nil || pp.Node(node) == nil {
		return errors.New("the node would be lost")
	}
	if got := squeeze(pp.Node(node).SQL); got != squeeze(sql) {
		return fmt.Errorf("the file would read back another SQL:\n%s", pp.Node(node).SQL)
	}
	return nil
}

// squeeze drops blank lines and trailing blanks, which a block does not keep.
func squeeze(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimRight(l, " \t\r"); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// writeAtomic replaces path with data through a temporary file in the same
// folder, keeping the file's mode.
func writeAtomic(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr, os.Chmod(tmp, mode)); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
