package datafiles

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUsesInclude is returned by FormatFile for a file with INCLUDE lines:
// formatting would splice the included text in and lose the INCLUDE.
var ErrUsesInclude = errors.New("uses INCLUDE; left as written")

// FormatFile returns the canonical text of a .datasource, .pipe or
// .connection file. $VAR references are kept as written, and so are the #
// comment lines at the top of the file (other # lines are dropped). It returns an
// error, and no text, when the file has errors, uses INCLUDE
// (ErrUsesInclude), or when the canonical text would not parse back to the
// same definition (a formatter bug: the file must not be rewritten).
func FormatFile(file string, src []byte) (string, error) {
	if _, ok := KindOf(file); !ok || strings.HasSuffix(file, ".incl") {
		return "", fmt.Errorf("format %s: not a .datasource, .pipe or .connection file", file)
	}
	usesInclude := false
	opts := ParseOptions{Include: func(from, path string) (string, []byte, error) {
		usesInclude = true
		return path, nil, nil
	}}
	res, diags := ParseFile(file, src, opts)
	if usesInclude {
		return "", ErrUsesInclude
	}
	for _, d := range diags {
		if d.Severity == Error {
			return "", fmt.Errorf("format %s: fix its errors first (%s)", file, d)
		}
	}
	out := headerComments(string(src)) + Format(res)
	again, _ := ParseFile(file, []byte(out), opts)
	if !Equal(res, again) {
		return "", fmt.Errorf("format %s: the canonical text would change the definition; file left as written (please report this)", file)
	}
	return out, nil
}

// headerComments returns the # comment lines at the top of a file, before
// its first directive, followed by a blank line ("" when there are none).
// They are the only comments the canonical text keeps: # lines elsewhere
// are not part of the model.
func headerComments(src string) string {
	var b strings.Builder
	for _, l := range splitLines("", src) {
		t := strings.TrimSpace(l.Text)
		if t == "" {
			continue
		}
		if !strings.HasPrefix(t, "#") {
			break
		}
		b.WriteString(t + "\n")
	}
	if b.Len() == 0 {
		return ""
	}
	b.WriteByte('\n')
	return b.String()
}

// SortDiagnostics orders diagnostics by file, line and column, keeping the
// order of those at one position.
func SortDiagnostics(d []Diagnostic) { sortDiagnostics(d) }
