package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/perchdata/perch/tui/component"
	"github.com/perchdata/perch/tui/keys"
)

// menuSize is how many completions the editor's menu shows.
const menuSize = 8

// autoComplete is how many characters of a name open the menu by themselves.
const autoComplete = 2

// editorHelp is the state of the built-in editor's help: completions from
// the snapshot, the project and system.functions, and the node's queries.
type editorHelp struct {
	vocab *Vocabulary
	// vocabGen is the project load and snapshot the vocabulary is of.
	vocabGen [2]int
	comp     *component.Completer
	// compFor is the node the completer was built for.
	compFor string

	menu    []component.Completion
	menuSel int
	word    string

	// queries are the node's past queries, oldest first; at is the one
	// shown (len: the text being edited, kept in draft).
	queries []string
	at      int
	draft   string
}

// vocabMsg is the vocabulary from the backend.
type vocabMsg struct {
	v   *Vocabulary
	err error
}

// queriesMsg is a node's query history from the backend.
type queriesMsg struct {
	target  string
	queries []string
}

// startEditing focuses the editor and loads what helps it: the
// vocabulary (when the project or the snapshot changed) and the node's
// query history.
func (v *previewView) startEditing() tea.Cmd {
	v.editing = true
	cmds := []tea.Cmd{v.editor.Focus()}
	if gen := [2]int{v.localGen, v.remoteGen}; v.help.vocab == nil || v.help.vocabGen != gen {
		v.help.vocabGen = gen
		id := v.ask(paneVocab)
		b, ctx := v.backend, v.ctx
		cmds = append(cmds, run(paneVocab, id, func() tea.Msg {
			voc, err := b.Vocabulary(ctx)
			return vocabMsg{voc, err}
		}))
	}
	id := v.ask(paneQueries)
	b, ctx, target := v.backend, v.ctx, v.target()
	cmds = append(cmds, run(paneQueries, id, func() tea.Msg {
		qs, _ := b.Queries(ctx, target) // no history is no error worth a word
		return queriesMsg{target, qs}
	}))
	return tea.Batch(cmds...)
}

// completer is the index of names for the node on screen, built again
// when the node or the vocabulary changed.
func (v *previewView) completer() *component.Completer {
	key := fmt.Sprintf("%s\x00%p\x00%d", v.target(), v.help.vocab, v.localGen)
	if v.help.comp != nil && v.help.compFor == key {
		return v.help.comp
	}
	var words []component.Completion
	tables := map[string][]string{}
	if voc := v.help.vocab; voc != nil {
		for t, cols := range voc.Tables {
			tables[t] = cols
		}
		for _, f := range voc.Functions {
			words = append(words, component.Completion{Text: f, Kind: "function"})
		}
	}
	if v.local != nil {
		for _, r := range v.local.Resources {
			if _, ok := tables[r.Name]; !ok && (r.Kind == "datasource" || len(r.Nodes) > 0) {
				tables[r.Name] = nil
			}
		}
		if r := v.local.Resource(v.pipe); r != nil {
			for _, n := range r.Nodes {
				if n != v.node {
					words = append(words, component.Completion{Text: n, Kind: "node", Detail: r.Name})
				}
			}
		}
	}
	for _, p := range v.params {
		words = append(words, component.Completion{Text: p.Name, Kind: "parameter", Detail: p.Type})
	}
	v.help.comp, v.help.compFor = component.NewCompleter(words, tables), key
	return v.help.comp
}

// currentWord is the name being typed at the editor's cursor.
func (v *previewView) currentWord() string {
	lines := strings.Split(v.editor.Value(), "\n")
	row := v.editor.Line()
	if row < 0 || row >= len(lines) {
		return ""
	}
	return component.Word(lines[row], v.editor.Column())
}

// completing reports whether the completion menu is open.
func (v *previewView) completing() bool { return v.editing && len(v.help.menu) > 0 }

// suggest opens (or narrows, or closes) the menu for the word at the
// cursor; with force (tab) a single completion is inserted at once and a
// one-letter word is enough.
func (v *previewView) suggest(force bool) tea.Cmd {
	word := v.currentWord()
	short := len([]rune(word)) < autoComplete && !strings.Contains(word, ".")
	if word == "" && !force || short && !force && len(v.help.menu) == 0 {
		v.closeMenu()
		return nil
	}
	v.help.word = word
	v.help.menu = v.completer().Complete(word, v.editor.Value(), menuSize)
	v.help.menuSel = 0
	if force && len(v.help.menu) == 1 {
		return v.accept()
	}
	if force && len(v.help.menu) == 0 {
		return emit(noticeMsg{fmt.Sprintf("nothing completes %q", word)})
	}
	return nil
}

func (v *previewView) closeMenu() { v.help.menu, v.help.menuSel, v.help.word = nil, 0, "" }

// accept replaces the word at the cursor (after its dot) with the selected completion.
func (v *previewView) accept() tea.Cmd {
	if len(v.help.menu) == 0 {
		return nil
	}
	c := v.help.menu[v.help.menuSel]
	word := v.help.word
	if i := strings.LastIndexByte(word, '.'); i >= 0 {
		word = word[i+1:]
	}
	for range []rune(word) {
		v.editor, _ = v.editor.Update(tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	v.editor.InsertString(c.Text)
	v.closeMenu()
	return v.edit()
}

// addEditorActions adds the handlers of the editor and its menu.
func (v *previewView) addEditorActions() {
	v.acts[keys.EditorComplete] = func() tea.Cmd { return v.suggest(true) }
	v.acts[keys.CompleteAccept] = v.accept
	v.acts[keys.CompletePrev] = func() tea.Cmd {
		v.help.menuSel = (v.help.menuSel + len(v.help.menu) - 1) % len(v.help.menu)
		return nil
	}
	v.acts[keys.CompleteNext] = func() tea.Cmd {
		v.help.menuSel = (v.help.menuSel + 1) % len(v.help.menu)
		return nil
	}
	v.acts[keys.CompleteClose] = func() tea.Cmd { v.closeMenu(); return nil }
	v.acts[keys.EditorHistoryPrev] = func() tea.Cmd { return v.recall(-1) }
	v.acts[keys.EditorHistoryNext] = func() tea.Cmd { return v.recall(1) }
}

// recall shows the node's query d steps older (d < 0) or newer; past the
// newest it is the text that was being edited.
func (v *previewView) recall(d int) tea.Cmd {
	h := &v.help
	if len(h.queries) == 0 {
		return emit(noticeMsg{"no earlier queries of " + v.target() + " (each run of edited SQL is kept)"})
	}
	if h.at == len(h.queries) {
		h.draft = v.editor.Value()
	}
	at := min(max(0, h.at+d), len(h.queries))
	if at == h.at {
		return nil
	}
	h.at = at
	text := h.draft
	if at < len(h.queries) {
		text = h.queries[at]
	}
	v.editor.SetValue(text)
	v.closeMenu()
	return tea.Batch(v.edit(), emit(noticeMsg{fmt.Sprintf("query %d of %d of %s · ctrl+down newer", at+1, len(h.queries), v.target())}))
}

// remember adds the SQL about to run to the node's history when it was
// edited, explicitly run (not a debounced keystroke).
func (v *previewView) remember() tea.Cmd {
	if !v.edited || strings.TrimSpace(v.sql) == "" {
		return nil
	}
	h := &v.help
	if n := len(h.queries); n == 0 || h.queries[n-1] != v.sql {
		h.queries = append(h.queries, v.sql)
	}
	h.at = len(h.queries)
	b, ctx, target, sql := v.backend, v.ctx, v.target(), v.sql
	return func() tea.Msg {
		if err := b.AddQuery(ctx, target, sql); err != nil {
			return noticeMsg{"query history: " + oneLine(err.Error())}
		}
		return nil
	}
}

// onEditorReply takes the vocabulary and the history.
func (v *previewView) onEditorReply(msg tea.Msg) {
	switch r := msg.(type) {
	case vocabMsg:
		if r.err == nil && r.v != nil {
			v.help.vocab = r.v
		}
	case queriesMsg:
		if r.target == v.target() {
			v.help.queries, v.help.at = r.queries, len(r.queries)
		}
	}
}

// menuBox is the completion menu and where it goes relative to the
// editor's top left corner: under the cursor's line, the typed word's
// start above its first letter (ok false when closed).
func (v *previewView) menuBox(w int) (box string, x, y int, ok bool) {
	if !v.completing() {
		return "", 0, 0, false
	}
	e := v.editor
	e.SetVirtualCursor(false)
	cur := e.Cursor()
	if cur == nil {
		return "", 0, 0, false
	}
	textW := 0
	for _, c := range v.help.menu {
		textW = max(textW, ansi.StringWidth(c.Text)+ansi.StringWidth(c.Kind)+3)
	}
	textW = min(textW, max(10, w-2))
	var lines []string
	for i, c := range v.help.menu {
		name := ansi.Truncate(c.Text, max(1, textW-ansi.StringWidth(c.Kind)-1), "…")
		pad := strings.Repeat(" ", max(1, textW-ansi.StringWidth(name)-ansi.StringWidth(c.Kind)))
		if i == v.help.menuSel {
			lines = append(lines, v.th.Selected.Render(" "+name+pad+c.Kind+" "))
		} else {
			lines = append(lines, v.th.Header.Render(" "+name+pad)+v.th.Header.Foreground(v.th.Palette.Muted).Render(c.Kind+" "))
		}
	}
	x = max(0, min(cur.Position.X-ansi.StringWidth(v.help.word), w-textW-2))
	return strings.Join(lines, "\n"), x, cur.Position.Y + 1, true
}
