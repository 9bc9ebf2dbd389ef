package component

import (
	"sort"
	"strings"
	"unicode"
)

// Completion is a name the editor can complete to, with its kind
// (column, parameter, node, table, function) and where it comes from.
type Completion struct {
	Text, Kind, Detail string
}

// completion kinds, best first.
var kindRank = map[string]int{"column": 0, "parameter": 1, "node": 2, "table": 3, "function": 5}

type entry struct {
	lower string
	c     Completion
	rank  int
}

// Completer finds the names that complete a word: tables and their
// columns, nodes, parameters and functions. It is built once (per project
// and snapshot) and answers a keystroke with a binary search.
type Completer struct {
	entries []entry // by lower, then rank
	// tables are the column names by lower-cased table name.
	tables map[string][]string
	names  map[string]string // lower-cased table name -> its name
}

// NewCompleter indexes words (nodes, parameters, functions) and tables
// with their columns; every column is also a word of its own.
func NewCompleter(words []Completion, tables map[string][]string) *Completer {
	c := &Completer{tables: map[string][]string{}, names: map[string]string{}}
	seen := map[string]bool{}
	add := func(x Completion, rank int) {
		key := x.Kind + "\x00" + x.Text
		if seen[key] || x.Text == "" {
			return
		}
		seen[key] = true
		c.entries = append(c.entries, entry{strings.ToLower(x.Text), x, rank})
	}
	for _, w := range words {
		add(w, kindRank[w.Kind])
	}
	for t, cols := range tables {
		lt := strings.ToLower(t)
		c.tables[lt], c.names[lt] = cols, t
		add(Completion{Text: t, Kind: "table"}, kindRank["table"])
		for _, col := range cols {
			add(Completion{Text: col, Kind: "column"}, 4) // below the columns of the tables the query reads
		}
	}
	sort.Slice(c.entries, func(i, j int) bool {
		a, b := c.entries[i], c.entries[j]
		if a.lower != b.lower {
			return a.lower < b.lower
		}
		return a.rank < b.rank
	})
	return c
}

// Word is the name being typed before column col of line: identifier
// characters, with one dot for table.column.
func Word(line string, col int) string {
	r := []rune(line)
	col = min(max(0, col), len(r))
	i := col
	for i > 0 && (isIdent(r[i-1]) || r[i-1] == '.') {
		i--
	}
	return string(r[i:col])
}

func isIdent(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// Complete returns at most n names completing word (case-insensitive
// prefix, the word itself left out), best first: columns of the tables
// text mentions, parameters, nodes, tables, other columns, functions;
// shorter first within a kind. After "table." only that table's columns.
func (c *Completer) Complete(word, text string, n int) []Completion {
	if c == nil || n <= 0 {
		return nil
	}
	if t, prefix, ok := strings.Cut(word, "."); ok {
		var out []Completion
		lp := strings.ToLower(prefix)
		for _, col := range c.tables[strings.ToLower(t)] {
			if l := strings.ToLower(col); strings.HasPrefix(l, lp) && l != lp {
				out = append(out, Completion{Text: col, Kind: "column", Detail: c.names[strings.ToLower(t)]})
			}
		}
		sortCompletions(out)
		return out[:min(n, len(out))]
	}
	lw := strings.ToLower(word)
	type scored struct {
		c    Completion
		rank int
	}
	var found []scored
	seen := map[string]bool{}
	// the columns of the tables the query mentions come first
	for _, t := range c.mentioned(text) {
		for _, col := range c.tables[t] {
			if l := strings.ToLower(col); strings.HasPrefix(l, lw) && l != lw && !seen[col] {
				seen[col] = true
				found = append(found, scored{Completion{Text: col, Kind: "column", Detail: c.names[t]}, 0})
			}
		}
	}
	i := sort.Search(len(c.entries), func(i int) bool { return c.entries[i].lower >= lw })
	for ; i < len(c.entries) && strings.HasPrefix(c.entries[i].lower, lw); i++ {
		e := c.entries[i]
		if e.lower == lw || (e.c.Kind == "column" && seen[e.c.Text]) {
			continue
		}
		found = append(found, scored{e.c, e.rank})
	}
	sort.SliceStable(found, func(i, j int) bool {
		a, b := found[i], found[j]
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		if len(a.c.Text) != len(b.c.Text) {
			return len(a.c.Text) < len(b.c.Text)
		}
		return a.c.Text < b.c.Text
	})
	out := make([]Completion, 0, min(n, len(found)))
	for _, f := range found[:min(n, len(found))] {
		out = append(out, f.c)
	}
	return out
}

// mentioned are the tables whose names appear as words in text (lower-cased).
func (c *Completer) mentioned(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !isIdent(r) }) {
		l := strings.ToLower(w)
		if _, ok := c.tables[l]; ok && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

func sortCompletions(cs []Completion) {
	sort.SliceStable(cs, func(i, j int) bool {
		if len(cs[i].Text) != len(cs[j].Text) {
			return len(cs[i].Text) < len(cs[j].Text)
		}
		return cs[i].Text < cs[j].Text
	})
}
