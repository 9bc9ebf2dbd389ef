package testrun

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Updates are the tests whose expected_result --update rewrites: those
// whose request answered the status they expect, 200, with rows that
// differ from expected_result (or with no expected_result). Each file is
// returned once, with its new text.
func Updates(results []*Result) map[*File]map[*Case]string {
	out := map[*File]map[*Case]string{}
	for _, r := range results {
		tc := r.test
		if tc == nil || r.Kind != KindRequest || r.Status != StatusOK || tc.ExpectedStatus != StatusOK || r.actual == nil {
			continue
		}
		if tc.HasExpected {
			if expected, err := ParseNDJSON(tc.ExpectedResult); err == nil && rowsEqual(expected, r.actual) {
				continue
			}
		}
		if out[r.file] == nil {
			out[r.file] = map[*Case]string{}
		}
		out[r.file][tc] = EncodeNDJSON(r.actual)
	}
	return out
}

// Update rewrites expected_result from the actual rows of every test that
// Updates selects and writes the files under root; it returns the names
// of the tests updated (pipe.test). An updated test's result no longer
// fails for its rows (it is marked Updated); its other failures stay.
func Update(root string, results []*Result) ([]string, error) {
	updates := Updates(results)
	var names []string
	for _, f := range sortedKeys(updates) {
		src, err := f.Rewrite(updates[f])
		if err != nil {
			return names, err
		}
		if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(f.Path)), src, 0o644); err != nil {
			return names, fmt.Errorf("update %s: %w", f.Path, err)
		}
		for _, tc := range f.Cases {
			if _, ok := updates[f][tc]; ok {
				names = append(names, f.FullName(tc))
			}
		}
	}
	for _, r := range results {
		if r.test != nil && updates[r.file] != nil {
			if _, ok := updates[r.file][r.test]; ok {
				r.markUpdated()
			}
		}
	}
	return names, nil
}

// markUpdated drops the failure of rows that differ, now rewritten.
func (r *Result) markUpdated() {
	r.Updated = true
	kept := r.Failures[:0]
	for _, f := range r.Failures {
		if !strings.HasPrefix(f, rowsDiffer) {
			kept = append(kept, f)
		}
	}
	r.Failures, r.Diff = kept, nil
	r.Passed = len(r.Failures) == 0
}

func sortedKeys(m map[*File]map[*Case]string) []*File {
	files := make(map[string]*File, len(m))
	for f := range m {
		files[f.Path] = f
	}
	return sortedFiles(files)
}

// Rewrite returns the file's text with the expected_result of each case
// in results replaced by its NDJSON (or added after the case's last key),
// as a literal block. Only those lines change: every other byte of the
// file (comments, order, quoting, spacing) stays as written. The result is
// parsed again to prove it holds the new expectations.
func (f *File) Rewrite(results map[*Case]string) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(f.src, &doc); err != nil || len(doc.Content) == 0 {
		return nil, fmt.Errorf("update %s: %v", f.Path, err)
	}
	lines := splitLines(f.src)
	items := doc.Content[0].Content
	// Splice from the last case up, so earlier line numbers stay valid.
	for i := len(f.Cases) - 1; i >= 0; i-- {
		tc := f.Cases[i]
		text, ok := results[tc]
		if !ok {
			continue
		}
		item := items[tc.index]
		if item.Style&yaml.FlowStyle != 0 {
			return nil, fmt.Errorf("%s: test %s is written in flow style ({...}): write it as a block mapping to --update it", tc.Pos, tc.Name)
		}
		var err error
		if lines, err = spliceExpected(lines, item, text); err != nil {
			return nil, fmt.Errorf("%s: update test %s: %w", tc.Pos, tc.Name, err)
		}
	}
	out := []byte(strings.Join(lines, ""))
	check, err := ParseFile(f.Path, out)
	if err != nil {
		return nil, fmt.Errorf("update %s: the rewritten file does not parse: %w", f.Path, err)
	}
	for _, tc := range f.Cases {
		want, ok := results[tc]
		got := check.Cases[tc.index]
		if !ok {
			want = tc.ExpectedResult
		}
		if got.Name != tc.Name || got.ExpectedResult != want {
			return nil, fmt.Errorf("update %s: test %s does not read back as written", f.Path, tc.Name)
		}
	}
	return out, nil
}

// splitLines splits text into lines that keep their line ends; a last
// line without one gets one.
func splitLines(src []byte) []string {
	var out []string
	for len(src) > 0 {
		i := bytes.IndexByte(src, '\n')
		if i < 0 {
			out = append(out, string(src)+"\n")
			break
		}
		out = append(out, string(src[:i+1]))
		src = src[i+1:]
	}
	return out
}

// spliceExpected replaces the lines of item's expected_result (the key
// and its value) with the new block, or inserts the block after the
// item's last key. A value's lines are the key's line and every
// following line indented deeper than the key, or blank: YAML's rule for
// what belongs to a block mapping's value.
func spliceExpected(lines []string, item *yaml.Node, ndjson string) ([]string, error) {
	if len(item.Content) < 2 {
		return nil, fmt.Errorf("the test has no keys")
	}
	keyIndent := item.Content[0].Column - 1
	block := expectedBlock(keyIndent, ndjson)
	for i := 0; i+1 < len(item.Content); i += 2 {
		k := item.Content[i]
		if k.Value != "expected_result" {
			continue
		}
		start := k.Line - 1
		if start >= len(lines) || !strings.HasPrefix(strings.TrimLeft(lines[start], " -"), "expected_result") {
			return nil, fmt.Errorf("expected_result is not at the start of line %d", k.Line)
		}
		prefix := lines[start][:k.Column-1] // the "- " of a key that opens the item
		end := valueEnd(lines, start, keyIndent)
		block[0] = prefix + strings.TrimLeft(block[0], " ")
		return append(append(append([]string{}, lines[:start]...), block...), lines[end:]...), nil
	}
	// No expected_result: add it after the last key's value.
	last := item.Content[len(item.Content)-2]
	end := valueEnd(lines, last.Line-1, keyIndent)
	return append(append(append([]string{}, lines[:end]...), block...), lines[end:]...), nil
}

// valueEnd is the index of the first line after the value whose key is on
// line start: the first later line that is not blank and not indented
// deeper than the key. Trailing blank lines are left outside the value.
func valueEnd(lines []string, start, keyIndent int) int {
	end := start + 1
	for i := start + 1; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], "\r\n")
		if strings.TrimSpace(l) == "" {
			continue
		}
		if indentOf(l) <= keyIndent {
			break
		}
		end = i + 1
	}
	return end
}

func indentOf(line string) int { return len(line) - len(strings.TrimLeft(line, " ")) }

// expectedBlock is the expected_result key with the rows as a literal
// block (|), or ” for no rows.
func expectedBlock(indent int, ndjson string) []string {
	pad := strings.Repeat(" ", indent)
	if ndjson == "" {
		return []string{pad + "expected_result: ''\n"}
	}
	out := []string{pad + "expected_result: |\n"}
	for _, row := range strings.Split(strings.TrimSuffix(ndjson, "\n"), "\n") {
		out = append(out, pad+"  "+row+"\n")
	}
	return out
}
