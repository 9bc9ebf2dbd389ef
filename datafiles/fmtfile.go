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
// .connection file. $VAR references are kept as written, and # comments
// are kept before the directive they precede (see comments.go). It returns
// an error, and no text, when the file has errors, uses INCLUDE
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
	k, _ := KindOf(file)
	out := collectComments(k, file, string(src)).insert(Format(res))
	again, _ := ParseFile(file, []byte(out), opts)
	if !Equal(res, again) {
		return "", fmt.Errorf("format %s: the canonical text would change the definition; file left as written (please report this)", file)
	}
	return out, nil
}

// SortDiagnostics orders diagnostics by file, line and column, keeping the
// order of those at one position.
func SortDiagnostics(d []Diagnostic) { sortDiagnostics(d) }
