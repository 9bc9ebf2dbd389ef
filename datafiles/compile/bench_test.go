package compile

import (
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/perchdata/perch/datafiles"
	"github.com/perchdata/perch/datafiles/template"
)

type corpusNode struct {
	p          *datafiles.Project
	pipe, node string
}

func allCorpusNodes(b *testing.B) []corpusNode {
	var out []corpusNode
	projects := corpusProjects(b)
	for _, name := range sortedKeys(projects) {
		p := projects[name]
		for _, pipe := range p.PipeNames() {
			for _, n := range p.Pipes[pipe].Nodes {
				out = append(out, corpusNode{p, pipe, n.Name})
			}
		}
	}
	return out
}

// BenchmarkCompileCorpus renders and compiles every node of the corpus (in
// placeholder mode, inlining every node and pipe it reads) per iteration and
// reports the mean and median time per node: cold parses every template
// each time, cached keeps parsed templates in a Cache (rendering still runs
// every time).
func BenchmarkCompileCorpus(b *testing.B) {
	b.Run("cold", func(b *testing.B) { benchCorpus(b, nil) })
	b.Run("cached", func(b *testing.B) { benchCorpus(b, NewCache()) })
}

func benchCorpus(b *testing.B, cache *Cache) {
	nodes := allCorpusNodes(b)
	wall := make([]time.Duration, len(nodes))
	cpu := make([]time.Duration, len(nodes))
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, n := range nodes {
			start, startCPU := time.Now(), threadCPU()
			if _, err := Compile(n.p, n.pipe, n.node, Options{Mode: template.Placeholders, Cache: cache}); err != nil {
				b.Fatal(err)
			}
			cpu[j] += threadCPU() - startCPU
			wall[j] += time.Since(start)
		}
	}
	b.StopTimer()
	mean, median, max := perNode(wall, b.N)
	b.ReportMetric(mean, "ns/node")
	b.ReportMetric(median, "ns/node-median")
	b.ReportMetric(max, "ns/node-max")
	_, cpuMedian, _ := perNode(cpu, b.N)
	b.ReportMetric(cpuMedian, "cpu-ns/node-median")
	b.ReportMetric(float64(len(nodes)), "nodes")
}

// perNode returns the mean, median and max of per-node totals over n runs.
func perNode(totals []time.Duration, n int) (mean, median, max float64) {
	sorted := make([]float64, len(totals))
	for j, d := range totals {
		sorted[j] = float64(d.Nanoseconds()) / float64(n)
		mean += sorted[j]
	}
	sort.Float64s(sorted)
	return mean / float64(len(sorted)), sorted[len(sorted)/2], sorted[len(sorted)-1]
}

// BenchmarkRenderTemplate parses and renders one corpus-like template.
func BenchmarkRenderTemplate(b *testing.B) {
	src := `%
SELECT * FROM events
WHERE 1
{% if defined(date_from) and defined(date_to) %}
  AND timestamp BETWEEN {{ Date(date_from, '2024-01-01') }} AND {{ Date(date_to, '2024-01-31') }}
{% else %}{{ error('Must supply date_from & date_to params') }}{% end %}
{% if defined(domain) %} AND domain = {{ String(domain, description="Filter by domain") }} {% end %}
LIMIT {{ Int32(limit, 50) }} OFFSET {{ Int32(skip, 0) }}`
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		tpl, err := template.Parse(src)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tpl.Render(template.RenderOptions{Mode: template.Placeholders}); err != nil {
			b.Fatal(err)
		}
	}
}
