package render

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/lineage"
)

// tiered builds a project of n resources shaped like real ones: connections
// feeding landing data sources, materializations aggregating them into
// data sources of their own, shared pipes over those, and many endpoints
// reading one to three of the layers below (6 layers deep).
func tiered(n int) (*datafiles.Project, lineage.RefFinder) {
	rng := rand.New(rand.NewSource(7))
	p := datafiles.NewProject("tiered")
	refs := map[*datafiles.Node][]lineage.Ref{}
	count := 0
	name := func(prefix string) string { count++; return fmt.Sprintf("%s_%04d", prefix, count) }
	var landing, aggregated, shared []string
	pick := func(from ...[]string) lineage.Ref {
		var all []string
		for _, f := range from {
			all = append(all, f...)
		}
		return lineage.Ref{Name: all[rng.Intn(len(all))], Line: 1}
	}
	pipe := func(prefix string, typ datafiles.NodeType, reads ...lineage.Ref) *datafiles.Node {
		nm := name(prefix)
		first := &datafiles.Node{Name: "read", SQL: "SELECT ..."}
		last := &datafiles.Node{Name: "out", SQL: "SELECT * FROM read", Type: typ}
		refs[first], refs[last] = reads, []lineage.Ref{{Name: "read", Line: 1}}
		p.Pipes[nm] = &datafiles.Pipe{Name: nm, File: nm + ".pipe", Nodes: []*datafiles.Node{first, last}}
		return last
	}
	for i := 0; i < n/40; i++ {
		c := name("conn")
		p.Connections[c] = &datafiles.Connection{Name: c, File: c + ".connection", Type: "kafka"}
		for k := 0; k < 4; k++ {
			ds := name("landing")
			p.Datasources[ds] = &datafiles.Datasource{Name: ds, File: ds + ".datasource",
				Kafka: []datafiles.Setting{{Key: "KAFKA_CONNECTION_NAME", Value: c}}}
			landing = append(landing, ds)
		}
	}
	for count+2 <= n*3/10 {
		mv := pipe("mat", datafiles.NodeMaterialized, pick(landing), pick(landing, aggregated))
		mv.Datasource = name("agg")
		p.Datasources[mv.Datasource] = &datafiles.Datasource{Name: mv.Datasource, File: mv.Datasource + ".datasource"}
		aggregated = append(aggregated, mv.Datasource)
	}
	for count < n*4/10 {
		pipe("shared", "", pick(aggregated), pick(aggregated, landing))
		shared = append(shared, fmt.Sprintf("shared_%04d", count))
	}
	for count < n {
		reads := []lineage.Ref{pick(aggregated, shared)}
		for k := 0; k < rng.Intn(3); k++ {
			reads = append(reads, pick(aggregated, shared, landing))
		}
		pipe("api", datafiles.NodeEndpoint, reads...)
	}
	return p, func(_ *datafiles.Project, _ *datafiles.Pipe, node *datafiles.Node) ([]lineage.Ref, error) {
		return refs[node], nil
	}
}

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

// shapes are the generated graphs the benchmarks run on.
var shapes = []struct {
	name string
	gen  func(int) (*datafiles.Project, lineage.RefFinder)
}{{"tiered", tiered}, {"deep", generated}}

func TestGeneratedGraphsAreSound(t *testing.T) {
	for _, sh := range shapes {
		p, finder := sh.gen(2000)
		g := lineage.Build(p, lineage.Options{Refs: finder})
		if len(g.Nodes) != 2000 || len(g.Unresolved) > 0 || len(g.Diagnostics) > 0 {
			t.Fatalf("%s: %d nodes, %d unresolved, %v", sh.name, len(g.Nodes), len(g.Unresolved), g.Diagnostics)
		}
		if _, err := g.TopoOrder(); err != nil {
			t.Fatal(err)
		}
		s := New(g, Options{Mode: Layered})
		w, h := s.Size()
		t.Logf("%s: 2000 nodes, %d edges, %d layers: %d×%d cells, %d crossings", sh.name, len(g.Edges), len(s.res.Layers), w, h, s.res.Crossings)
		c := s.Draw(Viewport{X: w / 2, Y: h / 2, W: 200, H: 60}, State{})
		if c.String() == "" {
			t.Errorf("%s: the middle of the drawing is empty", sh.name)
		}
	}
}

func BenchmarkBuild2000(b *testing.B) {
	for _, sh := range shapes {
		b.Run(sh.name, func(b *testing.B) {
			p, finder := sh.gen(2000)
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				lineage.Build(p, lineage.Options{Refs: finder})
			}
			reportCPU(b, start)
		})
	}
}

func BenchmarkBuildAndLayout2000(b *testing.B) {
	for _, sh := range shapes {
		b.Run(sh.name, func(b *testing.B) {
			p, finder := sh.gen(2000)
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				g := lineage.Build(p, lineage.Options{Refs: finder})
				New(g, Options{Mode: Layered})
			}
			reportCPU(b, start)
		})
	}
}

func BenchmarkDrawVisible2000(b *testing.B) {
	for _, sh := range shapes {
		b.Run(sh.name, func(b *testing.B) {
			p, finder := sh.gen(2000)
			g := lineage.Build(p, lineage.Options{Refs: finder})
			s := New(g, Options{Mode: Layered})
			w, h := s.Size()
			sel := g.Nodes[len(g.Nodes)/2].Name
			st := State{Selected: sel, Highlight: g.Impact(sel)}
			v := Viewport{X: w / 2, Y: h / 2, W: 200, H: 60}
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				s.Draw(v, st)
			}
			reportCPU(b, start)
		})
	}
}

func BenchmarkTree2000(b *testing.B) {
	p, finder := tiered(2000)
	g := lineage.Build(p, lineage.Options{Refs: finder})
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		s := New(g, Options{Mode: Tree})
		s.Draw(Viewport{Y: 500, W: 120, H: 60}, State{})
	}
	reportCPU(b, start)
}
