package lineage

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/name, rewriting it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func compared(t *testing.T) *Graph {
	local := Build(flappy(), Options{Refs: scanRefs})
	rp := flappy()
	delete(rp.Pipes, "export_daily")
	addDatasource(rp, "old_table")
	return Compare(local, Build(rp, Options{Refs: scanRefs}))
}

func TestExportGoldens(t *testing.T) {
	g := Build(flappy(), Options{Refs: scanRefs})
	tests := []struct {
		file  string
		graph *Graph
		write func(*bytes.Buffer, *Graph) error
	}{
		{"flappy.json", g, func(b *bytes.Buffer, g *Graph) error { return WriteJSON(b, g) }},
		{"flappy.dot", g, func(b *bytes.Buffer, g *Graph) error { return WriteDOT(b, g) }},
		{"flappy.mmd", g, func(b *bytes.Buffer, g *Graph) error { return WriteMermaid(b, g) }},
		{"compare.dot", compared(t), func(b *bytes.Buffer, g *Graph) error { return WriteDOT(b, g) }},
		{"compare.mmd", compared(t), func(b *bytes.Buffer, g *Graph) error { return WriteMermaid(b, g) }},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b, tt.graph); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.file, b.Bytes())
		})
	}
}

func TestJSONShape(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, Build(flappy(), Options{Refs: scanRefs})); err != nil {
		t.Fatal(err)
	}
	var doc map[string][]map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	keys := map[string][]string{"nodes": {"file", "kind", "name"}, "edges": {"from", "kind", "to"}, "unresolved": {"file", "line", "name"}}
	if len(doc) != len(keys) {
		t.Errorf("top-level keys %v", reflect.ValueOf(doc).MapKeys())
	}
	for list, want := range keys {
		if len(doc[list]) == 0 {
			t.Errorf("%s is empty", list)
		}
		for _, item := range doc[list] {
			var got []string
			for k := range item {
				got = append(got, k)
			}
			sortStrings(got)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s item keys %v, want %v", list, got, want)
			}
		}
	}
	kinds := map[string]bool{}
	for _, k := range Kinds() {
		kinds[string(k)] = true
	}
	for _, n := range doc["nodes"] {
		if !kinds[n["kind"].(string)] {
			t.Errorf("node kind %v not allowed", n["kind"])
		}
	}
	// An empty graph has empty lists, not null.
	b.Reset()
	empty, _ := NewGraph(nil, nil)
	if err := WriteJSON(&b, empty); err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"nodes\": [],\n  \"edges\": [],\n  \"unresolved\": []\n}\n"; b.String() != want {
		t.Errorf("empty graph JSON %q, want %q", b.String(), want)
	}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
