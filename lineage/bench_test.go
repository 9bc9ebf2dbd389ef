package lineage

import (
	"testing"
)

// BenchmarkBuildCorpusDefaultRefs builds the graph of the largest corpus
// project with the real reference finder (templates rendered, SQL parsed).
func BenchmarkBuildCorpusDefaultRefs(b *testing.B) {
	p := loadCorpus(b, "web-analytics-starter-kit")
	nodes := 0
	for _, pipe := range p.Pipes {
		nodes += len(pipe.Nodes)
	}
	b.ReportAllocs()
	for b.Loop() {
		Build(p, Options{})
	}
	b.ReportMetric(float64(nodes), "pipe-nodes")
}
