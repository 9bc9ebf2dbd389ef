package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseInterspersed(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantPos    []string
		wantJSON   bool
		wantParams []string
	}{
		{"flags after", []string{"dir", "--json"}, []string{"dir"}, true, nil},
		{"flags before", []string{"--json", "dir"}, []string{"dir"}, true, nil},
		{"mixed", []string{"dir", "--param", "a=1", "pipe.node", "--param=b=2"}, []string{"dir", "pipe.node"}, false, []string{"a=1", "b=2"}},
		{"double dash", []string{"--json", "--", "--odd"}, []string{"--odd"}, true, nil},
		{"none", nil, nil, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFlagSet("test", nil)
			j := fs.Bool("json", false, "")
			var params multiFlag
			fs.Var(&params, "param", "")
			pos, err := parseInterspersed(fs, tt.args)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(pos, tt.wantPos) {
				t.Errorf("positionals = %q, want %q", pos, tt.wantPos)
			}
			if *j != tt.wantJSON {
				t.Errorf("json = %v, want %v", *j, tt.wantJSON)
			}
			if !reflect.DeepEqual([]string(params), tt.wantParams) {
				t.Errorf("params = %q, want %q", params, tt.wantParams)
			}
		})
	}
}

func TestParseParams(t *testing.T) {
	got, err := parseParams([]string{"a=1", "b=x=y"})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"a": "1", "b": "x=y"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if _, err := parseParams([]string{"nope"}); err == nil {
		t.Error("want an error for a param without =")
	}
}

func TestParseDirArgs(t *testing.T) {
	tests := []struct {
		args    []string
		wantDir string
		wantOK  bool
	}{
		{nil, ".", true},
		{[]string{"proj"}, "proj", true},
		{[]string{"--json", "proj"}, "proj", true},
		{[]string{"a", "b"}, "", false},
		{[]string{"--nope"}, "", false},
	}
	for _, tt := range tests {
		var stderr strings.Builder
		fs := newFlagSet("x", &stderr)
		fs.Bool("json", false, "")
		dir, err := parseDirArgs(fs, tt.args, "perch x [DIR]")
		e := &env{stderr: &stderr}
		code := report(e, "x", err)
		if ok := err == nil; dir != tt.wantDir || ok != tt.wantOK {
			t.Errorf("parseDirArgs(%q) = %q, %v; want %q, %v", tt.args, dir, err, tt.wantDir, tt.wantOK)
		}
		if err != nil && (stderr.Len() == 0 || code != exitError) {
			t.Errorf("parseDirArgs(%q): a usage error must say something and exit 1 (exit %d, %q)", tt.args, code, stderr.String())
		}
	}
}
