package render

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/lineage"
)

// generated builds a project of n resources in dependency order: a quarter
// data sources, the rest pipes of two nodes reading one to three earlier
// resources; one pipe in five materializes into a data source of its own.
// It returns the project and a RefFinder answering from the generated refs.
func generated(n int) (*datafiles.Project, lineage.RefFinder) {
	rng := rand.New(rand.NewSource(42))
	p := datafiles.NewProject("gen")
	refs := map[*datafiles.Node][]lineage.Ref{}
	var names []string
	for len(names) < n {
		i := len(names)
		if i < 20 || rng.Intn(4) == 0 {
			name := fmt.Sprintf("ds_%04d", i)
			p.Datasources[name] = &datafiles.Datasource{Name: name, File: name + ".datasource"}
			names = append(names, name)
			continue
		}
		name := fmt.Sprintf("pipe_%04d", i)
		first := &datafiles.Node{Name: "read", SQL: "SELECT ..."}
		last := &datafiles.Node{Name: "out", SQL: "SELECT * FROM read", Type: datafiles.NodeEndpoint}
		// read mostly from the recent past, so the graph is deep and wide
		for k := 0; k < 1+rng.Intn(3); k++ {
			j := len(names) - 1 - rng.Intn(min(len(names), 60))
			refs[first] = append(refs[first], lineage.Ref{Name: names[j], Line: 1})
		}
		refs[last] = []lineage.Ref{{Name: "read", Line: 1}}
		pipe := &datafiles.Pipe{Name: name, File: name + ".pipe", Nodes: []*datafiles.Node{first, last}}
		p.Pipes[name] = pipe
		names = append(names, name)
		if rng.Intn(5) == 0 && len(names) < n {
			last.Type, last.Datasource = datafiles.NodeMaterialized, fmt.Sprintf("ds_%04d", len(names))
			p.Datasources[last.Datasource] = &datafiles.Datasource{Name: last.Datasource, File: last.Datasource + ".datasource"}
			names = append(names, last.Datasource)
		}
	}
	finder := func(_ *datafiles.Project, _ *datafiles.Pipe, node *datafiles.Node) ([]lineage.Ref, error) {
		return refs[node], nil
	}
	return p, finder
}

func TestGeneratedGraphIsSound(t *testing.T) {
	p, finder := generated(2000)
	g := lineage.Build(p, lineage.Options{Refs: finder})
	if len(g.Nodes) != 2000 || len(g.Unresolved) > 0 || len(g.Diagnostics) > 0 {
		t.Fatalf("%d nodes, %d unresolved, %v", len(g.Nodes), len(g.Unresolved), g.Diagnostics)
	}
	if _, err := g.TopoOrder(); err != nil {
		t.Fatal(err)
	}
	s := New(g, Options{Mode: Layered})
	w, h := s.Size()
	t.Logf("2000 nodes, %d edges: %d×%d cells, %d crossings", len(g.Edges), w, h, s.res.Crossings)
	c := s.Draw(Viewport{X: w / 2, Y: h / 2, W: 200, H: 60}, State{})
	if c.String() == "" {
		t.Error("the middle of the drawing is empty")
	}
}

func BenchmarkBuild2000(b *testing.B) {
	p, finder := generated(2000)
	b.ReportAllocs()
	for b.Loop() {
		lineage.Build(p, lineage.Options{Refs: finder})
	}
}

func BenchmarkBuildAndLayout2000(b *testing.B) {
	p, finder := generated(2000)
	b.ReportAllocs()
	for b.Loop() {
		g := lineage.Build(p, lineage.Options{Refs: finder})
		New(g, Options{Mode: Layered})
	}
}

func BenchmarkDrawVisible2000(b *testing.B) {
	p, finder := generated(2000)
	g := lineage.Build(p, lineage.Options{Refs: finder})
	s := New(g, Options{Mode: Layered})
	w, h := s.Size()
	sel := g.Nodes[len(g.Nodes)/2].Name
	st := State{Selected: sel, Highlight: g.Impact(sel)}
	v := Viewport{X: w / 2, Y: h / 2, W: 200, H: 60}
	b.ReportAllocs()
	for b.Loop() {
		s.Draw(v, st)
	}
}

func BenchmarkTree2000(b *testing.B) {
	p, finder := generated(2000)
	g := lineage.Build(p, lineage.Options{Refs: finder})
	b.ReportAllocs()
	for b.Loop() {
		s := New(g, Options{Mode: Tree})
		s.Draw(Viewport{Y: 500, W: 120, H: 60}, State{})
	}
}
