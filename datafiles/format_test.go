package datafiles

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// parseNoEnv parses a file as `perch fmt` does: no environment substitution.
func parseNoEnv(t testing.TB, file string, src []byte) (any, []Diagnostic) {
	t.Helper()
	return ParseFile(file, src, ParseOptions{Include: func(from, path string) (string, []byte, error) {
		return path, nil, nil
	}})
}

func TestFormatGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/format/*.*")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range inputs {
		if strings.HasSuffix(in, ".golden") {
			continue
		}
		t.Run(filepath.Base(in), func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			res, diags := parseNoEnv(t, in, src)
			if errs := errorsOf(diags); len(errs) > 0 {
				t.Fatalf("errors:\n%s", diagList(errs))
			}
			got := Format(res)
			golden := in + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("format(%s) =\n%s\nwant\n%s", in, got, want)
			}
			checkRoundTrip(t, in, src)
		})
	}
}

// checkRoundTrip asserts that format(parse(x)) parses back to an equal model
// and that formatting is stable: format(parse(format(x))) == format(x).
func checkRoundTrip(t testing.TB, file string, src []byte) {
	t.Helper()
	res, _ := parseNoEnv(t, file, src)
	once := Format(res)
	again, diags := parseNoEnv(t, file, []byte(once))
	if errs := errorsOf(diags); len(errs) > 0 {
		t.Errorf("%s: formatted text has errors:\n%s\n%s", file, diagList(errs), once)
	}
	if !Equal(res, again) {
		t.Errorf("%s: formatted text parses to a different model:\n%s", file, once)
	}
	if twice := Format(again); twice != once {
		t.Errorf("%s: format is not stable:\n--- once\n%s\n--- twice\n%s", file, once, twice)
	}
}

func TestFormatRoundTripCorpus(t *testing.T) {
	n := 0
	for _, dir := range corpusProjects(t) {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if k, ok := KindOf(path); !ok || k == KindInclude {
				return nil
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			n++
			checkRoundTrip(t, path, src)
			out, err := FormatFile(path, src)
			if err != nil {
				t.Errorf("FormatFile(%s): %v", path, err)
			}
			if again, err := FormatFile(path, []byte(out)); err != nil || again != out {
				t.Errorf("FormatFile(%s) is not stable: %v", path, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 60 {
		t.Errorf("round-tripped only %d corpus files", n)
	}
}

func TestFormatFileRefuses(t *testing.T) {
	if _, err := FormatFile("p.pipe", []byte("INCLUDE \"x.incl\"\nNODE n\nSQL >\n    SELECT 1\n")); err != ErrUsesInclude {
		t.Errorf("INCLUDE: err = %v, want ErrUsesInclude", err)
	}
	if _, err := FormatFile("p.pipe", []byte("NODE n\n")); err == nil || !strings.Contains(err.Error(), "has no SQL") {
		t.Errorf("broken file: err = %v", err)
	}
	if _, err := FormatFile("x.incl", nil); err == nil {
		t.Error(".incl: want an error")
	}
	out, err := FormatFile("k.datasource", []byte("SCHEMA >\n    `a` String\nKAFKA_TOPIC $TOPIC\n"))
	if err != nil || !strings.Contains(out, `KAFKA_TOPIC "$TOPIC"`) {
		t.Errorf("$VAR must be kept as written: %q %v", out, err)
	}
}

func TestFormatFileKeepsComments(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{
			name: "header, block and directive comments",
			src:  "\n# Data Source created from Pipe 'p'\n  # second line\n\nSCHEMA >\n    # about a\n    `a` String\n# the engine\nENGINE MergeTree\n# the end\n",
			want: "# Data Source created from Pipe 'p'\n# second line\n\n# about a\nSCHEMA >\n    `a` String\n\n# the engine\nENGINE \"MergeTree\"\n\n# the end\n",
		},
		{
			name: "comments follow their directive when the formatter reorders",
			src:  "CACHE 60\n# who reads\nTOKEN t READ\n# what it does\nDESCRIPTION >\n    d\n# first\nNODE a\nSQL >\n    SELECT 1\n# second\nNODE b\nSQL >\n    SELECT 2\n# published\nTYPE endpoint\n",
			want: "# what it does\nDESCRIPTION >\n    d\n\n# who reads\nTOKEN \"t\" READ\n\nCACHE 60\n\n# first\nNODE a\nSQL >\n    SELECT 1\n\n# second\nNODE b\nSQL >\n    SELECT 2\n\n# published\nTYPE endpoint\n",
		},
		{
			name: "a top comment stays on top when its directive moves down",
			src:  "# top_pages: an endpoint.\n# the query string supplies the parameters\nTOKEN \"dashboard\" READ\n\nDESCRIPTION >\n    Most visited pages.\n\nNODE a\nSQL >\n    SELECT 1\n",
			want: "# top_pages: an endpoint.\n# the query string supplies the parameters\nDESCRIPTION >\n    Most visited pages.\n\nTOKEN \"dashboard\" READ\n\nNODE a\nSQL >\n    SELECT 1\n",
		},
		{
			name: "a header block and a moved first directive's comment",
			src:  "# header\n\n# who reads\nTOKEN t READ\nDESCRIPTION >\n    d\nNODE a\nSQL >\n    SELECT 1\n",
			want: "# header\n\n# who reads\nDESCRIPTION >\n    d\n\nTOKEN \"t\" READ\n\nNODE a\nSQL >\n    SELECT 1\n",
		},
		{
			name: "comment right above the first directive is not a header",
			src:  "# about the schema\nSCHEMA >\n    `a` String\n",
			want: "# about the schema\nSCHEMA >\n    `a` String\n\nENGINE \"MergeTree\"\n",
		},
		{
			name: "aliases and duplicates",
			src:  "NODE a\nSQL >\n    SELECT 1\nTYPE copy\nTARGET_DATASOURCE t\n# how\nMODE append\n# once\nMODE replace\n",
			want: "NODE a\nSQL >\n    SELECT 1\n\nTYPE copy\nTARGET_DATASOURCE t\n# how\n# once\nCOPY_MODE replace\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := "d.datasource"
			if strings.Contains(tt.src, "NODE") {
				file = "p.pipe"
			}
			out, err := FormatFile(file, []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if out != tt.want {
				t.Errorf("out =\n%s\nwant\n%s", out, tt.want)
			}
			if again, err := FormatFile(file, []byte(out)); err != nil || again != out {
				t.Errorf("not stable:\n%s\n%v", again, err)
			}
		})
	}
}

func TestQuoteValue(t *testing.T) {
	tests := []struct{ in, want string }{
		{"MergeTree", `"MergeTree"`},
		{"a, b", `"a, b"`},
		{`say "hi"`, `'say "hi"'`},
		{`{{ tb_secret("K", 'd') }}`, `{{ tb_secret("K", 'd') }}`},
		{`{{ tb_secret("K") }}`, `'{{ tb_secret("K") }}'`},
		{"", `""`},
		{"toDate('x')", `"toDate('x')"`},
	}
	for _, tt := range tests {
		got, ok := quoteValue(tt.in)
		if got != tt.want || !ok {
			t.Errorf("quoteValue(%q) = %s %v, want %s", tt.in, got, ok, tt.want)
		}
		if !readsBack(got, tt.in) {
			t.Errorf("quoteValue(%q) does not read back", tt.in)
		}
	}
	if _, ok := quoteValue(`a"b'c`); ok {
		t.Errorf("a value with both quotes unbalanced cannot be one line")
	}
	// ...so it is printed as a block, which reads back.
	checkRoundTrip(t, "d.datasource", []byte("SCHEMA >\n    `a` String\nKAFKA_KEY >\n    a\"b'c\nENGINE_TTL >\n    \"'\"\n"))
}

func TestFormatEscapes(t *testing.T) {
	tests := []struct{ file, src string }{
		{"d.datasource", "TOKEN \"a\\\"b'c\" READ\nTOKEN 'x y' 'b c'\nSCHEMA >\n    `a` String\nINDEXES >\n    `my idx` a TYPE set(1)\n"},
		{"d.datasource", "TOKEN \"a\\\\b\" APPEND\nSCHEMA >\n    `a` String `json:$.a``b`\n"},
		{"d.datasource", "SCHEMA >\n    `a` String\nENGINE_TTL a\\\nKAFKA_KEY 'x\"y'\n"},
	}
	for _, tt := range tests {
		res, diags := parseNoEnv(t, tt.file, []byte(tt.src))
		if errs := errorsOf(diags); len(errs) > 0 {
			t.Fatalf("%q: %v", tt.src, errs)
		}
		if res.(*Datasource).Tokens != nil && res.(*Datasource).Tokens[0].Name == "" {
			t.Fatal("token lost")
		}
		checkRoundTrip(t, tt.file, []byte(tt.src))
	}
}

// TestFormatFileGolden formats the files of testdata/fmtfile as `perch
// fmt` does (comments kept) and compares with the .golden files (go test
// -update rewrites them); the output must be stable.
func TestFormatFileGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/fmtfile/*.*")
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) == 0 {
		t.Fatal("no inputs")
	}
	for _, in := range inputs {
		if strings.HasSuffix(in, ".golden") {
			continue
		}
		t.Run(filepath.Base(in), func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := FormatFile(filepath.Base(in), src)
			if err != nil {
				t.Fatal(err)
			}
			golden := in + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("FormatFile(%s) =\n%s\nwant\n%s", in, got, want)
			}
			if again, err := FormatFile(filepath.Base(in), []byte(got)); err != nil || again != got {
				t.Errorf("not stable:\n%s\n%v", again, err)
			}
		})
	}
}
