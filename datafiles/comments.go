package datafiles

import (
	"strings"
)

// # comment lines are not part of the model (the format drops them, even
// inside blocks), but a user who runs `perch fmt` wants to keep them. This
// file carries them across formatting: each comment is attached to the
// directive it precedes (or to the block it sits in) and written again just
// before the same directive of the canonical text. A comment block at the
// top of the file followed by a blank line stays at the top, and so do the
// comments right above the first directive when the canonical order moves
// that directive down (a pipe's TOKEN goes after its DESCRIPTION): a
// comment at the top of a file stays at the top. Comments after the last
// directive stay at the end.

// fileComments are the # comments of one file, by where they belong.
type fileComments struct {
	header   []string
	byDir    map[dirKey][]string
	trailing []string
	// first is the first directive of the file.
	first dirKey
}

// dirKey names the n-th occurrence of a directive in a file.
type dirKey struct {
	name string
	n    int
}

// directiveAliases maps directives the formatter writes under another name.
var directiveAliases = map[string]string{
	"ENGINE_SUMMING_COLUMNS": "ENGINE_COLUMNS",
	"MODE":                   "COPY_MODE",
	"INDICES":                "INDEXES",
}

func canonicalDirective(name string) string {
	if a, ok := directiveAliases[name]; ok {
		return a
	}
	return name
}

// isCommentLine reports whether a line is a # comment (and not blank).
func isCommentLine(text string) bool {
	return strings.HasPrefix(strings.TrimLeft(text, " \t"), "#")
}

// collectComments attaches the # comment lines of src to the directives of
// the file (parsed without includes).
func collectComments(k Kind, file, src string) fileComments {
	lines := splitLines(file, src)
	c := &parseCtx{kind: k}
	stmts := c.statements(lines)

	fc := fileComments{byDir: map[dirKey][]string{}}
	type span struct{ first, last int }
	spans := make([]span, len(stmts))
	keys := make([]dirKey, len(stmts))
	seen := map[string]int{}
	for i, s := range stmts {
		last := s.Pos.Line
		if n := len(s.Block); n > 0 {
			last = s.Block[n-1].Num
		}
		spans[i] = span{s.Pos.Line, last}
		name := canonicalDirective(s.Dir)
		keys[i] = dirKey{name, seen[name]}
		seen[name]++
	}
	if len(stmts) > 0 {
		fc.first = keys[0]
	}
	// The header is the comments above the last blank line before the
	// first directive.
	firstLine := len(lines) + 1
	if len(stmts) > 0 {
		firstLine = stmts[0].Pos.Line
	}
	headerEnd := 0
	for _, l := range lines {
		if l.Num >= firstLine {
			break
		}
		if strings.TrimSpace(l.Text) == "" {
			headerEnd = l.Num
		}
	}
	si := 0
	for _, l := range lines {
		if !isCommentLine(l.Text) {
			continue
		}
		text := strings.TrimSpace(l.Text)
		for si < len(stmts) && spans[si].last < l.Num {
			si++
		}
		switch {
		case l.Num < headerEnd:
			fc.header = append(fc.header, text)
		case si < len(stmts):
			// inside the block of stmts[si], or above that directive
			fc.byDir[keys[si]] = append(fc.byDir[keys[si]], text)
		default:
			fc.trailing = append(fc.trailing, text)
		}
	}
	return fc
}

// empty reports whether there are no comments.
func (fc fileComments) empty() bool {
	return len(fc.header) == 0 && len(fc.byDir) == 0 && len(fc.trailing) == 0
}

// insert writes the comments into canonical text: before the same
// directive occurrence (or the last occurrence of that directive when the
// canonical text has fewer), header first, the rest at the end.
func (fc fileComments) insert(text string) string {
	if fc.empty() {
		return text
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	positions := map[string][]int{}
	firstWord := ""
	for i, l := range lines {
		if l == "" || l[0] == ' ' || l[0] == '\t' {
			continue
		}
		word, _, _ := strings.Cut(l, " ")
		positions[word] = append(positions[word], i)
		if firstWord == "" {
			firstWord = word
		}
	}
	var top []string
	if firstWord != fc.first.name {
		// The first directive moved down: its comments were the top of
		// the file and stay there.
		top = fc.byDir[fc.first]
	}
	before := map[int][]string{}
	var unplaced []string
	for _, key := range sortedDirKeys(fc.byDir) {
		if len(top) > 0 && key == fc.first {
			continue
		}
		occ := positions[key.name]
		if len(occ) == 0 {
			unplaced = append(unplaced, fc.byDir[key]...)
			continue
		}
		i := occ[min(key.n, len(occ)-1)]
		before[i] = append(before[i], fc.byDir[key]...)
	}
	var b strings.Builder
	if len(fc.header) > 0 {
		b.WriteString(strings.Join(fc.header, "\n") + "\n\n")
	}
	for _, c := range top {
		b.WriteString(c + "\n")
	}
	for i, l := range lines {
		for _, c := range before[i] {
			b.WriteString(c + "\n")
		}
		b.WriteString(l + "\n")
	}
	if tail := append(unplaced, fc.trailing...); len(tail) > 0 {
		b.WriteString("\n" + strings.Join(tail, "\n") + "\n")
	}
	return b.String()
}

// sortedDirKeys orders keys by name then occurrence, for a stable output.
func sortedDirKeys(m map[dirKey][]string) []dirKey {
	keys := make([]dirKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && (keys[j].name < keys[j-1].name || keys[j].name == keys[j-1].name && keys[j].n < keys[j-1].n); j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}
