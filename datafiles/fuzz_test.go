package datafiles

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// addCorpusSeeds adds every corpus file and golden input as a fuzz seed.
func addCorpusSeeds(f *testing.F, add func(name string, src []byte)) {
	var paths []string
	for _, dir := range corpusProjects(f) {
		_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if _, ok := KindOf(p); ok {
					paths = append(paths, p)
				}
			}
			return nil
		})
	}
	golden, _ := filepath.Glob("testdata/format/*.*")
	for _, p := range append(paths, golden...) {
		if strings.HasSuffix(p, ".golden") {
			continue
		}
		if src, err := os.ReadFile(p); err == nil {
			add(p, src)
		}
	}
}

func FuzzLexLine(f *testing.F) {
	for _, s := range []string{"", "NODE a", `X "a b" 'c d' e\ f # g`, `TAGS "a`, "a'b", `"a\"b"`, "\t# c", "SQL >"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.ContainsAny(s, "\n") {
			return
		}
		// An indented block line is classified without the lexer as the
		// lexer would: blank, or content that cannot look like a directive.
		indented := "    " + s
		itoks, ibad := lexLine(indented)
		switch indentedLine(indented, pipeDirectives) {
		case lineBlank:
			if len(itoks) != 0 {
				t.Fatalf("%q: blank, but the lexer finds %v", indented, itoks)
			}
		case lineContent:
			if len(itoks) == 0 {
				t.Fatalf("%q: content, but the lexer finds no token", indented)
			}
			if d := strings.ToUpper(itoks[0].Text); ibad == 0 && maybeDirective(itoks[0].Text) && (d == "NODE" || pipeDirectives.allows(d)) {
				t.Fatalf("%q: content, but its first token %q may be a directive", indented, itoks[0].Text)
			}
		}
		toks, bad := lexLine(s)
		if bad != 0 {
			if len(toks) != 1 || bad < 1 || bad > len(s) {
				t.Fatalf("unbalanced line %q: toks %v bad %d", s, toks, bad)
			}
			return
		}
		last := 0
		for _, tk := range toks {
			if tk.Col <= last || tk.Col-1+len(tk.Raw) > len(s) || s[tk.Col-1:tk.Col-1+len(tk.Raw)] != tk.Raw {
				t.Fatalf("line %q: token %+v does not match the line", s, tk)
			}
			last = tk.Col + len(tk.Raw) - 1
		}
	})
}

func FuzzParse(f *testing.F) {
	kinds := map[string]byte{".datasource": 0, ".pipe": 1, ".connection": 2}
	addCorpusSeeds(f, func(name string, src []byte) {
		f.Add(kinds[filepath.Ext(name)], src)
	})
	f.Fuzz(func(t *testing.T, kind byte, src []byte) {
		file := []string{"f.datasource", "f.pipe", "f.connection"}[int(kind)%3]
		_, diags := parseNoEnv(t, file, src)
		for _, d := range diags {
			if d.Pos.File == "" || d.Pos.Line < 1 || d.Message == "" {
				t.Fatalf("diagnostic without a position or message: %+v", d)
			}
		}
		if len(errorsOf(diags)) > 0 {
			return
		}
		checkRoundTrip(t, file, src)
		out, err := FormatFile(file, src)
		if err != nil {
			if err == ErrUsesInclude {
				return
			}
			t.Fatalf("FormatFile: %v", err)
		}
		again, err := FormatFile(file, []byte(out))
		if err != nil || again != out {
			t.Fatalf("FormatFile is not stable (%v):\n--- once\n%s\n--- twice\n%s", err, out, again)
		}
	})
}
