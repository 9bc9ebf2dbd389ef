package highlight

import (
	"strings"
	"sync"

	"charm.land/lipgloss/v2"
	"github.com/alecthomas/chroma/v2"

	"github.com/perchdata/perch/tui/theme"
)

// Lang names a language the Highlighter knows.
type Lang int

// The languages perch highlights.
const (
	Plain Lang = iota
	SQL        // ClickHouse SQL with template regions
	File       // a datafile
)

// maxCacheEntries bounds the cache; it is cleared when full.
const maxCacheEntries = 512

type cacheKey struct {
	lang  Lang
	theme string
	text  string
}

// Highlighter turns text into styled lines, caching the result by
// (language, theme, text). It is safe for concurrent use.
type Highlighter struct {
	mu    sync.Mutex
	cache map[cacheKey][]string
}

// New returns an empty Highlighter.
func New() *Highlighter {
	return &Highlighter{cache: map[cacheKey][]string{}}
}

// Lines returns text split into lines, each coloured with t's token styles.
// The returned slice is shared with the cache: do not modify it.
func (h *Highlighter) Lines(t *theme.Theme, lang Lang, text string) []string {
	k := cacheKey{lang, t.Name, text}
	h.mu.Lock()
	if l, ok := h.cache[k]; ok {
		h.mu.Unlock()
		return l
	}
	h.mu.Unlock()
	lines := render(t, lang, text)
	h.mu.Lock()
	if len(h.cache) >= maxCacheEntries {
		clear(h.cache)
	}
	h.cache[k] = lines
	h.mu.Unlock()
	return lines
}

// Tokens lexes text in lang; it is exported for tests and tools.
func Tokens(lang Lang, text string) ([]chroma.Token, error) {
	var lx chroma.Lexer
	switch lang {
	case SQL:
		lx = ClickHouse
	case File:
		lx = Datafile
	default:
		return []chroma.Token{{Type: chroma.Text, Value: text}}, nil
	}
	it, err := lx.Tokenise(nil, text)
	if err != nil {
		return nil, err
	}
	return it.Tokens(), nil
}

func render(t *theme.Theme, lang Lang, text string) []string {
	text = strings.ReplaceAll(text, "\t", "    ")
	toks, err := Tokens(lang, text)
	if err != nil || lang == Plain {
		return strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	}
	var lines []string
	var cur strings.Builder
	for _, tok := range toks {
		st, styled := styleOf(t, tok.Type)
		parts := strings.Split(tok.Value, "\n")
		for i, p := range parts {
			if i > 0 {
				lines = append(lines, cur.String())
				cur.Reset()
			}
			if p == "" {
				continue
			}
			if styled {
				cur.WriteString(st.Render(p))
			} else {
				cur.WriteString(t.Text.Render(p))
			}
		}
	}
	if cur.Len() > 0 || !strings.HasSuffix(text, "\n") {
		lines = append(lines, cur.String())
	}
	return lines
}

// styleOf maps a chroma token type to a theme style.
func styleOf(t *theme.Theme, tt chroma.TokenType) (lipgloss.Style, bool) {
	switch {
	case tt == chroma.CommentPreproc:
		return t.Template, true
	case tt == chroma.NameTag:
		return t.Directive, true
	case tt == chroma.NameVariable:
		return t.Text, true
	case tt == chroma.NameFunction:
		return t.Function, true
	case tt == chroma.NameBuiltin:
		return t.Builtin, true
	case tt == chroma.NameAttribute:
		return t.Accent, true
	case tt.InCategory(chroma.Keyword):
		return t.Keyword, true
	case tt.InCategory(chroma.Comment):
		return t.Comment, true
	case tt.InSubCategory(chroma.LiteralString):
		return t.String, true
	case tt.InSubCategory(chroma.LiteralNumber):
		return t.Number, true
	case tt.InCategory(chroma.Operator):
		return t.Operator, true
	}
	return lipgloss.Style{}, false
}
